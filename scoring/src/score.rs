//! The join: static verdicts and error sites from the analyzer with per-test coverage, into
//! the report's per-line, per-function, per-file, per-package and workspace figures
//! (docs/error-paths.md and docs/scores.md). Pure: no I/O.

use crate::report::{test_counts, test_entry};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use truecov_model::report::SCHEMA_VERSION;
use truecov_model::rules::NOT_SCANNED;
use truecov_model::{
    ratio, CoverageRun, Figures, FileEntry, Finding, FunctionClass, FunctionEntry, LibFunction,
    PackageEntry, Pos, Report, Scan, SiteEntry, Span, Summary, TestCoverage, TestEntry, TestId,
    TestOutcome, Verdict,
};

/// Whether a line of a file is test code according to the scan.
struct TestCode<'a> {
    ranges: HashMap<&'a str, Vec<(u32, u32)>>,
}

impl<'a> TestCode<'a> {
    fn of(scan: &'a Scan) -> Self {
        let mut ranges: HashMap<&str, Vec<(u32, u32)>> = HashMap::new();
        for r in &scan.test_code {
            ranges
                .entry(r.file.as_str())
                .or_default()
                .push((r.start, r.end));
        }
        TestCode { ranges }
    }

    fn contains(&self, file: &str, line: u32) -> bool {
        self.ranges
            .get(file)
            .is_some_and(|rs| rs.iter().any(|&(s, e)| (s..=e).contains(&line)))
    }
}

/// The coverage of library code only: lines and regions of `#[cfg(test)]` items and test
/// functions inside library files are dropped, and files the scan does not know as library
/// files are left out.
pub fn library_only(run: &CoverageRun, scan: &Scan) -> CoverageRun {
    let test_code = TestCode::of(scan);
    let library: BTreeSet<&str> = scan.library_files.iter().map(String::as_str).collect();
    let keep_line = |file: &str, line: &u32| !test_code.contains(file, *line);
    let keep_span = |file: &str, s: &Span| !test_code.contains(file, s.start_line);
    let mut out = CoverageRun {
        schema_version: run.schema_version,
        warnings: run.warnings.clone(),
        binaries: run.binaries.clone(),
        ..CoverageRun::default()
    };
    for (file, f) in &run.files {
        if !library.contains(file.as_str()) {
            continue;
        }
        let mut f = f.clone();
        f.coverable.retain(|l| keep_line(file, l));
        f.executed.retain(|l| keep_line(file, l));
        f.regions.retain(|s| keep_span(file, s));
        out.files.insert(file.clone(), f);
    }
    for t in &run.tests {
        let mut t = t.clone();
        t.lines.retain(|file, _| out.files.contains_key(file));
        t.regions.retain(|file, _| out.files.contains_key(file));
        for (file, lines) in t.lines.iter_mut() {
            lines.retain(|l| keep_line(file, l));
        }
        for (file, spans) in t.regions.iter_mut() {
            spans.retain(|s| keep_span(file, s));
        }
        out.tests.push(t);
    }
    out
}

/// The code region that holds a site spanning `start..end`: the first region that starts
/// inside the site (rustc maps `Err(..)` of `return Err(..)`, not the keyword), else the
/// innermost region that contains its start (an `assert!` in a block has no region of its own).
fn holding_region(regions: &[Span], start: Pos, end: Pos) -> Option<Span> {
    let inside = |s: &&Span| {
        (start.line, start.col) <= (s.start_line, s.start_col)
            && (s.start_line, s.start_col) < (end.line, end.col)
    };
    regions
        .iter()
        .filter(inside)
        .min_by_key(|s| {
            (
                (s.start_line, s.start_col),
                std::cmp::Reverse((s.end_line, s.end_col)),
            )
        })
        .or_else(|| {
            regions
                .iter()
                .filter(|s| s.contains(start))
                .min_by_key(|s| {
                    (
                        s.end_line - s.start_line,
                        s.end_col.wrapping_sub(s.start_col),
                    )
                })
        })
        .copied()
}

/// The tests of a report: every scanned test, joined with how it ran; tests that ran but were
/// not found by the scan are kept with a `test/not-scanned` finding and no meaningful verdict.
fn join_tests<'r>(
    scan: &Scan,
    run: &'r CoverageRun,
) -> (Vec<TestEntry>, Vec<Option<&'r TestCoverage>>) {
    let mut by_key: BTreeMap<TestId, (TestEntry, Option<&TestCoverage>)> = scan
        .tests
        .iter()
        .map(|t| (t.id(), (test_entry(t), None)))
        .collect();
    for c in &run.tests {
        let entry = by_key.entry(c.id()).or_insert_with(|| {
            (
                TestEntry {
                    package: c.package.clone(),
                    target: c.target.clone(),
                    name: c.name.clone(),
                    file: String::new(),
                    line: 0,
                    verdict: Verdict::AssertionFree,
                    ignored: c.outcome == TestOutcome::Ignored,
                    outcome: None,
                    duration_ms: None,
                    observes_errors: false,
                    findings: vec![Finding {
                        rule: NOT_SCANNED.to_string(),
                        line: 0,
                        message: "the scan did not find this test (generated by a macro?): its oracle is unknown, so it is not counted as meaningful".to_string(),
                    }],
                },
                None,
            )
        });
        entry.0.outcome = Some(c.outcome);
        entry.0.duration_ms = Some(c.duration_ms);
        entry.1 = Some(c);
    }
    by_key.into_values().unzip()
}

/// Joins a scan with the coverage of the same workspace into a report.
pub fn score(scan: &Scan, coverage: &CoverageRun, tool_version: &str) -> Report {
    let run = library_only(coverage, scan);
    let (tests, runs) = join_tests(scan, &run);
    let meaningful: Vec<bool> = tests.iter().map(TestEntry::counts_as_meaningful).collect();
    let checking: Vec<bool> = tests
        .iter()
        .zip(&meaningful)
        .map(|(t, m)| *m && t.observes_errors)
        .collect();

    // Per file: which tests executed each line and each region.
    let mut line_tests: HashMap<&str, BTreeMap<u32, Vec<usize>>> = HashMap::new();
    let mut region_tests: HashMap<&str, HashMap<Span, Vec<usize>>> = HashMap::new();
    for (i, r) in runs.iter().enumerate() {
        let Some(r) = r else { continue };
        for (file, lines) in &r.lines {
            let per_line = line_tests.entry(file.as_str()).or_default();
            for l in lines {
                per_line.entry(*l).or_default().push(i);
            }
        }
        for (file, spans) in &r.regions {
            let per_region = region_tests.entry(file.as_str()).or_default();
            for s in spans {
                per_region.entry(*s).or_default().push(i);
            }
        }
    }
    let empty_lines = BTreeMap::new();
    let empty_regions = HashMap::new();

    let mut files: Vec<FileEntry> = Vec::new();
    let mut file_figures: HashMap<&str, Figures> = HashMap::new();
    for (file, f) in &run.files {
        let per_line = line_tests.get(file.as_str()).unwrap_or(&empty_lines);
        let executed: Vec<u32> = f
            .coverable
            .iter()
            .copied()
            .filter(|l| per_line.get(l).is_some_and(|t| !t.is_empty()))
            .collect();
        let meaningful_lines: Vec<u32> = executed
            .iter()
            .copied()
            .filter(|l| per_line[l].iter().any(|&t| meaningful[t]))
            .collect();
        file_figures.insert(
            file.as_str(),
            Figures {
                lines_coverable: f.coverable.len() as u64,
                lines_raw: executed.len() as u64,
                lines_meaningful: meaningful_lines.len() as u64,
                ..Figures::default()
            },
        );
        files.push(FileEntry {
            package: package_of(scan, file),
            file: file.clone(),
            figures: Figures::default(),
            raw_line_coverage: None,
            meaningful_line_coverage: None,
            truth_ratio: None,
            coverable: f.coverable.clone(),
            tests_by_line: executed.iter().map(|l| (*l, per_line[l].clone())).collect(),
            executed,
            meaningful: meaningful_lines,
        });
    }

    let mut functions = Vec::new();
    for f in &scan.functions {
        let Some(cov) = run.files.get(&f.file) else {
            functions.push(uncovered_function(f));
            continue;
        };
        let own_lines = function_lines(f, &scan.functions, &cov.coverable);
        let per_line = line_tests.get(f.file.as_str()).unwrap_or(&empty_lines);
        let per_region = region_tests.get(f.file.as_str()).unwrap_or(&empty_regions);
        let mut executed_by: BTreeSet<usize> = BTreeSet::new();
        let (mut raw, mut mean) = (0u64, 0u64);
        for l in &own_lines {
            if let Some(ts) = per_line.get(l) {
                executed_by.extend(ts);
                raw += u64::from(!ts.is_empty());
                mean += u64::from(ts.iter().any(|&t| meaningful[t]));
            }
        }
        let sites: Vec<SiteEntry> = f
            .error_sites
            .iter()
            .map(|s| {
                let by: Vec<usize> = holding_region(&cov.regions, s.start, s.end)
                    .and_then(|r| per_region.get(&r))
                    .cloned()
                    .unwrap_or_default();
                SiteEntry {
                    kind: s.kind,
                    line: s.start.line,
                    col: s.start.col,
                    text: s.text.clone(),
                    checked_by: by.iter().copied().filter(|&t| checking[t]).collect(),
                    executed_by: by,
                }
            })
            .collect();
        let executed_sites = sites.iter().filter(|s| !s.executed_by.is_empty()).count() as u64;
        let checked_sites = sites.iter().filter(|s| !s.checked_by.is_empty()).count() as u64;
        let class = if executed_by.is_empty() {
            FunctionClass::Uncovered
        } else if sites.is_empty() {
            FunctionClass::NoErrorPaths
        } else if executed_sites == 0 {
            FunctionClass::Untested
        } else if checked_sites == 0 {
            FunctionClass::Unchecked
        } else {
            FunctionClass::Checked
        };
        let figures = file_figures.entry(f.file.as_str()).or_default();
        figures.error_sites += sites.len() as u64;
        figures.error_sites_executed += executed_sites;
        figures.error_sites_checked += checked_sites;
        functions.push(FunctionEntry {
            package: f.package.clone(),
            name: f.name.clone(),
            file: f.file.clone(),
            line: f.line,
            end_line: f.end_line,
            class,
            lines_coverable: own_lines.len() as u64,
            lines_raw: raw,
            lines_meaningful: mean,
            error_sites: sites.len() as u64,
            error_sites_executed: executed_sites,
            error_sites_checked: checked_sites,
            executed_by: executed_by.into_iter().collect(),
            sites,
            prove: None,
        });
    }

    let mut total = Figures::default();
    let mut per_package: BTreeMap<String, Figures> = BTreeMap::new();
    for file in &mut files {
        let fig = file_figures.remove(file.file.as_str()).unwrap_or_default();
        file.raw_line_coverage = fig.raw();
        file.meaningful_line_coverage = fig.meaningful();
        file.truth_ratio = fig.truth();
        total.add(&fig);
        per_package
            .entry(file.package.clone())
            .or_default()
            .add(&fig);
        file.figures = fig;
    }
    let packages = scan
        .packages
        .iter()
        .map(|p| {
            let fig = per_package.remove(&p.name).unwrap_or_default();
            PackageEntry {
                name: p.name.clone(),
                version: p.version.clone(),
                raw_line_coverage: fig.raw(),
                meaningful_line_coverage: fig.meaningful(),
                truth_ratio: fig.truth(),
                error_path_check_rate: fig.error_checks(),
                figures: fig,
            }
        })
        .collect();

    let counts = test_counts(&tests);
    let mut warnings: Vec<String> = scan.warnings.iter().map(|w| w.to_string()).collect();
    warnings.extend(run.warnings.iter().cloned());
    Report {
        schema_version: SCHEMA_VERSION,
        tool_version: tool_version.to_string(),
        workspace: scan.workspace_root.display().to_string(),
        summary: Summary {
            raw_line_coverage: total.raw(),
            meaningful_line_coverage: total.meaningful(),
            truth_ratio: total.truth(),
            error_path_check_rate: ratio(total.error_sites_checked, total.error_sites),
            lines_coverable: Some(total.lines_coverable),
            lines_raw: Some(total.lines_raw),
            lines_meaningful: Some(total.lines_meaningful),
            tests: counts,
        },
        tests,
        functions,
        files,
        packages,
        warnings,
        prove: None,
    }
}

/// A function whose file has no coverage at all (no test binary compiled it).
fn uncovered_function(f: &LibFunction) -> FunctionEntry {
    FunctionEntry {
        package: f.package.clone(),
        name: f.name.clone(),
        file: f.file.clone(),
        line: f.line,
        end_line: f.end_line,
        class: FunctionClass::Uncovered,
        lines_coverable: 0,
        lines_raw: 0,
        lines_meaningful: 0,
        error_sites: f.error_sites.len() as u64,
        error_sites_executed: 0,
        error_sites_checked: 0,
        executed_by: Vec::new(),
        sites: f
            .error_sites
            .iter()
            .map(|s| SiteEntry {
                kind: s.kind,
                line: s.start.line,
                col: s.start.col,
                text: s.text.clone(),
                executed_by: Vec::new(),
                checked_by: Vec::new(),
            })
            .collect(),
        prove: None,
    }
}

/// Coverable lines of a function: those in its span, minus the spans of functions nested in it.
fn function_lines(f: &LibFunction, all: &[LibFunction], coverable: &[u32]) -> Vec<u32> {
    let nested: Vec<(u32, u32)> = all
        .iter()
        .filter(|g| {
            g.file == f.file
                && (g.line, g.end_line) != (f.line, f.end_line)
                && f.line <= g.line
                && g.end_line <= f.end_line
        })
        .map(|g| (g.line, g.end_line))
        .collect();
    coverable
        .iter()
        .copied()
        .filter(|l| (f.line..=f.end_line).contains(l))
        .filter(|l| !nested.iter().any(|&(s, e)| (s..=e).contains(l)))
        .collect()
}

/// The package a workspace-relative file belongs to: the one with the longest matching dir.
fn package_of(scan: &Scan, file: &str) -> String {
    scan.packages
        .iter()
        .filter(|p| p.dir.is_empty() || file.starts_with(&format!("{}/", p.dir)))
        .max_by_key(|p| p.dir.len())
        .map(|p| p.name.clone())
        .unwrap_or_default()
}
