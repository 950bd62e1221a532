//! The rustc wrapper: cargo runs it (as `RUSTC_WORKSPACE_WRAPPER`, so for workspace members
//! only) with the real rustc and its arguments; it adds the coverage flags and runs rustc.
//! It prints nothing and exits nothing: what it did is returned to the executable's `main`.

use std::borrow::Cow;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};

/// Set (to any value) in the environment of the build; tells the binary to act as the wrapper.
pub(crate) const WRAPPER_ENV: &str = "TRUECOV_RUSTC_WRAPPER";

/// A `RUSTC_WORKSPACE_WRAPPER` the user had set, which the wrapper runs in its turn.
pub(crate) const NEXT_WRAPPER_ENV: &str = "TRUECOV_NEXT_WRAPPER";

/// Set in the environment of a test build to a directory: proc-macro crates of the workspace
/// are instrumented too, and each compilation of a workspace crate writes the profiles of the
/// proc macros it runs under `<dir>/<crate name><extra-filename>/` (a test binary's file name),
/// which it empties first: what a test target's compilation ran of the workspace's proc macros
/// (docs/tests.md#proc-macro-crates).
pub(crate) const BUILD_PROFILES_ENV: &str = "TRUECOV_BUILD_PROFILES";

/// Flags that instrument a crate. Counter relocation lets the profile runtime keep counters in
/// an mmap of the profile file when `LLVM_PROFILE_FILE` contains `%c` (continuous mode), so a
/// test that aborts or is killed still leaves its counts; without it Linux writes the profile
/// only at a normal exit.
pub(crate) const COVERAGE_FLAGS: [&str; 4] = [
    "-C",
    "instrument-coverage",
    "-C",
    "llvm-args=-runtime-counter-relocation",
];

/// Why the wrapper could not run rustc.
#[derive(Debug, thiserror::Error)]
pub enum WrapperError {
    /// Cargo did not pass the rustc path (the wrapper was started by hand).
    #[error("truecov rustc wrapper: expected the rustc path as first argument")]
    NoRustc,
    /// rustc (or the user's own wrapper) could not be started.
    #[error("truecov rustc wrapper: cannot run {rustc}: {source}")]
    CannotRun {
        /// The program that could not be started.
        rustc: String,
        /// Why.
        source: std::io::Error,
    },
}

/// What the wrapper did, when this process was started as one.
#[derive(Debug)]
pub enum Wrapped {
    /// rustc ran as a child process and ended so (where a process cannot replace itself with
    /// another: not on Unix). The executable exits with its code.
    Ran(ExitStatus),
    /// rustc could not be run.
    Failed(WrapperError),
}

/// Acts as the coverage rustc wrapper when this process was started as one; otherwise returns
/// `None` at once. The `cargo-truecov` binary calls it first thing in `main`. On Unix, a
/// wrapper that can run rustc becomes rustc (`exec`) and does not return.
///
/// Cargo calls the wrapper as `<wrapper> <rustc> <args>...`. Crate compilations get
/// `-C instrument-coverage -C llvm-args=-runtime-counter-relocation`; build scripts and
/// cargo's queries to rustc are passed through unchanged, and so are proc macros unless the
/// build records their profiles ([`BUILD_PROFILES_ENV`]): their code runs inside rustc.
pub fn wrap_rustc_if_requested() -> Option<Wrapped> {
    std::env::var_os(WRAPPER_ENV)?;
    let next_wrapper = std::env::var_os(NEXT_WRAPPER_ENV).filter(|next| !next.is_empty());
    let build_profiles = std::env::var_os(BUILD_PROFILES_ENV)
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from);
    let command = match rustc_command(
        std::env::args_os().skip(1),
        next_wrapper,
        build_profiles.as_deref(),
    ) {
        Ok(command) => command,
        Err(e) => return Some(Wrapped::Failed(e)),
    };
    let program = command.get_program().to_string_lossy().into_owned();
    Some(match exec(command) {
        Ok(status) => Wrapped::Ran(status),
        Err(source) => Wrapped::Failed(WrapperError::CannotRun {
            rustc: program,
            source,
        }),
    })
}

/// The command the wrapper runs for cargo's `<rustc> <args>...`: rustc itself, or the user's
/// own wrapper `next` with rustc as its first argument, with the coverage flags added when it
/// compiles a workspace crate; with `build_profiles`, proc macros are instrumented too and the
/// compilation's own profile directory is emptied and named in `LLVM_PROFILE_FILE`.
fn rustc_command(
    mut args: impl Iterator<Item = OsString>,
    next: Option<OsString>,
    build_profiles: Option<&Path>,
) -> Result<Command, WrapperError> {
    let rustc = args.next().ok_or(WrapperError::NoRustc)?;
    let args: Vec<OsString> = args.collect();
    let mut command = match next {
        Some(next) => {
            let mut command = Command::new(next);
            command.arg(&rustc);
            command
        }
        None => Command::new(&rustc),
    };
    command.args(&args).env_remove(WRAPPER_ENV);
    if instruments(&args, build_profiles.is_some()) {
        command.args(COVERAGE_FLAGS);
    }
    if let (Some(dir), Some(output)) = (build_profiles, output_name(&args)) {
        let own = dir.join(output);
        // Profiles of an earlier compilation of the same target are stale once it recompiles.
        let _ = std::fs::remove_dir_all(&own);
        command.env("LLVM_PROFILE_FILE", own.join("%p-%m.profraw"));
    }
    Ok(command)
}

/// The values of `flag` on a rustc command line (`--crate-name x`, `-C extra-filename=-h`).
fn values_of<'a>(args: &'a [OsString], flag: &'static str) -> impl Iterator<Item = Cow<'a, str>> {
    args.windows(2)
        .filter(move |pair| pair[0] == flag)
        .map(|pair| pair[1].to_string_lossy())
}

/// The crate a rustc command line compiles, unless it is a build script or one of cargo's
/// target-info queries (crate name `___`).
fn compiled_crate(args: &[OsString]) -> Option<Cow<'_, str>> {
    values_of(args, "--crate-name")
        .next()
        .filter(|name| name != "___" && !name.starts_with("build_script_"))
}

/// Whether a rustc command line compiles a crate that should be instrumented: proc macros only
/// when `proc_macros`.
fn instruments(args: &[OsString], proc_macros: bool) -> bool {
    compiled_crate(args).is_some()
        && (proc_macros || !values_of(args, "--crate-type").any(|ty| ty == "proc-macro"))
}

/// The file name (without extension) cargo gives the compilation's output: the crate name and
/// its `-C extra-filename`, as in `deps/<name>-<hash>`.
fn output_name(args: &[OsString]) -> Option<String> {
    let name = compiled_crate(args)?;
    let extra = values_of(args, "-C")
        .find_map(|value| value.strip_prefix("extra-filename=").map(str::to_owned))
        .unwrap_or_default();
    Some(format!("{name}{extra}"))
}

/// Replaces this process with `command` (Unix: returns only the error when it cannot be
/// started), or runs it and returns how it ended.
fn exec(mut command: Command) -> std::io::Result<ExitStatus> {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        Err(command.exec())
    }
    #[cfg(not(unix))]
    {
        command.status()
    }
}

#[cfg(test)]
mod tests {
    use super::{instruments, rustc_command, WrapperError, WRAPPER_ENV};
    use std::ffi::{OsStr, OsString};

    fn args(line: &str) -> Vec<OsString> {
        line.split(' ').map(OsString::from).collect()
    }

    #[test]
    fn instruments_crate_compilations_only() {
        for proc_macros in [false, true] {
            let instruments = |line| instruments(&args(line), proc_macros);
            assert!(instruments(
                "--crate-name outcomes --edition=2021 src/lib.rs --crate-type lib"
            ));
            assert!(instruments(
                "--crate-name integration --edition=2021 tests/integration.rs --test"
            ));
            assert!(!instruments(
                "--crate-name build_script_build --edition=2021 build.rs --crate-type bin"
            ));
            assert!(!instruments(
                "- --crate-name ___ --print=file-names --crate-type bin"
            ));
            assert!(!instruments("-vV"));
        }
        let derive =
            args("--crate-name derive_it --edition=2021 src/lib.rs --crate-type proc-macro");
        assert!(!instruments(&derive, false));
        assert!(instruments(&derive, true));
    }

    #[test]
    fn with_build_profiles_each_compilation_writes_into_its_own_emptied_directory() {
        let dir = std::env::temp_dir().join(format!("truecov-wrapper-{}", std::process::id()));
        let own = dir.join("expand-0a1b");
        std::fs::create_dir_all(&own).unwrap();
        std::fs::write(own.join("stale.profraw"), b"old").unwrap();
        let line = "/bin/rustc --crate-name expand --edition=2021 tests/expand.rs --test \
                    -C extra-filename=-0a1b";
        let command = rustc_command(args(line).into_iter(), None, Some(&dir)).unwrap();
        let profile_file = command
            .get_envs()
            .find(|(k, _)| *k == "LLVM_PROFILE_FILE")
            .and_then(|(_, v)| v.map(OsStr::to_owned));
        assert_eq!(
            profile_file,
            Some(own.join("%p-%m.profraw").into_os_string())
        );
        assert!(
            !own.exists(),
            "the stale profile of the last compilation is gone"
        );
        let query = rustc_command(args("/bin/rustc -vV").into_iter(), None, Some(&dir)).unwrap();
        assert!(query.get_envs().all(|(k, _)| k != "LLVM_PROFILE_FILE"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn runs_rustc_or_the_next_wrapper_with_the_coverage_flags_added() {
        let cargo_args = || args("/bin/rustc --crate-name outcomes src/lib.rs").into_iter();
        let shown = |command: std::process::Command| {
            let mut line = vec![command.get_program().to_owned()];
            line.extend(command.get_args().map(OsStr::to_owned));
            (
                line.join(OsStr::new(" ")),
                command
                    .get_envs()
                    .any(|(k, v)| k == WRAPPER_ENV && v.is_none()),
            )
        };
        let direct = rustc_command(cargo_args(), None, None).unwrap();
        assert_eq!(
            shown(direct),
            (
                "/bin/rustc --crate-name outcomes src/lib.rs -C instrument-coverage \
                 -C llvm-args=-runtime-counter-relocation"
                    .into(),
                true
            )
        );
        let chained = rustc_command(cargo_args(), Some("sccache".into()), None).unwrap();
        assert!(shown(chained)
            .0
            .to_string_lossy()
            .starts_with("sccache /bin/rustc --crate-name"));
        let query = rustc_command(args("/bin/rustc -vV").into_iter(), None, None).unwrap();
        assert_eq!(shown(query).0, "/bin/rustc -vV");
    }

    #[test]
    fn a_wrapper_started_without_rustc_says_so() {
        let e = rustc_command(std::iter::empty(), None, None).unwrap_err();
        assert!(matches!(e, WrapperError::NoRustc));
        assert_eq!(
            e.to_string(),
            "truecov rustc wrapper: expected the rustc path as first argument"
        );
    }
}
