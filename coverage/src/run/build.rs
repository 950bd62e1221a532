//! The instrumented build: `cargo test --no-run` with the coverage wrapper, into a dedicated
//! target directory, and the test binaries it produced.

use super::env::{self, EnvSources};
use super::metadata::{self, Package, Workspace};
use super::wrapper::{NEXT_WRAPPER_ENV, WRAPPER_ENV};
use super::{manifest, Event, OnEvent, TestExecutable};
use cargo_metadata::{Artifact, BuildScript, Message, TargetKind};
use std::collections::{BTreeMap, HashMap};
use std::ffi::{OsStr, OsString};
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};

/// What to build.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// An executable that calls [`super::wrapper_main_if_requested`] first thing (the
    /// `cargo-truecov` binary itself); cargo runs it as `RUSTC_WORKSPACE_WRAPPER`.
    pub wrapper: PathBuf,
    /// `--manifest-path`: the workspace to build (default: the one of the current directory).
    pub manifest_path: Option<PathBuf>,
    /// `-p` packages to build; empty means the whole workspace (`--workspace`).
    pub packages: Vec<String>,
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
    /// `cargo metadata` failed: no workspace there, or an invalid manifest.
    #[error("cannot read the workspace: {0}")]
    Metadata(String),
    /// A package's `Cargo.toml` could not be read for its `harness` settings.
    #[error("cannot read the harness settings in {path}: {message}")]
    Manifest {
        /// The manifest.
        path: PathBuf,
        /// What went wrong.
        message: String,
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

/// Builds the test targets of the selected packages with coverage instrumentation (workspace
/// crates only) and returns the test binaries. cargo's progress and rendered diagnostics go to
/// this process's stderr, as cargo shows them.
pub fn build_tests(options: &BuildOptions, on_event: OnEvent<'_>) -> Result<Build, BuildError> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let workspace = metadata::load(&cargo, options.manifest_path.as_deref())?;
    let target_dir = options
        .target_dir
        .as_deref()
        .unwrap_or(&workspace.target_directory)
        .join("truecov");
    on_event(Event::BuildStarted);
    let output = run_cargo(&cargo, options, &target_dir)?;
    let executables = test_executables(&cargo, &workspace, &output, &target_dir)?;
    on_event(Event::BuildFinished {
        executables: executables.len(),
    });
    Ok(Build {
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
) -> Result<Vec<TestExecutable>, BuildError> {
    let sysroot_libdir = env::sysroot_libdir(&workspace.workspace_root);
    let mut harnessless = HashMap::new();
    let mut executables = Vec::new();
    for artifact in output.artifacts.iter().filter(|a| a.profile.test) {
        let (Some(executable), Some(package)) = (
            &artifact.executable,
            workspace
                .packages
                .iter()
                .find(|p| p.id == artifact.package_id.repr),
        ) else {
            continue;
        };
        let target = target_string(artifact);
        if !harnessless.contains_key(&package.manifest_path) {
            let targets = manifest::harnessless_targets(&package.manifest_path)?;
            harnessless.insert(package.manifest_path.clone(), targets);
        }
        let harness = !harnessless[&package.manifest_path].contains(&target);
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
            build_script: output.build_scripts.get(&package.id),
            bins: &bins,
            executable: executable.as_std_path(),
            target_dir,
            sysroot_libdir: sysroot_libdir.as_deref(),
        });
        executables.push(TestExecutable {
            path: executable.clone().into(),
            package: package.name.clone(),
            target,
            harness,
            cwd: package.root().to_owned(),
            env,
            bins,
        });
    }
    executables.sort_by(|a, b| (&a.package, &a.target).cmp(&(&b.package, &b.target)));
    Ok(executables)
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

    /// The package's binaries (non-test builds of its `bin` targets) by target name.
    fn bins(&self, package: &Package) -> BTreeMap<String, PathBuf> {
        self.artifacts
            .iter()
            .filter(|a| a.package_id.repr == package.id && !a.profile.test)
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
    // Build scripts and proc macros are not instrumented, but anything instrumented that runs
    // during the build (through RUSTFLAGS, say) must not drop profiles in the source tree.
    let build_profiles = target_dir.join("build-profiles");
    let mut command = Command::new(cargo);
    command
        .args([
            "test",
            "--no-run",
            "--message-format=json-render-diagnostics",
        ])
        .arg("--target-dir")
        .arg(target_dir)
        .args(cargo_selection(options))
        .env("RUSTC_WORKSPACE_WRAPPER", &options.wrapper)
        .env(WRAPPER_ENV, "1")
        .env("LLVM_PROFILE_FILE", build_profiles.join("%p-%m.profraw"))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    if let Some(user_wrapper) = std::env::var_os("RUSTC_WORKSPACE_WRAPPER") {
        command.env(NEXT_WRAPPER_ENV, user_wrapper);
    }
    let mut child = command.spawn().map_err(cargo_error)?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let messages: Result<Vec<Message>, _> = Message::parse_stream(BufReader::new(stdout)).collect();
    let status = child.wait().map_err(cargo_error)?;
    // The directory is inside the dedicated target directory: a leftover harms nothing.
    let _ = std::fs::remove_dir_all(&build_profiles);
    let messages = messages.map_err(cargo_error)?;
    if !status.success() {
        return Err(BuildError::Failed { status });
    }
    Ok(CargoOutput::from_messages(messages))
}

/// The cargo arguments for the package, feature and profile selection.
pub(crate) fn cargo_selection(options: &BuildOptions) -> Vec<OsString> {
    let mut args: Vec<OsString> = Vec::new();
    if let Some(path) = &options.manifest_path {
        args.extend(["--manifest-path".into(), path.into()]);
    }
    if options.packages.is_empty() {
        args.push("--workspace".into());
    }
    for package in &options.packages {
        args.extend(["-p".into(), package.into()]);
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

/// The target string of a test artifact: `lib`, `bin:<name>`, `test:<name>`,
/// `example:<name>` or `bench:<name>`.
fn target_string(artifact: &Artifact) -> String {
    let target = &artifact.target;
    let kind = target.kind.iter().find_map(|kind| match kind {
        TargetKind::Bin => Some("bin"),
        TargetKind::Test => Some("test"),
        TargetKind::Example => Some("example"),
        TargetKind::Bench => Some("bench"),
        _ => None,
    });
    kind.map_or_else(
        || "lib".to_owned(),
        |kind| format!("{kind}:{}", target.name),
    )
}

#[cfg(test)]
mod tests {
    use super::{cargo_selection, BuildOptions};

    #[test]
    fn passes_the_selection_through() {
        let options = BuildOptions {
            manifest_path: Some("ws/Cargo.toml".into()),
            packages: vec!["a".into(), "b".into()],
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
                "a",
                "-p",
                "b",
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
