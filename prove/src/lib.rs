//! `prove`, one concept in one place: extreme mutation of the functions tests execute. From a
//! scored report and its scan, [`prove`] selects the functions asked for (the weakest tests
//! first), plans their mutants (the analyzer supplies cargo-mutants' mutant set, every genre,
//! and each function's body facts), builds and runs them in a scratch copy (coverage's `mutate`
//! engine, only the tests that executed each function) and attaches what they showed to the
//! report: a `prove` entry per function (`tested`, `partially_tested`, `pseudo_tested`,
//! `not_covered`, statuses scored by `truecov_scoring::prove`), the run's summary and proven
//! coverage (`truecov_scoring::proven`).

#![warn(missing_docs, unreachable_pub)]

mod attach;
mod error;
mod regions;
mod request;
mod select;
mod trials;

pub use error::ProveError;
pub use request::{ChangedLines, Request};

use std::collections::HashMap;
use std::time::Instant;
use truecov_analyzer::{function_facts, source_mutants, FunctionFacts};
use truecov_coverage::mutate::{self, Mutant, MutateOptions};
use truecov_model::{CoverageRun, LibFunction, Report, Scan, TestEntry, TestId};

/// Progress of [`prove`].
#[derive(Clone, Copy, Debug)]
pub enum Event {
    /// The mutants are planned: this many will be tried (none: nothing is built).
    Planned {
        /// Mutants to try.
        mutants: usize,
    },
    /// Progress of the build and the runs.
    Mutate(mutate::Event),
}

/// Proves the functions `request` selects in `report` (scored from `scan` and `coverage`, whose
/// per-test regions say which tests run each mutant): their entries get a `prove` object and
/// the report its `prove` summary. Returns the warnings, also added to the report's.
pub fn prove(
    report: &mut Report,
    scan: &Scan,
    coverage: &CoverageRun,
    request: &Request,
    options: &MutateOptions,
    on_event: &(dyn Fn(Event) + Sync),
) -> Result<Vec<String>, ProveError> {
    let chosen = select::select(report, scan, request)?;
    let lib_fns: Vec<&LibFunction> = chosen.iter().map(|c| c.lib).collect();
    let (plans, plan_warnings) = function_facts(&scan.workspace_root, &lib_fns);
    let planned: HashMap<(&str, u32), &FunctionFacts> = plans
        .iter()
        .map(|p| ((p.file.as_str(), p.line), p))
        .collect();
    let (source, source_warnings) = source_mutants(&scan.workspace_root, &lib_fns);
    let tests: Vec<TestId> = report.tests.iter().map(TestEntry::id).collect();
    let regions = regions::Regions::new(coverage, &tests);
    let trials = trials::trials(report, &chosen, &planned, &source, &regions, request);
    let mutants: Vec<Mutant> = trials.iter().flat_map(|t| t.mutants.clone()).collect();
    on_event(Event::Planned {
        mutants: mutants.iter().filter(|m| !m.tests.is_empty()).count(),
    });
    let start = Instant::now();
    let proof = mutate::prove(options, &tests, &mutants, &|e| on_event(Event::Mutate(e)))?;
    attach::attach(report, &trials, &proof);
    let elapsed = start.elapsed().as_millis() as u64;
    report.prove = Some(truecov_scoring::prove::summary(
        report,
        proof.builds as u64,
        elapsed,
    ));
    truecov_scoring::proven::apply(report);
    let warnings: Vec<String> = plan_warnings
        .iter()
        .chain(
            source_warnings
                .iter()
                .filter(|w| !plan_warnings.contains(w)),
        )
        .map(|w| w.to_string())
        .chain(proof.warnings)
        .collect();
    report.warnings.extend(warnings.iter().cloned());
    Ok(warnings)
}
