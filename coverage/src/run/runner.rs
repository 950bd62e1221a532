//! Running every test alone, in parallel, handing each test's profiles to a decoder, then
//! telling tests that fail alone from real failures.

use super::backtrace::Backtraces;
use super::error::RunError;
use super::event::{Event, OnEvent};
use super::exec::{self, test_command};
use super::executable::TestExecutable;
use super::list::{list_tests, ListedTest};
use super::profile::ProfileDir;
use super::{libtest, pool};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use truecov_model::{TestId, TestOutcome};

/// Captured output kept for a test that did not pass: its last bytes, where the panic message
/// and libtest's failure report are.
const OUTPUT_TAIL_BYTES: usize = 16 * 1024;

/// How to run the tests.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Test processes run at once (at least 1).
    pub jobs: usize,
    /// Wall time after which a test process is killed (outcome `TimedOut`).
    pub timeout: Duration,
    /// Run `#[ignore]`d tests too (with `--include-ignored`); otherwise they are reported as
    /// `Ignored` without running.
    pub include_ignored: bool,
    /// Directory for per-test profiles and captured output; created if missing. Everything the
    /// runner puts there is removed again; the directory itself is left.
    pub scratch_dir: PathBuf,
    /// Tests that panic on purpose (`#[should_panic]`, as the caller's scan found them; a
    /// `should_panic` doctest is known without it). They run with the panic hook's backtraces
    /// off; one that does not pass runs again with the user's environment, and that run is
    /// the one reported.
    pub expected_panics: HashSet<TestId>,
}

impl RunOptions {
    /// Defaults: one job per available core, a 60 s timeout, ignored tests not run.
    pub fn new(scratch_dir: impl Into<PathBuf>) -> Self {
        Self {
            jobs: std::thread::available_parallelism().map_or(1, usize::from),
            timeout: Duration::from_secs(60),
            include_ignored: false,
            scratch_dir: scratch_dir.into(),
            expected_panics: HashSet::new(),
        }
    }
}

/// How one test ran.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestRun {
    /// Index of the test's binary in the slice given to [`run_tests`].
    pub executable: usize,
    /// The test's name exactly as `<binary> --list` prints it.
    pub name: String,
    /// Whether the test is `#[ignore]`d.
    pub ignored: bool,
    /// How it ended when run alone. The decoder sees `Failed` for a test that is `FailsAlone`
    /// in the returned results.
    pub outcome: TestOutcome,
    /// Wall time of the test process (zero when it did not run).
    pub duration: Duration,
    /// What the test printed when it did not pass (libtest's section of the output for it,
    /// panic message included, else the end of all of it), trimmed; empty when it passed.
    pub output: String,
}

/// A test's run and what the decoder made of its profiles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestResult<T> {
    /// How the test ran.
    pub run: TestRun,
    /// The decoder's result; `None` when the test did not run (ignored).
    pub decoded: Option<T>,
}

/// Lists and runs every test of `executables`, each alone in its own process, `options.jobs`
/// at a time. After each test ends, `decode` is called on the worker thread with the test's
/// binary, its run and its profile files (`.profraw`, one per process of the test: children
/// that are instrumented binaries leave their own), and the files are deleted right after.
///
/// Failed tests are then checked twice, so that only real failures stay `Failed`:
/// 1. each is run alone once more with no other test running (when `jobs > 1`), and that run,
///    decoded like the first, replaces it: a test that only failed next to other test
///    processes passes there;
/// 2. each libtest binary with a test that still fails runs once as a whole, in one process,
///    its tests in name order (leaving out those that crashed, timed out or ended the process
///    themselves); a failed test that passes there becomes `FailsAlone` (no decoding).
///
/// Results come in the order the binaries list their tests, binary by binary.
pub fn run_tests<T, D>(
    executables: &[TestExecutable],
    options: &RunOptions,
    decode: D,
    on_event: OnEvent<'_>,
) -> Result<Vec<TestResult<T>>, RunError>
where
    T: Send,
    D: Fn(&TestExecutable, &TestRun, &[PathBuf]) -> T + Sync,
{
    let plan = plan_tests(executables, options)?;
    run_planned(executables, &plan, options, decode, on_event)
}

/// Every test of `executables` as `(index of its binary, test)`, binary by binary in the
/// order each lists its tests: the order of the whole run, which partitions count in.
pub fn plan_tests(
    executables: &[TestExecutable],
    options: &RunOptions,
) -> Result<Vec<(usize, ListedTest)>, RunError> {
    create_scratch(options)?;
    let listed = pool::try_map(executables, options.jobs, |executable| {
        list_tests(executable, &options.scratch_dir)
    })?;
    Ok(listed
        .into_iter()
        .enumerate()
        .flat_map(|(index, tests)| tests.into_iter().map(move |test| (index, test)))
        .collect())
}

/// Creates the directory the runs write their profiles and output under.
fn create_scratch(options: &RunOptions) -> Result<(), RunError> {
    std::fs::create_dir_all(&options.scratch_dir).map_err(|source| RunError::Scratch {
        path: options.scratch_dir.clone(),
        source,
    })
}

/// Runs the tests of `plan` (from [`plan_tests`], possibly a part of it) as [`run_tests`] does.
pub fn run_planned<T, D>(
    executables: &[TestExecutable],
    plan: &[(usize, ListedTest)],
    options: &RunOptions,
    decode: D,
    on_event: OnEvent<'_>,
) -> Result<Vec<TestResult<T>>, RunError>
where
    T: Send,
    D: Fn(&TestExecutable, &TestRun, &[PathBuf]) -> T + Sync,
{
    create_scratch(options)?;
    on_event(Event::TestsListed { total: plan.len() });
    let finished = AtomicUsize::new(0);
    let mut alone = pool::try_map(plan, options.jobs, |(index, test)| {
        let executable = &executables[*index];
        let alone = if test.ignored && !options.include_ignored {
            Alone::ignored(*index, test)
        } else {
            on_event(Event::TestStarted {
                executable,
                name: &test.name,
            });
            run_alone(executables, *index, test, options, &decode)?
        };
        let run = &alone.result.run;
        on_event(Event::TestFinished {
            executable,
            name: &run.name,
            outcome: run.outcome,
            duration: run.duration,
            finished: finished.fetch_add(1, Ordering::Relaxed) + 1,
            total: plan.len(),
        });
        Ok(alone)
    })?;
    if options.jobs > 1 {
        retry_failures(executables, plan, &mut alone, options, &decode, on_event)?;
    }
    mark_fails_alone(executables, &mut alone, options, on_event)?;
    Ok(alone.into_iter().map(|alone| alone.result).collect())
}

/// A test's result after its run alone.
struct Alone<T> {
    result: TestResult<T>,
    /// The test ended through libtest's summary (not by exit, abort or kill), so it can share
    /// a process with the binary's other tests.
    shareable: bool,
}

impl<T> Alone<T> {
    /// An ignored test that is not run.
    fn ignored(executable: usize, test: &ListedTest) -> Self {
        let run = TestRun {
            executable,
            name: test.name.clone(),
            ignored: test.ignored,
            outcome: TestOutcome::Ignored,
            duration: Duration::ZERO,
            output: String::new(),
        };
        Self {
            result: TestResult { run, decoded: None },
            shareable: false,
        }
    }
}

/// Runs one test alone, decodes its profiles and removes them. A test expected to panic runs
/// with the panic hook's backtraces off, and once more with the user's environment if it did
/// not pass (a timeout aside: it printed no panic).
fn run_alone<T, D>(
    executables: &[TestExecutable],
    index: usize,
    test: &ListedTest,
    options: &RunOptions,
    decode: &D,
) -> Result<Alone<T>, RunError>
where
    D: Fn(&TestExecutable, &TestRun, &[PathBuf]) -> T,
{
    if !expects_panic(&executables[index], test, options) {
        return run_once(executables, index, test, options, decode, Backtraces::User);
    }
    let quiet = run_once(
        executables,
        index,
        test,
        options,
        decode,
        Backtraces::PanicHookOff,
    )?;
    match quiet.result.run.outcome {
        TestOutcome::Passed | TestOutcome::TimedOut => Ok(quiet),
        _ => run_once(executables, index, test, options, decode, Backtraces::User),
    }
}

/// Whether the test panics on purpose.
fn expects_panic(executable: &TestExecutable, test: &ListedTest, options: &RunOptions) -> bool {
    if let Some(doctest) = &executable.doctest {
        return doctest.should_panic;
    }
    !options.expected_panics.is_empty()
        && options.expected_panics.contains(&TestId {
            package: executable.package.clone(),
            target: executable.target.clone(),
            name: test.name.clone(),
        })
}

/// Runs one test alone once, with the given backtraces, decodes its profiles and removes them.
fn run_once<T, D>(
    executables: &[TestExecutable],
    index: usize,
    test: &ListedTest,
    options: &RunOptions,
    decode: &D,
    backtraces: Backtraces,
) -> Result<Alone<T>, RunError>
where
    D: Fn(&TestExecutable, &TestRun, &[PathBuf]) -> T,
{
    let executable = &executables[index];
    let dir = ProfileDir::create(&options.scratch_dir)?;
    let mut command = test_command(executable, &dir);
    backtraces.apply(&mut command);
    if executable.harness {
        command.args(libtest::alone_args(&test.name, options.include_ignored));
    }
    let mut ended = exec::run(command, &dir.output_file(), options.timeout)?;
    let output = read_output(&dir.output_file())?;
    ended.outcome = executable.judged(ended.outcome);
    if executable.harness {
        ended.outcome = libtest::ended_through_libtest(ended.outcome, &output);
    }
    let run = TestRun {
        executable: index,
        name: test.name.clone(),
        ignored: test.ignored,
        outcome: ended.outcome,
        duration: ended.duration,
        output: match ended.outcome {
            TestOutcome::Passed => String::new(),
            _ if executable.harness => {
                let printed = libtest::printed_by_test(&output, &test.name);
                tail(&printed, OUTPUT_TAIL_BYTES).to_owned()
            }
            _ => tail(&output, OUTPUT_TAIL_BYTES).trim().to_owned(),
        },
    };
    let decoded = decode(executable, &run, &dir.profiles()?);
    dir.remove()?;
    Ok(Alone {
        result: TestResult {
            run,
            decoded: Some(decoded),
        },
        // Passed and failed tests ended through libtest's summary; a test killed just after
        // libtest printed it still timed out.
        shareable: executable.harness
            && matches!(ended.outcome, TestOutcome::Passed | TestOutcome::Failed),
    })
}

/// Runs each failed test once more, one at a time with no other test running, and keeps that
/// run: a test that failed only because of other test processes (files or ports they share)
/// passes then. It runs with the user's environment, backtraces included.
fn retry_failures<T, D>(
    executables: &[TestExecutable],
    plan: &[(usize, ListedTest)],
    alone: &mut [Alone<T>],
    options: &RunOptions,
    decode: &D,
    on_event: OnEvent<'_>,
) -> Result<(), RunError>
where
    D: Fn(&TestExecutable, &TestRun, &[PathBuf]) -> T,
{
    for (slot, (index, test)) in alone.iter_mut().zip(plan) {
        if slot.result.run.outcome == TestOutcome::Failed {
            on_event(Event::RetryStarted {
                executable: &executables[*index],
                name: &test.name,
            });
            *slot = run_once(executables, *index, test, options, decode, Backtraces::User)?;
        }
    }
    Ok(())
}

/// Re-runs each libtest binary with a failed test once, as a whole, and turns failed tests
/// that pass there into `FailsAlone`.
fn mark_fails_alone<T>(
    executables: &[TestExecutable],
    alone: &mut [Alone<T>],
    options: &RunOptions,
    on_event: OnEvent<'_>,
) -> Result<(), RunError> {
    let reruns = rerun_plan(alone);
    let binaries: Vec<usize> = reruns.iter().map(|(index, _)| *index).collect();
    let passed = pool::try_map(&reruns, options.jobs, |(index, tests)| {
        let executable = &executables[*index];
        on_event(Event::RerunStarted { executable });
        let count = u32::try_from(tests.len()).unwrap_or(u32::MAX);
        run_whole(
            executable,
            tests,
            options.timeout.saturating_mul(count),
            options,
        )
    })?;
    for (index, passed) in binaries.into_iter().zip(passed) {
        for alone in alone.iter_mut() {
            let run = &mut alone.result.run;
            if run.executable == index
                && run.outcome == TestOutcome::Failed
                && passed.contains(&run.name)
            {
                run.outcome = TestOutcome::FailsAlone;
            }
        }
    }
    Ok(())
}

/// For each binary with a failed test that can share a process: the tests to run together.
/// libtest runs them in name order, so tests after the last failure cannot change its result
/// and are left out, as are tests that did not end through libtest (they would end the shared
/// process).
fn rerun_plan<T>(alone: &[Alone<T>]) -> Vec<(usize, Vec<&str>)> {
    let mut last_failure: BTreeMap<usize, &str> = BTreeMap::new();
    for a in alone.iter().filter(|a| a.shareable) {
        let run = &a.result.run;
        if run.outcome == TestOutcome::Failed {
            let last = last_failure.entry(run.executable).or_default();
            *last = (*last).max(run.name.as_str());
        }
    }
    last_failure
        .into_iter()
        .map(|(index, last)| {
            let tests = alone
                .iter()
                .filter(|a| a.shareable)
                .map(|a| &a.result.run)
                .filter(|run| run.executable == index && run.name.as_str() <= last)
                .map(|run| run.name.as_str())
                .collect();
            (index, tests)
        })
        .collect()
}

/// Runs the given tests of a libtest binary in one process and returns those that passed.
fn run_whole(
    executable: &TestExecutable,
    tests: &[&str],
    timeout: Duration,
    options: &RunOptions,
) -> Result<HashSet<String>, RunError> {
    let dir = ProfileDir::create(&options.scratch_dir)?;
    let mut command = test_command(executable, &dir);
    command.args(libtest::together_args(tests, options.include_ignored));
    exec::run(command, &dir.output_file(), timeout)?;
    let passed = libtest::passed_tests(&read_output(&dir.output_file())?);
    dir.remove()?;
    Ok(passed)
}

/// The captured output of a process, invalid UTF-8 replaced.
fn read_output(path: &Path) -> Result<String, RunError> {
    let bytes = std::fs::read(path).map_err(|source| RunError::Scratch {
        path: path.to_owned(),
        source,
    })?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The last `max` bytes of `text` at most, cut at a character boundary.
fn tail(text: &str, max: usize) -> &str {
    let mut start = text.len().saturating_sub(max);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

#[cfg(test)]
mod tests {
    use super::{rerun_plan, tail, Alone, TestResult, TestRun};
    use std::time::Duration;
    use truecov_model::TestOutcome;

    fn alone(executable: usize, name: &str, outcome: TestOutcome, shareable: bool) -> Alone<()> {
        let run = TestRun {
            executable,
            name: name.to_owned(),
            ignored: false,
            outcome,
            duration: Duration::ZERO,
            output: String::new(),
        };
        Alone {
            result: TestResult {
                run,
                decoded: Some(()),
            },
            shareable,
        }
    }

    #[test]
    fn reruns_shareable_tests_up_to_the_last_failure() {
        let results = [
            alone(0, "a", TestOutcome::Passed, true),
            alone(0, "b", TestOutcome::Crashed, false),
            alone(0, "c", TestOutcome::Failed, true),
            alone(0, "d", TestOutcome::Passed, true),
            alone(0, "e", TestOutcome::Failed, false),
            alone(1, "a", TestOutcome::Passed, true),
            alone(2, "z", TestOutcome::Failed, true),
            alone(2, "y", TestOutcome::Passed, true),
        ];
        assert_eq!(
            rerun_plan(&results),
            [(0, vec!["a", "c"]), (2, vec!["z", "y"])]
        );
    }

    #[test]
    fn tail_cuts_at_a_character_boundary() {
        assert_eq!(tail("abcdef", 3), "def");
        assert_eq!(tail("ab", 3), "ab");
        assert_eq!(tail("aé€", 4), "€");
    }
}
