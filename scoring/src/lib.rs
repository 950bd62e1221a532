//! Scoring for cargo-truecov.
//!
//! Pure functions (no I/O) that join the analyzer's test verdicts and error-path sites with the
//! coverage engine's per-test lines into the report model (`truecov_model::Report`): per-line,
//! per-function, per-file and workspace scores as docs/scores.md defines them; [`prove`] turns
//! what mutants of each function showed into its status, [`proven`] into proven coverage.

#![warn(missing_docs, unreachable_pub)]

pub mod prove;
pub mod proven;
mod report;
mod score;

pub use report::scan_report;
pub use score::{library_only, score};
