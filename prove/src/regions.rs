//! Which tests executed a place of the code, at region level: from the run's per-test
//! coverage, the tests whose executed regions hold the innermost coverage region around the
//! place. A mutant in a branch no test took is run by none of them (`not_covered`), where the
//! function's tests would all have run it.

use std::collections::{BTreeSet, HashMap};
use truecov_model::{CoverageRun, Pos, Span, TestId};

/// The run's regions, per file, and the tests that executed each.
pub(crate) struct Regions<'a> {
    run: &'a CoverageRun,
    /// Per file, per executed region, the report indexes of the tests that ran it. Keyed by
    /// span: a test's regions are in LLVM's order (a region before the shorter ones starting
    /// where it starts), which is not `Span`'s, so they cannot be searched by `Span` order.
    executed: HashMap<&'a str, HashMap<Span, BTreeSet<usize>>>,
}

impl<'a> Regions<'a> {
    /// The regions of `run`, its tests named by their index in `tests` (the report's).
    pub(crate) fn new(run: &'a CoverageRun, tests: &[TestId]) -> Self {
        let index: HashMap<&TestId, usize> =
            tests.iter().enumerate().map(|(i, t)| (t, i)).collect();
        let mut executed: HashMap<&str, HashMap<Span, BTreeSet<usize>>> = HashMap::new();
        for t in &run.tests {
            let Some(&i) = index.get(&t.id()) else {
                continue;
            };
            for (file, regions) in &t.regions {
                let file = executed.entry(file.as_str()).or_default();
                for r in regions {
                    file.entry(*r).or_default().insert(i);
                }
            }
        }
        Regions { run, executed }
    }

    /// The tests (report indexes) that executed the innermost region of `file` holding `pos`;
    /// `None` when the run knows no region there (the caller falls back to the function's
    /// tests).
    pub(crate) fn tests_at(&self, file: &str, pos: Pos) -> Option<BTreeSet<usize>> {
        let regions = &self.run.files.get(file)?.regions;
        let innermost = regions
            .iter()
            .filter(|r| holds(r, pos))
            .max_by_key(|r| (r.start(), std::cmp::Reverse(r.end())))?;
        Some(
            self.executed
                .get(file)
                .and_then(|rs| rs.get(innermost))
                .cloned()
                .unwrap_or_default(),
        )
    }
}

/// Whether `region` holds `pos` (its end is exclusive).
fn holds(region: &Span, pos: Pos) -> bool {
    region.start() <= pos && pos < region.end()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use truecov_model::{FileCoverage, TestCoverage, TestOutcome};

    fn span(start_line: u32, start_col: u32, end_line: u32, end_col: u32) -> Span {
        Span {
            start_line,
            start_col,
            end_line,
            end_col,
        }
    }

    fn test(name: &str, regions: Vec<Span>) -> TestCoverage {
        TestCoverage {
            package: "p".into(),
            target: "lib".into(),
            name: name.into(),
            outcome: TestOutcome::Passed,
            duration_ms: 1,
            lines: BTreeMap::new(),
            regions: BTreeMap::from([("src/lib.rs".to_string(), regions)]),
            repeated: BTreeMap::new(),
            output: String::new(),
        }
    }

    fn run_of(file_regions: Vec<Span>, tests: Vec<TestCoverage>) -> CoverageRun {
        CoverageRun {
            files: BTreeMap::from([(
                "src/lib.rs".to_string(),
                FileCoverage {
                    regions: file_regions,
                    ..FileCoverage::default()
                },
            )]),
            tests,
            ..CoverageRun::default()
        }
    }

    fn ids(names: &[&str]) -> Vec<TestId> {
        names
            .iter()
            .map(|name| TestId {
                package: "p".into(),
                target: "lib".into(),
                name: (*name).into(),
            })
            .collect()
    }

    #[test]
    fn regions_in_llvm_order_are_found_whatever_their_span_order() {
        // `if a / 2 != b` (4:8-4:30) holds `a / 2` (4:8-4:20): LLVM lists the longer region
        // first, as the coverage run gives them; `Span` order puts it after the shorter one.
        let (body, cond, lhs) = (span(1, 1, 9, 2), span(4, 8, 4, 30), span(4, 8, 4, 20));
        let run = run_of(
            vec![body, cond, lhs],
            vec![
                test("ran", vec![body, cond, lhs]),
                test("other", vec![body]),
            ],
        );
        let regions = Regions::new(&run, &ids(&["ran", "other"]));
        let at = |line, col| regions.tests_at("src/lib.rs", Pos { line, col });
        assert_eq!(at(4, 10), Some(BTreeSet::from([0])), "in `a / 2`");
        assert_eq!(at(4, 25), Some(BTreeSet::from([0])), "in `!= b`");
        assert_eq!(at(2, 1), Some(BTreeSet::from([0, 1])));
    }

    #[test]
    fn a_place_is_run_by_the_tests_of_its_innermost_region() {
        // fn body (1:1-9:2) with a branch (4:5-6:6) only `big` takes.
        let (body, branch) = (span(1, 1, 9, 2), span(4, 5, 6, 6));
        let run = run_of(
            vec![body, branch],
            vec![
                test("small", vec![body]),
                test("big", vec![body, branch]),
                test("unlisted", vec![body, branch]),
            ],
        );
        let regions = Regions::new(&run, &ids(&["big", "small"]));
        let at = |line, col| regions.tests_at("src/lib.rs", Pos { line, col });
        assert_eq!(
            at(5, 9),
            Some(BTreeSet::from([0])),
            "only big runs the branch"
        );
        assert_eq!(at(2, 3), Some(BTreeSet::from([0, 1])));
        assert_eq!(
            at(6, 6),
            Some(BTreeSet::from([0, 1])),
            "a region's end is not in it"
        );
        assert_eq!(at(12, 1), None);
        assert_eq!(
            regions.tests_at("src/other.rs", Pos { line: 2, col: 1 }),
            None
        );
    }
}
