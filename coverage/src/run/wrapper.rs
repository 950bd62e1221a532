//! The rustc wrapper: cargo runs it (as `RUSTC_WORKSPACE_WRAPPER`, so for workspace members
//! only) with the real rustc and its arguments; it adds the coverage flags and runs rustc.
//! It prints nothing and exits nothing: what it did is returned to the executable's `main`.

use std::ffi::OsString;
use std::process::{Command, ExitStatus};

/// Set (to any value) in the environment of the build; tells the binary to act as the wrapper.
pub(crate) const WRAPPER_ENV: &str = "TRUECOV_RUSTC_WRAPPER";

/// A `RUSTC_WORKSPACE_WRAPPER` the user had set, which the wrapper runs in its turn.
pub(crate) const NEXT_WRAPPER_ENV: &str = "TRUECOV_NEXT_WRAPPER";

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
/// `-C instrument-coverage -C llvm-args=-runtime-counter-relocation`; build scripts, proc
/// macros (their code runs inside rustc, where no test can reach it) and cargo's queries to
/// rustc are passed through unchanged.
pub fn wrap_rustc_if_requested() -> Option<Wrapped> {
    std::env::var_os(WRAPPER_ENV)?;
    let next_wrapper = std::env::var_os(NEXT_WRAPPER_ENV).filter(|next| !next.is_empty());
    let command = match rustc_command(std::env::args_os().skip(1), next_wrapper) {
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
/// compiles a workspace crate.
fn rustc_command(
    mut args: impl Iterator<Item = OsString>,
    next: Option<OsString>,
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
    if instruments(&args) {
        command.args(COVERAGE_FLAGS);
    }
    Ok(command)
}

/// Whether a rustc command line compiles a crate that should be instrumented.
fn instruments(args: &[OsString]) -> bool {
    let values_of = |flag: &'static str| {
        args.windows(2)
            .filter(move |pair| pair[0] == flag)
            .map(|pair| pair[1].to_string_lossy())
    };
    // `___` is the crate name of cargo's target-info queries.
    let compiles_code = values_of("--crate-name")
        .next()
        .is_some_and(|name| name != "___" && !name.starts_with("build_script_"));
    compiles_code && !values_of("--crate-type").any(|ty| ty == "proc-macro")
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
        assert!(instruments(&args(
            "--crate-name outcomes --edition=2021 src/lib.rs --crate-type lib"
        )));
        assert!(instruments(&args(
            "--crate-name integration --edition=2021 tests/integration.rs --test"
        )));
        assert!(!instruments(&args(
            "--crate-name build_script_build --edition=2021 build.rs --crate-type bin"
        )));
        assert!(!instruments(&args(
            "--crate-name derive_it --edition=2021 src/lib.rs --crate-type proc-macro"
        )));
        assert!(!instruments(&args(
            "- --crate-name ___ --print=file-names --crate-type bin"
        )));
        assert!(!instruments(&args("-vV")));
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
        let direct = rustc_command(cargo_args(), None).unwrap();
        assert_eq!(
            shown(direct),
            (
                "/bin/rustc --crate-name outcomes src/lib.rs -C instrument-coverage \
                 -C llvm-args=-runtime-counter-relocation"
                    .into(),
                true
            )
        );
        let chained = rustc_command(cargo_args(), Some("sccache".into())).unwrap();
        assert!(shown(chained)
            .0
            .to_string_lossy()
            .starts_with("sccache /bin/rustc --crate-name"));
        let query = rustc_command(args("/bin/rustc -vV").into_iter(), None).unwrap();
        assert_eq!(shown(query).0, "/bin/rustc -vV");
    }

    #[test]
    fn a_wrapper_started_without_rustc_says_so() {
        let e = rustc_command(std::iter::empty(), None).unwrap_err();
        assert!(matches!(e, WrapperError::NoRustc));
        assert_eq!(
            e.to_string(),
            "truecov rustc wrapper: expected the rustc path as first argument"
        );
    }
}
