//! Instrumented build of a workspace's test targets and the per-test runner.
//!
//! 1. [`build_tests`] runs `cargo test --no-run` into a dedicated target directory with
//!    `RUSTC_WORKSPACE_WRAPPER` pointing at an executable that calls
//!    [`wrap_rustc_if_requested`] first thing: cargo uses that wrapper for workspace members
//!    only, and the wrapper adds `-C instrument-coverage` (plus runtime counter relocation, so
//!    profiles survive `abort()` and kills) to each crate compilation, so dependencies stay
//!    uninstrumented.
//! 2. [`list_tests`] asks each test binary for its tests.
//! 3. [`run_tests`] runs every test alone, in parallel, each with its own profile directory,
//!    with the environment `cargo test` gives it; it hands each test's profiles to a
//!    caller-supplied decoder on the worker thread and deletes them right after, so disk use is
//!    bounded by the number of jobs.
//!
//! Nothing here prints except cargo itself during the build; progress is reported through an
//! [`Event`] callback.

pub(crate) mod build;
mod env;
pub(crate) mod exec;
pub(crate) mod libtest;
mod list;
pub(crate) mod pool;
pub(crate) mod profile;
mod runner;
mod wrapper;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;
use truecov_model::TestOutcome;

pub use build::{build_tests, Build, BuildError, BuildOptions};
pub use list::{list_tests, ListedTest};
pub use runner::{run_tests, RunError, RunOptions, TestResult, TestRun};
pub use wrapper::{wrap_rustc_if_requested, Wrapped, WrapperError};

/// An instrumented test binary and everything needed to run it as `cargo test` would.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestExecutable {
    /// Path of the instrumented binary.
    pub path: PathBuf,
    /// Cargo package that owns the target.
    pub package: String,
    /// Cargo target: `lib`, `bin:<name>`, `test:<name>`, `example:<name>` or `bench:<name>`.
    pub target: String,
    /// `false` for `harness = false` targets, which are run as one test named after the target.
    pub harness: bool,
    /// Working directory of the test process: the package root.
    pub cwd: PathBuf,
    /// Variables set on top of the inherited environment (`CARGO_MANIFEST_DIR`, `CARGO_PKG_*`,
    /// `CARGO_BIN_EXE_*`, the build script's `cargo:rustc-env`, the library search path, ...).
    pub env: BTreeMap<OsString, OsString>,
    /// The package's instrumented binaries by target name, as the test sees them in
    /// `CARGO_BIN_EXE_<name>` (integration tests and benches only, as cargo does). A test that
    /// runs one leaves that process's profile among its own.
    pub bins: BTreeMap<String, PathBuf>,
}

impl TestExecutable {
    /// The name of the single test of a `harness = false` target: the target's name (`lib`
    /// for a library).
    pub fn target_name(&self) -> &str {
        self.target
            .split_once(':')
            .map_or(&self.target, |(_, name)| name)
    }
}

/// Progress of a build or a run, for a progress bar. Counts are 1-based positions out of
/// `total` tests listed (ignored tests included).
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum Event<'a> {
    /// `cargo test --no-run` is starting.
    BuildStarted,
    /// The build succeeded and produced this many test binaries.
    BuildFinished {
        /// Number of test binaries found.
        executables: usize,
    },
    /// Every binary has been listed: this many tests will be reported.
    TestsListed {
        /// Number of tests, ignored ones included.
        total: usize,
    },
    /// A test process is starting.
    TestStarted {
        /// The binary the test belongs to.
        executable: &'a TestExecutable,
        /// The test's name.
        name: &'a str,
    },
    /// A test has ended (or was skipped as ignored) and its profiles have been decoded.
    TestFinished {
        /// The binary the test belongs to.
        executable: &'a TestExecutable,
        /// The test's name.
        name: &'a str,
        /// How it ended when run alone.
        outcome: TestOutcome,
        /// Wall time of the test process.
        duration: Duration,
        /// Tests finished so far, this one included.
        finished: usize,
        /// Tests listed in all.
        total: usize,
    },
    /// A failed test is being run once more with no other test running, to tell tests that
    /// fail next to other test processes from real failures.
    RetryStarted {
        /// The binary the test belongs to.
        executable: &'a TestExecutable,
        /// The test's name.
        name: &'a str,
    },
    /// A whole binary is being run once more, to tell tests that fail alone from real failures.
    RerunStarted {
        /// The binary being re-run.
        executable: &'a TestExecutable,
    },
}

/// The progress callback type taken by [`build_tests`] and [`run_tests`].
pub type OnEvent<'a> = &'a (dyn Fn(Event<'_>) + Sync);
