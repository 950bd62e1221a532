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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use truecov_analyzer::SourceMutant;
    use truecov_model::{MutantGenre, PartitionKind, Pos};

    /// A planned mutant whose name and byte offset both say `number`, to check pairs stay aligned.
    fn source(number: usize) -> SourceMutant {
        SourceMutant {
            package: "p".into(),
            function: "f".into(),
            file: "src/lib.rs".into(),
            line: 1,
            end_line: 1,
            column: 1,
            pos: Pos { line: 1, col: 1 },
            start: number,
            end: number + 1,
            replacement: "0".into(),
            genre: MutantGenre::BinaryOperator,
            name: format!("m{number}"),
        }
    }

    /// One trial per size, function `i` for the `i`th, its mutants numbered across all trials.
    fn plan(sizes: &[usize]) -> Vec<SourceMutant> {
        (0..sizes.iter().sum()).map(source).collect()
    }

    fn trials<'m>(sizes: &[usize], sources: &'m [SourceMutant]) -> Vec<Trial<'m>> {
        let mut rest = sources;
        sizes
            .iter()
            .enumerate()
            .map(|(function, &n)| {
                let (mine, after) = rest.split_at(n);
                rest = after;
                Trial {
                    function,
                    executed: true,
                    skipped: None,
                    mutants: mine.iter().map(crate::trials::engine_mutant).collect(),
                    sources: mine.iter().collect(),
                }
            })
            .collect()
    }

    #[test]
    fn without_a_partition_every_mutant_is_kept_and_numbered_across_trials() {
        let sources = plan(&[2, 0, 3]);
        let mut t = trials(&[2, 0, 3], &sources);
        assert_eq!(keep(&mut t, None), vec![vec![0, 1], vec![], vec![2, 3, 4]]);
        assert_eq!(t[2].mutants.len(), 3);
        assert_eq!(t[2].sources[0].name, "m2");
    }

    #[test]
    fn a_slice_keeps_every_nth_mutant_of_the_whole_plan_with_its_source() {
        let sources = plan(&[3, 2]);
        let mut t = trials(&[3, 2], &sources);
        let second = Partition {
            kind: PartitionKind::Slice,
            shard: 2,
            total: 2,
        };
        assert_eq!(keep(&mut t, Some(&second)), vec![vec![1], vec![3]]);
        assert_eq!(t[0].sources[0].name, "m1");
        assert_eq!(
            t[1].mutants[0].start, 3,
            "the engine's mutant follows its source"
        );
    }

    #[test]
    fn the_plan_hash_names_each_mutant_with_its_function_in_order() {
        let sources = plan(&[1, 1]);
        let hash = plan_hash(&trials(&[1, 1], &sources));
        assert_eq!(hash.len(), 16);
        assert!(hash.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(hash, plan_hash(&trials(&[1, 1], &sources)), "stable");
        assert_ne!(hash, plan_hash(&trials(&[2], &sources)), "function moved");
        let swapped = [source(1), source(0)];
        assert_ne!(hash, plan_hash(&trials(&[1, 1], &swapped)), "order changed");
        let expected = format!("{:016x}", xxh64(b"0\tm0\n1\tm1\n", 0));
        assert_eq!(hash, expected);
    }

    fn kind() -> impl Strategy<Value = PartitionKind> {
        prop_oneof![
            Just(PartitionKind::Slice),
            Just(PartitionKind::Count),
            Just(PartitionKind::Hash),
        ]
    }

    proptest! {
        #[test]
        fn the_parts_are_disjoint_and_together_the_whole_plan(
            sizes in prop::collection::vec(0usize..6, 0..6),
            total in 1u32..6,
            kind in kind(),
        ) {
            let sources = plan(&sizes);
            let mut seen = vec![0u32; sources.len()];
            for shard in 1..=total {
                let mut t = trials(&sizes, &sources);
                let numbers = keep(&mut t, Some(&Partition { kind, shard, total }));
                for (trial, numbers) in t.iter().zip(&numbers) {
                    prop_assert_eq!(trial.sources.len(), numbers.len());
                    for ((m, s), &n) in trial.mutants.iter().zip(&trial.sources).zip(numbers) {
                        prop_assert_eq!(m.start, n);
                        prop_assert_eq!(s.start, n);
                        seen[n] += 1;
                    }
                }
            }
            prop_assert!(seen.iter().all(|&c| c == 1), "each mutant in exactly one part: {:?}", seen);
        }
    }
}
