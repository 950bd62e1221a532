//! What the static scan finds: tests with verdicts and findings, library functions with their
//! error-path sites, the library files and the test code inside them, and warnings about files
//! that could not be read.

use crate::span::Pos;
use crate::test::{Finding, Oracle, TestId, Verdict};
use serde::{Deserialize, Serialize};
use std::fmt;

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
    /// The `cfg` of the test, or of a module around it, that does not hold in the build the
    /// scan stands for: the binary is not expected to contain the test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cfg_off: Option<CfgOff>,
}

/// A `cfg` predicate that removes a test from the build (docs/verdicts.md#states-that-are-not-verdicts).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CfgOff {
    /// The predicate as source writes it, such as `not(feature = "unicode-case")` or `miri`.
    pub cfg: String,
    /// It is false in every build `cargo truecov` makes on this host, whatever the features and
    /// profile (`miri`, another `target_arch` or `target_os`), so even a scan without a build
    /// can call the test `not_built`. Feature predicates are never certain: another package of
    /// the build can turn a feature on.
    pub certain: bool,
}

impl TestCase {
    /// Which test it is.
    pub fn id(&self) -> TestId {
        TestId {
            package: self.package.clone(),
            target: self.target.clone(),
            name: self.name.clone(),
        }
    }
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
    /// `debug_assert*!` and `unreachable!`: an invariant no caller should be able to break,
    /// reported but counted in no class or rate (docs/error-paths.md#sites).
    #[serde(alias = "unreachable")]
    Invariant,
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
            SiteKind::Unimplemented => "unimplemented",
            SiteKind::Todo => "todo",
            SiteKind::Assert => "assert",
            SiteKind::Bail => "bail",
            SiteKind::Ensure => "ensure",
            SiteKind::Invariant => "invariant",
        }
    }

    /// Whether sites of this kind count in a function's class and rates (invariants do not).
    pub fn counts(self) -> bool {
        self != SiteKind::Invariant
    }

    /// Whether the site's failing branch has no code region of its own (an assertion): it
    /// ran when the site ran and the code after it did not (docs/error-paths.md#executed).
    pub fn guards(self) -> bool {
        matches!(
            self,
            SiteKind::Assert | SiteKind::Ensure | SiteKind::Invariant
        )
    }
}

impl fmt::Display for SiteKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
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

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
