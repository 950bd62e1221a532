//! The report of a static scan, and the report entries of scanned tests.

use truecov_model::report::SCHEMA_VERSION;
use truecov_model::{Report, Scan, Summary, TestCase, TestCounts, TestEntry, Verdict};

/// The report of a static scan: tests with verdicts, no coverage figures, no functions. A
/// test whose `cfg` is off in every build ([`truecov_model::CfgOff::certain`]: `miri`, another target) is
/// `not_built` even without a build.
pub fn scan_report(scan: &Scan, tool_version: &str) -> Report {
    let tests: Vec<TestEntry> = scan
        .tests
        .iter()
        .map(|t| match &t.cfg_off {
            Some(off) if off.certain => not_built(t),
            _ => test_entry(t),
        })
        .collect();
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
        cfg_off: None,
        failure: None,
    }
}

/// The entry of a scanned test that no binary contains: `not_built`, with the `cfg` that
/// removed it when the scan knows it, and without findings (they are about code that is not
/// built).
pub(crate) fn not_built(t: &TestCase) -> TestEntry {
    TestEntry {
        verdict: Verdict::NotBuilt,
        observes_errors: false,
        findings: Vec::new(),
        cfg_off: t.cfg_off.as_ref().map(|c| c.cfg.clone()),
        ..test_entry(t)
    }
}

/// Counts the verdicts, states and outcomes of `tests`. `not_built` tests are counted apart
/// and nowhere else: `total` is the tests the binaries contain.
pub(crate) fn test_counts(tests: &[TestEntry]) -> TestCounts {
    let mut c = TestCounts::default();
    for t in tests {
        let count = match t.verdict {
            Verdict::NotBuilt => {
                c.not_built += 1;
                continue;
            }
            Verdict::Unknown => &mut c.unknown,
            Verdict::Meaningful => &mut c.meaningful,
            Verdict::Smoke => &mut c.smoke,
            Verdict::Tautological => &mut c.tautological,
            Verdict::AssertionFree => &mut c.assertion_free,
        };
        *count += 1;
        c.total += 1;
        c.ignored += u64::from(t.ignored);
        c.failed += u64::from(t.failed());
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use truecov_model::{CfgOff, Finding, TestOutcome};

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
            cfg_off: None,
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
                failed: 0,
                not_built: 0,
                unknown: 0,
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
    fn a_scan_alone_calls_not_built_only_the_tests_whose_cfg_is_off_in_every_build() {
        let off = |cfg: &str, certain: bool| {
            Some(CfgOff {
                cfg: cfg.into(),
                certain,
            })
        };
        let mut miri = case("miri_only", Verdict::Tautological, false);
        miri.cfg_off = off("miri", true);
        miri.findings = vec![Finding {
            rule: "tautology/constant".into(),
            line: 4,
            message: "..".into(),
        }];
        let mut feature = case("no_unicode", Verdict::Meaningful, false);
        feature.cfg_off = off("not(feature = \"unicode\")", false);
        let scan = Scan {
            tests: vec![case("plain", Verdict::Smoke, false), miri, feature],
            ..Scan::default()
        };
        let r = scan_report(&scan, "0.1.0");
        let states: Vec<(&str, Verdict, Option<&str>, usize)> = r
            .tests
            .iter()
            .map(|t| {
                (
                    t.name.as_str(),
                    t.verdict,
                    t.cfg_off.as_deref(),
                    t.findings.len(),
                )
            })
            .collect();
        assert_eq!(
            states,
            [
                ("plain", Verdict::Smoke, None, 0),
                ("miri_only", Verdict::NotBuilt, Some("miri"), 0),
                ("no_unicode", Verdict::Meaningful, None, 0),
            ]
        );
        let c = &r.summary.tests;
        assert_eq!(
            (c.total, c.smoke, c.meaningful, c.tautological, c.not_built),
            (2, 1, 1, 0, 1)
        );
    }

    #[test]
    fn unknown_tests_are_in_the_total_and_no_verdict_count_not_built_ones_nowhere() {
        let mut tests: Vec<TestEntry> = ["a", "b", "c"]
            .iter()
            .map(|n| test_entry(&case(n, Verdict::Meaningful, true)))
            .collect();
        tests[1].verdict = Verdict::Unknown;
        tests[1].outcome = Some(TestOutcome::Failed);
        tests[2].verdict = Verdict::NotBuilt;
        let c = test_counts(&tests);
        assert_eq!(
            c,
            TestCounts {
                total: 2,
                meaningful: 1,
                ignored: 2,
                failed: 1,
                unknown: 1,
                not_built: 1,
                ..TestCounts::default()
            }
        );
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
