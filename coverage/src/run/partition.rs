//! Which tests of a run (and mutants of a `prove`) a part keeps (`--partition`), with nextest's semantics
//! (nexte.st/docs/ci-features/partitioning): partitions apply to the tests that would run, so
//! an `#[ignore]`d test that is not run counts for none of them and is reported by part 1;
//! `slice` counts across binaries in the run's order, `count` and `hash` within each binary;
//! `hash` keeps a test when `xxh64(name, seed 0) % N == K - 1`, nextest's hash for its whole
//! 0.9 series.

use super::list::ListedTest;
use truecov_model::{Partition, PartitionKind};

/// For each `(binary index, test)` of `plan`, whether `partition` keeps it. Tests that do not
/// run (ignored, without `include_ignored`) go to part 1.
pub fn keeps(
    plan: &[(usize, ListedTest)],
    partition: &Partition,
    include_ignored: bool,
) -> Vec<bool> {
    let runs = |t: &ListedTest| !t.ignored || include_ignored;
    let running = plan
        .iter()
        .filter(|(_, t)| runs(t))
        .map(|(binary, t)| (*binary, t.name.as_str()));
    let mut kept = keeps_items(running, partition).into_iter();
    plan.iter()
        .map(|(_, t)| {
            if runs(t) {
                kept.next().unwrap_or(false)
            } else {
                partition.shard == 1
            }
        })
        .collect()
}

/// For each item of `items`, given in the run's order as `(group, name)` (a test's binary, a
/// mutant's package), whether `partition` keeps it: `slice` counts across every item, `count`
/// within its group, `hash` hashes its name. `prove --partition` splits its mutants with it.
pub fn keeps_items<'a, G: Eq + std::hash::Hash>(
    items: impl IntoIterator<Item = (G, &'a str)>,
    partition: &Partition,
) -> Vec<bool> {
    let total = u64::from(partition.total);
    let wanted = u64::from(partition.shard - 1);
    let mut across = 0u64;
    let mut within: std::collections::HashMap<G, u64> = Default::default();
    items
        .into_iter()
        .map(|(group, name)| {
            let slot = match partition.kind {
                PartitionKind::Slice => next(&mut across),
                PartitionKind::Count => next(within.entry(group).or_default()),
                PartitionKind::Hash => xxh64(name.as_bytes(), 0),
            };
            slot % total == wanted
        })
        .collect()
}

/// The counter's value, then counts one more.
fn next(counter: &mut u64) -> u64 {
    *counter += 1;
    *counter - 1
}

const P1: u64 = 0x9E37_79B1_85EB_CA87;
const P2: u64 = 0xC2B2_AE3D_27D4_EB4F;
const P3: u64 = 0x1656_67B1_9E37_79F9;
const P4: u64 = 0x85EB_CA77_C2B2_AE63;
const P5: u64 = 0x27D4_EB2F_1656_67C5;

/// One accumulator round of XXH64.
fn round(acc: u64, input: u64) -> u64 {
    acc.wrapping_add(input.wrapping_mul(P2))
        .rotate_left(31)
        .wrapping_mul(P1)
}

/// Folds an accumulator into the hash of a long input.
fn merge_round(hash: u64, acc: u64) -> u64 {
    (hash ^ round(0, acc)).wrapping_mul(P1).wrapping_add(P4)
}

fn read_u64(bytes: &[u8]) -> u64 {
    u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes"))
}

fn read_u32(bytes: &[u8]) -> u64 {
    u64::from(u32::from_le_bytes(bytes[..4].try_into().expect("4 bytes")))
}

/// XXH64 of `input` (the reference algorithm, xxhash.h).
pub fn xxh64(input: &[u8], seed: u64) -> u64 {
    let mut rest = input;
    let mut hash = if input.len() >= 32 {
        let mut acc = [
            seed.wrapping_add(P1).wrapping_add(P2),
            seed.wrapping_add(P2),
            seed,
            seed.wrapping_sub(P1),
        ];
        while rest.len() >= 32 {
            for (i, a) in acc.iter_mut().enumerate() {
                *a = round(*a, read_u64(&rest[i * 8..]));
            }
            rest = &rest[32..];
        }
        let h = acc[0]
            .rotate_left(1)
            .wrapping_add(acc[1].rotate_left(7))
            .wrapping_add(acc[2].rotate_left(12))
            .wrapping_add(acc[3].rotate_left(18));
        acc.iter().fold(h, |h, a| merge_round(h, *a))
    } else {
        seed.wrapping_add(P5)
    };
    hash = hash.wrapping_add(input.len() as u64);
    while rest.len() >= 8 {
        hash ^= round(0, read_u64(rest));
        hash = hash.rotate_left(27).wrapping_mul(P1).wrapping_add(P4);
        rest = &rest[8..];
    }
    if rest.len() >= 4 {
        hash ^= read_u32(rest).wrapping_mul(P1);
        hash = hash.rotate_left(23).wrapping_mul(P2).wrapping_add(P3);
        rest = &rest[4..];
    }
    for byte in rest {
        hash ^= u64::from(*byte).wrapping_mul(P5);
        hash = hash.rotate_left(11).wrapping_mul(P1);
    }
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(P2);
    hash ^= hash >> 29;
    hash = hash.wrapping_mul(P3);
    hash ^ (hash >> 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test(name: &str, ignored: bool) -> ListedTest {
        ListedTest {
            name: name.into(),
            ignored,
        }
    }

    fn parts(plan: &[(usize, ListedTest)], spec: &str) -> Vec<u32> {
        let p: Partition = spec.parse().unwrap();
        let all: Vec<Vec<bool>> = (1..=p.total)
            .map(|k| keeps(plan, &Partition { shard: k, ..p }, false))
            .collect();
        (0..plan.len())
            .map(|i| {
                let owners: Vec<u32> = (1..=p.total).filter(|k| all[*k as usize - 1][i]).collect();
                assert_eq!(owners.len(), 1, "test {i} belongs to exactly one part");
                owners[0]
            })
            .collect()
    }

    #[test]
    fn xxh64_matches_the_reference_vectors() {
        assert_eq!(xxh64(b"", 0), 0xEF46_DB37_51D8_E999);
        assert_eq!(xxh64(b"a", 0), 0xD24E_C4F1_A98C_6E5B);
        assert_eq!(xxh64(b"abc", 0), 0x44BC_2CF5_AD77_0999);
        assert_eq!(
            xxh64(b"The quick brown fox jumps over the lazy dog", 0),
            0x0B24_2D36_1FDA_71BC
        );
    }

    #[test]
    fn slices_and_counts_follow_nextests_table() {
        // nextest's example: three binaries of two tests each.
        let plan: Vec<_> = (0..3)
            .flat_map(|b| [(b, test("t1", false)), (b, test("t2", false))])
            .collect();
        assert_eq!(parts(&plan, "slice:1/2"), [1, 2, 1, 2, 1, 2]);
        assert_eq!(parts(&plan, "slice:1/3"), [1, 2, 3, 1, 2, 3]);
        assert_eq!(parts(&plan, "count:1/3"), [1, 2, 1, 2, 1, 2]);
    }

    #[test]
    fn items_are_counted_within_their_group_by_any_key() {
        let items = [
            ("a", "m1"),
            ("b", "m2"),
            ("a", "m3"),
            ("a", "m4"),
            ("b", "m5"),
        ];
        let kept = |spec: &str| keeps_items(items, &spec.parse().unwrap());
        assert_eq!(kept("count:1/2"), [true, true, false, true, false]);
        assert_eq!(kept("slice:2/2"), [false, true, false, true, false]);
        let by_hash = |name: &str| xxh64(name.as_bytes(), 0) % 2 == 1;
        assert_eq!(kept("hash:2/2"), items.map(|(_, n)| by_hash(n)).to_vec());
    }

    #[test]
    fn hashes_depend_on_the_name_only_and_ignored_tests_go_to_part_one() {
        let plan = vec![
            (0, test("a", false)),
            (1, test("a", false)),
            (0, test("skipped", true)),
            (0, test("abc", false)),
        ];
        let expected = |name: &str| (xxh64(name.as_bytes(), 0) % 3) as u32 + 1;
        assert_eq!(
            parts(&plan, "hash:1/3"),
            [expected("a"), expected("a"), 1, expected("abc")]
        );
        // The ignored test does not advance the slice counter.
        assert_eq!(parts(&plan, "slice:1/3"), [1, 2, 1, 3]);
    }
}
