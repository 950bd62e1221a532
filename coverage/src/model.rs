//! The serializable result of a coverage run: what the scoring crate joins with test verdicts.
//!
//! Paths are relative to the workspace root with `/` separators; lines and columns are 1-based
//! (columns in bytes, as LLVM counts them). Only library code appears here.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Version of the serialized [`CoverageRun`] shape.
pub const SCHEMA_VERSION: u32 = 1;

/// A source span as LLVM coverage regions give it: start and end (inclusive line, exclusive-ish
/// column as LLVM reports it), 1-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    /// First line of the region.
    pub start_line: u32,
    /// Column of the region's first byte on `start_line`.
    pub start_col: u32,
    /// Last line of the region.
    pub end_line: u32,
    /// Column just past the region's last byte on `end_line`.
    pub end_col: u32,
}

/// How a test run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The test passed when run alone.
    Passed,
    /// The test failed when run alone (and also fails in the shared run, or that was not tried).
    Failed,
    /// The test was killed after the per-test timeout.
    TimedOut,
    /// The process died from a signal or abort.
    Crashed,
    /// The test fails alone but passes when the whole binary runs (global state, order).
    FailsAlone,
    /// The test is `#[ignore]`d and was not run.
    Ignored,
}

/// Coverage facts about one library file, over all tests.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileCoverage {
    /// Lines that hold code (what `llvm-cov` counts as coverable), sorted.
    pub coverable: Vec<u32>,
    /// Lines executed by at least one test, sorted.
    pub executed: Vec<u32>,
    /// Every code region of the file (merged across instantiations and binaries), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<Span>,
}

/// What one test executed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestCoverage {
    /// Cargo package that owns the test binary.
    #[serde(default)]
    pub package: String,
    /// Cargo target: `lib`, `bin:<name>`, `test:<name>`, `example:<name>`, `bench:<name>`.
    pub target: String,
    /// The test's name exactly as `<binary> --list` prints it.
    pub name: String,
    /// How the run ended.
    pub outcome: Outcome,
    /// Wall time of the test process, in milliseconds.
    pub duration_ms: u64,
    /// Executed library lines per file, sorted.
    pub lines: BTreeMap<String, Vec<u32>>,
    /// Executed code regions per file (count > 0), sorted.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub regions: BTreeMap<String, Vec<Span>>,
}

/// Per-test coverage of a whole workspace.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageRun {
    /// Always [`SCHEMA_VERSION`] when produced by this crate.
    pub schema_version: u32,
    /// Library files, keyed by workspace-relative path.
    pub files: BTreeMap<String, FileCoverage>,
    /// One entry per test that was listed.
    pub tests: Vec<TestCoverage>,
    /// The instrumented test binaries that ran (absolute paths), for tools that want to read
    /// them again (`llvm-cov` cross-checks).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub binaries: Vec<String>,
    /// Profiles that could not be decoded (their tests' coverage is missing), with why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}
