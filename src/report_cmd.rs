//! `cargo truecov report`: renders a stored report (the last run's, or `--input FILE`) in any
//! format. [`emit`] is also how `run` and `scan` print the formats made for tools and browsers
//! (HTML, SARIF, lcov, cobertura).

use crate::cli::{Format, Global, ReportArgs};
use crate::emit::{emit, Table};
use crate::outcome::Outcome;
use crate::workspace::workspace;
use anyhow::Context;
use truecov_model::Report;
use truecov_render::{self as render};

/// Reads the report and renders it.
pub fn run(global: &Global, args: &ReportArgs) -> anyhow::Result<Outcome> {
    if let Some(spec) = &args.run {
        let db = crate::history::open_for_queries(&args.history, global)?;
        let run = crate::history::stored_run(&db, spec)?;
        let report = db.report(run.id)?;
        if global.format == Format::Markdown {
            let side = truecov_compare::Side {
                label: format!("run {}", run.id),
                run: Some(run),
            };
            print!("{}", render::markdown::single(&report, side));
        } else {
            emit(global, &report, Table::of(&report), args)?;
        }
        return Ok(Outcome::Success);
    }
    let path = match &args.input {
        Some(p) => p.clone(),
        None => {
            let root = workspace(global)?.root;
            crate::paths::last_report_path(&root, &crate::emit::build_args(args))
        }
    };
    let text = std::fs::read_to_string(&path).with_context(|| match args.input {
        Some(_) => format!("cannot read {}", path.display()),
        None => format!(
            "no report at {}: run `cargo truecov` first (or pass --input FILE)",
            path.display()
        ),
    })?;
    let report: Report = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a truecov report", path.display()))?;
    emit(global, &report, Table::of(&report), args)?;
    Ok(Outcome::Success)
}
