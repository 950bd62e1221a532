//! The instrumented build: `cargo test --no-run` with the coverage wrapper, into a dedicated
//! target directory, and the test binaries it produced.

use super::env::{self, EnvSources};
use super::event::{Event, OnEvent};
use super::executable::TestExecutable;
use super::wrapper::{BUILD_PROFILES_ENV, NEXT_WRAPPER_ENV, WRAPPER_ENV};
use cargo_metadata::{Artifact, BuildScript, Message, TargetKind};
use std::collections::{BTreeMap, HashMap};
use std::ffi::{OsStr, OsString};
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use truecov_model::{Package, PackageId, Workspace};

/// What to build.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// An executable that calls [`super::wrap_rustc_if_requested`] first thing (the
    /// `cargo-truecov` binary itself); cargo runs it as `RUSTC_WORKSPACE_WRAPPER`.
    pub wrapper: PathBuf,
    /// `--manifest-path`: the workspace to build (default: the one of the current directory).
    pub manifest_path: Option<PathBuf>,
    /// Packages to build, given to cargo as `-p <package id>`: a package id is a spec cargo
    /// accepts and, unlike a name, never ambiguous (the crate under test can also be a
    /// dependency of its own dev-dependencies, in another version). Empty means the whole
    /// workspace (`--workspace`).
    pub packages: Vec<PackageId>,
    /// `--features`.
    pub features: Vec<String>,
    /// `--all-features`.
    pub all_features: bool,
    /// `--no-default-features`.
    pub no_default_features: bool,
    /// `--release`.
    pub release: bool,
    /// `--quiet`: cargo prints only errors.
    pub quiet: bool,
    /// `--target-dir`: the base target directory (default: the workspace's). The build goes to
    /// its `truecov` subdirectory, so normal builds are left untouched.
    pub target_dir: Option<PathBuf>,
}

impl BuildOptions {
    /// Options that build every workspace member's test targets with default features.
    pub fn new(wrapper: impl Into<PathBuf>) -> Self {
        Self {
            wrapper: wrapper.into(),
            ..Self::default()
        }
    }
}

/// The result of an instrumented build.
#[derive(Clone, Debug)]
pub struct Build {
    /// The dedicated target directory the build went to.
    pub target_dir: PathBuf,
    /// Every test binary built, sorted by package and target.
    pub executables: Vec<TestExecutable>,
    /// The workspace's proc-macro libraries the build made (instrumented: their code runs in
    /// the compiler, and its profiles are in [`build_profiles`]).
    pub proc_macros: Vec<PathBuf>,
}

/// Why the instrumented build failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// cargo could not be started or its output could not be read.
    #[error("cannot run {}: {source}", cargo.to_string_lossy())]
    Cargo {
        /// The cargo executable.
        cargo: OsString,
        /// The underlying error.
        source: std::io::Error,
    },
    /// cargo failed before any compiler ran: no workspace there, or an invalid manifest.
    #[error("cannot read the workspace: {0}")]
    Metadata(String),
    /// A directory of the build could not be prepared.
    #[error("cannot prepare {}: {source}", path.display())]
    Store {
        /// The directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// `cargo test --no-run` failed; cargo has shown why on stderr.
    #[error(
        "the instrumented build of the test targets failed: `cargo test --no-run` exited with \
         {status}; the compiler's messages are above"
    )]
    Failed {
        /// cargo's exit status.
        status: ExitStatus,
    },
}

/// Builds the test targets of the selected packages of `workspace` with coverage
/// instrumentation (workspace crates only) and returns the test binaries. cargo's progress and
/// rendered diagnostics go to this process's stderr, as cargo shows them.
pub fn build_tests(
    workspace: &Workspace,
    options: &BuildOptions,
    on_event: OnEvent<'_>,
) -> Result<Build, BuildError> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let target_dir = options
        .target_dir
        .as_deref()
        .unwrap_or(&workspace.target_directory)
        .join("truecov");
    on_event(Event::BuildStarted);
    let output = run_cargo(&cargo, options, &target_dir)?;
    let executables = test_executables(&cargo, workspace, &output, &target_dir);
    on_event(Event::BuildFinished {
        executables: executables.len(),
    });
    Ok(Build {
        proc_macros: output.proc_macros(workspace),
        target_dir,
        executables,
    })
}

/// The test binaries a build produced, sorted by package and target, each with the
/// environment `cargo test` would give it.
pub(crate) fn test_executables(
    cargo: &OsStr,
    workspace: &Workspace,
    output: &CargoOutput,
    target_dir: &Path,
) -> Vec<TestExecutable> {
    let sysroot_libdir = env::sysroot_libdir(&workspace.root);
    let mut executables = Vec::new();
    for artifact in output.artifacts.iter().filter(|a| a.profile.test) {
        let Some(package) = workspace
            .packages
            .iter()
            .find(|p| p.id.0 == artifact.package_id.repr)
        else {
            continue;
        };
        let (Some(executable), Some(target)) = (
            &artifact.executable,
            package.targets.iter().find(|t| {
                t.name == artifact.target.name && t.root == artifact.target.src_path.as_std_path()
            }),
        ) else {
            continue;
        };
        let gets_bins = artifact
            .target
            .kind
            .iter()
            .any(|kind| matches!(kind, TargetKind::Test | TargetKind::Bench));
        let bins = if gets_bins {
            output.bins(package)
        } else {
            BTreeMap::new()
        };
        let env = env::test_env(&EnvSources {
            cargo,
            package,
            build_script: output.build_scripts.get(&package.id.0),
            bins: &bins,
            executable: executable.as_std_path(),
            target_dir,
            sysroot_libdir: sysroot_libdir.as_deref(),
        });
        executables.push(TestExecutable {
            path: executable.clone().into(),
            package: package.name.clone(),
            target: target.label(),
            harness: target.harness,
            cwd: package.dir().to_owned(),
            env,
            bins,
            doctest: None,
        });
    }
    executables.sort_by(|a, b| (&a.package, &a.target).cmp(&(&b.package, &b.target)));
    executables
}

/// What a build reported on stdout.
pub(crate) struct CargoOutput {
    artifacts: Vec<Artifact>,
    /// Build script results by package id.
    build_scripts: HashMap<String, BuildScript>,
}

impl CargoOutput {
    /// The artifacts and build script results among cargo's JSON messages.
    pub(crate) fn from_messages(messages: impl IntoIterator<Item = Message>) -> Self {
        let mut output = CargoOutput {
            artifacts: Vec::new(),
            build_scripts: HashMap::new(),
        };
        for message in messages {
            match message {
                Message::CompilerArtifact(artifact) => output.artifacts.push(artifact),
                Message::BuildScriptExecuted(script) => {
                    output
                        .build_scripts
                        .insert(script.package_id.repr.clone(), script);
                }
                _ => {}
            }
        }
        output
    }

    /// The output of the package's build script, if it ran.
    pub(crate) fn build_script(&self, package: &Package) -> Option<&BuildScript> {
        self.build_scripts.get(&package.id.0)
    }

    /// The proc-macro libraries of workspace packages among the artifacts (not their unit-test
    /// binaries, whose target is the same).
    fn proc_macros(&self, workspace: &Workspace) -> Vec<PathBuf> {
        self.artifacts
            .iter()
            .filter(|a| a.target.kind.contains(&TargetKind::ProcMacro) && !a.profile.test)
            .filter(|a| {
                workspace
                    .packages
                    .iter()
                    .any(|p| p.id.0 == a.package_id.repr)
            })
            .flat_map(|a| a.filenames.iter().map(|f| f.clone().into_std_path_buf()))
            .collect()
    }

    /// The package's binaries (non-test builds of its `bin` targets) by target name.
    fn bins(&self, package: &Package) -> BTreeMap<String, PathBuf> {
        self.artifacts
            .iter()
            .filter(|a| a.package_id.repr == package.id.0 && !a.profile.test)
            .filter(|a| a.target.kind.contains(&TargetKind::Bin))
            .filter_map(|a| Some((a.target.name.clone(), a.executable.clone()?.into())))
            .collect()
    }
}

/// Runs `cargo test --no-run` with the wrapper and collects its JSON messages.
fn run_cargo(
    cargo: &OsString,
    options: &BuildOptions,
    target_dir: &Path,
) -> Result<CargoOutput, BuildError> {
    let cargo_error = |source| BuildError::Cargo {
        cargo: cargo.clone(),
        source,
    };
    let command = wrapped_cargo(cargo, &["test", "--no-run"], options, target_dir);
    let (status, messages) = run_for_messages(command).map_err(cargo_error)?;
    if !status.success() {
        return Err(BuildError::Failed { status });
    }
    Ok(CargoOutput::from_messages(messages))
}

/// `cargo <args>` building through this executable as the workspace wrapper, in `target_dir`,
/// with the selection of `options` and cargo's JSON messages on stdout (a user's own workspace
/// wrapper still runs, after ours). The workspace's proc macros are instrumented, and what
/// they run during the build is kept under [`build_profiles`]: per compilation of a workspace
/// crate (the wrapper names its directory), the rest (rustdoc, dependencies) in `other/`, never
/// in the source tree. The directory persists with the build: a target cargo finds fresh keeps
/// the profiles of its last compilation.
pub(crate) fn wrapped_cargo(
    cargo: &OsStr,
    args: &[&str],
    options: &BuildOptions,
    target_dir: &Path,
) -> Command {
    let mut command = Command::new(cargo);
    command
        .args(args)
        .arg("--message-format=json-render-diagnostics")
        .arg("--target-dir")
        .arg(target_dir)
        .args(cargo_selection(options))
        .env("RUSTC_WORKSPACE_WRAPPER", &options.wrapper)
        .env(WRAPPER_ENV, "1")
        .env(BUILD_PROFILES_ENV, build_profiles(target_dir))
        .env(
            "LLVM_PROFILE_FILE",
            build_profiles(target_dir).join("other/%p-%m.profraw"),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    if let Some(user_wrapper) = std::env::var_os("RUSTC_WORKSPACE_WRAPPER") {
        command.env(NEXT_WRAPPER_ENV, user_wrapper);
    }
    command
}

/// Where a wrapped build keeps the profiles of the proc macros it ran: one directory per
/// compilation, named as its output file (`<dir>/<test binary file name>/`).
pub(crate) fn build_profiles(target_dir: &Path) -> PathBuf {
    target_dir.join("build-profiles")
}

/// Runs a [`wrapped_cargo`] command to its end: its exit status and its JSON messages.
pub(crate) fn run_for_messages(
    mut command: Command,
) -> std::io::Result<(ExitStatus, Vec<Message>)> {
    let mut child = command.spawn()?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let messages: Result<Vec<Message>, _> = Message::parse_stream(BufReader::new(stdout)).collect();
    let status = child.wait()?;
    Ok((status, messages?))
}

/// The cargo arguments for the package, feature and profile selection (packages by their
/// package ids, as cargo metadata gives them).
pub(crate) fn cargo_selection(options: &BuildOptions) -> Vec<OsString> {
    let mut args: Vec<OsString> = Vec::new();
    if let Some(path) = &options.manifest_path {
        args.extend(["--manifest-path".into(), path.into()]);
    }
    if options.packages.is_empty() {
        args.push("--workspace".into());
    }
    for id in &options.packages {
        args.extend(["-p".into(), (&id.0).into()]);
    }
    if !options.features.is_empty() {
        args.extend(["--features".into(), options.features.join(",").into()]);
    }
    let flags = [
        (options.all_features, "--all-features"),
        (options.no_default_features, "--no-default-features"),
        (options.release, "--release"),
        (options.quiet, "--quiet"),
    ];
    args.extend(
        flags
            .into_iter()
            .filter(|(on, _)| *on)
            .map(|(_, flag)| flag.into()),
    );
    args
}

#[cfg(test)]
mod tests {
    use super::{cargo_selection, BuildOptions};
    use truecov_model::{Config, ManifestFields, Package, PackageId, Workspace};

    fn package(name: &str) -> Package {
        Package {
            id: PackageId(format!("path+file:///ws/{name}#0.1.0")),
            name: name.into(),
            version: "0.1.0".into(),
            manifest_path: format!("/ws/{name}/Cargo.toml").into(),
            fields: ManifestFields::default(),
            config: Config::default(),
            targets: Vec::new(),
            test_support: false,
            external_crates: Vec::new(),
            features: Vec::new(),
        }
    }

    #[test]
    fn passes_the_selection_through_with_packages_by_id() {
        let workspace = Workspace {
            root: "/ws".into(),
            target_directory: "/ws/target".into(),
            packages: vec![package("a"), package("b")],
        };
        let options = BuildOptions {
            manifest_path: Some("ws/Cargo.toml".into()),
            packages: vec![
                workspace.packages[1].id.clone(),
                workspace.packages[0].id.clone(),
            ],
            features: vec!["x".into(), "y".into()],
            no_default_features: true,
            release: true,
            ..BuildOptions::new("w")
        };
        let args: Vec<String> = cargo_selection(&options)
            .into_iter()
            .map(|a| a.into_string().unwrap())
            .collect();
        assert_eq!(
            args,
            [
                "--manifest-path",
                "ws/Cargo.toml",
                "-p",
                "path+file:///ws/b#0.1.0",
                "-p",
                "path+file:///ws/a#0.1.0",
                "--features",
                "x,y",
                "--no-default-features",
                "--release"
            ]
        );
        let all = BuildOptions {
            all_features: true,
            ..BuildOptions::new("w")
        };
        assert_eq!(cargo_selection(&all), ["--workspace", "--all-features"]);
    }
}
