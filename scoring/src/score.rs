//! The join: static verdicts and error sites from the analyzer with per-test coverage, into
//! the report's per-line, per-function, per-file, per-package and workspace figures
//! (docs/error-paths.md and docs/scores.md). Pure: no I/O.

use crate::report::{not_built, test_counts, test_entry};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use truecov_model::report::SCHEMA_VERSION;
use truecov_model::rules::NOT_SCANNED;
use truecov_model::{
    CoverageRun, ErrorSite, Figures, FileCoverage, FileEntry, Finding, FunctionClass,
    FunctionEntry, LibFunction, PackageEntry, PackageInfo, Pos, Report, Scan, SiteEntry, Span,
    Summary, TestCoverage, TestEntry, TestId, TestOutcome, Verdict,
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
        t.repeated.retain(|file, _| out.files.contains_key(file));
        for (file, lines) in t.lines.iter_mut() {
            lines.retain(|l| keep_line(file, l));
        }
        for (file, spans) in t.regions.iter_mut() {
            spans.retain(|s| keep_span(file, s));
        }
        for (file, spans) in t.repeated.iter_mut() {
            spans.retain(|(s, _)| keep_span(file, s));
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

/// The tests of a report: the tests the binaries list, each joined with the scan's verdict of
/// it (docs/verdicts.md#states-that-are-not-verdicts). A listed test the scan did not find is
/// `unknown`, with a `test/not-scanned` finding; a scanned test that no binary lists is
/// `not_built`, with no outcome and the `cfg` that removed it when the scan knows it.
fn join_tests<'r>(
    scan: &Scan,
    run: &'r CoverageRun,
) -> (Vec<TestEntry>, Vec<Option<&'r TestCoverage>>) {
    let mut runs: BTreeMap<TestId, &TestCoverage> = run.tests.iter().map(|c| (c.id(), c)).collect();
    let mut joined: BTreeMap<TestId, (TestEntry, Option<&TestCoverage>)> = scan
        .tests
        .iter()
        .map(|t| {
            let id = t.id();
            let joined = match runs.remove(&id) {
                Some(c) => (with_run(test_entry(t), c), Some(c)),
                None => (not_built(t), None),
            };
            (id, joined)
        })
        .collect();
    joined.extend(
        runs.into_iter()
            .map(|(id, c)| (id, (with_run(not_scanned(c), c), Some(c)))),
    );
    joined.into_values().unzip()
}

/// A test's entry with how its run ended.
fn with_run(entry: TestEntry, c: &TestCoverage) -> TestEntry {
    TestEntry {
        outcome: Some(c.outcome),
        duration_ms: Some(c.duration_ms),
        failure: (!c.output.is_empty()).then(|| c.output.clone()),
        ..entry
    }
}

/// The entry of a listed test that the scan did not find: `unknown`.
fn not_scanned(c: &TestCoverage) -> TestEntry {
    TestEntry {
        package: c.package.clone(),
        target: c.target.clone(),
        name: c.name.clone(),
        file: String::new(),
        line: 0,
        verdict: Verdict::Unknown,
        ignored: c.outcome == TestOutcome::Ignored,
        outcome: None,
        duration_ms: None,
        observes_errors: false,
        findings: vec![Finding {
            rule: NOT_SCANNED.to_string(),
            line: 0,
            message: "the test binary lists this test but the scan could not read its body \
                      (a macro it cannot expand wrote it?): its verdict is unknown, so it counts \
                      in no verdict and its lines only as raw coverage"
                .to_string(),
        }],
        cfg_off: None,
        failure: None,
    }
}

/// Joins a scan with the coverage of the same workspace into a report, in the steps below:
/// library coverage only, tests joined with their runs, which tests count for what, who
/// executed each line and region, then files, functions, and the sums of packages and
/// workspace.
pub fn score(scan: &Scan, coverage: &CoverageRun, tool_version: &str) -> Report {
    let run = library_only(coverage, scan);
    let (tests, runs) = join_tests(scan, &run);
    let roles = TestRoles::of(&tests);
    let executions = Executions::index(&runs);
    let mut files = score_files(scan, &run, &executions, &roles);
    let functions: Vec<FunctionEntry> = scan
        .functions
        .iter()
        .map(|f| match run.files.get(&f.file) {
            None => uncovered_function(f),
            Some(cov) => score_function(f, &scan.functions, cov, &executions, &roles),
        })
        .collect();
    add_error_sites(&mut files, &functions);
    let (total, packages) = roll_up(&mut files, &scan.packages);
    let mut warnings: Vec<String> = scan.warnings.iter().map(|w| w.to_string()).collect();
    warnings.extend(run.warnings.iter().cloned());
    Report {
        schema_version: SCHEMA_VERSION,
        tool_version: tool_version.to_string(),
        workspace: scan.workspace_root.display().to_string(),
        summary: summary(&total, &tests),
        tests,
        functions,
        files,
        packages,
        warnings,
        prove: None,
    }
}

/// What each test's runs count for, by index into the report's tests.
struct TestRoles {
    /// Its lines count as meaningful ([`TestEntry::counts_as_meaningful`]).
    meaningful: Vec<bool>,
    /// It checks the error sites it executes: meaningful, and it observes failures.
    checks_errors: Vec<bool>,
}

impl TestRoles {
    fn of(tests: &[TestEntry]) -> Self {
        let meaningful: Vec<bool> = tests.iter().map(TestEntry::counts_as_meaningful).collect();
        let checks_errors = tests
            .iter()
            .zip(&meaningful)
            .map(|(t, m)| *m && t.observes_errors)
            .collect();
        TestRoles {
            meaningful,
            checks_errors,
        }
    }
}

/// Per file, which tests (by index) executed each line and each region.
#[derive(Default)]
struct Executions<'r> {
    lines: HashMap<&'r str, BTreeMap<u32, Vec<usize>>>,
    regions: HashMap<&'r str, HashMap<Span, Vec<usize>>>,
    /// How often a test ran a region, per file, where more than once.
    repeated: HashMap<&'r str, HashMap<(Span, usize), u64>>,
    no_lines: BTreeMap<u32, Vec<usize>>,
    no_regions: HashMap<Span, Vec<usize>>,
}

impl<'r> Executions<'r> {
    /// The index of the runs of the report's tests (`None`: the test did not run).
    fn index(runs: &[Option<&'r TestCoverage>]) -> Self {
        let mut index = Executions::default();
        for (i, r) in runs.iter().enumerate() {
            let Some(r) = r else { continue };
            for (file, lines) in &r.lines {
                let per_line = index.lines.entry(file.as_str()).or_default();
                for l in lines {
                    per_line.entry(*l).or_default().push(i);
                }
            }
            for (file, spans) in &r.regions {
                let per_region = index.regions.entry(file.as_str()).or_default();
                for s in spans {
                    per_region.entry(*s).or_default().push(i);
                }
            }
            for (file, spans) in &r.repeated {
                let repeated = index.repeated.entry(file.as_str()).or_default();
                repeated.extend(spans.iter().map(|(s, n)| ((*s, i), *n)));
            }
        }
        index
    }

    /// The tests that executed each line of `file`.
    fn lines(&self, file: &str) -> &BTreeMap<u32, Vec<usize>> {
        self.lines.get(file).unwrap_or(&self.no_lines)
    }

    /// The tests that executed each region of `file`.
    fn regions(&self, file: &str) -> &HashMap<Span, Vec<usize>> {
        self.regions.get(file).unwrap_or(&self.no_regions)
    }

    /// How often test `t` ran `region` of `file`.
    fn count(&self, file: &str, region: Span, t: usize) -> u64 {
        if let Some(n) = self.repeated.get(file).and_then(|r| r.get(&(region, t))) {
            return *n;
        }
        u64::from(
            self.regions(file)
                .get(&region)
                .is_some_and(|ts| ts.contains(&t)),
        )
    }
}

/// One entry per library file with its line figures (its error sites are added by
/// [`add_error_sites`], its ratios by [`roll_up`]).
fn score_files(
    scan: &Scan,
    run: &CoverageRun,
    executions: &Executions<'_>,
    roles: &TestRoles,
) -> Vec<FileEntry> {
    run.files
        .iter()
        .map(|(file, f)| {
            let per_line = executions.lines(file);
            let executed: Vec<u32> = f
                .coverable
                .iter()
                .copied()
                .filter(|l| per_line.get(l).is_some_and(|t| !t.is_empty()))
                .collect();
            let meaningful: Vec<u32> = executed
                .iter()
                .copied()
                .filter(|l| per_line[l].iter().any(|&t| roles.meaningful[t]))
                .collect();
            FileEntry {
                package: package_of(scan, file),
                file: file.clone(),
                figures: Figures {
                    lines_coverable: f.coverable.len() as u64,
                    lines_raw: executed.len() as u64,
                    lines_meaningful: meaningful.len() as u64,
                    ..Figures::default()
                },
                raw_line_coverage: None,
                meaningful_line_coverage: None,
                truth_ratio: None,
                proven_line_coverage: None,
                coverable: f.coverable.clone(),
                tests_by_line: executed.iter().map(|l| (*l, per_line[l].clone())).collect(),
                executed,
                meaningful,
                proven: None,
            }
        })
        .collect()
}

/// A library function whose file has coverage: its own lines (nested functions left out),
/// who executed them, its error sites with who executed and checked each, and its class.
fn score_function(
    f: &LibFunction,
    all: &[LibFunction],
    cov: &FileCoverage,
    executions: &Executions<'_>,
    roles: &TestRoles,
) -> FunctionEntry {
    let own_lines = function_lines(f, all, &cov.coverable);
    let per_line = executions.lines(&f.file);
    let mut executed_by: BTreeSet<usize> = BTreeSet::new();
    let (mut raw, mut meaningful) = (0u64, 0u64);
    for l in &own_lines {
        if let Some(ts) = per_line.get(l) {
            executed_by.extend(ts);
            raw += u64::from(!ts.is_empty());
            meaningful += u64::from(ts.iter().any(|&t| roles.meaningful[t]));
        }
    }
    let sites: Vec<SiteEntry> = f
        .error_sites
        .iter()
        .map(|s| {
            let by = site_executed_by(s, f, &cov.regions, executions);
            SiteEntry {
                checked_by: by
                    .iter()
                    .copied()
                    .filter(|&t| roles.checks_errors[t])
                    .collect(),
                executed_by: by,
                ..site_entry(s)
            }
        })
        .collect();
    let counted = || sites.iter().filter(|s| s.kind.counts());
    let executed_sites = counted().filter(|s| !s.executed_by.is_empty()).count() as u64;
    let checked_sites = counted().filter(|s| !s.checked_by.is_empty()).count() as u64;
    FunctionEntry {
        class: class_of(
            !executed_by.is_empty(),
            counted().count() as u64,
            executed_sites,
            checked_sites,
        ),
        lines_coverable: own_lines.len() as u64,
        lines_raw: raw,
        lines_meaningful: meaningful,
        error_sites_executed: executed_sites,
        error_sites_checked: checked_sites,
        executed_by: executed_by.into_iter().collect(),
        sites,
        ..uncovered_function(f)
    }
}

/// The tests that executed the error branch of site `s` of function `f`
/// (docs/error-paths.md#executed): those that ran its region, except, for an assertion (whose
/// failing branch has no region of its own), those that ran the first region after it as
/// often, as a test that only ever passed the assertion does.
fn site_executed_by(
    s: &ErrorSite,
    f: &LibFunction,
    regions: &[Span],
    executions: &Executions<'_>,
) -> Vec<usize> {
    let Some(held) = holding_region(regions, s.start, s.end) else {
        return Vec::new();
    };
    let by = executions
        .regions(&f.file)
        .get(&held)
        .cloned()
        .unwrap_or_default();
    if !s.kind.guards() {
        return by;
    }
    let after = regions
        .iter()
        .filter(|r| {
            (r.start_line, r.start_col) >= (s.end.line, s.end.col) && r.start_line <= f.end_line
        })
        .min_by_key(|r| (r.start_line, r.start_col))
        .copied();
    let Some(after) = after else {
        return Vec::new();
    };
    by.into_iter()
        .filter(|&t| executions.count(&f.file, held, t) > executions.count(&f.file, after, t))
        .collect()
}

/// A function's class (docs/error-paths.md#function-classes) from whether tests executed it
/// and how many of its error sites there are, were executed and were checked.
fn class_of(executed: bool, sites: u64, executed_sites: u64, checked_sites: u64) -> FunctionClass {
    if !executed {
        FunctionClass::Uncovered
    } else if sites == 0 {
        FunctionClass::NoErrorPaths
    } else if executed_sites == 0 {
        FunctionClass::Untested
    } else if checked_sites == 0 {
        FunctionClass::Unchecked
    } else {
        FunctionClass::Checked
    }
}

/// Adds the error sites of the functions of each file (with coverage) to the file's figures.
fn add_error_sites(files: &mut [FileEntry], functions: &[FunctionEntry]) {
    let mut by_path: HashMap<&str, &mut Figures> = files
        .iter_mut()
        .map(|f| (f.file.as_str(), &mut f.figures))
        .collect();
    for f in functions {
        if let Some(figures) = by_path.get_mut(f.file.as_str()) {
            figures.error_sites += f.error_sites;
            figures.error_sites_executed += f.error_sites_executed;
            figures.error_sites_checked += f.error_sites_checked;
        }
    }
}

/// Sets each file's ratios and sums the files into their packages (one entry per scanned
/// package, in the scan's order) and the workspace total.
fn roll_up(files: &mut [FileEntry], packages: &[PackageInfo]) -> (Figures, Vec<PackageEntry>) {
    let mut total = Figures::default();
    let mut per_package: BTreeMap<&str, Figures> = BTreeMap::new();
    for file in files.iter_mut() {
        let fig = &file.figures;
        file.raw_line_coverage = fig.raw();
        file.meaningful_line_coverage = fig.meaningful();
        file.truth_ratio = fig.truth();
        total.add(fig);
        per_package.entry(&file.package).or_default().add(fig);
    }
    let packages = packages
        .iter()
        .map(|p| {
            let fig = per_package.remove(p.name.as_str()).unwrap_or_default();
            PackageEntry {
                name: p.name.clone(),
                version: p.version.clone(),
                raw_line_coverage: fig.raw(),
                meaningful_line_coverage: fig.meaningful(),
                truth_ratio: fig.truth(),
                error_path_check_rate: fig.error_checks(),
                proven_line_coverage: None,
                figures: fig,
            }
        })
        .collect();
    (total, packages)
}

/// The headline figures of the workspace total and the tests.
fn summary(total: &Figures, tests: &[TestEntry]) -> Summary {
    Summary {
        raw_line_coverage: total.raw(),
        meaningful_line_coverage: total.meaningful(),
        truth_ratio: total.truth(),
        error_path_check_rate: total.error_checks(),
        lines_coverable: Some(total.lines_coverable),
        lines_raw: Some(total.lines_raw),
        lines_meaningful: Some(total.lines_meaningful),
        proven_line_coverage: None,
        lines_proven: None,
        tests: test_counts(tests),
    }
}

/// The entry of an error site that no test executed.
fn site_entry(s: &ErrorSite) -> SiteEntry {
    SiteEntry {
        kind: s.kind,
        line: s.start.line,
        col: s.start.col,
        text: s.text.clone(),
        executed_by: Vec::new(),
        checked_by: Vec::new(),
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
        lines_proven: None,
        error_sites: f.error_sites.iter().filter(|s| s.kind.counts()).count() as u64,
        error_sites_executed: 0,
        error_sites_checked: 0,
        executed_by: Vec::new(),
        sites: f.error_sites.iter().map(site_entry).collect(),
        prove: None,
    }
}

/// Coverable lines of a function: those in its span, minus the spans of functions nested in it.
fn function_lines(f: &LibFunction, all: &[LibFunction], coverable: &[u32]) -> Vec<u32> {
    let same_file = all
        .iter()
        .filter(|g| g.file == f.file)
        .map(|g| (g.line, g.end_line));
    own_lines((f.line, f.end_line), same_file, coverable)
}

/// The lines of `coverable` in the function spanning `span` (first and last line) that belong
/// to no function nested in it; `same_file` are the spans of the file's functions (`span`
/// itself may be among them).
pub(crate) fn own_lines(
    span: (u32, u32),
    same_file: impl Iterator<Item = (u32, u32)>,
    coverable: &[u32],
) -> Vec<u32> {
    let (first, last) = span;
    let nested: Vec<(u32, u32)> = same_file
        .filter(|&g| g != span && first <= g.0 && g.1 <= last)
        .collect();
    coverable
        .iter()
        .copied()
        .filter(|l| (first..=last).contains(l))
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

#[cfg(test)]
mod tests {
    use super::*;
    use truecov_model::{LineRange, SiteKind, TestCase, Warning};

    fn span(start_line: u32, start_col: u32, end_line: u32, end_col: u32) -> Span {
        Span {
            start_line,
            start_col,
            end_line,
            end_col,
        }
    }

    fn pos(line: u32, col: u32) -> Pos {
        Pos { line, col }
    }

    fn entry(verdict: Verdict, observes_errors: bool, outcome: Option<TestOutcome>) -> TestEntry {
        TestEntry {
            package: "p".into(),
            target: "lib".into(),
            name: "t".into(),
            file: "src/lib.rs".into(),
            line: 1,
            verdict,
            ignored: false,
            outcome,
            duration_ms: None,
            observes_errors,
            findings: Vec::new(),
            cfg_off: None,
            failure: None,
        }
    }

    fn case(name: &str, verdict: Verdict, observes_errors: bool) -> TestCase {
        TestCase {
            package: "p".into(),
            target: "lib".into(),
            name: name.into(),
            file: "src/lib.rs".into(),
            line: 40,
            verdict,
            ignored: false,
            should_panic: false,
            observes_errors,
            findings: Vec::new(),
            oracles: Vec::new(),
            cfg_off: None,
        }
    }

    /// A test's coverage: lines and regions per file.
    fn ran(
        name: &str,
        outcome: TestOutcome,
        lines: &[(&str, &[u32])],
        regions: &[(&str, &[Span])],
    ) -> TestCoverage {
        TestCoverage {
            package: "p".into(),
            target: "lib".into(),
            name: name.into(),
            outcome,
            duration_ms: 5,
            lines: lines
                .iter()
                .map(|(f, l)| (f.to_string(), l.to_vec()))
                .collect(),
            regions: regions
                .iter()
                .map(|(f, r)| (f.to_string(), r.to_vec()))
                .collect(),
            repeated: BTreeMap::new(),
            output: String::new(),
        }
    }

    fn site(kind: SiteKind, start: Pos, end: Pos) -> ErrorSite {
        ErrorSite {
            kind,
            start,
            end,
            text: kind.as_str().into(),
        }
    }

    fn function(name: &str, file: &str, lines: (u32, u32), sites: Vec<ErrorSite>) -> LibFunction {
        LibFunction {
            package: "p".into(),
            name: name.into(),
            file: file.into(),
            line: lines.0,
            body_start: pos(lines.0, 20),
            end_line: lines.1,
            error_sites: sites,
        }
    }

    fn file_entry(package: &str, file: &str, figures: Figures) -> FileEntry {
        FileEntry {
            package: package.into(),
            file: file.into(),
            figures,
            raw_line_coverage: None,
            meaningful_line_coverage: None,
            truth_ratio: None,
            proven_line_coverage: None,
            coverable: Vec::new(),
            executed: Vec::new(),
            meaningful: Vec::new(),
            proven: None,
            tests_by_line: BTreeMap::new(),
        }
    }

    fn figures(lines: [u64; 3], sites: [u64; 3]) -> Figures {
        Figures {
            lines_coverable: lines[0],
            lines_raw: lines[1],
            lines_meaningful: lines[2],
            error_sites: sites[0],
            error_sites_executed: sites[1],
            error_sites_checked: sites[2],
            lines_proven: None,
        }
    }

    fn package(name: &str, dir: &str) -> PackageInfo {
        PackageInfo {
            name: name.into(),
            version: "0.1.0".into(),
            dir: dir.into(),
        }
    }

    #[test]
    fn library_coverage_leaves_out_test_code_and_files_outside_the_library() {
        let scan = Scan {
            library_files: vec!["src/lib.rs".into()],
            test_code: vec![LineRange {
                file: "src/lib.rs".into(),
                start: 10,
                end: 12,
            }],
            ..Scan::default()
        };
        let lib = truecov_model::FileCoverage {
            coverable: vec![1, 2, 10, 11, 13],
            executed: vec![1, 10],
            regions: vec![span(1, 1, 2, 2), span(10, 1, 11, 5)],
        };
        let run = CoverageRun {
            files: [
                ("src/lib.rs".to_string(), lib),
                ("tests/t.rs".to_string(), Default::default()),
            ]
            .into(),
            tests: vec![ran(
                "t",
                TestOutcome::Passed,
                &[("src/lib.rs", &[1, 10, 13]), ("tests/t.rs", &[3])],
                &[("src/lib.rs", &[span(10, 1, 11, 5), span(13, 1, 13, 9)])],
            )],
            warnings: vec!["w".into()],
            ..CoverageRun::default()
        };
        let only = library_only(&run, &scan);
        assert_eq!(only.files.keys().collect::<Vec<_>>(), ["src/lib.rs"]);
        let f = &only.files["src/lib.rs"];
        assert_eq!(f.coverable, [1, 2, 13]);
        assert_eq!(f.executed, [1]);
        assert_eq!(f.regions, [span(1, 1, 2, 2)]);
        let t = &only.tests[0];
        assert_eq!(t.lines, [("src/lib.rs".to_string(), vec![1, 13])].into());
        assert_eq!(t.regions["src/lib.rs"], [span(13, 1, 13, 9)]);
        assert_eq!(only.warnings, ["w"]);
    }

    #[test]
    fn a_site_meets_the_first_region_inside_it_else_the_innermost_that_holds_it() {
        let regions = [
            span(1, 1, 9, 2),
            span(3, 5, 4, 9),
            span(5, 12, 5, 20),
            span(5, 14, 5, 18),
        ];
        // `return Err(..)`: rustc's region starts at `Err`, inside the site.
        assert_eq!(
            holding_region(&regions, pos(5, 5), pos(5, 21)),
            Some(span(5, 12, 5, 20))
        );
        // An `assert!` with no region of its own: the innermost region around it.
        assert_eq!(
            holding_region(&regions, pos(3, 7), pos(3, 9)),
            Some(span(3, 5, 4, 9))
        );
        assert_eq!(holding_region(&regions, pos(20, 1), pos(20, 3)), None);
    }

    #[test]
    fn tests_are_those_the_binaries_list_joined_with_the_scan() {
        let mut b = case("b", Verdict::Smoke, false);
        b.cfg_off = Some(truecov_model::CfgOff {
            cfg: "miri".into(),
            certain: true,
        });
        b.findings = vec![Finding {
            rule: "test/smoke-only".into(),
            line: 40,
            message: "..".into(),
        }];
        let scan = Scan {
            tests: vec![case("a", Verdict::Meaningful, true), b],
            ..Scan::default()
        };
        let run = CoverageRun {
            tests: vec![
                ran("z", TestOutcome::Ignored, &[], &[]),
                ran("a", TestOutcome::Passed, &[("src/lib.rs", &[2])], &[]),
            ],
            ..CoverageRun::default()
        };
        let (tests, runs) = join_tests(&scan, &run);
        let names: Vec<&str> = tests.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "z"]);
        assert_eq!(
            (tests[0].outcome, tests[0].duration_ms, tests[0].line),
            (Some(TestOutcome::Passed), Some(5), 40)
        );
        assert_eq!(runs[0].map(|r| r.name.as_str()), Some("a"));
        assert!(tests[0].observes_errors);
        let b = &tests[1];
        assert_eq!((b.outcome, runs[1]), (None, None), "in no binary: not run");
        assert_eq!(
            (b.verdict, b.cfg_off.as_deref(), b.findings.len()),
            (Verdict::NotBuilt, Some("miri"), 0)
        );
        let z = &tests[2];
        assert_eq!(
            (z.verdict, z.ignored, z.outcome, z.line),
            (Verdict::Unknown, true, Some(TestOutcome::Ignored), 0)
        );
        assert_eq!(z.findings[0].rule, NOT_SCANNED);
        assert_eq!(
            (&tests[0].failure, &z.failure),
            (&None, &None),
            "nothing printed"
        );
    }

    #[test]
    fn a_failed_test_keeps_what_it_printed() {
        let scan = Scan {
            tests: vec![case("a", Verdict::Meaningful, false)],
            ..Scan::default()
        };
        let mut failed = ran("a", TestOutcome::Failed, &[], &[]);
        failed.output = "panicked at src/lib.rs:3:9:\nboom".into();
        let run = CoverageRun {
            tests: vec![failed],
            ..CoverageRun::default()
        };
        let (tests, _) = join_tests(&scan, &run);
        assert_eq!(
            tests[0].failure.as_deref(),
            Some("panicked at src/lib.rs:3:9:\nboom")
        );
        assert!(tests[0].failed());
    }

    #[test]
    fn an_unknown_test_counts_as_raw_coverage_only() {
        let scan = Scan {
            workspace_root: "/w".into(),
            packages: vec![package("p", "")],
            ..Scan::default()
        };
        let mut files = BTreeMap::new();
        files.insert(
            "src/lib.rs".to_string(),
            truecov_model::FileCoverage {
                coverable: vec![2, 3],
                executed: vec![2],
                regions: Vec::new(),
            },
        );
        let run = CoverageRun {
            files,
            tests: vec![ran(
                "gen",
                TestOutcome::Passed,
                &[("src/lib.rs", &[2])],
                &[],
            )],
            ..CoverageRun::default()
        };
        let scan = Scan {
            library_files: vec!["src/lib.rs".into()],
            ..scan
        };
        let r = score(&scan, &run, "9.9.9");
        assert_eq!(r.tests[0].verdict, Verdict::Unknown);
        assert_eq!(
            (r.summary.lines_raw, r.summary.lines_meaningful),
            (Some(1), Some(0))
        );
        let c = &r.summary.tests;
        assert_eq!((c.total, c.unknown, c.assertion_free), (1, 1, 0));
    }

    #[test]
    fn only_passing_meaningful_tests_count_and_of_those_the_error_observers_check() {
        let tests = [
            entry(Verdict::Meaningful, true, Some(TestOutcome::Passed)),
            entry(Verdict::Meaningful, true, Some(TestOutcome::Failed)),
            entry(Verdict::Smoke, true, Some(TestOutcome::Passed)),
            entry(Verdict::Meaningful, false, Some(TestOutcome::Passed)),
            entry(Verdict::Meaningful, true, None),
        ];
        let roles = TestRoles::of(&tests);
        assert_eq!(roles.meaningful, [true, false, false, true, false]);
        assert_eq!(roles.checks_errors, [true, false, false, false, false]);
    }

    #[test]
    fn executions_list_the_tests_of_every_line_and_region() {
        let a = ran(
            "a",
            TestOutcome::Passed,
            &[("f.rs", &[1, 2])],
            &[("f.rs", &[span(1, 1, 2, 5)])],
        );
        let c = ran(
            "c",
            TestOutcome::Failed,
            &[("f.rs", &[2]), ("g.rs", &[7])],
            &[("f.rs", &[span(1, 1, 2, 5)])],
        );
        let runs = [Some(&a), None, Some(&c)];
        let ex = Executions::index(&runs);
        assert_eq!(ex.lines("f.rs"), &[(1, vec![0]), (2, vec![0, 2])].into());
        assert_eq!(ex.lines("g.rs"), &[(7, vec![2])].into());
        assert!(ex.lines("h.rs").is_empty());
        assert_eq!(ex.regions("f.rs")[&span(1, 1, 2, 5)], [0, 2]);
        assert!(ex.regions("g.rs").is_empty());
    }

    #[test]
    fn files_count_coverable_lines_run_by_any_test_and_by_a_meaningful_one() {
        let scan = Scan {
            packages: vec![package("root", ""), package("sub", "sub")],
            ..Scan::default()
        };
        let run = CoverageRun {
            files: [
                (
                    "src/lib.rs".to_string(),
                    truecov_model::FileCoverage {
                        coverable: vec![1, 2, 3, 4],
                        ..Default::default()
                    },
                ),
                (
                    "sub/src/lib.rs".to_string(),
                    truecov_model::FileCoverage {
                        coverable: vec![1],
                        ..Default::default()
                    },
                ),
            ]
            .into(),
            ..CoverageRun::default()
        };
        let good = ran("good", TestOutcome::Passed, &[("src/lib.rs", &[1, 2])], &[]);
        // Line 9 holds no code: it is no executed line of the file.
        let weak = ran(
            "weak",
            TestOutcome::Passed,
            &[("src/lib.rs", &[2, 3, 9])],
            &[],
        );
        let runs = [Some(&good), Some(&weak)];
        let roles = TestRoles {
            meaningful: vec![true, false],
            checks_errors: vec![false, false],
        };
        let files = score_files(&scan, &run, &Executions::index(&runs), &roles);
        let lib = &files[0];
        assert_eq!(
            (lib.package.as_str(), lib.file.as_str()),
            ("root", "src/lib.rs")
        );
        assert_eq!(lib.executed, [1, 2, 3]);
        assert_eq!(lib.meaningful, [1, 2]);
        assert_eq!(
            lib.tests_by_line,
            [(1, vec![0]), (2, vec![0, 1]), (3, vec![1])].into()
        );
        assert_eq!(lib.figures, figures([4, 3, 2], [0, 0, 0]));
        let sub = &files[1];
        assert_eq!(
            (sub.package.as_str(), sub.file.as_str()),
            ("sub", "sub/src/lib.rs")
        );
        assert_eq!(sub.figures, figures([1, 0, 0], [0, 0, 0]));
    }

    #[test]
    fn a_function_counts_its_own_lines_and_who_executed_and_checked_its_sites() {
        let err = site(SiteKind::ReturnErr, pos(2, 5), pos(2, 20));
        let question = site(SiteKind::QuestionMark, pos(8, 10), pos(8, 11));
        let panic = site(SiteKind::Panic, pos(11, 1), pos(11, 5));
        let outer = function("outer", "src/lib.rs", (1, 11), vec![err, question, panic]);
        let nested = function("outer::inner", "src/lib.rs", (5, 7), Vec::new());
        let all = [outer.clone(), nested];
        let cov = truecov_model::FileCoverage {
            coverable: vec![1, 2, 3, 5, 6, 7, 8, 10, 11],
            executed: Vec::new(),
            regions: vec![span(2, 12, 2, 19), span(8, 10, 8, 11), span(11, 1, 11, 5)],
        };
        // Test 0 is meaningful and observes errors; test 1 is smoke. Line 6 is the nested
        // function's.
        let checker = ran(
            "checker",
            TestOutcome::Passed,
            &[("src/lib.rs", &[1, 2, 6, 8])],
            &[("src/lib.rs", &[span(8, 10, 8, 11)])],
        );
        let smoke = ran(
            "smoke",
            TestOutcome::Passed,
            &[("src/lib.rs", &[2, 3, 10])],
            &[("src/lib.rs", &[span(2, 12, 2, 19)])],
        );
        let runs = [Some(&checker), Some(&smoke)];
        let roles = TestRoles {
            meaningful: vec![true, false],
            checks_errors: vec![true, false],
        };
        let f = score_function(&outer, &all, &cov, &Executions::index(&runs), &roles);
        // Own lines 1 2 3 8 10 11; run: 1 2 3 8 10; by the meaningful test: 1 2 8.
        assert_eq!(
            (f.lines_coverable, f.lines_raw, f.lines_meaningful),
            (6, 5, 3)
        );
        assert_eq!(f.executed_by, [0, 1]);
        let by: Vec<(SiteKind, &[usize], &[usize])> = f
            .sites
            .iter()
            .map(|s| (s.kind, &s.executed_by[..], &s.checked_by[..]))
            .collect();
        assert_eq!(
            by,
            [
                (SiteKind::ReturnErr, &[1][..], &[][..]),
                (SiteKind::QuestionMark, &[0][..], &[0][..]),
                (SiteKind::Panic, &[][..], &[][..]),
            ]
        );
        assert_eq!(
            (f.error_sites, f.error_sites_executed, f.error_sites_checked),
            (3, 2, 1)
        );
        assert_eq!(f.class, FunctionClass::Checked);
        assert_eq!((f.name.as_str(), f.line, f.end_line), ("outer", 1, 11));
        assert_eq!(f.sites[1].col, 10);
    }

    /// Regions as rustc emits them for a `deposit` whose lines 2 and 3 are an `assert!` and a
    /// `debug_assert!` (checked with `cargo llvm-cov --json`): `assert` and its condition have
    /// regions, its panic branch none, so a test that ran the assertion and then the next
    /// statement passed it.
    #[test]
    fn an_assertion_executed_its_error_path_only_when_the_code_after_it_did_not_run() {
        let assert = site(SiteKind::Assert, pos(2, 5), pos(2, 44));
        let deposit = function(
            "deposit",
            "src/lib.rs",
            (1, 5),
            vec![assert, invariant_site()],
        );
        let cov = truecov_model::FileCoverage {
            coverable: vec![1, 2, 3, 4, 5],
            executed: Vec::new(),
            regions: vec![
                span(1, 1, 1, 48),
                span(2, 5, 2, 12),
                span(2, 13, 2, 23),
                span(3, 5, 3, 18),
                span(4, 5, 4, 17),
                span(5, 1, 5, 2),
            ],
        };
        let up_to = |line: u32| -> Vec<Span> {
            cov.regions
                .iter()
                .copied()
                .filter(|r| r.start_line <= line)
                .collect()
        };
        let passes = ran(
            "passes",
            TestOutcome::Passed,
            &[("src/lib.rs", &[1, 2, 3, 4, 5])],
            &[("src/lib.rs", &up_to(5))],
        );
        let trips = ran(
            "trips",
            TestOutcome::Passed,
            &[("src/lib.rs", &[1, 2])],
            &[("src/lib.rs", &up_to(2))],
        );
        // Deposits twice, the second time zero: the assertion ran twice, what follows once.
        let mut twice = passes.clone();
        twice.name = "passes_then_trips".into();
        twice.repeated = [("src/lib.rs".to_string(), vec![(span(2, 5, 2, 12), 2)])].into();
        let roles = TestRoles {
            meaningful: vec![true, true, true],
            checks_errors: vec![true, true, true],
        };
        let runs = [Some(&passes), Some(&trips), Some(&twice)];
        let f = score_function(
            &deposit,
            std::slice::from_ref(&deposit),
            &cov,
            &Executions::index(&runs),
            &roles,
        );
        let by: Vec<(SiteKind, &[usize])> = f
            .sites
            .iter()
            .map(|s| (s.kind, &s.executed_by[..]))
            .collect();
        assert_eq!(
            by,
            [
                (SiteKind::Assert, &[1, 2][..]),
                (SiteKind::Invariant, &[][..])
            ]
        );
        assert_eq!(
            (f.error_sites, f.error_sites_executed, f.error_sites_checked),
            (1, 1, 1),
            "the invariant counts in no rate"
        );
        assert_eq!(f.class, FunctionClass::Checked);

        let only_passing = [Some(&passes), None, None];
        let f = score_function(
            &deposit,
            std::slice::from_ref(&deposit),
            &cov,
            &Executions::index(&only_passing),
            &roles,
        );
        assert_eq!(
            f.class,
            FunctionClass::Untested,
            "a passing assert ran no error path"
        );
        let invariants_only = function("audit", "src/lib.rs", (1, 5), vec![invariant_site()]);
        let f = score_function(
            &invariants_only,
            std::slice::from_ref(&invariants_only),
            &cov,
            &Executions::index(&only_passing),
            &roles,
        );
        assert_eq!(f.class, FunctionClass::NoErrorPaths);
    }

    fn invariant_site() -> ErrorSite {
        site(SiteKind::Invariant, pos(3, 5), pos(3, 21))
    }

    #[test]
    fn a_function_of_a_file_no_binary_compiled_is_uncovered_with_its_sites() {
        let f = uncovered_function(&function(
            "f",
            "src/off.rs",
            (3, 9),
            vec![site(SiteKind::Bail, pos(4, 5), pos(4, 12))],
        ));
        assert_eq!(f.class, FunctionClass::Uncovered);
        assert_eq!(
            (f.lines_coverable, f.error_sites, f.error_sites_executed),
            (0, 1, 0)
        );
        assert_eq!((f.sites[0].kind, f.sites[0].line), (SiteKind::Bail, 4));
    }

    #[test]
    fn classes_follow_execution_then_sites_executed_then_checked() {
        use FunctionClass::*;
        assert_eq!(class_of(false, 2, 0, 0), Uncovered);
        assert_eq!(class_of(false, 0, 0, 0), Uncovered);
        assert_eq!(class_of(true, 0, 0, 0), NoErrorPaths);
        assert_eq!(class_of(true, 2, 0, 0), Untested);
        assert_eq!(class_of(true, 2, 2, 0), Unchecked);
        assert_eq!(class_of(true, 2, 1, 1), Checked);
    }

    #[test]
    fn files_add_up_the_error_sites_of_their_functions() {
        let mut files = [
            file_entry("p", "a.rs", figures([4, 2, 1], [0, 0, 0])),
            file_entry("p", "b.rs", figures([1, 1, 1], [0, 0, 0])),
        ];
        let with_sites = |file: &str, sites: [u64; 3]| FunctionEntry {
            error_sites: sites[0],
            error_sites_executed: sites[1],
            error_sites_checked: sites[2],
            ..uncovered_function(&function("f", file, (1, 2), Vec::new()))
        };
        let functions = [
            with_sites("a.rs", [2, 1, 1]),
            with_sites("a.rs", [3, 2, 0]),
            with_sites("off.rs", [7, 0, 0]),
        ];
        add_error_sites(&mut files, &functions);
        assert_eq!(files[0].figures, figures([4, 2, 1], [5, 3, 1]));
        assert_eq!(files[1].figures, figures([1, 1, 1], [0, 0, 0]));
    }

    #[test]
    fn files_roll_up_into_their_packages_and_the_workspace() {
        let mut files = [
            file_entry("root", "src/lib.rs", figures([4, 3, 2], [2, 1, 1])),
            file_entry("root", "src/m.rs", figures([6, 3, 0], [0, 0, 0])),
            file_entry("sub", "sub/src/lib.rs", figures([0, 0, 0], [0, 0, 0])),
        ];
        let scanned = [
            package("root", ""),
            package("sub", "sub"),
            package("other", "o"),
        ];
        let (total, packages) = roll_up(&mut files, &scanned);
        assert_eq!(
            (
                files[0].raw_line_coverage,
                files[0].meaningful_line_coverage,
                files[0].truth_ratio
            ),
            (Some(0.75), Some(0.5), Some(2.0 / 3.0))
        );
        assert_eq!(files[2].raw_line_coverage, None);
        assert_eq!(total, figures([10, 6, 2], [2, 1, 1]));
        let root = &packages[0];
        assert_eq!(root.figures, figures([10, 6, 2], [2, 1, 1]));
        assert_eq!(
            (
                root.raw_line_coverage,
                root.meaningful_line_coverage,
                root.truth_ratio,
                root.error_path_check_rate
            ),
            (Some(0.6), Some(0.2), Some(1.0 / 3.0), Some(0.5))
        );
        let names: Vec<&str> = packages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["root", "sub", "other"]);
        assert_eq!(
            (
                packages[1].raw_line_coverage,
                packages[1].error_path_check_rate
            ),
            (None, None)
        );
        assert_eq!(packages[2].figures, Figures::default());
    }

    #[test]
    fn the_summary_gives_the_totals_ratios_and_test_counts() {
        let tests = [
            entry(Verdict::Meaningful, false, Some(TestOutcome::Passed)),
            entry(Verdict::Smoke, false, Some(TestOutcome::Crashed)),
        ];
        let s = summary(&figures([10, 6, 2], [4, 2, 1]), &tests);
        assert_eq!(
            (
                s.raw_line_coverage,
                s.meaningful_line_coverage,
                s.truth_ratio,
                s.error_path_check_rate
            ),
            (Some(0.6), Some(0.2), Some(1.0 / 3.0), Some(0.25))
        );
        assert_eq!(
            (s.lines_coverable, s.lines_raw, s.lines_meaningful),
            (Some(10), Some(6), Some(2))
        );
        assert_eq!(
            (
                s.tests.total,
                s.tests.meaningful,
                s.tests.smoke,
                s.tests.failed
            ),
            (2, 1, 1, 1)
        );
    }

    #[test]
    fn a_whole_score_of_one_function_run_by_one_meaningful_test() {
        let scan = Scan {
            workspace_root: "/w".into(),
            packages: vec![package("p", "")],
            tests: vec![case("checks", Verdict::Meaningful, true)],
            functions: vec![
                function(
                    "parse",
                    "src/lib.rs",
                    (1, 4),
                    vec![site(SiteKind::QuestionMark, pos(2, 9), pos(2, 10))],
                ),
                function("gone", "src/off.rs", (1, 2), Vec::new()),
            ],
            library_files: vec!["src/lib.rs".into()],
            warnings: vec![Warning {
                file: "src/bad.rs".into(),
                message: "does not parse".into(),
            }],
            ..Scan::default()
        };
        let run = CoverageRun {
            files: [(
                "src/lib.rs".to_string(),
                truecov_model::FileCoverage {
                    coverable: vec![1, 2, 3, 4],
                    executed: vec![1, 2],
                    regions: vec![span(2, 9, 2, 10)],
                },
            )]
            .into(),
            tests: vec![ran(
                "checks",
                TestOutcome::Passed,
                &[("src/lib.rs", &[1, 2])],
                &[("src/lib.rs", &[span(2, 9, 2, 10)])],
            )],
            warnings: vec!["a profile was empty".into()],
            ..CoverageRun::default()
        };
        let r = score(&scan, &run, "9.9.9");
        assert_eq!(
            (r.tool_version.as_str(), r.workspace.as_str()),
            ("9.9.9", "/w")
        );
        assert_eq!(
            (
                r.summary.raw_line_coverage,
                r.summary.meaningful_line_coverage
            ),
            (Some(0.5), Some(0.5))
        );
        assert_eq!(r.summary.error_path_check_rate, Some(1.0));
        let classes: Vec<FunctionClass> = r.functions.iter().map(|f| f.class).collect();
        assert_eq!(classes, [FunctionClass::Checked, FunctionClass::Uncovered]);
        assert_eq!(r.files[0].figures, figures([4, 2, 2], [1, 1, 1]));
        assert_eq!(r.packages[0].error_path_check_rate, Some(1.0));
        assert_eq!(
            r.warnings,
            ["src/bad.rs: does not parse", "a profile was empty"]
        );
    }
}
