//! What the mutants showed, put into the report.

use crate::trials::Trial;
use truecov_coverage::mutate::Proof;
use truecov_model::{MutantEntry, Report};

/// Puts each trial's results (in the order its mutants were given) into its function's entry.
pub(crate) fn attach(report: &mut Report, trials: &[Trial], proof: &Proof) {
    let mut results = proof.mutants.iter();
    for trial in trials {
        let function = &report.functions[trial.function];
        let entries = trial
            .mutants
            .iter()
            .zip(results.by_ref())
            .map(|(m, r)| MutantEntry {
                name: String::new(),
                file: function.file.clone(),
                line: function.line,
                column: 0,
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
