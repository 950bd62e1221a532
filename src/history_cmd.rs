//! `cargo truecov history`: the recorded runs, newest first, with their headline figures and
//! the change from the run before each.

use crate::cli::{Format, Global, HistoryArgs};
use crate::compare::delta;
use crate::render::{self, style::Style};
use crate::Outcome;
use anyhow::bail;
use serde::Serialize;
use truecov_db::{Run, RunFilter};

/// Changes of the headline figures from the previous listed run (fractions; the truth ratio
/// as a ratio).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RunDelta {
    /// Meaningful line coverage.
    pub meaningful_line_coverage: Option<f64>,
    /// Raw line coverage.
    pub raw_line_coverage: Option<f64>,
    /// Truth ratio.
    pub truth_ratio: Option<f64>,
    /// Error-path check rate.
    pub error_path_check_rate: Option<f64>,
}

/// A run of the listing.
#[derive(Clone, Debug, Serialize)]
pub struct HistoryRow {
    /// The run.
    #[serde(flatten)]
    pub run: Run,
    /// Change from the previous run of the same listing (same branch filter), `None` for the
    /// oldest one.
    pub delta: Option<RunDelta>,
}

/// Rows of `runs` (newest first), each with its change from the next older one; the last run
/// is only there to give the change of the one before it when there is one more than `limit`.
pub fn rows(runs: Vec<Run>, limit: usize) -> Vec<HistoryRow> {
    let older: Vec<Option<Run>> = runs
        .iter()
        .skip(1)
        .cloned()
        .map(Some)
        .chain([None])
        .collect();
    runs.into_iter()
        .zip(older)
        .take(limit)
        .map(|(run, older)| {
            let delta = older.map(|o| {
                let (a, b) = (&o.summary, &run.summary);
                RunDelta {
                    meaningful_line_coverage: delta(
                        a.meaningful_line_coverage,
                        b.meaningful_line_coverage,
                    ),
                    raw_line_coverage: delta(a.raw_line_coverage, b.raw_line_coverage),
                    truth_ratio: delta(a.truth_ratio, b.truth_ratio),
                    error_path_check_rate: delta(a.error_path_check_rate, b.error_path_check_rate),
                }
            });
            HistoryRow { run, delta }
        })
        .collect()
}

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
            render::history::runs_table(&rows, db.path(), &Style::new(global.color))
        ),
    }
    Ok(Outcome::Success)
}
