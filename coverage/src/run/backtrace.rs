//! Backtraces of tests that panic on purpose. With `RUST_BACKTRACE=1` (common in CI), every
//! panic makes the default hook capture and symbolise a backtrace, ~100 ms in an instrumented
//! binary, which `cargo test` pays once per binary and a run of every test alone once per
//! `#[should_panic]` test. A passing one's output is never shown, so such tests run with the
//! hook's backtraces off; one that does not pass runs again with the user's environment, and
//! that run, backtrace included, is the one reported.

use std::ffi::OsString;
use std::process::Command;

/// The variable the default panic hook reads.
const PANIC_VAR: &str = "RUST_BACKTRACE";
/// The variable `std::backtrace::Backtrace::capture` reads before [`PANIC_VAR`].
const LIBRARY_VAR: &str = "RUST_LIB_BACKTRACE";

/// Which backtraces a test process prints when it panics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Backtraces {
    /// As the user's environment says.
    User,
    /// None from the panic hook; backtraces the code captures itself (`Backtrace::capture`,
    /// `anyhow`) stay as the user's environment says.
    PanicHookOff,
}

impl Backtraces {
    /// Sets the variables of this choice on `command`, whose environment is inherited from
    /// this process.
    pub(crate) fn apply(self, command: &mut Command) {
        if self == Backtraces::PanicHookOff {
            let user = |var| std::env::var_os(var);
            for (var, value) in hook_off_env(user(PANIC_VAR), user(LIBRARY_VAR)) {
                command.env(var, value);
            }
        }
    }
}

/// The variables that turn the panic hook's backtraces off and keep `Backtrace::capture` as
/// the user's `RUST_BACKTRACE` and `RUST_LIB_BACKTRACE` had it.
fn hook_off_env(
    panic: Option<OsString>,
    library: Option<OsString>,
) -> Vec<(&'static str, OsString)> {
    let mut env = vec![(PANIC_VAR, OsString::from("0"))];
    if let (Some(panic), None) = (panic, library) {
        env.push((LIBRARY_VAR, panic));
    }
    env
}

#[cfg(test)]
mod tests {
    use super::hook_off_env;
    use std::ffi::OsString;

    fn env(panic: Option<&str>, library: Option<&str>) -> Vec<(&'static str, OsString)> {
        hook_off_env(panic.map(Into::into), library.map(Into::into))
    }

    #[test]
    fn the_hook_is_silenced_and_captured_backtraces_keep_the_user_setting() {
        assert_eq!(env(None, None), [("RUST_BACKTRACE", "0".into())]);
        assert_eq!(
            env(Some("1"), None),
            [
                ("RUST_BACKTRACE", "0".into()),
                ("RUST_LIB_BACKTRACE", "1".into())
            ]
        );
        // The user's RUST_LIB_BACKTRACE is inherited as it is.
        assert_eq!(
            env(Some("full"), Some("0")),
            [("RUST_BACKTRACE", "0".into())]
        );
    }
}
