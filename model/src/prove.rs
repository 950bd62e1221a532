//! What `prove` found, in the report: per mutant caught / missed / unviable / timeout, and per
//! function whether its tests reject extreme mutants of it (`tested`), some
//! (`partially_tested`) or none (`pseudo_tested`: the function runs under tests that never
//! look at what it does), docs/prove.md.

use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

/// What `prove` found about one function.
///
/// Ordered by name, as the report's totals list them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProveStatus {
    /// Every mutant that compiled was caught (or timed out).
    Tested,
    /// Some mutants were caught, some missed.
    PartiallyTested,
    /// Tests run it, and no mutant of it was caught.
    PseudoTested,
    /// No test runs it: there is nothing to prove.
    NotCovered,
    /// Tests run it, but none of its mutants compiles.
    Unviable,
    /// Tests run it, but it has no mutant to try (see [`ProveEntry::skipped`]).
    Skipped,
}

impl ProveStatus {
    /// The snake_case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ProveStatus::Tested => "tested",
            ProveStatus::PartiallyTested => "partially_tested",
            ProveStatus::PseudoTested => "pseudo_tested",
            ProveStatus::NotCovered => "not_covered",
            ProveStatus::Unviable => "unviable",
            ProveStatus::Skipped => "skipped",
        }
    }

    /// The tests let some mutant through: `pseudo_tested` or `partially_tested`.
    pub fn is_doubted(self) -> bool {
        matches!(
            self,
            ProveStatus::PseudoTested | ProveStatus::PartiallyTested
        )
    }
}

impl Ord for ProveStatus {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for ProveStatus {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for ProveStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What happened to a mutant.
///
/// Ordered by name, as the report's totals list them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MutantOutcome {
    /// A test failed (or crashed) with the mutant on.
    Caught,
    /// Every test passed with the mutant on.
    Missed,
    /// The mutant does not compile.
    Unviable,
    /// A test ran out of time with the mutant on (it would not have passed).
    Timeout,
    /// No test of the mutant passes without mutants, so none could judge it.
    NotRun,
    /// No test executes the mutated code (cargo-mutants calls it missed; it is kept apart).
    NotCovered,
}

impl MutantOutcome {
    /// The snake_case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            MutantOutcome::Caught => "caught",
            MutantOutcome::Missed => "missed",
            MutantOutcome::Unviable => "unviable",
            MutantOutcome::Timeout => "timeout",
            MutantOutcome::NotRun => "not_run",
            MutantOutcome::NotCovered => "not_covered",
        }
    }

    /// A test noticed the mutant: it failed (`caught`) or ran out of time (`timeout`).
    pub fn is_detected(self) -> bool {
        matches!(self, MutantOutcome::Caught | MutantOutcome::Timeout)
    }
}

impl Ord for MutantOutcome {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for MutantOutcome {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for MutantOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of change a mutant makes, named as cargo-mutants names its genres.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum MutantGenre {
    /// The function's body replaced by a value of its return type.
    #[default]
    FnValue,
    /// A binary operator replaced by another (`<` by `<=`, `&&` by `||`, `+` by `-`).
    BinaryOperator,
    /// A unary operator removed (`!x` by `x`, `-x` by `x`).
    UnaryOperator,
    /// A match arm deleted (the wildcard arm then takes its values).
    MatchArm,
    /// A match arm's guard replaced by `true` or `false`.
    MatchArmGuard,
    /// A field of a struct literal deleted (the `..base` then provides it).
    StructField,
}

impl MutantGenre {
    /// The name cargo-mutants gives the genre in its JSON (`FnValue`, `BinaryOperator`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            MutantGenre::FnValue => "FnValue",
            MutantGenre::BinaryOperator => "BinaryOperator",
            MutantGenre::UnaryOperator => "UnaryOperator",
            MutantGenre::MatchArm => "MatchArm",
            MutantGenre::MatchArmGuard => "MatchArmGuard",
            MutantGenre::StructField => "StructField",
        }
    }
}

impl fmt::Display for MutantGenre {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One mutant of a function and what its tests made of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MutantEntry {
    /// cargo-mutants' text for the mutant (`src/lib.rs:424:9: replace Version::parse -> Result<Self,
    /// Error> with Ok(Default::default())`), so reports join with its `outcomes.json`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Workspace-relative file the mutant changes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub file: String,
    /// 1-based line where the change starts (0 when unknown, in reports older than the field).
    #[serde(default)]
    pub line: u32,
    /// 1-based column where the change starts, as cargo-mutants counts it.
    #[serde(default)]
    pub column: u32,
    /// The kind of change.
    #[serde(default)]
    pub genre: MutantGenre,
    /// The replacement: a Rust expression for a body or an operator (`Ok(Default::default())`,
    /// `<=`), empty for a deletion.
    #[serde(alias = "value")]
    pub replacement: String,
    /// What happened to it.
    pub outcome: MutantOutcome,
    /// The test (index into the report's `tests`) that caught it or timed out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caught_by: Option<usize>,
    /// The tests (indexes into the report's `tests`) that ran with the mutant, in order.
    #[serde(default)]
    pub tests_run: Vec<usize>,
    /// Wall time of its tests.
    pub duration_ms: u64,
    /// The compiler's complaint, for an unviable mutant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl MutantEntry {
    /// Every test that ran it passed with it on: it survived (`missed`).
    pub fn survived(&self) -> bool {
        self.outcome == MutantOutcome::Missed
    }
}

/// Why a function gets no mutants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// An `unsafe fn` (its callers' safety may rest on what it returns).
    Unsafe,
    /// A constructor named `new`: there is seldom another value to build.
    Constructor,
    /// A method of `impl Default`: `Default::default()` would call itself.
    DefaultImpl,
    /// Marked `#[mutants::skip]`.
    #[serde(rename = "skip_attribute")]
    Attribute,
    /// The body is empty: nothing to take away.
    EmptyBody,
    /// It returns `!` or an `impl Trait` no value can be written for.
    NoValue,
    /// The function is not where the scan saw it (the file changed since).
    NotFound,
    /// It has mutants, but no passing test runs it to try them against.
    NoPassingTest,
}

impl SkipReason {
    /// The snake_case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Unsafe => "unsafe",
            SkipReason::Constructor => "constructor",
            SkipReason::DefaultImpl => "default_impl",
            SkipReason::Attribute => "skip_attribute",
            SkipReason::EmptyBody => "empty_body",
            SkipReason::NoValue => "no_value",
            SkipReason::NotFound => "not_found",
            SkipReason::NoPassingTest => "no_passing_test",
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What `prove` found about one function.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProveEntry {
    /// What its mutants show.
    pub status: ProveStatus,
    /// Why it has no mutants, for `skipped` (`constructor`, `unsafe`, `no_value`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<SkipReason>,
    /// Mutants caught.
    pub caught: u64,
    /// Mutants missed.
    pub missed: u64,
    /// Mutants that do not compile.
    pub unviable: u64,
    /// Mutants whose test timed out.
    pub timeout: u64,
    /// The mutants.
    pub mutants: Vec<MutantEntry>,
}

impl ProveEntry {
    /// The values of the mutants every test let through, in the order they were tried.
    pub fn missed_values(&self) -> Vec<&str> {
        self.survivors().map(|m| m.replacement.as_str()).collect()
    }

    /// The mutants every test let through ([`MutantEntry::survived`]), in the order they were
    /// tried.
    pub fn survivors(&self) -> impl Iterator<Item = &MutantEntry> {
        self.mutants.iter().filter(|m| m.survived())
    }

    /// The tests let some mutant through ([`ProveStatus::is_doubted`]).
    pub fn doubted(&self) -> bool {
        self.status.is_doubted()
    }
}

/// Totals of a `prove` run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProveSummary {
    /// Functions per status.
    pub functions: BTreeMap<ProveStatus, u64>,
    /// Mutants per outcome.
    pub mutants: BTreeMap<MutantOutcome, u64>,
    /// Builds of the scratch copy.
    pub builds: u64,
    /// Wall time of building and running the mutants (the coverage run not included).
    pub duration_ms: u64,
}

impl ProveSummary {
    /// Functions with a status.
    pub fn count(&self, status: ProveStatus) -> u64 {
        self.functions.get(&status).copied().unwrap_or(0)
    }

    /// Mutants with an outcome.
    pub fn mutants_with(&self, outcome: MutantOutcome) -> u64 {
        self.mutants.get(&outcome).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_keep_the_order_of_names() {
        let summary = ProveSummary {
            functions: [
                (ProveStatus::Tested, 2),
                (ProveStatus::NotCovered, 1),
                (ProveStatus::PseudoTested, 3),
            ]
            .into(),
            mutants: [(MutantOutcome::Unviable, 1), (MutantOutcome::Caught, 4)].into(),
            builds: 1,
            duration_ms: 5,
        };
        let json = serde_json::to_string(&summary).unwrap();
        assert_eq!(
            json,
            r#"{"functions":{"not_covered":1,"pseudo_tested":3,"tested":2},"mutants":{"caught":4,"unviable":1},"builds":1,"duration_ms":5}"#
        );
        let back: ProveSummary = serde_json::from_str(&json).unwrap();
        assert_eq!(back, summary);
        assert_eq!(back.count(ProveStatus::PseudoTested), 3);
        assert_eq!(back.count(ProveStatus::Skipped), 0);
        assert_eq!(back.mutants_with(MutantOutcome::Caught), 4);
    }

    #[test]
    fn doubted_statuses_and_detected_outcomes() {
        assert!(
            ProveStatus::PseudoTested.is_doubted() && ProveStatus::PartiallyTested.is_doubted()
        );
        assert!(!ProveStatus::Tested.is_doubted() && !ProveStatus::Skipped.is_doubted());
        assert!(MutantOutcome::Caught.is_detected() && MutantOutcome::Timeout.is_detected());
        assert!(!MutantOutcome::Missed.is_detected() && !MutantOutcome::NotRun.is_detected());
        assert!(!MutantOutcome::NotCovered.is_detected());
        assert_eq!(MutantOutcome::NotCovered.to_string(), "not_covered");
    }

    #[test]
    fn skip_reasons_serialize_under_their_report_names() {
        use SkipReason::*;
        let all = [
            Unsafe,
            Constructor,
            DefaultImpl,
            Attribute,
            EmptyBody,
            NoValue,
            NotFound,
            NoPassingTest,
        ];
        for r in all {
            let json = serde_json::to_value(r).unwrap();
            assert_eq!(json, r.as_str());
            assert_eq!(serde_json::from_value::<SkipReason>(json).unwrap(), r);
        }
        assert_eq!(Attribute.to_string(), "skip_attribute");
    }
}
