//! The coverage rustc wrapper on its own, for this crate's tests (`cargo-truecov` itself acts as
//! the wrapper in real use).

fn main() {
    truecov_coverage::run::wrapper_main_if_requested();
    eprintln!(
        "truecov-rustc-wrapper: cargo runs this as RUSTC_WORKSPACE_WRAPPER with \
         TRUECOV_RUSTC_WRAPPER=1 set; it does nothing on its own"
    );
    std::process::exit(2);
}
