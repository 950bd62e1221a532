//! Scoring for cargo-truecov.
//!
//! Pure functions (no I/O) that join the analyzer's test verdicts and error-path sites with the
//! coverage engine's per-test lines into the report model: per-line, per-function, per-file and
//! workspace scores as ../shared/SPEC.md defines them.
