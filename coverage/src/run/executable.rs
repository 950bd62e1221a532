//! A test binary of the instrumented build, with what running it as `cargo test` would takes.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::PathBuf;
use truecov_model::TestOutcome;

/// An instrumented test binary and everything needed to run it as `cargo test` would.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
    #[serde(with = "pairs")]
    pub env: BTreeMap<OsString, OsString>,
    /// The package's instrumented binaries by target name, as the test sees them in
    /// `CARGO_BIN_EXE_<name>` (integration tests and benches only, as cargo does). A test that
    /// runs one leaves that process's profile among its own.
    pub bins: BTreeMap<String, PathBuf>,
    /// For a doctest (target `doc`): the one doctest this executable runs. `None` for every
    /// cargo target.
    pub doctest: Option<Doctest>,
}

/// One doctest as an executable runs it: a standalone doctest binary, or one test of an
/// edition 2024 merged binary (picked by the environment, `RUSTDOC_DOCTEST_RUN_NB_TEST`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Doctest {
    /// The name rustdoc gives it (`src/lib.rs - double (line 12)`).
    pub name: String,
    /// A `should_panic` example: it passes when the process fails, as rustdoc judges it.
    pub should_panic: bool,
}

impl TestExecutable {
    /// The name of the single test of a `harness = false` target: the target's name (`lib`
    /// for a library), or the doctest's name.
    pub fn target_name(&self) -> &str {
        if let Some(doctest) = &self.doctest {
            return &doctest.name;
        }
        self.target
            .split_once(':')
            .map_or(&self.target, |(_, name)| name)
    }

    /// How the test did, from how its process ended: a `should_panic` doctest passes when its
    /// process fails (exits with an error code) and fails when it exits 0.
    pub fn judged(&self, ended: TestOutcome) -> TestOutcome {
        match (&self.doctest, ended) {
            (Some(d), TestOutcome::Passed) if d.should_panic => TestOutcome::Failed,
            (Some(d), TestOutcome::Failed) if d.should_panic => TestOutcome::Passed,
            _ => ended,
        }
    }
}

/// The environment as a list of pairs in JSON, whose object keys must be strings.
mod pairs {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::BTreeMap;
    use std::ffi::OsString;

    pub(super) fn serialize<S: Serializer>(
        env: &BTreeMap<OsString, OsString>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        env.iter().collect::<Vec<_>>().serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<OsString, OsString>, D::Error> {
        Ok(Vec::<(OsString, OsString)>::deserialize(d)?
            .into_iter()
            .collect())
    }
}
