//! The instrumented build and the per-test runner, end to end on the `outcomes` fixture: one
//! build and one shared run per test binary, inspected by each test below.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;
use truecov_coverage::run::{
    self, Build, BuildError, BuildOptions, Event, RunOptions, TestExecutable, TestResult,
};
use truecov_model::{Selection, TestId, TestOutcome, Workspace};

const JOBS: usize = 2;
const TIMEOUT: Duration = Duration::from_secs(3);

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/run")
        .join(name)
}

/// Where this test binary builds the fixtures. Its processes share it (cargo's lock serializes
/// their builds: cargo-truecov and nextest run each test in its own process); it is renewed
/// whenever this binary, and with it the wrapper, is rebuilt, as cargo does not notice a
/// changed wrapper.
fn build_base() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let exe = std::env::current_exe().unwrap();
        let built_at = fs::metadata(exe).unwrap().modified().unwrap();
        let key = built_at
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let parent = Path::new(env!("CARGO_TARGET_TMPDIR")).join("run-outcomes");
        let dir = parent.join(format!("build-{key}"));
        for stale in fs::read_dir(&parent).into_iter().flatten() {
            let stale = stale.unwrap().path();
            if stale != dir
                && stale
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("build-")
            {
                let _ = fs::remove_dir_all(stale);
            }
        }
        dir
    })
}

/// A scratch directory of this process.
fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("run-outcomes")
        .join(format!("{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    dir
}

fn workspace(fixture_name: &str) -> Workspace {
    let selection = Selection {
        manifest_path: Some(fixture(fixture_name).join("Cargo.toml")),
        ..Selection::default()
    };
    truecov_coverage::workspace::load(&selection).unwrap()
}

fn build_options(fixture_name: &str) -> BuildOptions {
    BuildOptions {
        manifest_path: Some(fixture(fixture_name).join("Cargo.toml")),
        target_dir: Some(build_base().join(fixture_name)),
        ..BuildOptions::new(env!("CARGO_BIN_EXE_truecov-rustc-wrapper"))
    }
}

struct Built {
    build: Build,
    events: Vec<String>,
}

fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let events = Mutex::new(Vec::new());
        let on_event = |event: Event<'_>| events.lock().unwrap().push(format!("{event:?}"));
        let build = run::build_tests(
            &workspace("outcomes"),
            &build_options("outcomes"),
            &on_event,
        )
        .unwrap();
        Built {
            build,
            events: events.into_inner().unwrap(),
        }
    })
}

fn executable(target: &str) -> &'static TestExecutable {
    let executables = &built().build.executables;
    executables
        .iter()
        .find(|e| e.target == target)
        .unwrap_or_else(|| panic!("no {target} in {executables:#?}"))
}

/// What the test decoder saw for one test.
#[derive(Debug)]
struct Seen {
    /// The test's profile files and their sizes.
    profiles: Vec<(PathBuf, u64)>,
    /// Per-test directories under the scratch directory holding a profile at that moment.
    live_profile_dirs: usize,
}

struct SharedRun {
    results: Vec<TestResult<Seen>>,
    scratch: PathBuf,
    listed_total: usize,
    finished_counts: Vec<usize>,
    /// Tests run a second time because they failed.
    retried: Vec<String>,
}

fn profile_dirs_in(scratch: &Path) -> usize {
    fs::read_dir(scratch)
        .unwrap()
        .filter(|dir| {
            let dir = dir.as_ref().unwrap().path();
            fs::read_dir(dir).is_ok_and(|mut files| {
                files.any(|f| {
                    f.unwrap()
                        .path()
                        .extension()
                        .is_some_and(|e| e == "profraw")
                })
            })
        })
        .count()
}

fn run_all(scratch: &Path, include_ignored: bool) -> SharedRun {
    let options = RunOptions {
        jobs: JOBS,
        timeout: TIMEOUT,
        include_ignored,
        ..RunOptions::new(scratch)
    };
    let decode = |_: &TestExecutable, _: &run::TestRun, profiles: &[PathBuf]| Seen {
        profiles: profiles
            .iter()
            .map(|p| (p.clone(), fs::metadata(p).unwrap().len()))
            .collect(),
        live_profile_dirs: profile_dirs_in(scratch),
    };
    let listed_total = Mutex::new(0);
    let finished_counts = Mutex::new(Vec::new());
    let retried = Mutex::new(Vec::new());
    let on_event = |event: Event<'_>| match event {
        Event::TestsListed { total } => *listed_total.lock().unwrap() = total,
        Event::TestFinished { finished, .. } => finished_counts.lock().unwrap().push(finished),
        Event::RetryStarted { name, .. } => retried.lock().unwrap().push(name.to_owned()),
        _ => {}
    };
    // Where the fixture's `r_collides_*` tests meet when they run at the same time.
    let rendezvous = scratch.with_extension("rendezvous");
    let mut executables = built().build.executables.clone();
    for executable in &mut executables {
        let dir = rendezvous.clone().into_os_string();
        executable.env.insert("OUTCOMES_RENDEZVOUS".into(), dir);
    }
    let results = run::run_tests(&executables, &options, decode, &on_event).unwrap();
    let _ = fs::remove_dir_all(rendezvous);
    SharedRun {
        results,
        scratch: scratch.to_owned(),
        listed_total: listed_total.into_inner().unwrap(),
        finished_counts: finished_counts.into_inner().unwrap(),
        retried: retried.into_inner().unwrap(),
    }
}

fn shared_run() -> &'static SharedRun {
    static RUN: OnceLock<SharedRun> = OnceLock::new();
    RUN.get_or_init(|| run_all(&scratch_dir("scratch"), false))
}

fn target_of(result: &TestResult<Seen>) -> &'static str {
    &built().build.executables[result.run.executable].target
}

fn result<'a>(run: &'a SharedRun, target: &str, name: &str) -> &'a TestResult<Seen> {
    run.results
        .iter()
        .find(|r| target_of(r) == target && r.run.name == name)
        .unwrap_or_else(|| panic!("no {target} {name}"))
}

fn outcomes(run: &SharedRun) -> BTreeMap<(String, String), TestOutcome> {
    run.results
        .iter()
        .map(|r| ((target_of(r).to_owned(), r.run.name.clone()), r.run.outcome))
        .collect()
}

fn expected(entries: &[(&str, &str, TestOutcome)]) -> BTreeMap<(String, String), TestOutcome> {
    entries
        .iter()
        .map(|(target, name, outcome)| ((target.to_string(), name.to_string()), *outcome))
        .collect()
}

fn lib_outcomes(ignored: TestOutcome) -> Vec<(&'static str, &'static str, TestOutcome)> {
    vec![
        ("lib", "tests::a_exits_zero", TestOutcome::ExitedEarly),
        ("lib", "tests::a_sets", TestOutcome::Passed),
        ("lib", "tests::aborts", TestOutcome::Crashed),
        ("lib", "tests::b_needs", TestOutcome::FailsAlone),
        ("lib", "tests::env_and_cwd", TestOutcome::Passed),
        ("lib", "tests::fails", TestOutcome::Failed),
        ("lib", "tests::ignored", ignored),
        ("lib", "tests::passes", TestOutcome::Passed),
        ("lib", "tests::r_collides_1", TestOutcome::Passed),
        ("lib", "tests::r_collides_2", TestOutcome::Passed),
        ("lib", "tests::should_panic", TestOutcome::Passed),
        ("lib", "tests::sleeps", TestOutcome::TimedOut),
        ("test:custom", "custom", TestOutcome::Passed),
        ("test:integration", "runs_the_binary", TestOutcome::Passed),
        ("test:integration", "uses_the_library", TestOutcome::Passed),
        // Not known to panic on purpose here: backtraces stay as they are.
        (
            "test:panics",
            "panics_only_without_backtraces",
            TestOutcome::Failed,
        ),
        (
            "test:panics",
            "panics_with_another_message",
            TestOutcome::Failed,
        ),
    ]
}

#[test]
fn every_test_ends_with_the_right_outcome() {
    let run = shared_run();
    assert_eq!(outcomes(run), expected(&lib_outcomes(TestOutcome::Ignored)));
    let ignored = result(run, "lib", "tests::ignored");
    assert!(ignored.run.ignored && ignored.decoded.is_none());
    assert_eq!(ignored.run.duration, Duration::ZERO);
    let sleeps = result(run, "lib", "tests::sleeps").run.duration;
    assert!(sleeps >= TIMEOUT && sleeps < TIMEOUT * 3, "{sleeps:?}");
}

#[test]
fn failures_are_retried_with_nothing_else_running() {
    let run = shared_run();
    // At least one of the pair failed next to the other, and passed when retried; the real
    // failures were retried too, to no avail.
    let retried: BTreeSet<&str> = run.retried.iter().map(String::as_str).collect();
    assert!(
        retried.contains("tests::r_collides_1") || retried.contains("tests::r_collides_2"),
        "{retried:?}"
    );
    assert!(retried.contains("tests::fails") && retried.contains("tests::b_needs"));
    assert!(!retried.contains("tests::aborts") && !retried.contains("tests::sleeps"));
}

#[test]
fn ignored_tests_run_when_asked() {
    let scratch = scratch_dir("scratch-ignored");
    let run = run_all(&scratch, true);
    fs::remove_dir(scratch).unwrap();
    assert_eq!(outcomes(&run), expected(&lib_outcomes(TestOutcome::Passed)));
    let ignored = result(&run, "lib", "tests::ignored");
    assert!(ignored.run.ignored && ignored.decoded.is_some());
}

#[test]
fn failed_tests_keep_their_output() {
    let run = shared_run();
    let failed = &result(run, "lib", "tests::fails").run;
    // What the test printed, its panic first, without libtest's report around it.
    assert!(
        failed.output.starts_with("thread 'tests::fails'")
            && failed.output.contains("panicked at src/lib.rs:77:")
            && failed.output.contains("double is not that wrong"),
        "{}",
        failed.output
    );
    assert!(
        !failed.output.contains("running 1 test") && !failed.output.contains("test result:"),
        "{}",
        failed.output
    );
    assert!(result(run, "lib", "tests::passes").run.output.is_empty());
}

#[test]
fn every_test_that_ran_leaves_a_non_empty_profile() {
    let run = shared_run();
    for result in run
        .results
        .iter()
        .filter(|r| r.run.outcome != TestOutcome::Ignored)
    {
        let seen = result.decoded.as_ref().unwrap();
        assert!(!seen.profiles.is_empty(), "{}: no profile", result.run.name);
        for (path, size) in &seen.profiles {
            assert!(
                *size > 0,
                "{}: {} is empty",
                result.run.name,
                path.display()
            );
        }
    }
    // Continuous mode: the aborted and the killed test kept their counts too (checked above);
    // a test that runs the package's binary gets that process's profile as well.
    let child = result(run, "test:integration", "runs_the_binary");
    assert_eq!(child.decoded.as_ref().unwrap().profiles.len(), 2);
    let alone = result(run, "test:integration", "uses_the_library");
    assert_eq!(alone.decoded.as_ref().unwrap().profiles.len(), 1);
}

#[test]
fn live_profiles_never_exceed_jobs() {
    let run = shared_run();
    let peak = run
        .results
        .iter()
        .filter_map(|r| r.decoded.as_ref())
        .map(|seen| seen.live_profile_dirs)
        .max()
        .unwrap();
    assert!((1..=JOBS).contains(&peak), "peak {peak}");
}

#[test]
fn progress_counts_every_test() {
    let run = shared_run();
    assert_eq!(run.listed_total, run.results.len());
    let mut finished = run.finished_counts.clone();
    finished.sort();
    assert_eq!(finished, (1..=run.results.len()).collect::<Vec<_>>());
    assert_eq!(
        built().events,
        ["BuildStarted", "BuildFinished { executables: 5 }"]
    );
}

fn files_under(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, found);
        }
        found.push(path);
    }
}

#[test]
fn leaves_nothing_behind() {
    let run = shared_run();
    fs::remove_dir(&run.scratch).expect("the scratch directory is left empty");
    let mut found = Vec::new();
    for name in ["outcomes", "outside_dep"] {
        files_under(&fixture(name), &mut found);
    }
    let litter: Vec<_> = found
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "profraw") || p.ends_with("target"))
        .collect();
    assert!(litter.is_empty(), "{litter:?}");
    let here: Vec<_> = fs::read_dir(env!("CARGO_MANIFEST_DIR"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "profraw"))
        .collect();
    assert!(here.is_empty(), "{here:?}");
}

#[test]
fn builds_every_test_target_into_the_dedicated_dir() {
    let build = &built().build;
    let base = build_base().join("outcomes");
    assert_eq!(build.target_dir, base.join("truecov"));
    let targets: Vec<(&str, bool)> = build
        .executables
        .iter()
        .map(|e| (e.target.as_str(), e.harness))
        .collect();
    assert_eq!(
        targets,
        [
            ("bin:outcomes", true),
            ("lib", true),
            ("test:custom", false),
            ("test:integration", true),
            ("test:panics", true)
        ]
    );
    for executable in &build.executables {
        assert!(
            executable.path.starts_with(&build.target_dir),
            "{executable:?}"
        );
        assert_eq!(executable.package, "outcomes");
        assert_eq!(executable.cwd, fixture("outcomes"));
    }
    assert!(!base.join("debug").exists());
    let bins: Vec<_> = executable("test:integration").bins.keys().collect();
    assert_eq!(bins, ["outcomes"]);
    assert!(executable("test:integration").bins["outcomes"].starts_with(&build.target_dir));
    assert!(executable("lib").bins.is_empty());
}

/// The rlibs of a crate in the dedicated target directory.
fn rlibs(crate_name: &str) -> Vec<PathBuf> {
    let deps = built().build.target_dir.join("debug/deps");
    let prefix = format!("lib{crate_name}-");
    fs::read_dir(deps)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with(&prefix) && name.ends_with(".rlib")
        })
        .collect()
}

fn has_coverage_mapping(path: &Path) -> bool {
    let bytes = fs::read(path).unwrap();
    bytes
        .windows(b"__llvm_covfun".len())
        .any(|w| w == b"__llvm_covfun")
}

#[test]
fn instruments_workspace_crates_only() {
    let workspace = rlibs("outcomes");
    let dependency = rlibs("outside_dep");
    assert_eq!((workspace.len(), dependency.len()), (1, 1));
    assert!(has_coverage_mapping(&workspace[0]));
    assert!(!has_coverage_mapping(&dependency[0]));
}

#[test]
fn a_build_error_says_what_failed() {
    let error =
        run::build_tests(&workspace("broken"), &build_options("broken"), &|_| {}).unwrap_err();
    assert!(matches!(error, BuildError::Failed { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains("instrumented build") && message.contains("cargo test --no-run"),
        "{message}"
    );
    let mut found = Vec::new();
    files_under(&fixture("broken"), &mut found);
    let names: BTreeSet<_> = found
        .iter()
        .map(|p| p.strip_prefix(fixture("broken")).unwrap().to_owned())
        .collect();
    let expected: BTreeSet<PathBuf> = ["Cargo.lock", "Cargo.toml", "src", "src/lib.rs"]
        .iter()
        .map(PathBuf::from)
        .collect();
    assert_eq!(names, expected);
}

/// Runs the `panics` target alone, one job (no retry of failures), with `RUST_BACKTRACE=1` in
/// its environment and its tests known to panic on purpose or not.
fn run_panics(known: bool) -> Vec<TestResult<()>> {
    let scratch = scratch_dir(&format!("scratch-panics-{known}"));
    let mut panics = executable("test:panics").clone();
    panics.env.insert("RUST_BACKTRACE".into(), "1".into());
    let expected_panics = [
        "panics_only_without_backtraces",
        "panics_with_another_message",
    ]
    .into_iter()
    .filter(|_| known)
    .map(|name| TestId {
        package: "outcomes".into(),
        target: "test:panics".into(),
        name: name.into(),
    })
    .collect();
    let options = RunOptions {
        jobs: 1,
        timeout: TIMEOUT,
        expected_panics,
        ..RunOptions::new(&scratch)
    };
    let decode = |_: &TestExecutable, _: &run::TestRun, _: &[PathBuf]| ();
    let results = run::run_tests(&[panics], &options, decode, &|_| {}).unwrap();
    fs::remove_dir(scratch).unwrap();
    results
}

#[test]
fn tests_that_panic_on_purpose_run_without_backtraces_and_fail_with_them() {
    let [quiet, other] = &run_panics(true)[..] else {
        panic!("two tests")
    };
    assert_eq!(quiet.run.name, "panics_only_without_backtraces");
    assert_eq!(quiet.run.outcome, TestOutcome::Passed);
    // It failed with backtraces off, and its reported run is the one with the user's
    // environment: the backtrace is there to read.
    assert_eq!(other.run.outcome, TestOutcome::Failed);
    assert!(other.run.output.contains("a message it does not expect"));
    assert!(
        other.run.output.contains("stack backtrace"),
        "{}",
        other.run.output
    );
    assert!(other.decoded.is_some());
    let unknown = run_panics(false);
    assert_eq!(unknown[0].run.outcome, TestOutcome::Failed);
}
