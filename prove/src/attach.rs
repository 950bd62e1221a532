//! What the mutants showed: per function as a part of `prove` keeps it, then put into the
//! report, from one part or from every part of a partitioned `prove`.

use crate::trials::Trial;
use std::collections::BTreeMap;
use truecov_coverage::mutate::Proof;
use truecov_model::{FunctionTrial, MutantEntry, PlannedMutant, ProvePart, Report, SkipReason};

/// Each trial's results (in the order its mutants were given), each mutant with its number in
/// the whole plan (`numbers`, per trial). Each entry is named and placed as cargo-mutants
/// names and places its mutant.
pub(crate) fn tried(
    trials: &[Trial<'_>],
    numbers: &[Vec<usize>],
    proof: &Proof,
) -> Vec<FunctionTrial> {
    let mut results = proof.mutants.iter();
    trials
        .iter()
        .zip(numbers)
        .map(|(trial, numbers)| FunctionTrial {
            function: trial.function,
            executed: trial.executed,
            skipped: trial.skipped,
            mutants: trial
                .sources
                .iter()
                .zip(numbers)
                .zip(results.by_ref())
                .map(|((m, &index), r)| PlannedMutant {
                    index,
                    entry: MutantEntry {
                        name: m.name.clone(),
                        file: m.file.clone(),
                        line: m.line,
                        column: m.column,
                        genre: m.genre,
                        replacement: m.replacement.clone(),
                        outcome: r.outcome,
                        caught_by: r.caught_by,
                        tests_run: r.tests_run.clone(),
                        duration_ms: r.duration.as_millis() as u64,
                        error: r.error.clone(),
                    },
                })
                .collect(),
        })
        .collect()
}

/// A function's trial with the mutants of every part.
struct Joined<'p> {
    executed: bool,
    skipped: Option<SkipReason>,
    mutants: Vec<&'p PlannedMutant>,
}

/// Puts every part's mutants into their functions' entries (in the plan's order), then the
/// summary (builds and times of the parts added up), proven coverage and the parts' warnings
/// (each once).
pub(crate) fn join(report: &mut Report, parts: &[ProvePart]) {
    let mut functions: BTreeMap<usize, Joined<'_>> = BTreeMap::new();
    for f in parts.iter().flat_map(|p| &p.functions) {
        functions
            .entry(f.function)
            .or_insert_with(|| Joined {
                executed: f.executed,
                skipped: f.skipped,
                mutants: Vec::new(),
            })
            .mutants
            .extend(&f.mutants);
    }
    for (function, mut joined) in functions {
        let Some(entry) = report.functions.get_mut(function) else {
            continue;
        };
        joined.mutants.sort_by_key(|m| m.index);
        let mutants = joined
            .mutants
            .into_iter()
            .map(|m| m.entry.clone())
            .collect();
        entry.prove = Some(truecov_scoring::prove::entry(
            joined.executed,
            joined.skipped,
            mutants,
        ));
    }
    let builds = parts.iter().map(|p| p.builds).sum();
    let duration_ms = parts.iter().map(|p| p.duration_ms).sum();
    report.prove = Some(truecov_scoring::prove::summary(report, builds, duration_ms));
    truecov_scoring::proven::apply(report);
    for w in parts.iter().flat_map(|p| &p.warnings) {
        if !report.warnings.contains(w) {
            report.warnings.push(w.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::select::tests::report;
    use truecov_model::{MutantGenre, MutantOutcome};

    fn planned(index: usize, outcome: MutantOutcome) -> PlannedMutant {
        PlannedMutant {
            index,
            entry: MutantEntry {
                name: format!("m{index}"),
                file: "src/a.rs".into(),
                line: 2,
                column: 5,
                genre: MutantGenre::BinaryOperator,
                replacement: "-".into(),
                outcome,
                caught_by: (outcome == MutantOutcome::Caught).then_some(0),
                tests_run: vec![0],
                duration_ms: 1,
                error: None,
            },
        }
    }

    fn part(function: usize, mutants: Vec<PlannedMutant>, builds: u64, warning: &str) -> ProvePart {
        ProvePart {
            planned: 3,
            plan: "0123456789abcdef".into(),
            functions: vec![FunctionTrial {
                function,
                executed: true,
                skipped: None,
                mutants,
            }],
            builds,
            duration_ms: 10 * builds,
            warnings: vec![warning.into()],
        }
    }

    #[test]
    fn join_puts_every_parts_mutants_in_plan_order_and_adds_up_the_parts() {
        let mut r = report(&[("f", "src/a.rs", 1, 3, 3), ("g", "src/a.rs", 9, 3, 3)]);
        let parts = [
            part(0, vec![planned(2, MutantOutcome::Missed)], 1, "w"),
            part(
                0,
                vec![
                    planned(0, MutantOutcome::Caught),
                    planned(1, MutantOutcome::Caught),
                ],
                2,
                "w",
            ),
        ];
        join(&mut r, &parts);
        let prove = r.functions[0].prove.as_ref().expect("f was tried");
        let names: Vec<&str> = prove.mutants.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(
            names,
            ["m0", "m1", "m2"],
            "the plan's order, not the parts'"
        );
        assert_eq!((prove.caught, prove.missed), (2, 1));
        assert!(r.functions[1].prove.is_none(), "g was not tried");
        let summary = r.prove.as_ref().expect("a prove summary");
        assert_eq!((summary.builds, summary.duration_ms), (3, 30));
        assert_eq!(r.warnings, ["w"], "a warning of several parts is kept once");
    }

    #[test]
    fn join_ignores_a_trial_of_a_function_the_report_does_not_have() {
        let mut r = report(&[("f", "src/a.rs", 1, 3, 3)]);
        join(
            &mut r,
            &[part(7, vec![planned(0, MutantOutcome::Caught)], 1, "x")],
        );
        assert!(r.functions[0].prove.is_none());
        assert_eq!(r.prove.as_ref().map(|s| s.builds), Some(1));
    }
}
