//! The report model: what every output format renders and what the history stores. Its JSON
//! form is the stable contract of docs/report.md (`schema_version` 1, JSON Schema in
//! docs/report.schema.json): fields may be added, never renamed or dropped without bumping the
//! version.

use crate::prove::{ProveEntry, ProveSummary};
use crate::scan::SiteKind;
use crate::test::{Finding, TestId, TestOutcome, Verdict};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

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
    /// Lines proven by `prove` (docs/scores.md#proven-coverage); `None` when `prove` did not run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines_proven: Option<u64>,
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

    /// Proven line coverage, `None` when `prove` did not run or without coverable lines.
    pub fn proven(&self) -> Option<f64> {
        ratio(self.lines_proven?, self.lines_coverable)
    }

    /// Adds another set of figures.
    pub fn add(&mut self, o: &Figures) {
        self.lines_coverable += o.lines_coverable;
        self.lines_raw += o.lines_raw;
        self.lines_meaningful += o.lines_meaningful;
        self.error_sites += o.error_sites;
        self.error_sites_executed += o.error_sites_executed;
        self.error_sites_checked += o.error_sites_checked;
        if let Some(proven) = o.lines_proven {
            *self.lines_proven.get_or_insert(0) += proven;
        }
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
    /// Proven line coverage, when `prove` ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proven_line_coverage: Option<f64>,
    /// Coverable lines, sorted.
    pub coverable: Vec<u32>,
    /// Lines executed by any test.
    pub executed: Vec<u32>,
    /// Lines executed by a meaningful test.
    pub meaningful: Vec<u32>,
    /// Lines proven (docs/scores.md#proven-coverage), sorted; `None` when `prove` did not run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proven: Option<Vec<u32>>,
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
    /// Proven line coverage, when `prove` ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proven_line_coverage: Option<f64>,
}

/// One error-path site of a function in a report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SiteEntry {
    /// Kind (`question_mark`, `return_err`, ...).
    pub kind: SiteKind,
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
    /// Proven lines / coverable library lines (docs/scores.md#proven-coverage); `null` or absent
    /// when `prove` did not run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proven_line_coverage: Option<f64>,
    /// Proven lines, when `prove` ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines_proven: Option<u64>,
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
    /// Tests that did not pass when run (failed, timed out, crashed, exited early, fails
    /// alone).
    pub failed: u64,
    /// Tests in the `not_built` state: found by the scan, in no binary; not in `total`.
    #[serde(default)]
    pub not_built: u64,
    /// Tests in the `unknown` state: listed by a binary, not scanned ("N tests not scanned");
    /// in `total`, in no verdict count.
    #[serde(default)]
    pub unknown: u64,
}

impl TestCounts {
    /// The count for one verdict or state.
    pub fn get(&self, verdict: Verdict) -> u64 {
        match verdict {
            Verdict::Meaningful => self.meaningful,
            Verdict::Smoke => self.smoke,
            Verdict::Tautological => self.tautological,
            Verdict::AssertionFree => self.assertion_free,
            Verdict::NotBuilt => self.not_built,
            Verdict::Unknown => self.unknown,
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
    /// How its run ended; `null` when not run.
    pub outcome: Option<TestOutcome>,
    /// Wall time of its run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    /// The test observes failures of the code under test (error-observing oracle or
    /// `#[should_panic]`).
    #[serde(default)]
    pub observes_errors: bool,
    /// Findings.
    pub findings: Vec<Finding>,
    /// For a `not_built` test: the `cfg` that removed it from the build, when the scan can
    /// tell (`not(feature = "unicode-case")`, `miri`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cfg_off: Option<String>,
    /// For a test that ran and did not pass: what it printed (its panic message), as the
    /// runner captured it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
}

impl TestEntry {
    /// Whether the lines this test ran count as meaningful: its verdict is `meaningful` and it
    /// passed (docs/scores.md: the coverage of failing tests is not counted as meaningful).
    pub fn counts_as_meaningful(&self) -> bool {
        self.verdict == Verdict::Meaningful && self.outcome == Some(TestOutcome::Passed)
    }

    /// It ran and did not pass ([`TestOutcome::is_failure`]).
    pub fn failed(&self) -> bool {
        self.outcome.is_some_and(TestOutcome::is_failure)
    }

    /// Which test it is.
    pub fn id(&self) -> TestId {
        TestId {
            package: self.package.clone(),
            target: self.target.clone(),
            name: self.name.clone(),
        }
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
    pub class: FunctionClass,
    /// Coverable lines of the function.
    pub lines_coverable: u64,
    /// Lines executed by any test.
    pub lines_raw: u64,
    /// Lines executed by a meaningful test.
    pub lines_meaningful: u64,
    /// Lines proven, when `prove` ran (0 for a function it did not try).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines_proven: Option<u64>,
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

/// What the tests of a library function make of its error paths
/// (docs/error-paths.md#function-classes).
///
/// Partially ordered by how well its error paths are tested: `uncovered` <
/// `error_paths_untested` < `error_paths_unchecked` < both `error_paths_checked` and
/// `no_error_paths`, which are as good as each other and not comparable: a function that moves
/// down this order got worse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FunctionClass {
    /// No test executes it.
    Uncovered,
    /// It has no error-path site.
    NoErrorPaths,
    /// Tests execute it, but none of its error sites.
    #[serde(rename = "error_paths_untested")]
    Untested,
    /// Some error site is executed, but by no test that checks it.
    #[serde(rename = "error_paths_unchecked")]
    Unchecked,
    /// At least one error site is executed by a test that checks it.
    #[serde(rename = "error_paths_checked")]
    Checked,
}

impl FunctionClass {
    /// Every class, from worst to best.
    pub const ALL: [FunctionClass; 5] = [
        FunctionClass::Uncovered,
        FunctionClass::Untested,
        FunctionClass::Unchecked,
        FunctionClass::Checked,
        FunctionClass::NoErrorPaths,
    ];

    /// The snake_case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            FunctionClass::Uncovered => "uncovered",
            FunctionClass::NoErrorPaths => "no_error_paths",
            FunctionClass::Untested => "error_paths_untested",
            FunctionClass::Unchecked => "error_paths_unchecked",
            FunctionClass::Checked => "error_paths_checked",
        }
    }

    /// Tests run it, and some of its error paths run unchecked or never (`error_paths_untested`,
    /// `error_paths_unchecked`).
    pub fn has_weak_error_paths(self) -> bool {
        matches!(self, FunctionClass::Untested | FunctionClass::Unchecked)
    }

    /// Nothing better can be said of its error paths: one is checked, or it has none.
    pub fn is_best(self) -> bool {
        self.rank() == 3
    }

    fn rank(self) -> u8 {
        match self {
            FunctionClass::Uncovered => 0,
            FunctionClass::Untested => 1,
            FunctionClass::Unchecked => 2,
            FunctionClass::Checked | FunctionClass::NoErrorPaths => 3,
        }
    }
}

impl PartialOrd for FunctionClass {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        match self.rank().cmp(&other.rank()) {
            Ordering::Equal if self != other => None,
            order => Some(order),
        }
    }
}

impl fmt::Display for FunctionClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `Account::withdraw` from `account::Account::withdraw`, `tax_for` from `tax::tax_for`: the
/// name with its type, without its module path.
pub fn short_name(name: &str) -> &str {
    let parts: Vec<&str> = name.rsplitn(3, "::").collect();
    match parts.as_slice() {
        [f, ty, _] | [f, ty] if ty.starts_with(|c: char| c.is_ascii_uppercase()) => {
            &name[name.len() - f.len() - ty.len() - 2..]
        }
        [f, ..] => f,
        [] => name,
    }
}

/// Whether `query` names `full`: the whole name or a `::`-separated suffix of it.
pub fn name_matches(full: &str, query: &str) -> bool {
    full == query || full.ends_with(&format!("::{query}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(verdict: Verdict, outcome: Option<TestOutcome>) -> TestEntry {
        TestEntry {
            package: "p".into(),
            target: "lib".into(),
            name: "t".into(),
            file: "src/lib.rs".into(),
            line: 3,
            verdict,
            ignored: false,
            outcome,
            duration_ms: None,
            observes_errors: false,
            findings: Vec::new(),
            cfg_off: None,
            failure: None,
        }
    }

    #[test]
    fn only_passing_meaningful_tests_count_as_meaningful() {
        let meaningful = |v, o| entry(v, o).counts_as_meaningful();
        assert!(!meaningful(Verdict::Meaningful, None), "not run");
        assert!(meaningful(Verdict::Meaningful, Some(TestOutcome::Passed)));
        assert!(!meaningful(Verdict::Meaningful, Some(TestOutcome::Failed)));
        assert!(!meaningful(Verdict::Meaningful, Some(TestOutcome::Ignored)));
        assert!(!meaningful(Verdict::Smoke, Some(TestOutcome::Passed)));
    }

    #[test]
    fn failed_means_ran_and_did_not_pass() {
        let failed = |o| entry(Verdict::Smoke, o).failed();
        assert!(!failed(None));
        assert!(!failed(Some(TestOutcome::Passed)));
        assert!(!failed(Some(TestOutcome::Ignored)));
        assert!(failed(Some(TestOutcome::TimedOut)));
        assert!(failed(Some(TestOutcome::FailsAlone)));
    }

    #[test]
    fn classes_order_by_how_well_error_paths_are_tested() {
        use FunctionClass::*;
        assert!(Uncovered < Untested && Untested < Unchecked && Unchecked < Checked);
        assert!(Unchecked < NoErrorPaths);
        assert_eq!(NoErrorPaths.partial_cmp(&Checked), None);
        assert_eq!(Checked.partial_cmp(&NoErrorPaths), None);
        assert_eq!(Checked.partial_cmp(&Checked), Some(Ordering::Equal));
        let best: Vec<_> = FunctionClass::ALL
            .into_iter()
            .filter(|c| c.is_best())
            .collect();
        assert_eq!(best, [Checked, NoErrorPaths]);
        let weak: Vec<_> = FunctionClass::ALL
            .into_iter()
            .filter(|c| c.has_weak_error_paths())
            .collect();
        assert_eq!(weak, [Untested, Unchecked]);
    }

    #[test]
    fn classes_serialize_as_the_guide_names_them() {
        for class in FunctionClass::ALL {
            let json = serde_json::to_value(class).unwrap();
            assert_eq!(json, class.as_str());
            assert_eq!(
                serde_json::from_value::<FunctionClass>(json).unwrap(),
                class
            );
        }
        assert_eq!(FunctionClass::Untested.to_string(), "error_paths_untested");
    }

    #[test]
    fn short_names_keep_the_type() {
        assert_eq!(
            short_name("account::Account::withdraw"),
            "Account::withdraw"
        );
        assert_eq!(short_name("tax::tax_for"), "tax_for");
        assert_eq!(short_name("parse"), "parse");
        assert_eq!(short_name("a::b::Type::f"), "Type::f");
    }

    #[test]
    fn a_name_is_matched_whole_or_by_a_path_suffix() {
        assert!(name_matches("m::Account::withdraw", "Account::withdraw"));
        assert!(name_matches("m::Account::withdraw", "m::Account::withdraw"));
        assert!(!name_matches("m::Account::withdraw", "draw"));
        assert!(!name_matches("m::Account::withdraw", "count::withdraw"));
    }
}
