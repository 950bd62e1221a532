//! Tests: how one is named, what its oracle is worth (its verdict, docs/verdicts.md), the
//! findings on it, and how its run ended.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A test, as libtest runs it: the package and target of its binary and its exact name. The
/// scan, the coverage run, `prove` and the report all meet on it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TestId {
    /// Cargo package that owns the test binary.
    pub package: String,
    /// Cargo target, as [`crate::Target::label`] names it (`lib`, `test:<name>`, ...).
    pub target: String,
    /// Exact libtest name, as `<test-binary> --list` prints it.
    pub name: String,
}

/// `package target name`, as messages name a test.
impl fmt::Display for TestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.package, self.target, self.name)
    }
}

/// How much a test can tell about the code it runs (docs/verdicts.md), or one of the two states
/// that replace a verdict when none can be given ([`Verdict::is_state`]).
///
/// Ordered from weakest to strongest: when a test has several kinds of checks, the strongest wins.
/// The states come first: they are never the strongest of anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// A state, not a verdict: the scan found the test but no test binary contains it (a `cfg`
    /// of the build removed it). Counted in no total.
    NotBuilt,
    /// A state, not a verdict: a test binary lists the test but the scan could not read its
    /// body. Run, its lines raw coverage only, counted apart ("N tests not scanned").
    Unknown,
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
            Verdict::NotBuilt => "not_built",
            Verdict::Unknown => "unknown",
        }
    }

    /// `not_built` or `unknown`: a state that replaces the verdict, never counted as meaningful,
    /// smoke, tautological or assertion-free (docs/verdicts.md#states-that-are-not-verdicts).
    pub fn is_state(self) -> bool {
        matches!(self, Verdict::NotBuilt | Verdict::Unknown)
    }

    /// `smoke`, `tautological` or `assertion_free`: a test that cannot fail properly, as the
    /// lists of weak tests show them (never a state: nothing is known of those).
    pub fn is_weak(self) -> bool {
        self != Verdict::Meaningful && !self.is_state()
    }

    /// All verdicts, strongest first (the states are not verdicts).
    pub const ALL: [Verdict; 4] = [
        Verdict::Meaningful,
        Verdict::Smoke,
        Verdict::Tautological,
        Verdict::AssertionFree,
    ];
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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

/// How a test run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TestOutcome {
    /// The test passed when run alone.
    Passed,
    /// The test failed when run alone (and also fails in the shared run, or that was not tried).
    Failed,
    /// The test was killed after the per-test timeout.
    TimedOut,
    /// The process died from a signal or abort.
    Crashed,
    /// The process ended without libtest's result line (`std::process::exit` inside the
    /// test): whatever its exit code, the test did not pass.
    ExitedEarly,
    /// The test fails alone but passes when the whole binary runs (global state, order).
    FailsAlone,
    /// The test is `#[ignore]`d and was not run.
    Ignored,
}

impl TestOutcome {
    /// The snake_case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            TestOutcome::Passed => "passed",
            TestOutcome::Failed => "failed",
            TestOutcome::TimedOut => "timed_out",
            TestOutcome::Crashed => "crashed",
            TestOutcome::ExitedEarly => "exited_early",
            TestOutcome::FailsAlone => "fails_alone",
            TestOutcome::Ignored => "ignored",
        }
    }

    /// The test ran and did not pass: it failed, timed out, crashed, exited early or fails
    /// alone (docs/scores.md: what the summary counts as `failed`).
    pub fn is_failure(self) -> bool {
        !matches!(self, TestOutcome::Passed | TestOutcome::Ignored)
    }
}

impl fmt::Display for TestOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_that_count_as_failed() {
        let failed: Vec<&str> = [
            TestOutcome::Passed,
            TestOutcome::Failed,
            TestOutcome::TimedOut,
            TestOutcome::Crashed,
            TestOutcome::ExitedEarly,
            TestOutcome::FailsAlone,
            TestOutcome::Ignored,
        ]
        .into_iter()
        .filter(|o| o.is_failure())
        .map(TestOutcome::as_str)
        .collect();
        assert_eq!(
            failed,
            [
                "failed",
                "timed_out",
                "crashed",
                "exited_early",
                "fails_alone"
            ]
        );
    }

    #[test]
    fn names_serialize_as_reports_spell_them() {
        let json = serde_json::to_string(&(TestOutcome::FailsAlone, Verdict::AssertionFree));
        assert_eq!(json.unwrap(), r#"["fails_alone","assertion_free"]"#);
        assert_eq!(
            "assertion-free".parse::<Verdict>(),
            Ok(Verdict::AssertionFree)
        );
        assert!("strong".parse::<Verdict>().is_err());
        let states = serde_json::to_string(&[Verdict::NotBuilt, Verdict::Unknown]);
        assert_eq!(states.unwrap(), r#"["not_built","unknown"]"#);
        assert_eq!(
            serde_json::from_str::<TestOutcome>(r#""exited_early""#).unwrap(),
            TestOutcome::ExitedEarly
        );
    }

    #[test]
    fn states_are_weaker_than_every_verdict_and_not_among_them() {
        for v in Verdict::ALL {
            assert!(!v.is_state(), "{v}");
            assert!(Verdict::NotBuilt < v && Verdict::Unknown < v, "{v}");
        }
        assert!(Verdict::NotBuilt.is_state() && Verdict::Unknown.is_state());
        let weak: Vec<Verdict> = [Verdict::NotBuilt, Verdict::Unknown]
            .into_iter()
            .chain(Verdict::ALL)
            .filter(|v| v.is_weak())
            .collect();
        assert_eq!(
            weak,
            [
                Verdict::Smoke,
                Verdict::Tautological,
                Verdict::AssertionFree
            ]
        );
        assert!("not_built".parse::<Verdict>().is_err(), "not a verdict");
    }

    #[test]
    fn a_test_is_shown_as_package_target_name() {
        let id = TestId {
            package: "p".into(),
            target: "test:api".into(),
            name: "m::t".into(),
        };
        assert_eq!(id.to_string(), "p test:api m::t");
    }
}
