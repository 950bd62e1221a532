//! The result of a coverage run: which library lines and regions each test executed, and how
//! each test ended. What the scoring crate joins with the scan.
//!
//! Paths are relative to the workspace root with `/` separators; lines and columns are 1-based
//! (columns in bytes, as LLVM counts them). Only library code appears here.

use crate::span::Span;
use crate::test::{TestId, TestOutcome};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Version of the serialized [`CoverageRun`] shape.
pub const SCHEMA_VERSION: u32 = 1;

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
    pub outcome: TestOutcome,
    /// Wall time of the test process, in milliseconds.
    pub duration_ms: u64,
    /// Executed library lines per file, sorted.
    pub lines: BTreeMap<String, Vec<u32>>,
    /// Executed code regions per file (count > 0), sorted.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub regions: BTreeMap<String, Vec<Span>>,
    /// The regions of `regions` that ran more than once, with their counts, per file, sorted
    /// (an assertion passed and then failed in one test ran more often than what follows it).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub repeated: BTreeMap<String, Vec<(Span, u64)>>,
    /// What the test printed when it did not pass (its panic message, libtest's section of the
    /// output for it); empty when it passed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub output: String,
}

impl TestCoverage {
    /// Which test it is.
    pub fn id(&self) -> TestId {
        TestId {
            package: self.package.clone(),
            target: self.target.clone(),
            name: self.name.clone(),
        }
    }
}

/// Per-test coverage of a whole workspace.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageRun {
    /// Always [`SCHEMA_VERSION`] when produced by this version.
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
