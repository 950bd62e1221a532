//! `cargo truecov history`: the recorded runs, newest first, with their headline figures and
//! the change from the run before each.

use crate::cli::{Format, Global, HistoryArgs};
use crate::outcome::Outcome;
use anyhow::bail;
use truecov_compare::history::rows;
use truecov_db::RunFilter;
use truecov_render as render;

/// Lists the runs.
pub fn run(global: &Global, args: &HistoryArgs) -> anyhow::Result<Outcome> {
    if !matches!(global.format, Format::Table | Format::Json | Format::Csv) {
        bail!("`history` prints --format table, json or csv");
    }
    let db = crate::history::open_for_queries(&args.db, global)?;
    let runs = db.runs(&RunFilter {
        branch: args.branch.clone(),
        limit: Some(args.limit.saturating_add(1)),
    })?;
    let rows = rows(runs, args.limit);
    match global.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&rows)?),
        Format::Csv => print!("{}", render::history::runs_csv(&rows)),
        _ => print!(
            "{}",
            render::history::runs_table(&rows, db.path(), &global.color.style())
        ),
    }
    Ok(Outcome::Success)
}
