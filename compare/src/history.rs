//! The recorded runs as `history` and `trend` show them: each run with its change from the
//! one before, and one figure over runs.

use crate::comparison::delta;
use serde::Serialize;
use truecov_db::{Metric, Point, Run};

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

/// A series as `--format json` prints it.
#[derive(Debug, Serialize)]
pub struct Trend {
    /// The figure.
    pub metric: Metric,
    /// What it is of: `workspace`, a file path or a function name.
    pub subject: String,
    /// One point per run, oldest first.
    pub points: Vec<Point>,
}
