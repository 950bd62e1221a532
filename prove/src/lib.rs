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
mod part;
mod regions;
mod request;
mod select;
mod trials;

pub use error::ProveError;
pub use request::{ChangedLines, Request};

use std::collections::HashMap;
use std::time::Instant;
use truecov_analyzer::{function_facts, source_mutants, FunctionFacts};
use truecov_coverage::mutate::{self, Mutant, MutateOptions, Proof};
use truecov_model::{CoverageRun, LibFunction, ProvePart, Report, Scan, TestEntry, TestId};

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
    let part = try_mutants(report, scan, coverage, request, options, on_event)?;
    let warnings = part.warnings.clone();
    join(report, &[part]);
    Ok(warnings)
}

/// Plans the mutants of the functions `request` selects in `report` and tries them (only those
/// of `request.partition`, with one), without touching the report: what [`join`] puts into it,
/// alone or with the other parts of a partitioned `prove`.
pub fn try_mutants(
    report: &Report,
    scan: &Scan,
    coverage: &CoverageRun,
    request: &Request,
    options: &MutateOptions,
    on_event: &(dyn Fn(Event) + Sync),
) -> Result<ProvePart, ProveError> {
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
    let mut trials = trials::trials(report, &chosen, &planned, &source, &regions, request);
    let plan = part::plan_hash(&trials);
    let whole = trials.iter().map(|t| t.sources.len()).sum();
    let numbers = part::keep(&mut trials, request.partition.as_ref());
    let mutants: Vec<Mutant> = trials.iter().flat_map(|t| t.mutants.clone()).collect();
    on_event(Event::Planned {
        mutants: mutants.iter().filter(|m| !m.tests.is_empty()).count(),
    });
    let start = Instant::now();
    let proof = if mutants.is_empty() {
        Proof::default()
    } else {
        mutate::prove(options, &tests, &mutants, &|e| on_event(Event::Mutate(e)))?
    };
    let warnings: Vec<String> = plan_warnings
        .iter()
        .chain(
            source_warnings
                .iter()
                .filter(|w| !plan_warnings.contains(w)),
        )
        .map(|w| w.to_string())
        .chain(proof.warnings.iter().cloned())
        .collect();
    Ok(ProvePart {
        planned: whole,
        plan,
        functions: attach::tried(&trials, &numbers, &proof),
        builds: proof.builds as u64,
        duration_ms: start.elapsed().as_millis() as u64,
        warnings,
    })
}

/// Puts what `parts` tried into `report`: each function's `prove` entry from its mutants of
/// every part (in the plan's order), the `prove` summary (builds and times added up), proven
/// coverage and the warnings. The parts are those of one `prove` of this report, each mutant
/// in one part (`merge` checks it).
pub fn join(report: &mut Report, parts: &[ProvePart]) {
    attach::join(report, parts);
}
