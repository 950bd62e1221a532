//! What `prove` found, in the report: per mutant caught / missed / unviable / timeout, and per
//! function whether its tests reject extreme mutants of it (`tested`), some
//! (`partially_tested`) or none (`pseudo_tested`: the function runs under tests that never
//! look at what it does). Pure: the mutants are built and run elsewhere.

use crate::report::Report;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Function statuses.
pub mod status {
    /// Every mutant that compiled was caught (or timed out).
    pub const TESTED: &str = "tested";
    /// Some mutants were caught, some missed.
    pub const PARTIALLY_TESTED: &str = "partially_tested";
    /// Tests run it, and no mutant of it was caught.
    pub const PSEUDO_TESTED: &str = "pseudo_tested";
    /// No test runs it: there is nothing to prove.
    pub const NOT_COVERED: &str = "not_covered";
    /// Tests run it, but none of its mutants compiles.
    pub const UNVIABLE: &str = "unviable";
    /// Tests run it, but it has no mutant to try (see `skipped`).
    pub const SKIPPED: &str = "skipped";
}

/// Mutant outcomes, as reports spell them.
pub mod outcome {
    /// A test failed with the mutant.
    pub const CAUGHT: &str = "caught";
    /// Every test passed with the mutant.
    pub const MISSED: &str = "missed";
    /// The mutant does not compile.
    pub const UNVIABLE: &str = "unviable";
    /// A test ran out of time with the mutant.
    pub const TIMEOUT: &str = "timeout";
    /// No test could judge it (none passes without mutants).
    pub const NOT_RUN: &str = "not_run";
}

/// One mutant of a function and what its tests made of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MutantEntry {
    /// The value that replaced the body (a Rust expression).
    pub value: String,
    /// One of [`outcome`].
    pub outcome: String,
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

/// What `prove` found about one function.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProveEntry {
    /// One of [`status`].
    pub status: String,
    /// Why it has no mutants, for `skipped` (`constructor`, `unsafe`, `no_value`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
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
    /// The entry of a function from its mutants. `executed`: some passing test runs it;
    /// `skipped`: why it has no mutants, if so.
    pub fn new(executed: bool, skipped: Option<&str>, mutants: Vec<MutantEntry>) -> ProveEntry {
        let count = |o: &str| mutants.iter().filter(|m| m.outcome == o).count() as u64;
        let (caught, missed) = (count(outcome::CAUGHT), count(outcome::MISSED));
        let (unviable, timeout) = (count(outcome::UNVIABLE), count(outcome::TIMEOUT));
        let detected = caught + timeout;
        let status = if !executed {
            status::NOT_COVERED
        } else if detected + missed == 0 {
            if unviable > 0 {
                status::UNVIABLE
            } else {
                status::SKIPPED
            }
        } else if missed == 0 {
            status::TESTED
        } else if detected == 0 {
            status::PSEUDO_TESTED
        } else {
            status::PARTIALLY_TESTED
        };
        let skipped = match status {
            status::SKIPPED => Some(skipped.unwrap_or("no_passing_test").to_string()),
            _ => None,
        };
        ProveEntry {
            status: status.to_string(),
            skipped,
            caught,
            missed,
            unviable,
            timeout,
            mutants: if executed { mutants } else { Vec::new() },
        }
    }

    /// The values of the mutants every test let through, in the order they were tried.
    pub fn missed_values(&self) -> Vec<&str> {
        self.mutants
            .iter()
            .filter(|m| m.outcome == outcome::MISSED)
            .map(|m| m.value.as_str())
            .collect()
    }

    /// The tests let some mutant through: `pseudo_tested` or `partially_tested`.
    pub fn doubted(&self) -> bool {
        matches!(
            self.status.as_str(),
            status::PSEUDO_TESTED | status::PARTIALLY_TESTED
        )
    }
}

/// Totals of a `prove` run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProveSummary {
    /// Functions per status.
    pub functions: BTreeMap<String, u64>,
    /// Mutants per outcome.
    pub mutants: BTreeMap<String, u64>,
    /// Builds of the scratch copy.
    pub builds: u64,
    /// Wall time of building and running the mutants (the coverage run not included).
    pub duration_ms: u64,
}

impl ProveSummary {
    /// The totals of the `prove` entries of `report`'s functions.
    pub fn of(report: &Report, builds: u64, duration_ms: u64) -> ProveSummary {
        let mut summary = ProveSummary {
            builds,
            duration_ms,
            ..ProveSummary::default()
        };
        for p in report.functions.iter().filter_map(|f| f.prove.as_ref()) {
            *summary.functions.entry(p.status.clone()).or_default() += 1;
            for m in &p.mutants {
                *summary.mutants.entry(m.outcome.clone()).or_default() += 1;
            }
        }
        summary
    }

    /// Functions with a status.
    pub fn count(&self, status: &str) -> u64 {
        self.functions.get(status).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mutant(outcome: &str) -> MutantEntry {
        MutantEntry {
            value: "0".into(),
            outcome: outcome.into(),
            caught_by: None,
            tests_run: Vec::new(),
            duration_ms: 1,
            error: None,
        }
    }

    fn status_of(executed: bool, outcomes: &[&str]) -> String {
        ProveEntry::new(executed, None, outcomes.iter().map(|o| mutant(o)).collect()).status
    }

    #[test]
    fn status_follows_the_viable_mutants() {
        use outcome::*;
        assert_eq!(
            status_of(true, &[CAUGHT, TIMEOUT, UNVIABLE]),
            status::TESTED
        );
        assert_eq!(status_of(true, &[CAUGHT, MISSED]), status::PARTIALLY_TESTED);
        assert_eq!(
            status_of(true, &[TIMEOUT, MISSED]),
            status::PARTIALLY_TESTED
        );
        assert_eq!(status_of(true, &[MISSED, UNVIABLE]), status::PSEUDO_TESTED);
        assert_eq!(status_of(true, &[UNVIABLE, UNVIABLE]), status::UNVIABLE);
        assert_eq!(status_of(false, &[]), status::NOT_COVERED);
    }

    #[test]
    fn counts_and_skip_reasons() {
        let e = ProveEntry::new(
            true,
            None,
            vec![mutant("caught"), mutant("missed"), mutant("missed")],
        );
        assert_eq!((e.caught, e.missed, e.unviable, e.timeout), (1, 2, 0, 0));
        assert!(e.doubted());
        assert_eq!(e.missed_values(), ["0", "0"]);
        assert!(!ProveEntry::new(true, None, vec![mutant("caught")]).doubted());
        assert_eq!(e.skipped, None);
        let none = ProveEntry::new(true, Some("constructor"), Vec::new());
        assert_eq!(none.status, status::SKIPPED);
        assert_eq!(none.skipped.as_deref(), Some("constructor"));
        let unjudged = ProveEntry::new(true, None, vec![mutant("not_run")]);
        assert_eq!(unjudged.skipped.as_deref(), Some("no_passing_test"));
    }
}
