//! Public result types of a scan: tests with verdicts and findings, library functions with
//! their error-path sites, and warnings about files that could not be read.

use serde::{Deserialize, Serialize};

/// How much a test can tell about the code it runs (docs/verdicts.md).
///
/// Ordered from weakest to strongest: when a test has several kinds of checks, the strongest wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// No oracle at all: it runs code and checks nothing.
    AssertionFree,
    /// It has assertions, and every one holds whatever the code under test does.
    Tautological,
    /// Its only checks are "it did not fail" (`unwrap`, `?`, `is_ok()`, ...).
    Smoke,
    /// At least one oracle depends on what the code under test did.
    Meaningful,
}

impl Verdict {
    /// The snake_case name used in reports and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::AssertionFree => "assertion_free",
            Verdict::Tautological => "tautological",
            Verdict::Smoke => "smoke",
            Verdict::Meaningful => "meaningful",
        }
    }

    /// All verdicts, strongest first.
    pub const ALL: [Verdict; 4] = [
        Verdict::Meaningful,
        Verdict::Smoke,
        Verdict::Tautological,
        Verdict::AssertionFree,
    ];
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Verdict {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Verdict::ALL
            .into_iter()
            .find(|v| v.as_str() == s.replace('-', "_"))
            .ok_or_else(|| format!("unknown verdict `{s}`"))
    }
}

/// Rule ids of findings on tests; each has a page under `docs/rules/` ([`rules::doc_page`]).
pub mod rules {
    /// Same expression on both sides of an assertion.
    pub const SAME_OPERANDS: &str = "tautology/same-operands";
    /// Only literals or constants in an assertion.
    pub const CONSTANT: &str = "tautology/constant";
    /// Always true by type, such as an unsigned value `>= 0`.
    pub const ALWAYS_TRUE: &str = "tautology/always-true";
    /// A disjunction that covers every case, such as `r.is_ok() || r.is_err()`.
    pub const EXHAUSTIVE: &str = "tautology/exhaustive";
    /// The expected value comes from the same call with the same arguments as the actual one.
    pub const SELF_FULFILLING: &str = "tautology/self-fulfilling";
    /// The asserted value never went through code under test.
    pub const UNTOUCHED: &str = "tautology/untouched";
    /// The test is `#[ignore]`d.
    pub const IGNORED: &str = "test/ignored";
    /// The test calls `thread::sleep`.
    pub const SLEEP: &str = "test/sleep";
    /// The test has no oracle at all.
    pub const NO_ORACLE: &str = "test/no-oracle";
    /// The test only checks that nothing failed.
    pub const SMOKE_ONLY: &str = "test/smoke-only";
    /// A test binary lists the test but the scan could not read its body.
    pub const NOT_SCANNED: &str = "test/not-scanned";

    /// Every rule id a finding on a test can carry: the single list the docs and SARIF follow.
    pub const ALL: &[&str] = &[
        SAME_OPERANDS,
        CONSTANT,
        ALWAYS_TRUE,
        EXHAUSTIVE,
        SELF_FULFILLING,
        UNTOUCHED,
        IGNORED,
        SLEEP,
        NO_ORACLE,
        SMOKE_ONLY,
        NOT_SCANNED,
    ];

    /// The repository-relative path of a rule's page: `docs/rules/` and the id with `/` as `-`
    /// (`docs/rules/tautology-same-operands.md`).
    pub fn doc_page(id: &str) -> String {
        format!("docs/rules/{}.md", id.replace('/', "-"))
    }
}

/// One finding on a test: a rule id, the line it points at and a message for people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Rule id, one of [`rules`].
    pub rule: String,
    /// 1-based line in the test's file.
    pub line: u32,
    /// What is wrong, in words.
    pub message: String,
}

/// What one check in a test body amounts to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OracleKind {
    /// Depends on what the code under test did.
    Meaningful,
    /// Depends on the code under test failing (`is_err`, `unwrap_err`, `#[should_panic]`, ...).
    ErrorObserving,
    /// Only checks that nothing failed.
    Smoke,
    /// Holds whatever the code under test does.
    Tautological,
}

/// A check found in a test (or in a helper it calls), for `explain`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Oracle {
    /// What kind of check it is.
    pub kind: OracleKind,
    /// 1-based line of the check, in the file named by `file`.
    pub line: u32,
    /// Workspace-relative file of the check (a helper may live in another file).
    pub file: String,
    /// Short description, such as "assert_eq! on parse(..)" or "via helper `check_roundtrip`".
    pub what: String,
}

/// A test as libtest runs it, with its static verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestCase {
    /// Cargo package that owns the test.
    pub package: String,
    /// Cargo target: `lib`, `bin:<name>`, `test:<name>`, `example:<name>`, `bench:<name>`.
    pub target: String,
    /// Exact libtest name, as `<test-binary> --list` prints it.
    pub name: String,
    /// Workspace-relative path of the file that defines the test function.
    pub file: String,
    /// 1-based line of the test function's `fn`.
    pub line: u32,
    /// Static verdict.
    pub verdict: Verdict,
    /// `#[ignore]`d (scanned, not run by default).
    pub ignored: bool,
    /// Has `#[should_panic]` (or an expected panic from its test-case row).
    pub should_panic: bool,
    /// The test observes a failure of the code under test (error-observing oracle or
    /// `#[should_panic]`) and is meaningful: it can check error paths.
    pub observes_errors: bool,
    /// Findings, in line order.
    pub findings: Vec<Finding>,
    /// The checks that decided the verdict, for `explain`.
    pub oracles: Vec<Oracle>,
}

/// Kind of an error-path site in library code (docs/error-paths.md#sites).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteKind {
    /// The `?` operator (its error branch).
    QuestionMark,
    /// `return Err(..)`.
    ReturnErr,
    /// `Err(..)` in tail or match-arm position.
    ErrTail,
    /// `return None` in a function returning `Option`.
    ReturnNone,
    /// `None` in tail position of a function returning `Option`.
    NoneTail,
    /// `panic!`.
    Panic,
    /// `unreachable!`.
    Unreachable,
    /// `unimplemented!`.
    Unimplemented,
    /// `todo!`.
    Todo,
    /// `assert!`, `assert_eq!`, ... in library code.
    Assert,
    /// `bail!`.
    Bail,
    /// `ensure!`.
    Ensure,
}

impl SiteKind {
    /// The snake_case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            SiteKind::QuestionMark => "question_mark",
            SiteKind::ReturnErr => "return_err",
            SiteKind::ErrTail => "err_tail",
            SiteKind::ReturnNone => "return_none",
            SiteKind::NoneTail => "none_tail",
            SiteKind::Panic => "panic",
            SiteKind::Unreachable => "unreachable",
            SiteKind::Unimplemented => "unimplemented",
            SiteKind::Todo => "todo",
            SiteKind::Assert => "assert",
            SiteKind::Bail => "bail",
            SiteKind::Ensure => "ensure",
        }
    }
}

/// A source position: 1-based line and 1-based byte column (as LLVM coverage counts them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Pos {
    /// 1-based line.
    pub line: u32,
    /// 1-based column in bytes.
    pub col: u32,
}

/// One error-path site of a library function.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorSite {
    /// What kind of site.
    pub kind: SiteKind,
    /// Where the site starts (for `?`, the `?` character).
    pub start: Pos,
    /// Where it ends (exclusive column).
    pub end: Pos,
    /// The site's source text, shortened, for reports (`return Err(Expired)`).
    pub text: String,
}

/// A library function (non-test code) and its error-path sites.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibFunction {
    /// Cargo package.
    pub package: String,
    /// Module path inside the crate, type and name: `account::Account::withdraw`.
    pub name: String,
    /// Workspace-relative file.
    pub file: String,
    /// 1-based line of the `fn` keyword.
    pub line: u32,
    /// Start of the function body (its `{`).
    pub body_start: Pos,
    /// 1-based line of the body's closing brace.
    pub end_line: u32,
    /// Error-path sites, in source order.
    pub error_sites: Vec<ErrorSite>,
}

/// A problem with one input file; the scan goes on without it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// Workspace-relative (or absolute, outside the workspace) path.
    pub file: String,
    /// What is wrong, with line and column when known.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

/// A workspace member that was scanned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageInfo {
    /// Package name.
    pub name: String,
    /// Package version.
    pub version: String,
    /// Workspace-relative directory of the package (`""` for the root).
    pub dir: String,
}

/// Lines of test code inside a library file (`#[cfg(test)]` items, `#[test]` functions):
/// they are not library lines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineRange {
    /// Workspace-relative file.
    pub file: String,
    /// First line.
    pub start: u32,
    /// Last line (inclusive).
    pub end: u32,
}

/// Everything a scan found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scan {
    /// Absolute workspace root; every path in the scan is relative to it.
    pub workspace_root: std::path::PathBuf,
    /// Scanned packages.
    pub packages: Vec<PackageInfo>,
    /// Tests, sorted by (package, target, name).
    pub tests: Vec<TestCase>,
    /// Library functions, sorted by (file, line).
    pub functions: Vec<LibFunction>,
    /// Workspace-relative library files (reached from lib and bin targets, not test-only).
    pub library_files: Vec<String>,
    /// Test code inside library files.
    pub test_code: Vec<LineRange>,
    /// Files that could not be read or parsed.
    pub warnings: Vec<Warning>,
}
