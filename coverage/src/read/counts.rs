//! Evaluated coverage: counted regions and line counts per source file, and their merging.
//!
//! Results of several tests, instantiations or binaries merge at region level, keyed by
//! (file, span); line counts are always derived from the merged regions, the way `llvm-cov`
//! derives them from the regions of every function record of a file.

use super::lines::line_counts;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use truecov_model::Span;

/// Kind of a mapping region (LLVM's `CounterMappingRegion::RegionKind`, in LLVM's order, which
/// decides which region of several with one span is kept).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionKind {
    /// Code that executes as many times as its counter says.
    Code,
    /// A macro expansion; counts as the first region of the expanded file.
    Expansion,
    /// Code that was not compiled (inactive `cfg`); has no count.
    Skipped,
    /// Whitespace or braces between regions; counted but never starts a line on its own.
    Gap,
    /// A branch condition with true and false counters (not part of line coverage).
    Branch,
    /// An MC/DC decision (not part of line coverage).
    McdcDecision,
    /// An MC/DC branch condition (not part of line coverage).
    McdcBranch,
}

impl RegionKind {
    /// Whether regions of this kind take part in line coverage (code, expansion, skipped, gap).
    pub fn is_line_region(self) -> bool {
        matches!(
            self,
            RegionKind::Code | RegionKind::Expansion | RegionKind::Skipped | RegionKind::Gap
        )
    }
}

/// A region with its execution count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CountedRegion {
    /// Where the region is.
    pub span: Span,
    /// What kind of region it is.
    pub kind: RegionKind,
    /// How many times it ran (0 for skipped regions).
    pub count: u64,
}

impl CountedRegion {
    /// LLVM's sort order of regions in a file: by start; a region before the regions it
    /// contains; then by kind.
    pub(crate) fn sort_key(&self) -> ((u32, u32), std::cmp::Reverse<(u32, u32)>, RegionKind) {
        let s = self.span;
        (
            (s.start_line, s.start_col),
            std::cmp::Reverse((s.end_line, s.end_col)),
            self.kind,
        )
    }
}

/// Execution count of one line that holds code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LineCount {
    /// 1-based line number.
    pub line: u32,
    /// Execution count as `llvm-cov` reports it for the line.
    pub count: u64,
}

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

/// Sorts regions in LLVM's order and combines those with the same span: of the kinds present
/// the first in [`RegionKind`] order is kept, with the sum of the counts of that kind
/// (`SegmentBuilder::combineRegions`).
pub fn combine_regions(mut regions: Vec<CountedRegion>) -> Vec<CountedRegion> {
    regions.retain(|r| r.kind.is_line_region());
    regions.sort_unstable_by_key(CountedRegion::sort_key);
    let mut out: Vec<CountedRegion> = Vec::with_capacity(regions.len());
    for r in regions {
        match out.last_mut() {
            Some(last) if last.span == r.span => {
                if last.kind == r.kind {
                    last.count = last.count.wrapping_add(r.count);
                }
            }
            _ => out.push(r),
        }
    }
    out
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

    fn region(sl: u32, sc: u32, el: u32, ec: u32, kind: RegionKind, count: u64) -> CountedRegion {
        CountedRegion {
            span: Span {
                start_line: sl,
                start_col: sc,
                end_line: el,
                end_col: ec,
            },
            kind,
            count,
        }
    }

    #[test]
    fn combine_sums_same_kind_and_prefers_code() {
        let combined = combine_regions(vec![
            region(1, 1, 3, 2, RegionKind::Code, 2),
            region(2, 5, 2, 9, RegionKind::Expansion, 7),
            region(1, 1, 3, 2, RegionKind::Code, 3),
            region(2, 5, 2, 9, RegionKind::Code, 1),
            region(2, 1, 2, 3, RegionKind::Branch, 9),
        ]);
        assert_eq!(
            combined,
            [
                region(1, 1, 3, 2, RegionKind::Code, 5),
                region(2, 5, 2, 9, RegionKind::Code, 1),
            ]
        );
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
