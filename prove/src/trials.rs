//! The mutants tried for each chosen function, and the tests run against them.

use crate::regions::Regions;
use crate::select::Chosen;
use std::collections::{BTreeSet, HashMap};
use truecov_analyzer::FunctionMutants;
use truecov_coverage::mutate::Mutant;
use truecov_model::{FunctionEntry, MutantGenre, Report, SkipReason, TestOutcome, Verdict};

/// What is tried for one chosen function.
pub(crate) struct Trial {
    pub(crate) function: usize,
    pub(crate) executed: bool,
    pub(crate) skipped: Option<SkipReason>,
    pub(crate) mutants: Vec<Mutant>,
}

/// The mutants of each chosen function, run by the passing tests that executed the region of
/// its body (meaningful ones first, then the fastest), within `max_mutants` whole functions at
/// most.
pub(crate) fn trials(
    report: &Report,
    chosen: &[Chosen<'_>],
    planned: &HashMap<(&str, u32), &FunctionMutants>,
    regions: &Regions<'_>,
    max_mutants: Option<usize>,
) -> Vec<Trial> {
    let mut budget = max_mutants.unwrap_or(usize::MAX);
    let mut out = Vec::new();
    for c in chosen {
        let f = &report.functions[c.function];
        let Some(plan) = planned.get(&(f.file.as_str(), f.line)) else {
            continue;
        };
        let mut tests = covering_tests(report, f);
        let executed = !tests.is_empty();
        if let Some(ran) = regions.tests_at(&f.file, c.lib.body_start) {
            tests.retain(|t| ran.contains(t));
        }
        let values: &[String] = if executed { &plan.values } else { &[] };
        if values.len() > budget {
            continue;
        }
        budget -= values.len();
        let mutants = values
            .iter()
            .map(|value| Mutant {
                package: plan.package.clone(),
                file: plan.file.clone(),
                start: plan.body_first,
                end: plan.body_end,
                replacement: value.clone(),
                genre: MutantGenre::FnValue,
                guardable: plan.guardable,
                boxed: plan.boxed.clone(),
                tests: tests.clone(),
            })
            .collect();
        out.push(Trial {
            function: c.function,
            executed,
            skipped: plan.skipped,
            mutants,
        });
    }
    out
}

/// The tests that executed `f` and passed, meaningful ones first, then the fastest.
fn covering_tests(report: &Report, f: &FunctionEntry) -> Vec<usize> {
    let mut tests: Vec<usize> = f
        .executed_by
        .iter()
        .copied()
        .filter(|&t| report.tests[t].outcome == Some(TestOutcome::Passed))
        .collect::<BTreeSet<usize>>()
        .into_iter()
        .collect();
    tests.sort_by_key(|&t| {
        let test = &report.tests[t];
        (
            test.verdict != Verdict::Meaningful,
            test.duration_ms.unwrap_or(u64::MAX),
            t,
        )
    });
    tests
}
