//! What the history stores about a run besides its report, and what its queries return.

use serde::{Deserialize, Serialize};
use truecov_model::Summary;

/// Where a run's code came from: what the report itself does not say. Every field is optional
/// (outside a git checkout there is no commit).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// Full hash of the checked-out commit.
    pub git_commit: Option<String>,
    /// Branch name.
    pub git_branch: Option<String>,
    /// The working tree differed from the commit.
    pub git_dirty: Option<bool>,
    /// `rustc --version` of the toolchain that built the tests.
    pub toolchain: Option<String>,
    /// Hash of the configuration and options that change results (features, profile,
    /// `[metadata.truecov]`), to tell apart runs that are not comparable.
    pub config_hash: Option<String>,
}

/// A stored run: its identity, provenance and headline figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Run {
    /// Row id: increases with every recorded run.
    pub id: i64,
    /// When it was recorded, UTC, `2024-05-01T12:00:00Z`.
    pub recorded_at: String,
    /// Absolute workspace root.
    pub workspace: String,
    /// cargo-truecov version that made it.
    pub tool_version: String,
    /// Where its code came from.
    #[serde(flatten)]
    pub provenance: Provenance,
    /// Headline figures of its report.
    pub summary: Summary,
    /// Error-path sites of all functions.
    pub error_sites: u64,
    /// Sites executed by some test.
    pub error_sites_executed: u64,
    /// Sites executed by a test that checks them.
    pub error_sites_checked: u64,
}

/// Which runs a history listing shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunFilter {
    /// Only runs on this branch.
    pub branch: Option<String>,
    /// At most this many, newest first.
    pub limit: Option<usize>,
}

/// A figure followed over time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Metric {
    /// Meaningful line coverage.
    Meaningful,
    /// Raw line coverage.
    Raw,
    /// Meaningful / raw.
    Truth,
    /// Checked error sites / all error sites.
    ErrorChecks,
    /// Proven line coverage (`NULL` for runs without `prove`).
    Proven,
}

impl Metric {
    /// The SQL expression of the metric over a row with the line and site counts (the same
    /// column names in `runs`, `files`, `packages` and `functions`), `NULL` when there is
    /// nothing to divide by.
    pub(crate) fn sql(self, alias: &str) -> String {
        let (num, den) = match self {
            Metric::Meaningful => ("lines_meaningful", "lines_coverable"),
            Metric::Raw => ("lines_raw", "lines_coverable"),
            Metric::Truth => ("lines_meaningful", "lines_raw"),
            Metric::ErrorChecks => ("error_sites_checked", "error_sites"),
            Metric::Proven => ("lines_proven", "lines_coverable"),
        };
        format!("CASE WHEN {alias}.{den} > 0 THEN CAST({alias}.{num} AS REAL) / {alias}.{den} END")
    }
}

/// What a series follows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    /// The whole workspace.
    Workspace,
    /// One library file (workspace-relative path).
    File(String),
    /// One function, by package and full name (see [`crate::Db::functions_named`]).
    Function {
        /// Its package.
        package: String,
        /// Its full name (`account::Account::withdraw`).
        name: String,
    },
}

/// The start of a series.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Since {
    /// This many days before now.
    DaysAgo(u32),
    /// A day (`2024-05-01`), UTC.
    Date(String),
}

/// A query for [`crate::Db::series`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeriesQuery {
    /// The figure.
    pub metric: Metric,
    /// Of what.
    pub subject: Subject,
    /// Runs recorded at or after this.
    pub since: Option<Since>,
    /// Only runs on this branch.
    pub branch: Option<String>,
}

/// One point of a series.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// The run.
    pub run_id: i64,
    /// When it was recorded.
    pub recorded_at: String,
    /// Its commit.
    pub git_commit: Option<String>,
    /// The value, `None` when there was nothing to divide by.
    pub value: Option<f64>,
}
