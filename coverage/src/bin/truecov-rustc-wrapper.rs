//! The coverage rustc wrapper on its own, for this crate's tests (`cargo-truecov` itself acts as
//! the wrapper in real use).

use std::process::ExitCode;
use truecov_coverage::run::{wrap_rustc_if_requested, Wrapped};

fn main() -> ExitCode {
    let Some(wrapped) = wrap_rustc_if_requested() else {
        eprintln!(
            "truecov-rustc-wrapper: cargo runs this as RUSTC_WORKSPACE_WRAPPER with \
             TRUECOV_RUSTC_WRAPPER=1 set; it does nothing on its own"
        );
        return ExitCode::from(2);
    };
    match wrapped {
        Wrapped::Ran(status) => std::process::exit(status.code().unwrap_or(1)),
        Wrapped::Failed(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
