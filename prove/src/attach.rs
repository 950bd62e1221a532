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
