//! What the runner says to libtest test binaries and reads back from them.

use std::collections::HashSet;
use std::ffi::OsString;
use truecov_model::TestOutcome;

/// Variables that would change libtest's output or test order, which the runner relies on;
/// removed from test processes.
pub(crate) const OVERRIDDEN_ENV: [&str; 3] = [
    "RUST_TEST_NOCAPTURE",
    "RUST_TEST_SHUFFLE",
    "RUST_TEST_SHUFFLE_SEED",
];

/// Arguments that list every test, or the ignored ones only.
pub(crate) fn list_args(ignored_only: bool) -> Vec<&'static str> {
    let mut args = vec!["--list", "--format", "terse"];
    if ignored_only {
        args.push("--ignored");
    }
    args
}

/// Test names in `--list --format terse` output (`name: test` lines; benchmarks are left out).
pub(crate) fn parse_list(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(str::to_owned)
        .collect()
}

/// Arguments that run exactly one test.
pub(crate) fn alone_args(name: &str, include_ignored: bool) -> Vec<OsString> {
    let mut args: Vec<OsString> = vec!["--exact".into(), name.into(), "--test-threads=1".into()];
    if include_ignored {
        args.push("--include-ignored".into());
    }
    args
}

/// Arguments that run the given tests in one process, one after another in name order.
pub(crate) fn together_args(names: &[&str], include_ignored: bool) -> Vec<OsString> {
    let mut args: Vec<OsString> = vec!["--exact".into(), "--test-threads=1".into()];
    if include_ignored {
        args.push("--include-ignored".into());
    }
    args.extend(names.iter().map(OsString::from));
    args
}

/// Whether libtest printed its closing summary, i.e. the process was not ended from inside a
/// test (`process::exit`, abort, kill).
fn printed_summary(output: &str) -> bool {
    output.lines().any(|line| line.starts_with("test result: "))
}

/// The outcome of a libtest binary's run of one test: a process that exited (with any code)
/// without libtest's closing summary was ended from inside the test (`process::exit(0)`):
/// `ExitedEarly`, never passed. Timeouts and crashes are left as they are.
pub(crate) fn ended_through_libtest(exited: TestOutcome, output: &str) -> TestOutcome {
    match exited {
        TestOutcome::Passed | TestOutcome::Failed if !printed_summary(output) => {
            TestOutcome::ExitedEarly
        }
        outcome => outcome,
    }
}

/// Tests reported as passed (`test NAME ... ok`) in libtest's default output.
pub(crate) fn passed_tests(output: &str) -> HashSet<String> {
    output
        .lines()
        .filter_map(|line| line.strip_prefix("test ")?.strip_suffix(" ... ok"))
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_terse_lists() {
        let listed = "tests::a: test\ntests::b c: test\nbench_x: bench\n\n";
        assert_eq!(parse_list(listed), ["tests::a", "tests::b c"]);
    }

    #[test]
    fn reads_passed_tests_and_the_summary() {
        let output = "\nrunning 3 tests\ntest tests::a ... ok\ntest tests::b ... FAILED\n\
                      test tests::c ... ignored\n\nfailures:\n\n---- tests::b stdout ----\n\
                      test tests::x ... ok is not a result line\n\n\
                      test result: FAILED. 1 passed; 1 failed; 1 ignored\n";
        let passed = passed_tests(output);
        assert_eq!(passed, HashSet::from(["tests::a".to_owned()]));
        assert!(printed_summary(output));
        assert!(!printed_summary("running 1 test\ntest tests::a ... "));
    }

    #[test]
    fn a_process_that_ends_without_the_summary_exited_early() {
        let ended = "\nrunning 1 test\ntest tests::a ... ";
        let summary = "\nrunning 1 test\ntest tests::a ... ok\n\ntest result: ok. 1 passed\n";
        for exited in [TestOutcome::Passed, TestOutcome::Failed] {
            assert_eq!(
                ended_through_libtest(exited, ended),
                TestOutcome::ExitedEarly
            );
            assert_eq!(ended_through_libtest(exited, summary), exited);
        }
        for other in [TestOutcome::Crashed, TestOutcome::TimedOut] {
            assert_eq!(ended_through_libtest(other, ended), other);
        }
    }
}
