//! What the mutants showed, put into the report.

use crate::trials::Trial;
use truecov_coverage::mutate::Proof;
use truecov_model::{MutantEntry, Report};

/// Puts each trial's results (in the order its mutants were given) into its function's entry.
/// Each entry is named and placed as cargo-mutants names and places its mutant.
pub(crate) fn attach(report: &mut Report, trials: &[Trial<'_>], proof: &Proof) {
    let mut results = proof.mutants.iter();
    for trial in trials {
        let entries = trial
            .sources
            .iter()
            .zip(results.by_ref())
            .map(|(m, r)| MutantEntry {
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
            })
            .collect();
        report.functions[trial.function].prove = Some(truecov_scoring::prove::entry(
            trial.executed,
            trial.skipped,
            entries,
        ));
    }
}
