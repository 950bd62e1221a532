//! Running the tests of mutants: each test alone in its own process, as the coverage run did,
//! with the mutant switched on through the environment; a mutant's tests stop at the first
//! that does not pass.

use super::schema::SWITCH_ENV;
use crate::run::exec::{self, test_command};
use crate::run::libtest;
use crate::run::profile::ProfileDir;
use crate::run::{RunError, TestExecutable};
use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;
use truecov_model::{MutantOutcome, TestId, TestOutcome};

/// The test binaries of a build, and how to run one test of them.
pub(crate) struct Tests<'a> {
    binaries: HashMap<(&'a str, &'a str), &'a TestExecutable>,
    ids: &'a [TestId],
    scratch: &'a Path,
    include_ignored: bool,
}

/// How one test process ended.
pub(crate) struct TestEnd {
    /// Passed, failed, crashed or timed out; `None` when the test's binary was not built.
    pub outcome: Option<TestOutcome>,
    /// Wall time.
    pub duration: Duration,
}

impl<'a> Tests<'a> {
    /// The tests `ids` of the binaries `executables`; processes keep their output in
    /// directories under `scratch`.
    pub(super) fn new(
        executables: &'a [TestExecutable],
        ids: &'a [TestId],
        scratch: &'a Path,
        include_ignored: bool,
    ) -> Self {
        let binaries = executables
            .iter()
            .map(|e| ((e.package.as_str(), e.target.as_str()), e))
            .collect();
        Tests {
            binaries,
            ids,
            scratch,
            include_ignored,
        }
    }

    /// Runs test `test` alone with mutant `mutant` on (none for `None`), killing it after
    /// `timeout`.
    pub(super) fn run(
        &self,
        test: usize,
        mutant: Option<usize>,
        timeout: Duration,
    ) -> Result<TestEnd, RunError> {
        let id = &self.ids[test];
        let Some(executable) = self
            .binaries
            .get(&(id.package.as_str(), id.target.as_str()))
        else {
            return Ok(TestEnd {
                outcome: None,
                duration: Duration::ZERO,
            });
        };
        let dir = ProfileDir::create(self.scratch)?;
        let mut command = test_command(executable, &dir);
        // Whether a test fails is all that counts here, and a backtrace costs a failing test
        // far more time than the test itself.
        command
            .env("RUST_BACKTRACE", "0")
            .env("RUST_LIB_BACKTRACE", "0");
        match mutant {
            Some(m) => command.env(SWITCH_ENV, m.to_string()),
            None => command.env_remove(SWITCH_ENV),
        };
        if executable.harness {
            command.args(libtest::alone_args(&id.name, self.include_ignored));
        }
        let ended = exec::run(command, &dir.output_file(), timeout)?;
        dir.remove()?;
        Ok(TestEnd {
            outcome: Some(ended.outcome),
            duration: ended.duration,
        })
    }
}

/// How long a test may run under a mutant: `multiplier` times its run without mutants, and
/// never less than `floor`.
pub(crate) fn timeout(baseline: Duration, multiplier: u32, floor: Duration) -> Duration {
    baseline.saturating_mul(multiplier).max(floor)
}

/// What running a mutant's tests in order found: the outcome, the test that caught it, and
/// the tests that ran (up to the first that did not pass).
pub(crate) struct MutantRun {
    pub outcome: MutantOutcome,
    pub caught_by: Option<usize>,
    pub tests_run: Vec<usize>,
}

/// Runs `order` (tests with their timeouts) under mutant `mutant`, stopping at the first test
/// that fails, crashes or times out.
pub(crate) fn run_mutant(
    tests: &Tests<'_>,
    mutant: usize,
    order: &[(usize, Duration)],
) -> Result<MutantRun, RunError> {
    let mut tests_run = Vec::new();
    for &(test, limit) in order {
        let Some(ended) = tests.run(test, Some(mutant), limit)?.outcome else {
            continue;
        };
        tests_run.push(test);
        let outcome = match ended {
            TestOutcome::Passed => continue,
            TestOutcome::TimedOut => MutantOutcome::Timeout,
            _ => MutantOutcome::Caught,
        };
        return Ok(MutantRun {
            outcome,
            caught_by: Some(test),
            tests_run,
        });
    }
    Ok(MutantRun {
        outcome: if tests_run.is_empty() {
            MutantOutcome::NotRun
        } else {
            MutantOutcome::Missed
        },
        caught_by: None,
        tests_run,
    })
}

#[cfg(test)]
mod tests {
    use super::timeout;
    use std::time::Duration;

    #[test]
    fn timeouts_scale_with_the_baseline_above_a_floor() {
        let ms = Duration::from_millis;
        assert_eq!(timeout(ms(10), 5, ms(3000)), ms(3000));
        assert_eq!(timeout(ms(2000), 5, ms(3000)), ms(10_000));
    }
}
