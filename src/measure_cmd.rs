//! The measurement shared by `run` and `coverage`: the static scan, then the instrumented build
//! and per-test runs of the same selection, restricted to the scan's library files.

use crate::cli::{BuildArgs, Global};
use crate::progress::Progress;
use crate::workspace::selection;
use anyhow::Context;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Duration;
use truecov_analyzer::DOCTEST_TARGET;
use truecov_coverage::archive;
use truecov_coverage::measure::{measure, Built, MeasureOptions, Measurement};
use truecov_coverage::run::{BuildOptions, RunOptions};
use truecov_db::Provenance;
use truecov_model::{
    CoverageRun, Doctests, Package, PackageId, Scan, Selection, TestCase, TestId, Workspace,
};

/// A scan and the coverage of the same packages.
pub struct Measured {
    /// The workspace, as loaded for both.
    pub workspace: Workspace,
    /// The static scan.
    pub scan: Scan,
    /// Per-test coverage of library files (test code inside them still included); only the
    /// part's tests with `--partition`.
    pub coverage: CoverageRun,
    /// Every test of the whole run, in its order.
    pub tests: Vec<TestId>,
    /// Where the code and build come from (the archive's, for an archived build).
    pub provenance: Provenance,
}

/// The archive's file holding the scan.
const SCAN_FILE: &str = "scan.json";
/// The archive's file holding the provenance of the build.
const PROVENANCE_FILE: &str = "provenance.json";

/// Scans, builds, runs and decodes; with `--archive`, runs the archived build instead.
pub fn run(global: &Global, build: &BuildArgs) -> anyhow::Result<Measured> {
    if let Some(archive) = &build.archive {
        return run_archived(global, build, archive);
    }
    let (ws, scan, doctests) = scanned(global, build)?;
    let provenance = crate::provenance::of(&ws, build);
    let measurement = with_options(global, build, &ws, &scan, doctests, |options, on_event| {
        measure(&ws, options, on_event)
    })?;
    Ok(measured(global, ws, scan, measurement, provenance))
}

/// Scans and builds, for `archive`: the workspace, the scan and the build.
pub fn build_only(global: &Global, build: &BuildArgs) -> anyhow::Result<(Workspace, Scan, Built)> {
    let (ws, scan, doctests) = scanned(global, build)?;
    let built = with_options(global, build, &ws, &scan, doctests, |options, on_event| {
        truecov_coverage::measure::build(&ws, options, on_event)
    })?;
    Ok((ws, scan, built))
}

/// Writes the archive of a build: its binaries and runner's facts, the scan and provenance.
pub fn pack(
    path: &Path,
    ws: &Workspace,
    scan: &Scan,
    built: &Built,
    provenance: &Provenance,
) -> anyhow::Result<()> {
    let extra = [
        (SCAN_FILE, serde_json::to_vec(scan)?),
        (PROVENANCE_FILE, serde_json::to_vec(provenance)?),
    ];
    Ok(archive::pack(path, built, &ws.root, &extra)?)
}

/// Runs the build archived in `archive` against the source tree of `--workspace-remap` (the
/// current directory without it): no cargo, no build.
fn run_archived(global: &Global, build: &BuildArgs, archive: &Path) -> anyhow::Result<Measured> {
    let root = match &build.workspace_remap {
        Some(dir) => dir.clone(),
        None => std::env::current_dir().context("cannot read the current directory")?,
    };
    let root = root
        .canonicalize()
        .with_context(|| format!("--workspace-remap {}: no such directory", root.display()))?;
    let unpack_dir = std::env::temp_dir().join(format!("truecov-archive-{}", std::process::id()));
    let unpacked = archive::unpack(archive, &unpack_dir, &root);
    let result = (|| {
        let unpacked = unpacked?;
        let file = |name: &str| {
            unpacked
                .extra
                .get(name)
                .with_context(|| format!("{}: no {name} in the archive", archive.display()))
        };
        let scan: Scan = serde_json::from_slice(file(SCAN_FILE)?)
            .with_context(|| format!("{}: malformed {SCAN_FILE}", archive.display()))?;
        let provenance: Provenance = serde_json::from_slice(file(PROVENANCE_FILE)?)
            .with_context(|| format!("{}: malformed {PROVENANCE_FILE}", archive.display()))?;
        let ws = Workspace {
            target_directory: root.join("target"),
            root: root.clone(),
            packages: Vec::new(),
        };
        let measurement = with_options(
            global,
            build,
            &ws,
            &scan,
            Vec::new(),
            |options, on_event| {
                truecov_coverage::measure::measure_built(unpacked.built, options, on_event)
            },
        )?;
        Ok(measured(global, ws, scan, measurement, provenance))
    })();
    let _ = std::fs::remove_dir_all(&unpack_dir);
    result
}

/// The workspace of the selection, its scan (doctests that do not run set apart, with notes
/// and warnings on stderr) and the packages whose doctests run.
fn scanned(
    global: &Global,
    build: &BuildArgs,
) -> anyhow::Result<(Workspace, Scan, Vec<PackageId>)> {
    let sel = Selection {
        features: build.features.clone(),
        all_features: build.all_features,
        no_default_features: build.no_default_features,
        ..selection(global)
    };
    let mut ws = truecov_coverage::workspace::load(&sel)?;
    if let Some(mode) = build.doctests {
        for p in &mut ws.packages {
            p.config.doctests = Some(mode);
        }
    }
    let mut scan = truecov_analyzer::scan(&ws);
    if !global.quiet {
        for w in &scan.warnings {
            eprintln!("warning: {w}");
        }
    }
    let running: Vec<&Package> = ws
        .packages
        .iter()
        .filter(|p| p.config.doctests == Some(Doctests::Run))
        .collect();
    let doctests = set_doctests_apart(&mut scan, &running);
    if !global.quiet {
        for line in doctest_notes(&doctests) {
            eprintln!("note: {line}");
        }
    }
    let running = running.iter().map(|p| p.id.clone()).collect();
    Ok((ws, scan, running))
}

/// Calls `f` with the options of a measurement of `scan`'s library files in `ws` (doctests of
/// the `doctests` packages run) and the progress callback, in a scratch directory removed
/// after.
fn with_options<R, E>(
    global: &Global,
    build: &BuildArgs,
    ws: &Workspace,
    scan: &Scan,
    doctests: Vec<PackageId>,
    f: impl FnOnce(&MeasureOptions, truecov_coverage::run::OnEvent<'_>) -> Result<R, E>,
) -> anyhow::Result<R>
where
    anyhow::Error: From<E>,
{
    let progress = Progress::new(global.quiet);
    let files = library_paths(scan);
    let library = |recorded: &str| files.get(recorded).cloned();
    let scratch = std::env::temp_dir().join(format!("truecov-{}", std::process::id()));
    let mut run_options = RunOptions::new(&scratch);
    if let Some(jobs) = build.jobs {
        run_options.jobs = jobs.max(1);
    }
    run_options.timeout = Duration::from_secs(build.test_timeout.max(1));
    run_options.include_ignored = build.include_ignored;
    run_options.expected_panics = expected_panics(scan);
    let options = MeasureOptions {
        build: build_options(global, build, ws)?,
        run: run_options,
        library: &library,
        doctests,
        partition: build.partition,
    };
    let on_event = |e: truecov_coverage::run::Event<'_>| progress.event(e);
    let result = f(&options, &on_event);
    progress.finish();
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(result?)
}

/// What a measurement found, its warnings said on stderr.
fn measured(
    global: &Global,
    workspace: Workspace,
    scan: Scan,
    measurement: Measurement,
    provenance: Provenance,
) -> Measured {
    let Measurement { coverage, tests } = measurement;
    if !global.quiet {
        for w in &coverage.warnings {
            eprintln!("warning: {w}");
        }
    }
    Measured {
        workspace,
        scan,
        coverage,
        tests,
        provenance,
    }
}

/// The tests that panic on purpose (`#[should_panic]`): the runner turns their panic
/// backtraces off, since a passing one's output is never shown.
fn expected_panics(scan: &Scan) -> HashSet<TestId> {
    scan.tests
        .iter()
        .filter(|t| t.should_panic)
        .map(TestCase::id)
        .collect()
}

/// Removes from the scan the doctests of packages whose doctests do not run (`doctests =
/// "scan"`): they are scanned, not run, and count in no coverage (docs/tests.md#doctests).
pub fn set_doctests_apart(scan: &mut Scan, running: &[&Package]) -> Vec<TestCase> {
    let (doc, rest) = std::mem::take(&mut scan.tests)
        .into_iter()
        .partition(|t| t.target == DOCTEST_TARGET && !running.iter().any(|p| p.name == t.package));
    scan.tests = rest;
    doc
}

/// What the terminal says about doctests scanned but not run: how many, and per file those
/// that are not meaningful, one line each ("3 doc examples check nothing: src/lib.rs").
pub fn doctest_notes(doctests: &[TestCase]) -> Vec<String> {
    if doctests.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![format!(
        "{} doctests scanned, not run (they count in no coverage; `--doctests run` runs them, `cargo truecov scan` lists them)",
        doctests.len()
    )];
    let mut weak: std::collections::BTreeMap<&str, usize> = Default::default();
    for t in doctests.iter().filter(|t| t.verdict.is_weak()) {
        *weak.entry(t.file.as_str()).or_default() += 1;
    }
    lines.extend(
        weak.into_iter()
            .map(|(file, n)| format!("{n} doc examples check nothing: {file}")),
    );
    lines
}

/// How to build the selected packages of `ws`: the selection, features and profile asked for.
pub fn build_options(
    global: &Global,
    build: &BuildArgs,
    ws: &Workspace,
) -> anyhow::Result<BuildOptions> {
    let wrapper = std::env::current_exe().context("cannot find the cargo-truecov executable")?;
    let mut options = BuildOptions::new(wrapper);
    options.manifest_path = global.manifest_path.clone();
    options.packages = if global.workspace && global.packages.is_empty() {
        Vec::new()
    } else {
        ws.packages.iter().map(|p| p.id.clone()).collect()
    };
    options.features = build.features.clone();
    options.all_features = build.all_features;
    options.no_default_features = build.no_default_features;
    options.release = build.release;
    options.quiet = global.quiet;
    options.target_dir = crate::paths::given_target_dir(build);
    Ok(options)
}

/// Absolute paths (as binaries record them, with and without resolving symlinks) of the
/// scan's library files, to their workspace-relative form.
pub fn library_paths(scan: &Scan) -> HashMap<String, String> {
    let roots = [
        scan.workspace_root.clone(),
        scan.workspace_root
            .canonicalize()
            .unwrap_or_else(|_| scan.workspace_root.clone()),
    ];
    let mut out = HashMap::new();
    for rel in &scan.library_files {
        for root in &roots {
            out.insert(root.join(rel).display().to_string(), rel.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use truecov_model::Verdict;

    fn test(target: &str, file: &str, verdict: Verdict) -> TestCase {
        TestCase {
            package: "p".into(),
            target: target.into(),
            name: format!("{file} - f (line 1)"),
            file: file.into(),
            line: 1,
            verdict,
            ignored: false,
            should_panic: false,
            observes_errors: false,
            findings: Vec::new(),
            oracles: Vec::new(),
            cfg_off: None,
        }
    }

    #[test]
    fn only_should_panic_tests_are_expected_to_panic() {
        let mut panics = test("test:t", "tests/t.rs", Verdict::Meaningful);
        panics.should_panic = true;
        let scan = Scan {
            tests: vec![
                test("lib", "src/lib.rs", Verdict::Meaningful),
                panics.clone(),
            ],
            ..Scan::default()
        };
        assert_eq!(expected_panics(&scan), HashSet::from([panics.id()]));
    }

    #[test]
    fn doctests_are_set_apart_and_weak_ones_grouped_per_file() {
        let mut scan = Scan {
            tests: vec![
                test("lib", "src/lib.rs", Verdict::Smoke),
                test("doc", "src/lib.rs", Verdict::Meaningful),
                test("doc", "src/lib.rs", Verdict::AssertionFree),
                test("doc", "src/a.rs", Verdict::Smoke),
                test("doc", "src/lib.rs", Verdict::Tautological),
            ],
            ..Scan::default()
        };
        let doc = set_doctests_apart(&mut scan, &[]);
        assert_eq!(scan.tests.len(), 1);
        assert_eq!(scan.tests[0].target, "lib");
        assert_eq!(
            doctest_notes(&doc),
            vec![
                "4 doctests scanned, not run (they count in no coverage; `--doctests run` runs them, `cargo truecov scan` lists them)",
                "1 doc examples check nothing: src/a.rs",
                "2 doc examples check nothing: src/lib.rs",
            ]
        );
        assert!(doctest_notes(&[]).is_empty());
    }
}
