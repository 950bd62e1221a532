//! Counted regions: a mapping region of a source file with its execution count, and how
//! regions with one span (instantiations, binaries, tests) combine, as `llvm-cov` combines them.

use serde::{Deserialize, Serialize};
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

/// Sorts regions in LLVM's order and combines those with the same span: of the kinds present
/// the first in [`RegionKind`] order is kept, with the sum of the counts of that kind
/// (`SegmentBuilder::combineRegions`).
pub(crate) fn combine_regions(mut regions: Vec<CountedRegion>) -> Vec<CountedRegion> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::synth::counted as region;

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
}
