//! Doctests under coverage, on a stable toolchain (docs/tests.md#doctests).
//!
//! rustdoc builds each doctest itself, in a temporary directory it deletes, and only its
//! `--test-runtool` option (stable) lets another program in: per package, `cargo test --doc`
//! runs with the coverage wrapper (so the library is the instrumented one of the test build),
//! `-C instrument-coverage` for the doctests, and this executable as runtool
//! ([`doctest_tool_if_requested`]), which moves each doctest binary into the run's own
//! directory of `<target>/truecov/doctests/<package>/` (`store`) and exits 0 instead of
//! running it. Then:
//!
//! * a standalone binary is told apart by its own coverage mapping (`identify`) among the
//!   doctests rustdoc printed, and runs as one test;
//! * an edition 2024 merged binary runs one test when `RUSTDOC_DOCTEST_RUN_NB_TEST` gives its
//!   number; which number is which name is asked of the binary once (a probe run, with this
//!   executable as the process it starts for each test, see `runtool`).
//!
//! Doctests rustdoc never runs (`ignore`d, `no_run`, `compile_fail`, and those that did not
//! build) are returned with the outcome rustdoc gave them and no coverage.

mod identify;
mod output;
mod runtool;
mod store;

pub(crate) use identify::is_doctest_code;
pub use runtool::{doctest_tool_if_requested, DoctestTool};

use super::build::{run_for_messages, wrapped_cargo, BuildError, BuildOptions, CargoOutput};
use super::env::{self, EnvSources};
use super::executable::{Doctest, TestExecutable};
use super::wrapper::COVERAGE_FLAGS;
use crate::read::BinaryMapping;
use cargo_metadata::Message;
use identify::{Candidate, Kind};
use output::{Mode, Reported};
use std::collections::{BTreeMap, HashMap};
use std::ffi::{OsStr, OsString};
use std::path::Path;
use std::process::{Command, Stdio};
use truecov_model::{Package, PackageId, TestOutcome, Workspace, DOCTEST_TARGET};

/// The doctests of the packages asked for.
#[derive(Clone, Debug, Default)]
pub struct Doctests {
    /// One executable per doctest to run (target `doc`, [`TestExecutable::doctest`] set).
    pub executables: Vec<TestExecutable>,
    /// Doctests with nothing to run, with the outcome rustdoc gave them.
    pub not_run: Vec<NotRun>,
    /// What could not be followed (a binary no doctest name fits).
    pub warnings: Vec<String>,
}

/// A doctest rustdoc reported that has no binary to run.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NotRun {
    /// Its package.
    pub package: String,
    /// Its name.
    pub name: String,
    /// `Ignored` (`ignore`), `Passed` (`no_run` and `compile_fail` examples that rustdoc found
    /// as they should be) or `Failed` (it did not build, or a `compile_fail` one did).
    pub outcome: TestOutcome,
}

/// Builds the doctests of `packages` (their libraries, instrumented as `build_tests` builds
/// them) and returns how to run each one alone. `include_ignored` builds `ignore`d ones too.
pub fn build_doctests(
    workspace: &Workspace,
    options: &BuildOptions,
    packages: &[PackageId],
    include_ignored: bool,
) -> Result<Doctests, BuildError> {
    let target_dir = options
        .target_dir
        .as_deref()
        .unwrap_or(&workspace.target_directory)
        .join("truecov");
    let sysroot_libdir = env::sysroot_libdir(&workspace.root);
    let mut out = Doctests::default();
    for package in packages.iter().filter_map(|id| workspace.package(id)) {
        if !package.targets.iter().any(|t| t.doctested) {
            continue;
        }
        let package_dir = target_dir.join("doctests").join(&package.name);
        let store = store::create(&package_dir).map_err(|source| BuildError::Store {
            path: package_dir.clone(),
            source,
        })?;
        let run = run_rustdoc(options, package, &target_dir, &store, include_ignored)?;
        let package_doctests = PackageDoctests {
            workspace,
            package,
            target_dir: &target_dir,
            build: &run.output,
            sysroot_libdir: sysroot_libdir.as_deref(),
        };
        package_doctests.collect(&run.reported, &store, &mut out);
    }
    Ok(out)
}

/// What `cargo test --doc` said for one package.
struct RustdocRun {
    output: CargoOutput,
    reported: Vec<Reported>,
}

/// Runs `cargo test --doc` for one package with this executable as runtool.
fn run_rustdoc(
    options: &BuildOptions,
    package: &Package,
    target_dir: &Path,
    store: &Path,
    include_ignored: bool,
) -> Result<RustdocRun, BuildError> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let cargo_error = |source| BuildError::Cargo {
        cargo: cargo.clone(),
        source,
    };
    let selection = BuildOptions {
        packages: vec![package.id.clone()],
        // `--quiet` would make libtest print dots instead of names.
        quiet: false,
        ..options.clone()
    };
    let mut command = wrapped_cargo(
        &cargo,
        &["test", "--doc", "--no-fail-fast"],
        &selection,
        target_dir,
    );
    command
        .arg("--")
        .args(include_ignored.then_some("--include-ignored"))
        .env(
            "CARGO_ENCODED_RUSTDOCFLAGS",
            rustdoc_flags(&options.wrapper),
        )
        .env(runtool::STORE_ENV, store)
        .env_remove("RUSTDOCFLAGS");
    let (status, messages) = run_for_messages(command).map_err(cargo_error)?;
    let text: String = messages
        .iter()
        .filter_map(|m| match m {
            Message::TextLine(line) => Some(format!("{line}\n")),
            _ => None,
        })
        .collect();
    let reported = output::parse(&text);
    // Failing doctests fail `cargo test --doc`; only a run that reported none is an error.
    if !status.success() && reported.is_empty() {
        return Err(BuildError::Failed { status });
    }
    Ok(RustdocRun {
        output: CargoOutput::from_messages(messages),
        reported,
    })
}

/// The user's rustdoc flags (`CARGO_ENCODED_RUSTDOCFLAGS`, else `RUSTDOCFLAGS`), then the
/// runtool and the coverage flags, encoded as cargo reads them (0x1f-separated).
fn rustdoc_flags(runtool: &Path) -> OsString {
    let mut flags: Vec<OsString> = match std::env::var_os("CARGO_ENCODED_RUSTDOCFLAGS") {
        Some(encoded) if !encoded.is_empty() => encoded
            .to_string_lossy()
            .split('\x1f')
            .map(OsString::from)
            .collect(),
        _ => std::env::var("RUSTDOCFLAGS")
            .unwrap_or_default()
            .split_whitespace()
            .map(OsString::from)
            .collect(),
    };
    flags.extend([
        "--test-runtool".into(),
        runtool.into(),
        "--test-runtool-arg".into(),
        runtool::RUNTOOL_ARG.into(),
    ]);
    flags.extend(COVERAGE_FLAGS.map(OsString::from));
    flags.join(OsStr::new("\x1f"))
}

/// One package's doctest run, to turn into executables.
struct PackageDoctests<'a> {
    workspace: &'a Workspace,
    package: &'a Package,
    target_dir: &'a Path,
    build: &'a CargoOutput,
    sysroot_libdir: Option<&'a Path>,
}

impl PackageDoctests<'_> {
    /// Adds the doctests of the package's run to `out`: its stored binaries as executables,
    /// what has nothing to run as `not_run`.
    fn collect(&self, reported: &[Reported], store: &Path, out: &mut Doctests) {
        let candidates: Vec<Candidate> = reported
            .iter()
            .filter(|r| r.mode == Mode::Run && r.result != output::Result::Ignored)
            .filter_map(|r| Candidate::new(&r.name, &self.workspace.root))
            .collect();
        let mut ran: Vec<String> = Vec::new();
        for binary in store::binaries(store) {
            let kind = BinaryMapping::from_path(&binary).map(|m| identify::kind(&m));
            match kind {
                Ok(Kind::Standalone {
                    file,
                    first_line,
                    wrapped,
                }) => {
                    match identify::pick(&file, first_line, wrapped.as_deref(), &candidates) {
                        Some(c) => {
                            let should_panic = reported
                                .iter()
                                .any(|r| r.name == c.name && r.should_have_panicked());
                            ran.push(c.name.clone());
                            out.executables
                                .push(self.executable(&binary, &c.name, should_panic, None));
                        }
                        None => out.warnings.push(format!(
                            "{}: no doctest of {} is named before line {first_line} of {file}",
                            binary.display(),
                            self.package.name
                        )),
                    }
                }
                Ok(Kind::Merged) => self.merged(&binary, out),
                Ok(Kind::Unknown) => out.warnings.push(format!(
                    "{}: a doctest binary of {} without coverage of its own code: which doctest it is cannot be told",
                    binary.display(),
                    self.package.name
                )),
                Err(e) => out
                    .warnings
                    .push(format!("{}: {e}", binary.display())),
            }
        }
        for r in reported.iter().filter(|r| !ran.contains(&r.name)) {
            match not_run_outcome(r) {
                Some(outcome) => out.not_run.push(NotRun {
                    package: self.package.name.clone(),
                    name: r.name.clone(),
                    outcome,
                }),
                None => out.warnings.push(format!(
                    "doctest `{}` of {} passed under rustdoc but its binary was not found",
                    r.name, self.package.name
                )),
            }
        }
    }

    /// Adds every test of a merged binary: numbers asked of the binary in a probe run.
    fn merged(&self, binary: &Path, out: &mut Doctests) {
        let probe = match self.probe(binary) {
            Ok(probe) => probe,
            Err(e) => {
                out.warnings.push(format!(
                    "{}: cannot ask the merged doctest binary for its tests: {e}",
                    binary.display()
                ));
                return;
            }
        };
        let numbers = probe_numbers(&probe.reported, &probe.log);
        for r in &probe.reported {
            if let Some(number) = numbers.get(r.name.as_str()) {
                let should_panic = r.mode == Mode::ShouldPanic;
                out.executables
                    .push(self.executable(binary, &r.name, should_panic, Some(number)));
            } else if let Some(outcome) = not_run_outcome(r) {
                out.not_run.push(NotRun {
                    package: self.package.name.clone(),
                    name: r.name.clone(),
                    outcome,
                });
            } else {
                out.warnings.push(format!(
                    "{}: which test number is `{}` cannot be told",
                    binary.display(),
                    r.name
                ));
            }
        }
    }

    /// Runs a merged binary as a whole, one test at a time, with this executable as the
    /// process each test starts.
    fn probe(&self, binary: &Path) -> std::io::Result<Probe> {
        let dir = binary.with_file_name("probe");
        std::fs::create_dir_all(&dir)?;
        let log = dir.join("numbers.log");
        let exe = std::env::current_exe()?;
        let mut command = Command::new(binary);
        command
            .current_dir(self.package.dir())
            .envs(&self.env(binary))
            .env(runtool::BIN_PATH_ENV, exe)
            .env(runtool::PROBE_ENV, &log)
            .env("RUST_TEST_THREADS", "1")
            .env("LLVM_PROFILE_FILE", dir.join("%p.profraw"))
            .stdin(Stdio::null());
        let output = command.output()?;
        let log = std::fs::read_to_string(&log).unwrap_or_default();
        std::fs::remove_dir_all(&dir)?;
        Ok(Probe {
            reported: output::parse(&String::from_utf8_lossy(&output.stdout)),
            log: log.lines().map(str::to_owned).collect(),
        })
    }

    /// The executable that runs doctest `name` of `binary` (test `number` of a merged one).
    fn executable(
        &self,
        binary: &Path,
        name: &str,
        should_panic: bool,
        number: Option<&str>,
    ) -> TestExecutable {
        let mut env = self.env(binary);
        if let Some(number) = number {
            env.insert(runtool::TEST_NUMBER_ENV.into(), number.into());
        }
        TestExecutable {
            path: binary.to_owned(),
            package: self.package.name.clone(),
            target: DOCTEST_TARGET.to_owned(),
            harness: false,
            cwd: self.package.dir().to_owned(),
            env,
            bins: BTreeMap::new(),
            doctest: Some(Doctest {
                name: name.to_owned(),
                should_panic,
            }),
        }
    }

    /// The environment `cargo test` gives the package's tests.
    fn env(&self, binary: &Path) -> BTreeMap<OsString, OsString> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        env::test_env(&EnvSources {
            cargo: &cargo,
            package: self.package,
            build_script: self.build.build_script(self.package),
            bins: &BTreeMap::new(),
            executable: binary,
            target_dir: self.target_dir,
            sysroot_libdir: self.sysroot_libdir,
        })
    }
}

/// What a probe run of a merged binary printed, and the numbers its probes logged, in order.
struct Probe {
    reported: Vec<Reported>,
    log: Vec<String>,
}

/// Test numbers by name: each failed test's section shows the number its probe printed;
/// `should_panic` tests pass there (the probe fails) and show nothing, so they get the numbers
/// no section showed, in the order they ran (one at a time, so the log's order).
fn probe_numbers<'r>(reported: &'r [Reported], log: &[String]) -> HashMap<&'r str, String> {
    let mut numbers: HashMap<&str, String> = reported
        .iter()
        .filter_map(|r| {
            let number = r
                .failure
                .lines()
                .find_map(|l| l.trim().strip_prefix(runtool::PROBE_MARK))?;
            Some((r.name.as_str(), number.trim().to_owned()))
        })
        .collect();
    let claimed: Vec<String> = numbers.values().cloned().collect();
    let mut unclaimed = log.iter().filter(|n| !claimed.contains(n)).cloned();
    for r in reported.iter().filter(|r| r.mode == Mode::ShouldPanic) {
        if let Some(n) = unclaimed.next() {
            numbers.insert(&r.name, n);
        }
    }
    numbers
}

/// The outcome of a doctest that has nothing to run, as rustdoc reported it; `None` for one
/// that ran (its binary should have been stored).
fn not_run_outcome(r: &Reported) -> Option<TestOutcome> {
    match (r.result, r.mode) {
        (output::Result::Ignored, _) => Some(TestOutcome::Ignored),
        (output::Result::Failed, _) if !r.should_have_panicked() => Some(TestOutcome::Failed),
        (output::Result::Ok, Mode::NoRun | Mode::CompileFail) => Some(TestOutcome::Passed),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{not_run_outcome, output, probe_numbers};
    use truecov_model::TestOutcome;

    #[test]
    fn probe_numbers_come_from_failure_sections_then_the_log_for_should_panic() {
        let text = "test a.rs - x (line 1) ... FAILED\n\
                    test a.rs - y (line 5) - should panic ... ok\n\
                    test a.rs - z (line 9) ... FAILED\n\
                    test a.rs - w (line 12) - compile ... ok\n\
                    \nfailures:\n\n---- a.rs - z (line 9) stdout ----\nTest executable failed (exit status: 1).\n\nstdout:\ntruecov-doctest-number 2\n\n\
                    ---- a.rs - x (line 1) stdout ----\nstdout:\ntruecov-doctest-number 0\n\nfailures:\n";
        let reported = output::parse(text);
        let log = ["0", "1", "2"].map(String::from);
        let numbers = probe_numbers(&reported, &log);
        assert_eq!(numbers["a.rs - x (line 1)"], "0");
        assert_eq!(numbers["a.rs - y (line 5)"], "1");
        assert_eq!(numbers["a.rs - z (line 9)"], "2");
        assert_eq!(numbers.len(), 3);
        assert_eq!(not_run_outcome(&reported[3]), Some(TestOutcome::Passed));
    }
}
