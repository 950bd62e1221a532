//! A part of the planned mutants (`prove --partition K/N`): which mutants it keeps, and the hash
//! of the whole plan that tells the parts of one `prove` (docs/shards.md).

use crate::trials::Trial;
use truecov_coverage::run::partition::{keeps_items, xxh64};
use truecov_model::Partition;

/// Keeps in each trial only the mutants `partition` keeps (all of them without one), the
/// whole plan numbered in its order, and returns each kept mutant's number, per trial.
pub(crate) fn keep(trials: &mut [Trial<'_>], partition: Option<&Partition>) -> Vec<Vec<usize>> {
    let kept: Vec<bool> = match partition {
        Some(p) => {
            let items = trials.iter().flat_map(|t| {
                t.sources
                    .iter()
                    .map(|m| (m.package.as_str(), m.name.as_str()))
            });
            keeps_items(items, p)
        }
        None => vec![true; trials.iter().map(|t| t.sources.len()).sum()],
    };
    let mut kept = kept.into_iter().enumerate();
    trials
        .iter_mut()
        .map(|t| {
            let mut numbers = Vec::new();
            let pairs = std::mem::take(&mut t.mutants)
                .into_iter()
                .zip(std::mem::take(&mut t.sources));
            for ((mutant, source), (number, keep)) in pairs.zip(kept.by_ref()) {
                if keep {
                    t.mutants.push(mutant);
                    t.sources.push(source);
                    numbers.push(number);
                }
            }
            numbers
        })
        .collect()
}

/// The hash of the whole plan: each mutant's function (index in the report) and name, in
/// order; the same in every part of one `prove`.
pub(crate) fn plan_hash(trials: &[Trial<'_>]) -> String {
    let mut text = String::new();
    for t in trials {
        for m in &t.sources {
            text.push_str(&format!("{}\t{}\n", t.function, m.name));
        }
    }
    format!("{:016x}", xxh64(text.as_bytes(), 0))
}
