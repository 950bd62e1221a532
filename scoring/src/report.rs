//! The report of a static scan, and the report entries of scanned tests.

use truecov_model::report::SCHEMA_VERSION;
use truecov_model::{Report, Scan, Summary, TestCase, TestCounts, TestEntry, Verdict};

/// The report of a static scan: tests with verdicts, no coverage figures, no functions.
pub fn scan_report(scan: &Scan, tool_version: &str) -> Report {
    let tests: Vec<TestEntry> = scan.tests.iter().map(test_entry).collect();
    Report {
        schema_version: SCHEMA_VERSION,
        tool_version: tool_version.to_string(),
        workspace: scan.workspace_root.display().to_string(),
        summary: Summary {
            tests: test_counts(&tests),
            ..Summary::default()
        },
        tests,
        functions: Vec::new(),
        files: Vec::new(),
        packages: Vec::new(),
        warnings: scan.warnings.iter().map(|w| w.to_string()).collect(),
        prove: None,
    }
}

/// The report entry of a scanned test, not run.
pub(crate) fn test_entry(t: &TestCase) -> TestEntry {
    TestEntry {
        package: t.package.clone(),
        target: t.target.clone(),
        name: t.name.clone(),
        file: t.file.clone(),
        line: t.line,
        verdict: t.verdict,
        ignored: t.ignored,
        outcome: None,
        duration_ms: None,
        observes_errors: t.observes_errors,
        findings: t.findings.clone(),
    }
}

/// Counts the verdicts and outcomes of `tests`.
pub(crate) fn test_counts(tests: &[TestEntry]) -> TestCounts {
    let mut c = TestCounts {
        total: tests.len() as u64,
        ..TestCounts::default()
    };
    for t in tests {
        match t.verdict {
            Verdict::Meaningful => c.meaningful += 1,
            Verdict::Smoke => c.smoke += 1,
            Verdict::Tautological => c.tautological += 1,
            Verdict::AssertionFree => c.assertion_free += 1,
        }
        c.ignored += u64::from(t.ignored);
        c.failed += u64::from(t.failed());
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use truecov_model::TestOutcome;

    fn case(name: &str, verdict: Verdict, ignored: bool) -> TestCase {
        TestCase {
            package: "p".into(),
            target: "lib".into(),
            name: name.into(),
            file: "src/lib.rs".into(),
            line: 3,
            verdict,
            ignored,
            should_panic: false,
            observes_errors: false,
            findings: Vec::new(),
            oracles: Vec::new(),
        }
    }

    #[test]
    fn scan_report_counts_verdicts_and_has_no_coverage_figures() {
        let scan = Scan {
            workspace_root: "/w".into(),
            tests: vec![
                case("a", Verdict::Meaningful, false),
                case("b", Verdict::Smoke, true),
                case("c", Verdict::AssertionFree, false),
            ],
            ..Scan::default()
        };
        let r = scan_report(&scan, "0.1.0");
        assert_eq!(
            r.summary.tests,
            TestCounts {
                total: 3,
                meaningful: 1,
                smoke: 1,
                tautological: 0,
                assertion_free: 1,
                ignored: 1,
                failed: 0
            }
        );
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["schema_version"], 1);
        assert!(json["summary"]["raw_line_coverage"].is_null());
        assert_eq!(json["tests"][1]["verdict"], "smoke");
        assert!(json["tests"][0]["outcome"].is_null());
        assert_eq!(json["functions"], serde_json::json!([]));
    }

    #[test]
    fn counts_tests_that_ran_and_did_not_pass_as_failed() {
        let mut tests: Vec<TestEntry> = ["a", "b", "c", "d", "e"]
            .iter()
            .map(|n| test_entry(&case(n, Verdict::Smoke, false)))
            .collect();
        tests[0].outcome = Some(TestOutcome::Passed);
        tests[1].outcome = Some(TestOutcome::TimedOut);
        tests[2].outcome = Some(TestOutcome::Ignored);
        tests[3].outcome = Some(TestOutcome::Crashed);
        let c = test_counts(&tests);
        assert_eq!((c.total, c.smoke, c.failed, c.ignored), (5, 5, 2, 0));
    }
}
