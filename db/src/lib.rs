//! History database for cargo-truecov.
//!
//! Will store every run's report model (summary scores, per-file and per-function scores,
//! per-test verdicts and outcomes) in SQLite with migrations, and answer trend queries. It does
//! not know how a report was made.
