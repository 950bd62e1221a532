//! `cargo truecov trend`: one figure of the workspace, a file or a function over the recorded
//! runs, with a sparkline in the terminal.

use crate::cli::{Format, Global, TrendArgs};
use crate::outcome::Outcome;
use anyhow::bail;
use truecov_compare::history::Trend;
use truecov_db::{Db, SeriesQuery, Subject};
use truecov_render as render;

/// The subject the options name; a function is looked up by (unique) name or suffix.
fn subject(db: &Db, args: &TrendArgs) -> anyhow::Result<Subject> {
    if let Some(file) = &args.file {
        let file = file.strip_prefix("./").unwrap_or(file);
        return Ok(Subject::File(file.replace('\\', "/")));
    }
    let Some(query) = &args.function else {
        return Ok(Subject::Workspace);
    };
    let mut found = db.functions_named(query)?;
    match found.len() {
        0 => bail!("no recorded run has a function named `{query}`"),
        1 => {
            let (package, name) = found.remove(0);
            Ok(Subject::Function { package, name })
        }
        _ => {
            let names: Vec<String> = found.iter().map(|(p, n)| format!("  {n} ({p})")).collect();
            bail!("`{query}` is ambiguous; say which:\n{}", names.join("\n"))
        }
    }
}

/// Prints the series.
pub fn run(global: &Global, args: &TrendArgs) -> anyhow::Result<Outcome> {
    if !matches!(global.format, Format::Table | Format::Json | Format::Csv) {
        bail!("`trend` prints --format table, json or csv");
    }
    let db = crate::history::open_for_queries(&args.db, global)?;
    let subject = subject(&db, args)?;
    let points = db.series(&SeriesQuery {
        metric: args.metric.into(),
        subject: subject.clone(),
        since: args.since.clone(),
        branch: args.branch.clone(),
    })?;
    let trend = Trend {
        metric: args.metric.into(),
        subject: match subject {
            Subject::Workspace => "workspace".to_string(),
            Subject::File(f) => f,
            Subject::Function { name, .. } => name,
        },
        points,
    };
    match global.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&trend)?),
        Format::Csv => print!("{}", render::history::trend_csv(&trend)),
        _ => print!(
            "{}",
            render::history::trend_table(&trend, &global.color.style())
        ),
    }
    Ok(Outcome::Success)
}
