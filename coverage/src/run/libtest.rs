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

/// What the test `name` printed in a libtest run of it alone that did not pass, trimmed: its
/// `---- NAME stdout ----` section when libtest reported the failure, else the output without
/// libtest's own `running 1 test` and `test NAME ... ` (the process crashed, timed out or
/// exited from inside the test).
pub(crate) fn printed_by_test(output: &str, name: &str) -> String {
    if let Some(section) = failure_section(output, name) {
        return section.to_owned();
    }
    let mut lines = output.trim_start().lines().peekable();
    if lines.next_if(|l| l.starts_with("running ")).is_some() {
        let result = format!("test {name} ... ");
        let rest: Vec<&str> = lines
            .map(|l| l.strip_prefix(&result).unwrap_or(l))
            .collect();
        return rest.join("\n").trim().to_owned();
    }
    output.trim().to_owned()
}

/// libtest's `---- NAME stdout ----` section of a run's output (the panic message and
/// backtrace are there, as libtest captures them), trimmed.
fn failure_section<'o>(output: &'o str, name: &str) -> Option<&'o str> {
    let header = format!("---- {name} stdout ----\n");
    let start = output.find(&header)? + header.len();
    let section = &output[start..];
    let end = section.rfind("\nfailures:\n").unwrap_or(section.len());
    Some(section[..end].trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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

    #[test]
    fn a_failed_test_s_section_is_what_it_printed() {
        let output =
            "\nrunning 1 test\ntest t::a ... FAILED\n\nfailures:\n\n---- t::a stdout ----\n\n\
                      thread 't::a' (7) panicked at src/lib.rs:3:9:\nassertion failed: ok\n\n\n\
                      failures:\n    t::a\n\ntest result: FAILED. 0 passed; 1 failed\n";
        assert_eq!(
            failure_section(output, "t::a"),
            Some("thread 't::a' (7) panicked at src/lib.rs:3:9:\nassertion failed: ok")
        );
        assert_eq!(failure_section(output, "t::b"), None, "another test's name");
        assert_eq!(
            failure_section("\nrunning 1 test\ntest t::a ... ", "t::a"),
            None
        );
    }

    #[test]
    fn without_a_section_what_the_test_printed_is_the_output_without_libtest_s_lines() {
        let ended = "\nrunning 1 test\ntest t::a ... written to the terminal\nbye\n";
        assert_eq!(
            printed_by_test(ended, "t::a"),
            "written to the terminal\nbye"
        );
        assert_eq!(
            printed_by_test("\nrunning 1 test\ntest t::a ... ", "t::a"),
            ""
        );
        assert_eq!(
            printed_by_test("no harness here\n", "t::a"),
            "no harness here"
        );
        let failed =
            "\nrunning 1 test\ntest t::a ... FAILED\n\nfailures:\n\n---- t::a stdout ----\n\
                      boom\n\nfailures:\n    t::a\n";
        assert_eq!(printed_by_test(failed, "t::a"), "boom");
    }

    proptest! {
        /// Whatever the test printed, `failures:` lines included, comes back whole.
        #[test]
        fn the_section_survives_any_printed_text(
            name in "[a-z_:]{1,20}",
            printed in "[ -~\n]{0,200}",
        ) {
            let output = format!(
                "\nrunning 1 test\ntest {name} ... FAILED\n\nfailures:\n\n---- {name} stdout ----\n\
                 {printed}\n\nfailures:\n    {name}\n\ntest result: FAILED. 0 passed; 1 failed\n"
            );
            prop_assert_eq!(failure_section(&output, &name), Some(printed.trim()));
        }
    }
}
