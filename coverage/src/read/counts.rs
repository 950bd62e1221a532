//! Evaluated coverage: counted regions and line counts per source file, and their merging.
//!
//! Results of several tests, instantiations or binaries merge at region level, keyed by
//! (file, span); line counts are always derived from the merged regions, the way `llvm-cov`
//! derives them from the regions of every function record of a file.

use super::lines::line_counts;
use super::region::{combine_regions, CountedRegion, LineCount};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
