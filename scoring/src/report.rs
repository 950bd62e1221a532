//! The report model: what every output format renders and what the history stores. Its JSON
//! form is the stable contract of docs/report.md (`schema_version` 1, JSON Schema in
//! docs/report.schema.json): fields may be added, never renamed or dropped without bumping the
//! version.

use crate::prove::{ProveEntry, ProveSummary};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use truecov_analyzer::{Finding, Scan, TestCase, Verdict};

/// Version of the JSON report shape.
pub const SCHEMA_VERSION: u32 = 1;

/// A whole report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Always [`SCHEMA_VERSION`] when written by this version.
    pub schema_version: u32,
    /// Version of cargo-truecov that wrote it.
    pub tool_version: String,
    /// Absolute path of the workspace root.
    pub workspace: String,
    /// Headline figures.
    pub summary: Summary,
    /// Every test, sorted by (package, target, name).
    pub tests: Vec<TestEntry>,
    /// Every library function, sorted by (file, line); empty for a static scan.
    pub functions: Vec<FunctionEntry>,
    /// Every library file, sorted by path; empty for a static scan.
    #[serde(default)]
    pub files: Vec<FileEntry>,
    /// Per-package figures; empty for a static scan.
    #[serde(default)]
    pub packages: Vec<PackageEntry>,
    /// Problems met on the way (unreadable sources, undecodable profiles).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Totals of `prove`, when the report comes from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prove: Option<ProveSummary>,
}

/// Line and error-site figures of a file, a package or the workspace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// Coverable library lines.
    pub lines_coverable: u64,
    /// Lines executed by any test.
    pub lines_raw: u64,
    /// Lines executed by a meaningful test.
    pub lines_meaningful: u64,
    /// Error-path sites.
    pub error_sites: u64,
    /// Sites executed by some test.
    pub error_sites_executed: u64,
    /// Sites executed by a test that checks them.
    pub error_sites_checked: u64,
}

impl Figures {
    /// Raw line coverage, `None` without coverable lines.
    pub fn raw(&self) -> Option<f64> {
        ratio(self.lines_raw, self.lines_coverable)
    }

    /// Meaningful line coverage, `None` without coverable lines.
    pub fn meaningful(&self) -> Option<f64> {
        ratio(self.lines_meaningful, self.lines_coverable)
    }

    /// Meaningful / raw, `None` when nothing ran.
    pub fn truth(&self) -> Option<f64> {
        ratio(self.lines_meaningful, self.lines_raw)
    }

    /// Checked error sites / all error sites, `None` without sites.
    pub fn error_checks(&self) -> Option<f64> {
        ratio(self.error_sites_checked, self.error_sites)
    }

    /// Adds another set of figures.
    pub fn add(&mut self, o: &Figures) {
        self.lines_coverable += o.lines_coverable;
        self.lines_raw += o.lines_raw;
        self.lines_meaningful += o.lines_meaningful;
        self.error_sites += o.error_sites;
        self.error_sites_executed += o.error_sites_executed;
        self.error_sites_checked += o.error_sites_checked;
    }
}

/// `num / den`, or `None` when `den` is 0 (shown as "n/a", never as 0 % or 100 %).
pub fn ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

/// One library file in a report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Cargo package.
    pub package: String,
    /// Workspace-relative path.
    pub file: String,
    /// Figures of the file.
    #[serde(flatten)]
    pub figures: Figures,
    /// Raw line coverage (`null` without coverable lines).
    pub raw_line_coverage: Option<f64>,
    /// Meaningful line coverage.
    pub meaningful_line_coverage: Option<f64>,
    /// Truth ratio.
    pub truth_ratio: Option<f64>,
    /// Coverable lines, sorted.
    pub coverable: Vec<u32>,
    /// Lines executed by any test.
    pub executed: Vec<u32>,
    /// Lines executed by a meaningful test.
    pub meaningful: Vec<u32>,
    /// For each executed line, the tests (indexes into the report's `tests`) that ran it.
    #[serde(default)]
    pub tests_by_line: BTreeMap<u32, Vec<usize>>,
}

/// One package in a report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PackageEntry {
    /// Package name.
    pub name: String,
    /// Package version.
    pub version: String,
    /// Figures of the package's library files.
    #[serde(flatten)]
    pub figures: Figures,
    /// Raw line coverage.
    pub raw_line_coverage: Option<f64>,
    /// Meaningful line coverage.
    pub meaningful_line_coverage: Option<f64>,
    /// Truth ratio.
    pub truth_ratio: Option<f64>,
    /// Error-path check rate.
    pub error_path_check_rate: Option<f64>,
}

/// One error-path site of a function in a report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SiteEntry {
    /// Kind (`question_mark`, `return_err`, ...).
    pub kind: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based byte column.
    pub col: u32,
    /// Source text of the site.
    pub text: String,
    /// Tests (index into the report's `tests`) that executed it.
    pub executed_by: Vec<usize>,
    /// Those of them that check it (meaningful and observing a failure).
    pub checked_by: Vec<usize>,
}

/// Headline figures. Coverage figures are `null` when there is no coverage (a static scan) or
/// nothing to divide by (no coverable lines).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Library lines executed by any test / coverable library lines.
    pub raw_line_coverage: Option<f64>,
    /// Library lines executed by a meaningful test / coverable library lines.
    pub meaningful_line_coverage: Option<f64>,
    /// Meaningful / raw.
    pub truth_ratio: Option<f64>,
    /// Checked error sites / all error sites.
    pub error_path_check_rate: Option<f64>,
    /// Coverable library lines.
    pub lines_coverable: Option<u64>,
    /// Lines executed by any test.
    pub lines_raw: Option<u64>,
    /// Lines executed by a meaningful test.
    pub lines_meaningful: Option<u64>,
    /// Counts of tests per verdict and outcome.
    pub tests: TestCounts,
}

/// Counts of tests.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestCounts {
    /// All tests.
    pub total: u64,
    /// `meaningful` tests.
    pub meaningful: u64,
    /// `smoke` tests.
    pub smoke: u64,
    /// `tautological` tests.
    pub tautological: u64,
    /// `assertion_free` tests.
    pub assertion_free: u64,
    /// `#[ignore]`d tests.
    pub ignored: u64,
    /// Tests that did not pass when run (failed, timed out, crashed, fails alone).
    pub failed: u64,
}

impl TestCounts {
    /// Counts the verdicts of `tests` (outcomes are counted by the caller that ran them).
    pub fn of(tests: &[TestEntry]) -> TestCounts {
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
            c.failed += u64::from(
                t.outcome
                    .as_deref()
                    .is_some_and(|o| o != "passed" && o != "ignored"),
            );
        }
        c
    }

    /// The count for one verdict.
    pub fn get(&self, verdict: Verdict) -> u64 {
        match verdict {
            Verdict::Meaningful => self.meaningful,
            Verdict::Smoke => self.smoke,
            Verdict::Tautological => self.tautological,
            Verdict::AssertionFree => self.assertion_free,
        }
    }
}

/// One test in a report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TestEntry {
    /// Cargo package.
    pub package: String,
    /// Cargo target (`lib`, `test:<name>`, ...).
    pub target: String,
    /// Exact libtest name.
    pub name: String,
    /// Workspace-relative file of the test function.
    pub file: String,
    /// 1-based line of the test function.
    pub line: u32,
    /// Static verdict.
    pub verdict: Verdict,
    /// `#[ignore]`d.
    pub ignored: bool,
    /// How its run ended (`passed`, `failed`, ...); `null` when not run.
    pub outcome: Option<String>,
    /// Wall time of its run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    /// The test observes failures of the code under test (error-observing oracle or
    /// `#[should_panic]`).
    #[serde(default)]
    pub observes_errors: bool,
    /// Findings.
    pub findings: Vec<Finding>,
}

impl TestEntry {
    /// The report entry of a scanned test, not run.
    pub fn from_case(t: &TestCase) -> TestEntry {
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

    /// Whether the lines this test ran count as meaningful: its verdict is `meaningful` and it
    /// passed (docs/scores.md: the coverage of failing tests is not counted as meaningful).
    pub fn counts_as_meaningful(&self) -> bool {
        self.verdict == Verdict::Meaningful && self.outcome.as_deref() == Some("passed")
    }
}

/// One library function in a report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FunctionEntry {
    /// Cargo package.
    pub package: String,
    /// Module path, type and name.
    pub name: String,
    /// Workspace-relative file.
    pub file: String,
    /// 1-based line of `fn`.
    pub line: u32,
    /// 1-based line of the body's closing brace (0 in reports written before it was kept).
    #[serde(default)]
    pub end_line: u32,
    /// Class (docs/error-paths.md#function-classes).
    pub class: String,
    /// Coverable lines of the function.
    pub lines_coverable: u64,
    /// Lines executed by any test.
    pub lines_raw: u64,
    /// Lines executed by a meaningful test.
    pub lines_meaningful: u64,
    /// Error-path sites.
    pub error_sites: u64,
    /// Sites executed by some test.
    pub error_sites_executed: u64,
    /// Sites executed by a test that checks them.
    pub error_sites_checked: u64,
    /// Tests (index into the report's `tests`) that executed the function.
    #[serde(default)]
    pub executed_by: Vec<usize>,
    /// The error-path sites.
    #[serde(default)]
    pub sites: Vec<SiteEntry>,
    /// What `prove` found: how the function's tests treat extreme mutants of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prove: Option<ProveEntry>,
}

impl Report {
    /// The report of a static scan: tests with verdicts, no coverage figures, no functions.
    pub fn from_scan(scan: &Scan, tool_version: &str) -> Report {
        let tests: Vec<TestEntry> = scan.tests.iter().map(TestEntry::from_case).collect();
        Report {
            schema_version: SCHEMA_VERSION,
            tool_version: tool_version.to_string(),
            workspace: scan.workspace_root.display().to_string(),
            summary: Summary {
                tests: TestCounts::of(&tests),
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
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let r = Report::from_scan(&scan, "0.1.0");
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
    fn only_passing_meaningful_tests_count_as_meaningful() {
        let mut t = TestEntry::from_case(&case("a", Verdict::Meaningful, false));
        assert!(!t.counts_as_meaningful(), "not run");
        t.outcome = Some("passed".into());
        assert!(t.counts_as_meaningful());
        t.outcome = Some("failed".into());
        assert!(!t.counts_as_meaningful());
        let mut smoke = TestEntry::from_case(&case("b", Verdict::Smoke, false));
        smoke.outcome = Some("passed".into());
        assert!(!smoke.counts_as_meaningful());
    }
}
