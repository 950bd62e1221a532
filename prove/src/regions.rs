//! Which tests executed a place of the code, at region level: from the run's per-test
//! coverage, the tests whose executed regions hold the innermost coverage region around the
//! place. A mutant in a branch no test took is run by none of them (`not_covered`), where the
//! function's tests would all have run it.

use std::collections::{BTreeSet, HashMap};
use truecov_model::{CoverageRun, Pos, Span, TestId};

/// The run's regions, per file, and the regions each test executed.
pub(crate) struct Regions<'a> {
    run: &'a CoverageRun,
    /// Report index of each of the run's tests.
    report_index: Vec<Option<usize>>,
}

impl<'a> Regions<'a> {
    /// The regions of `run`, its tests named by their index in `tests` (the report's).
    pub(crate) fn new(run: &'a CoverageRun, tests: &[TestId]) -> Self {
        let index: HashMap<&TestId, usize> =
            tests.iter().enumerate().map(|(i, t)| (t, i)).collect();
        let report_index = run
            .tests
            .iter()
            .map(|t| index.get(&t.id()).copied())
            .collect();
        Regions { run, report_index }
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
        let tests = self.run.tests.iter().zip(&self.report_index);
        let executed = tests.filter(|(t, _)| {
            t.regions
                .get(file)
                .is_some_and(|rs| rs.binary_search(innermost).is_ok())
        });
        Some(executed.filter_map(|(_, i)| *i).collect())
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
        }
    }

    #[test]
    fn a_place_is_run_by_the_tests_of_its_innermost_region() {
        // fn body (1:1-9:2) with a branch (4:5-6:6) only `big` takes.
        let (body, branch) = (span(1, 1, 9, 2), span(4, 5, 6, 6));
        let run = CoverageRun {
            files: BTreeMap::from([(
                "src/lib.rs".to_string(),
                FileCoverage {
                    regions: vec![body, branch],
                    ..FileCoverage::default()
                },
            )]),
            tests: vec![
                test("small", vec![body]),
                test("big", vec![body, branch]),
                test("unlisted", vec![body, branch]),
            ],
            ..CoverageRun::default()
        };
        let ids: Vec<TestId> = ["big", "small"]
            .map(|name| TestId {
                package: "p".into(),
                target: "lib".into(),
                name: name.into(),
            })
            .into();
        let regions = Regions::new(&run, &ids);
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
