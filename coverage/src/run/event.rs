//! Progress of a build or a run, reported through a callback.

use super::executable::TestExecutable;
use std::time::Duration;
use truecov_model::TestOutcome;

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

/// The progress callback type taken by [`super::build_tests`] and [`super::run_tests`].
pub type OnEvent<'a> = &'a (dyn Fn(Event<'_>) + Sync);
