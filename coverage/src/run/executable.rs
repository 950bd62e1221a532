//! A test binary of the instrumented build, with what running it as `cargo test` would takes.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::PathBuf;

/// An instrumented test binary and everything needed to run it as `cargo test` would.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestExecutable {
    /// Path of the instrumented binary.
    pub path: PathBuf,
    /// Cargo package that owns the target.
    pub package: String,
    /// Cargo target: `lib`, `bin:<name>`, `test:<name>`, `example:<name>` or `bench:<name>`.
    pub target: String,
    /// `false` for `harness = false` targets, which are run as one test named after the target.
    pub harness: bool,
    /// Working directory of the test process: the package root.
    pub cwd: PathBuf,
    /// Variables set on top of the inherited environment (`CARGO_MANIFEST_DIR`, `CARGO_PKG_*`,
    /// `CARGO_BIN_EXE_*`, the build script's `cargo:rustc-env`, the library search path, ...).
    pub env: BTreeMap<OsString, OsString>,
    /// The package's instrumented binaries by target name, as the test sees them in
    /// `CARGO_BIN_EXE_<name>` (integration tests and benches only, as cargo does). A test that
    /// runs one leaves that process's profile among its own.
    pub bins: BTreeMap<String, PathBuf>,
}

impl TestExecutable {
    /// The name of the single test of a `harness = false` target: the target's name (`lib`
    /// for a library).
    pub fn target_name(&self) -> &str {
        self.target
            .split_once(':')
            .map_or(&self.target, |(_, name)| name)
    }
}
