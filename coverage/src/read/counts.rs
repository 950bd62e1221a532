//! Evaluated coverage: counted regions and line counts per source file, and their merging.
//!
//! Results of several tests, instantiations or binaries merge at region level, keyed by
//! (file, span); line counts are always derived from the merged regions, the way `llvm-cov`
//! derives them from the regions of every function record of a file.

use super::lines::line_counts;
use super::region::{combine_regions, CountedRegion, LineCount};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use truecov_model::Span;

/// Coverage of one source file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileCounts {
    /// Line regions (code, expansion, skipped, gap), sorted in LLVM's order, one per span:
    /// regions with the same span (instantiations, binaries, tests) are combined by summing.
    pub regions: Vec<CountedRegion>,
    /// Mapped ("coverable") lines with their counts, sorted by line.
    pub lines: Vec<LineCount>,
}

impl FileCounts {
    /// Combines regions (any order, duplicates allowed; non-line kinds are ignored) and derives
    /// the line counts from them.
    pub fn from_regions(regions: Vec<CountedRegion>) -> FileCounts {
        let regions = combine_regions(regions);
        let lines = line_counts(&regions);
        FileCounts { regions, lines }
    }

    /// Lines with a count above zero.
    pub fn executed_lines(&self) -> impl Iterator<Item = u32> + '_ {
        self.lines.iter().filter(|l| l.count > 0).map(|l| l.line)
    }
}

/// The line regions of one file over every binary, combined and sorted once, all counts zero:
/// the shape each test's regions are laid on, so that its lines follow `llvm-cov`'s rules on
/// the merged coverage without sorting every binary's regions again for every test.
#[derive(Clone, Debug, Default)]
pub struct FileShape {
    /// Combined regions, in LLVM's order, counts zero.
    regions: Vec<CountedRegion>,
    /// Index of each span in `regions`.
    by_span: HashMap<Span, usize>,
}

impl FileShape {
    /// The shape of regions (any order, duplicates allowed; their counts are dropped).
    pub fn new(regions: Vec<CountedRegion>) -> FileShape {
        let mut regions = combine_regions(regions);
        for r in &mut regions {
            r.count = 0;
        }
        let by_span = regions
            .iter()
            .enumerate()
            .map(|(i, r)| (r.span, i))
            .collect();
        FileShape { regions, by_span }
    }

    /// The counts of the shape's regions and `ran` together: the same as
    /// [`FileCounts::from_regions`] of both, where a span takes the first kind of the shape
    /// and sums the counts `ran` has of that kind.
    pub fn with(&self, ran: &[CountedRegion]) -> FileCounts {
        let mut regions = self.regions.clone();
        for r in ran.iter().filter(|r| r.kind.is_line_region()) {
            match self.by_span.get(&r.span).map(|&i| &mut regions[i]) {
                Some(slot) if slot.kind == r.kind => {
                    slot.count = slot.count.wrapping_add(r.count);
                }
                Some(slot) if slot.kind < r.kind => {}
                // A span, or a kind of a span, no binary of the shape has: combined afresh.
                _ => {
                    let mut all = self.regions.clone();
                    all.extend_from_slice(ran);
                    return FileCounts::from_regions(all);
                }
            }
        }
        let lines = line_counts(&regions);
        FileCounts { regions, lines }
    }
}

/// A file's shape with code that is not the file's own laid over it: the code of doctests,
/// which rustdoc maps onto the documented file (the example on its comment lines, and the end
/// of the `fn main` it wraps the example in on the line after the closing fence, often the
/// first line of the documented item). Its regions take part in `llvm-cov`'s line rules as
/// any region does, so a library line they start on with a count is executed, as `cargo
/// llvm-cov --doctests` counts it (either 1.19.0's `pub fn iter(`); a line only they map is
/// not coverable.
#[derive(Clone, Debug, Default)]
pub struct OverlaidShape {
    /// The file's regions and the overlay's, counts zero.
    all: FileShape,
    /// The lines the file's own regions map.
    coverable: std::collections::BTreeSet<u32>,
}

impl OverlaidShape {
    /// The shape of the file's own regions (`own`) with `overlay`'s laid over them.
    pub fn new(own: Vec<CountedRegion>, overlay: Vec<CountedRegion>) -> OverlaidShape {
        let coverable = FileCounts::from_regions(own.clone())
            .lines
            .iter()
            .map(|l| l.line)
            .collect();
        let mut all = own;
        all.extend(overlay);
        OverlaidShape {
            all: FileShape::new(all),
            coverable,
        }
    }

    /// The coverable lines executed when the file's own regions ran `own` and the overlay's
    /// ran `overlay`.
    pub fn executed_lines(&self, own: &[CountedRegion], overlay: &[CountedRegion]) -> Vec<u32> {
        let mut ran = own.to_vec();
        ran.extend_from_slice(overlay);
        self.all
            .with(&ran)
            .executed_lines()
            .filter(|l| self.coverable.contains(l))
            .collect()
    }
}

/// Coverage of every source file touched by one evaluation (or a merge of several).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluated {
    /// Per source file, keyed by the path as recorded in the binary (absolute for Rust builds).
    pub files: BTreeMap<String, FileCounts>,
}

impl Evaluated {
    /// Adds `other` to `self`: regions with the same (file, span) are summed, then line counts
    /// of the touched files are derived again from the merged regions.
    pub fn merge(&mut self, other: &Evaluated) {
        for (path, theirs) in &other.files {
            match self.files.get_mut(path) {
                None => {
                    self.files.insert(path.clone(), theirs.clone());
                }
                Some(ours) => {
                    let mut all = std::mem::take(&mut ours.regions);
                    all.extend_from_slice(&theirs.regions);
                    *ours = FileCounts::from_regions(all);
                }
            }
        }
    }

    /// Merges many evaluations, deriving line counts once per file at the end.
    pub fn merge_all<'a>(parts: impl IntoIterator<Item = &'a Evaluated>) -> Evaluated {
        let mut regions: BTreeMap<String, Vec<CountedRegion>> = BTreeMap::new();
        for part in parts {
            for (path, file) in &part.files {
                regions
                    .entry(path.clone())
                    .or_default()
                    .extend_from_slice(&file.regions);
            }
        }
        Evaluated {
            files: regions
                .into_iter()
                .map(|(path, r)| (path, FileCounts::from_regions(r)))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::region::RegionKind;
    use crate::read::synth::counted as region;
    use proptest::prelude::*;

    fn any_region() -> impl Strategy<Value = CountedRegion> {
        let kind = prop_oneof![
            Just(RegionKind::Code),
            Just(RegionKind::Expansion),
            Just(RegionKind::Skipped),
            Just(RegionKind::Gap),
            Just(RegionKind::Branch),
        ];
        (1..6u32, 1..4u32, 0..3u32, 1..6u32, kind, 0..4u64).prop_map(
            |(line, col, lines, end_col, kind, count)| {
                region(line, col, line + lines, end_col, kind, count)
            },
        )
    }

    proptest! {
        #[test]
        fn a_shape_with_a_test_laid_on_it_counts_as_both_combined(
            shape in prop::collection::vec(any_region(), 0..12),
            picks in prop::collection::vec((any::<prop::sample::Index>(), 0..5u64), 0..8),
            strays in prop::collection::vec(any_region(), 0..2),
        ) {
            // A test runs regions of the shape's binaries (any kind they have, any count),
            // and now and then one no binary of the shape has.
            let mut ran: Vec<CountedRegion> = picks
                .iter()
                .filter(|_| !shape.is_empty())
                .map(|(i, count)| CountedRegion { count: *count, ..*i.get(&shape) })
                .collect();
            ran.extend(strays);
            let mut both: Vec<CountedRegion> =
                shape.iter().map(|r| CountedRegion { count: 0, ..*r }).collect();
            both.extend_from_slice(&ran);
            prop_assert_eq!(
                FileShape::new(shape).with(&ran),
                FileCounts::from_regions(both)
            );
        }
    }

    #[test]
    fn an_overlay_counts_on_the_file_s_lines_and_maps_none_of_its_own() {
        // The file's function on lines 5-7, never run; the overlay on lines 1-4 (comment
        // lines) and at the start of line 5, where the function begins.
        let own = vec![region(5, 5, 7, 2, RegionKind::Code, 0)];
        let overlay = vec![
            region(1, 1, 4, 10, RegionKind::Code, 0),
            region(5, 1, 5, 2, RegionKind::Code, 0),
        ];
        let shape = OverlaidShape::new(own.clone(), overlay.clone());
        assert_eq!(shape.executed_lines(&own, &overlay), Vec::<u32>::new());
        let ran: Vec<CountedRegion> = overlay
            .iter()
            .map(|r| CountedRegion { count: 1, ..*r })
            .collect();
        assert_eq!(shape.executed_lines(&own, &ran), [5]);
        let called = [region(5, 5, 7, 2, RegionKind::Code, 1)];
        assert_eq!(shape.executed_lines(&called, &[]), [5, 6, 7]);
    }

    #[test]
    fn a_shape_keeps_the_first_kind_of_a_span_and_sums_only_that_kind() {
        let shape = FileShape::new(vec![
            region(1, 1, 4, 2, RegionKind::Code, 7),
            region(2, 5, 2, 9, RegionKind::Gap, 0),
            region(2, 5, 2, 9, RegionKind::Code, 0),
        ]);
        let counts = shape.with(&[
            region(1, 1, 4, 2, RegionKind::Code, 2),
            region(2, 5, 2, 9, RegionKind::Gap, 5),
            region(2, 5, 2, 9, RegionKind::Code, 3),
        ]);
        assert_eq!(
            counts.regions,
            [
                region(1, 1, 4, 2, RegionKind::Code, 2),
                region(2, 5, 2, 9, RegionKind::Code, 3)
            ]
        );
        assert_eq!(counts.executed_lines().collect::<Vec<_>>(), [1, 2, 3, 4]);
    }

    #[test]
    fn merge_is_region_level_and_rederives_lines() {
        let a = Evaluated {
            files: [(
                "/f.rs".to_string(),
                FileCounts::from_regions(vec![
                    region(1, 1, 4, 2, RegionKind::Code, 1),
                    region(2, 5, 2, 9, RegionKind::Code, 0),
                ]),
            )]
            .into(),
        };
        let b = Evaluated {
            files: [(
                "/f.rs".to_string(),
                FileCounts::from_regions(vec![
                    region(1, 1, 4, 2, RegionKind::Code, 0),
                    region(2, 5, 2, 9, RegionKind::Code, 4),
                ]),
            )]
            .into(),
        };
        let mut m = a.clone();
        m.merge(&b);
        assert_eq!(m, Evaluated::merge_all([&a, &b]));
        let f = &m.files["/f.rs"];
        assert_eq!(f.regions[1].count, 4);
        assert_eq!(
            f.lines
                .iter()
                .map(|l| (l.line, l.count))
                .collect::<Vec<_>>(),
            [(1, 1), (2, 4), (3, 1), (4, 1)]
        );
    }
}
