//! Scoring for cargo-truecov.
//!
//! Pure functions (no I/O) that join the analyzer's test verdicts and error-path sites with the
//! coverage engine's per-test lines into the report model: per-line, per-function, per-file and
//! workspace scores as docs/scores.md defines them. The [`report`] module holds that model,
//! which is also the JSON contract (`schema_version` 1); [`prove`] adds what mutants of each
//! function showed.

pub mod prove;
pub mod report;
pub mod score;

pub use report::{
    Figures, FileEntry, FunctionEntry, PackageEntry, Report, SiteEntry, Summary, TestCounts,
    TestEntry,
};
pub use score::{library_only, score};
