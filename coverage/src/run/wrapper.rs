//! The rustc wrapper: cargo runs it (as `RUSTC_WORKSPACE_WRAPPER`, so for workspace members
//! only) with the real rustc and its arguments; it adds the coverage flags and runs rustc.

use std::ffi::OsString;
use std::process::Command;

/// Set (to any value) in the environment of the build; tells the binary to act as the wrapper.
pub(crate) const WRAPPER_ENV: &str = "TRUECOV_RUSTC_WRAPPER";

/// A `RUSTC_WORKSPACE_WRAPPER` the user had set, which the wrapper runs in its turn.
pub(crate) const NEXT_WRAPPER_ENV: &str = "TRUECOV_NEXT_WRAPPER";

/// Flags that instrument a crate. Counter relocation lets the profile runtime keep counters in
/// an mmap of the profile file when `LLVM_PROFILE_FILE` contains `%c` (continuous mode), so a
/// test that aborts or is killed still leaves its counts; without it Linux writes the profile
/// only at a normal exit.
const COVERAGE_FLAGS: [&str; 4] = [
    "-C",
    "instrument-coverage",
    "-C",
    "llvm-args=-runtime-counter-relocation",
];

/// Acts as the coverage rustc wrapper when this process was started as one, and never returns
/// then; otherwise returns at once. The `cargo-truecov` binary calls it first thing in `main`.
///
/// Cargo calls the wrapper as `<wrapper> <rustc> <args>...`. Crate compilations get
/// `-C instrument-coverage -C llvm-args=-runtime-counter-relocation`; build scripts, proc
/// macros (their code runs inside rustc, where no test can reach it) and cargo's queries to
/// rustc are passed through unchanged.
pub fn wrapper_main_if_requested() {
    if std::env::var_os(WRAPPER_ENV).is_none() {
        return;
    }
    let mut args = std::env::args_os().skip(1);
    let Some(rustc) = args.next() else {
        eprintln!("truecov rustc wrapper: expected the rustc path as first argument");
        std::process::exit(2);
    };
    let args: Vec<OsString> = args.collect();
    let mut command = match std::env::var_os(NEXT_WRAPPER_ENV).filter(|next| !next.is_empty()) {
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
    let error = exec(command);
    eprintln!(
        "truecov rustc wrapper: cannot run {}: {error}",
        rustc.to_string_lossy()
    );
    std::process::exit(1);
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

/// Replaces this process with `command` (Unix) or runs it and exits with its code; returns the
/// error when it cannot be started.
fn exec(mut command: Command) -> std::io::Error {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.exec()
    }
    #[cfg(not(unix))]
    {
        match command.status() {
            Ok(status) => std::process::exit(status.code().unwrap_or(1)),
            Err(error) => error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::instruments;
    use std::ffi::OsString;

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
}
