//! Line counts from regions, with `llvm-cov`'s rules: regions become coverage segments
//! (`SegmentBuilder`), segments become line counts (`LineCoverageStats`).

use super::region::{CountedRegion, LineCount, RegionKind};
use serde::{Deserialize, Serialize};

/// A point in a file where the execution count changes (LLVM's `CoverageSegment`, the
/// `segments` of `llvm-cov export`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
    /// Count from here on (0 when `has_count` is false).
    pub count: u64,
    /// False for uninstrumented or skipped code.
    pub has_count: bool,
    /// Whether a region starts here (rather than an enclosing region resuming).
    pub is_region_entry: bool,
    /// Whether the segment starts a gap region.
    pub is_gap: bool,
}

type Loc = (u32, u32);

fn start(r: &CountedRegion) -> Loc {
    (r.span.start_line, r.span.start_col)
}

fn end(r: &CountedRegion) -> Loc {
    (r.span.end_line, r.span.end_col)
}

struct Builder<'a> {
    regions: &'a [CountedRegion],
    segments: Vec<Segment>,
    /// Indices into `regions` of the regions that contain the current position.
    active: Vec<usize>,
}

impl Builder<'_> {
    fn start_segment(&mut self, region: usize, at: Loc, is_region_entry: bool, skipped: bool) {
        let r = &self.regions[region];
        let has_count = !skipped && r.kind != RegionKind::Skipped;
        if !is_region_entry && !skipped {
            if let Some(last) = self.segments.last() {
                if last.has_count == has_count && last.count == r.count && !last.is_region_entry {
                    return;
                }
            }
        }
        self.segments.push(Segment {
            line: at.0,
            col: at.1,
            count: if has_count { r.count } else { 0 },
            has_count,
            is_region_entry,
            is_gap: has_count && r.kind == RegionKind::Gap,
        });
    }

    /// Emits segments for the active regions from `first_completed` on, which end before `loc`
    /// (all of them when `loc` is `None`), and pops them.
    fn complete_regions_until(&mut self, loc: Option<Loc>, first_completed: usize) {
        let regions = self.regions;
        self.active[first_completed..].sort_by_key(|&i| end(&regions[i]));
        let n = self.active.len();
        for i in first_completed + 1..n {
            let mut completed = self.active[i];
            let segment_at = end(&regions[self.active[i - 1]]);
            if loc == Some(segment_at) {
                break;
            }
            if segment_at == end(&regions[completed]) {
                continue;
            }
            for &later in &self.active[i + 1..] {
                if end(&regions[completed]) == end(&regions[later]) {
                    completed = later;
                }
            }
            self.start_segment(completed, segment_at, false, false);
        }
        let last = self.active[n - 1];
        let last_end = end(&regions[last]);
        if first_completed > 0 && loc != Some(last_end) {
            self.start_segment(self.active[first_completed - 1], last_end, false, false);
        } else if first_completed == 0 && loc != Some(last_end) {
            self.start_segment(last, last_end, false, true);
        }
        self.active.truncate(first_completed);
    }

    fn build(&mut self) {
        let regions = self.regions;
        for (idx, r) in regions.iter().enumerate() {
            let cur = start(r);
            if self.active.iter().any(|&a| end(&regions[a]) <= cur) {
                // Stable partition: regions still open first, completed ones after.
                let (open, done): (Vec<usize>, Vec<usize>) =
                    self.active.iter().partition(|&&a| end(&regions[a]) > cur);
                let first_completed = open.len();
                self.active = open;
                self.active.extend(done);
                self.complete_regions_until(Some(cur), first_completed);
            }
            let gap = r.kind == RegionKind::Gap;
            if cur == end(r) {
                let skipped = idx + 1 == regions.len() || r.kind == RegionKind::Skipped;
                let from = self.active.last().copied().unwrap_or(idx);
                self.start_segment(from, cur, !gap, skipped);
                if skipped {
                    if let Some(&top) = self.active.last() {
                        self.start_segment(top, cur, false, false);
                    }
                }
                continue;
            }
            if idx + 1 == regions.len() || cur != start(&regions[idx + 1]) {
                self.start_segment(idx, cur, !gap, false);
            }
            self.active.push(idx);
        }
        if !self.active.is_empty() {
            self.complete_regions_until(None, 0);
        }
    }
}

/// Coverage segments of one file from its regions, which must be combined and sorted (see
/// [`super::FileCounts::from_regions`]).
pub fn build_segments(regions: &[CountedRegion]) -> Vec<Segment> {
    let mut b = Builder {
        regions,
        segments: Vec::with_capacity(regions.len() * 2),
        active: Vec::new(),
    };
    b.build();
    b.segments
}

/// Line counts from a file's segments (sorted by position), with `llvm-cov`'s
/// `LineCoverageStats` rule: a line is mapped unless it starts a skipped region, when a region
/// with a count starts on it or a counted segment wraps into it; its count is the largest of the
/// wrapped count and the counts of the non-gap regions starting on it.
pub(crate) fn segment_line_counts(segments: &[Segment]) -> Vec<LineCount> {
    let mut out = Vec::new();
    let mut next = 0;
    let mut wrapped: Option<&Segment> = None;
    while next < segments.len() {
        let line = segments[next].line;
        let first = next;
        while next < segments.len() && segments[next].line == line {
            next += 1;
        }
        let on_line = &segments[first..next];
        if let Some(count) = line_stats(on_line, wrapped) {
            out.push(LineCount { line, count });
        }
        // Lines without segments until the next segment's line take the wrapped count.
        let last = on_line.last();
        if let (Some(w), Some(following)) = (last, segments.get(next)) {
            if w.has_count {
                let end = following.line;
                out.extend((line.saturating_add(1)..end).map(|line| LineCount {
                    line,
                    count: w.count,
                }));
            }
        }
        wrapped = last;
    }
    out
}

fn line_stats(on_line: &[Segment], wrapped: Option<&Segment>) -> Option<u64> {
    let starts_region = |s: &&Segment| !s.is_gap && s.has_count && s.is_region_entry;
    let min_region_count = on_line.iter().filter(starts_region).take(2).count();
    let start_of_skipped = on_line
        .first()
        .is_some_and(|s| !s.has_count && s.is_region_entry);
    let mapped = (!start_of_skipped
        && (wrapped.is_some_and(|w| w.has_count) || min_region_count > 0))
        || on_line.iter().any(|s| s.is_region_entry && s.has_count);
    if !mapped {
        return None;
    }
    let mut count = wrapped.map_or(0, |w| w.count);
    for s in on_line.iter().filter(starts_region) {
        count = count.max(s.count);
    }
    Some(count)
}

/// Line counts of a file from its combined, sorted regions.
pub(crate) fn line_counts(regions: &[CountedRegion]) -> Vec<LineCount> {
    segment_line_counts(&build_segments(regions))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::synth::counted as region;

    fn lines(regions: &[CountedRegion]) -> Vec<(u32, u64)> {
        line_counts(regions)
            .into_iter()
            .map(|l| (l.line, l.count))
            .collect()
    }

    #[test]
    fn gap_regions_do_not_start_lines_but_wrap() {
        // fn f() {            line 1, count 3
        //     if c {          region 2:8-4:6 gap then 3:9-3:20 code count 0
        //         x           line 3 count 0
        //     }               line 4: gap wraps
        // }                   line 5
        let regions = [
            region(1, 1, 5, 2, RegionKind::Code, 3),
            region(2, 9, 3, 9, RegionKind::Gap, 0),
            region(3, 9, 3, 20, RegionKind::Code, 0),
            region(4, 6, 5, 1, RegionKind::Gap, 3),
        ];
        assert_eq!(lines(&regions), [(1, 3), (2, 3), (3, 0), (4, 3), (5, 3)]);
    }

    #[test]
    fn skipped_regions_unmap_their_lines() {
        let regions = [
            region(1, 1, 2, 2, RegionKind::Code, 1),
            region(4, 1, 6, 2, RegionKind::Skipped, 0),
            region(8, 1, 8, 9, RegionKind::Code, 0),
        ];
        assert_eq!(lines(&regions), [(1, 1), (2, 1), (8, 0)]);
    }

    #[test]
    fn line_takes_max_of_region_starts() {
        let regions = [
            region(1, 1, 1, 40, RegionKind::Code, 2),
            region(1, 10, 1, 11, RegionKind::Code, 0),
            region(1, 20, 1, 30, RegionKind::Code, 7),
        ];
        assert_eq!(lines(&regions), [(1, 7)]);
        let segs = build_segments(&regions);
        assert_eq!(
            segs.iter()
                .map(|s| (s.col, s.count, s.is_region_entry))
                .collect::<Vec<_>>(),
            [
                (1, 2, true),
                (10, 0, true),
                (11, 2, false),
                (20, 7, true),
                (30, 2, false),
                (40, 0, false)
            ]
        );
        assert!(!segs.last().unwrap().has_count);
    }

    #[test]
    fn empty_input_gives_nothing() {
        assert!(line_counts(&[]).is_empty());
        assert!(segment_line_counts(&[]).is_empty());
    }
}
