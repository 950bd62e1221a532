//! The mutants tried for each chosen function, and the tests run against them.

use crate::regions::Regions;
use crate::request::{ChangedLines, Request};
use crate::select::Chosen;
use std::collections::{BTreeSet, HashMap};
use truecov_analyzer::{FunctionFacts, SourceMutant};
use truecov_coverage::mutate::Mutant;
use truecov_model::{FunctionEntry, MutantGenre, Report, SkipReason, TestOutcome, Verdict};

/// What is tried for one chosen function: its mutants as the engine takes them, each with the
/// cargo-mutants mutant it is (same order).
pub(crate) struct Trial<'m> {
    pub(crate) function: usize,
    pub(crate) executed: bool,
    pub(crate) skipped: Option<SkipReason>,
    pub(crate) mutants: Vec<Mutant>,
    pub(crate) sources: Vec<&'m SourceMutant>,
}

/// The mutants of each chosen function (cargo-mutants' set, every genre, `source`), each run
/// by the passing tests that executed the region it is in (meaningful ones first, then the
/// fastest; none for a function no test runs, whose mutants are all `not_covered`), within
/// the request's `max_mutants` whole functions at most (counting the mutants some test runs).
/// With the request's `changed` lines (a diff), only the mutants whose replaced text touches a
/// changed line, as cargo-mutants' `--in-diff` picks them (a function value replaces the whole
/// body, so any changed line of the body keeps it); a function none of whose mutants does is
/// not tried. `planned` gives each function's body facts (whether its value can be an early
/// return, the box of an `impl Trait` value, why it has no mutant).
pub(crate) fn trials<'m>(
    report: &Report,
    chosen: &[Chosen<'_>],
    planned: &HashMap<(&str, u32), &FunctionFacts>,
    source: &'m [SourceMutant],
    regions: &Regions<'_>,
    request: &Request,
) -> Vec<Trial<'m>> {
    let changed = request.changed.as_ref();
    let mut budget = request.max_mutants.unwrap_or(usize::MAX);
    let by_line: HashMap<(&str, u32), &FunctionEntry> = report
        .functions
        .iter()
        .map(|f| ((f.file.as_str(), f.line), f))
        .collect();
    let mut out = Vec::new();
    for c in chosen {
        let f = &report.functions[c.function];
        let Some(plan) = planned.get(&(f.file.as_str(), f.line)) else {
            continue;
        };
        let mut tests = covering_tests(report, [f]);
        // A `const fn` no test runs may still be evaluated at compile time into the constants
        // of its callers: their tests judge it, wherever its regions are.
        let at_compile_time = tests.is_empty() && !plan.const_callers.is_empty();
        if at_compile_time {
            let callers = plan
                .const_callers
                .iter()
                .filter_map(|&line| by_line.get(&(f.file.as_str(), line)).copied());
            tests = covering_tests(report, callers);
        }
        let executed = !tests.is_empty();
        let sources: Vec<&SourceMutant> = source
            .iter()
            .filter(|m| {
                m.file == c.lib.file
                    && m.function == c.lib.name
                    && (c.lib.line..=c.lib.end_line).contains(&m.line)
            })
            .collect();
        let sources = match changed {
            Some(changed) if !sources.is_empty() => {
                let on_changed: Vec<&SourceMutant> = sources
                    .into_iter()
                    .filter(|m| touches(changed, m))
                    .collect();
                if on_changed.is_empty() {
                    // Its changed lines (a signature, a comment) hold no mutant: nothing to try.
                    continue;
                }
                on_changed
            }
            _ => sources,
        };
        // A function no test runs costs nothing: its mutants are listed, never built.
        let cost = if executed { sources.len() } else { 0 };
        if cost > budget {
            continue;
        }
        budget -= cost;
        let mutants = sources
            .iter()
            .map(|m| {
                let mut ran = tests.clone();
                if let Some(region) = regions
                    .tests_at(&m.file, m.pos)
                    .filter(|_| !at_compile_time)
                {
                    ran.retain(|t| region.contains(t));
                }
                let value = m.genre == MutantGenre::FnValue;
                Mutant {
                    guardable: value && plan.guardable,
                    boxed: plan.boxed.clone().filter(|_| value),
                    tests: ran,
                    ..engine_mutant(m)
                }
            })
            .collect();
        out.push(Trial {
            function: c.function,
            executed,
            skipped: plan.skipped,
            mutants,
            sources,
        });
    }
    out
}

/// The engine's form of a source mutant: same place and replacement, not guardable, not boxed,
/// no tests yet (the trial fills those in).
pub(crate) fn engine_mutant(m: &SourceMutant) -> Mutant {
    Mutant {
        package: m.package.clone(),
        file: m.file.clone(),
        start: m.start,
        end: m.end,
        replacement: m.replacement.clone(),
        genre: m.genre,
        guardable: false,
        boxed: None,
        tests: Vec::new(),
    }
}

/// Whether `m`'s replaced text, from its first line to its last, touches a changed line.
fn touches(changed: &ChangedLines, m: &SourceMutant) -> bool {
    changed
        .get(&m.file)
        .is_some_and(|lines| lines.range(m.line..=m.end_line).next().is_some())
}

/// The tests that executed any of `functions` and passed, meaningful ones first, then the
/// fastest.
fn covering_tests<'r>(
    report: &Report,
    functions: impl IntoIterator<Item = &'r FunctionEntry>,
) -> Vec<usize> {
    let mut tests: Vec<usize> = functions
        .into_iter()
        .flat_map(|f| f.executed_by.iter().copied())
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

#[cfg(test)]
mod tests {
    use super::*;
    use truecov_model::Pos;

    fn mutant(line: u32, end_line: u32) -> SourceMutant {
        SourceMutant {
            package: "p".into(),
            function: "f".into(),
            file: "src/lib.rs".into(),
            line,
            end_line,
            column: 5,
            pos: Pos { line, col: 5 },
            start: 0,
            end: 1,
            replacement: "0".into(),
            genre: MutantGenre::BinaryOperator,
            name: String::new(),
        }
    }

    #[test]
    fn a_mutant_is_kept_when_a_line_of_its_replaced_text_changed() {
        let changed = ChangedLines::from([("src/lib.rs".to_string(), BTreeSet::from([7]))]);
        assert!(touches(&changed, &mutant(7, 7)), "on the changed line");
        assert!(touches(&changed, &mutant(3, 9)), "a body spanning it");
        assert!(!touches(&changed, &mutant(6, 6)), "the line before");
        assert!(!touches(&changed, &mutant(8, 12)), "after it");
        let mut elsewhere = mutant(7, 7);
        elsewhere.file = "src/other.rs".into();
        assert!(!touches(&changed, &elsewhere), "another file");
    }
}
