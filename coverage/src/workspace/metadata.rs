//! `cargo metadata --no-deps` and the parts of its output the tool reads, as cargo prints
//! them (versions and manifest fields verbatim: tests see them as `CARGO_PKG_*`).

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use truecov_model::ManifestFields;

/// The output of `cargo metadata --no-deps --format-version 1`.
#[derive(Debug, Deserialize)]
pub(super) struct Metadata {
    /// Workspace members (`--no-deps` lists no other package).
    pub packages: Vec<Package>,
    /// Ids of the workspace members.
    pub workspace_members: Vec<String>,
    /// Root directory of the workspace.
    pub workspace_root: PathBuf,
    /// The target directory cargo would use.
    pub target_directory: PathBuf,
    /// `[workspace.metadata]`.
    #[serde(default)]
    pub metadata: serde_json::Value,
}

/// A package, with its manifest fields as written.
#[derive(Debug, Deserialize)]
pub(super) struct Package {
    pub id: String,
    pub name: String,
    pub version: String,
    /// `authors`, `description`, ... as cargo metadata names them.
    #[serde(flatten)]
    pub fields: ManifestFields,
    pub manifest_path: PathBuf,
    #[serde(default)]
    pub targets: Vec<Target>,
    #[serde(default)]
    pub dependencies: Vec<Dependency>,
    #[serde(default)]
    pub features: BTreeMap<String, Vec<String>>,
    /// `[package.metadata]`.
    #[serde(default)]
    pub metadata: serde_json::Value,
}

/// A Cargo target of a package.
#[derive(Debug, Deserialize)]
pub(super) struct Target {
    /// Kinds: `lib`, `rlib`, `proc-macro`, `bin`, `test`, `custom-build`, ...
    pub kind: Vec<String>,
    pub name: String,
    /// The target's root source file.
    pub src_path: PathBuf,
    /// `cargo test` runs its tests.
    #[serde(default = "yes")]
    pub test: bool,
    /// `cargo test --doc` runs its doctests.
    #[serde(default = "yes")]
    pub doctest: bool,
    /// Its edition (`"2021"`).
    #[serde(default)]
    pub edition: String,
}

fn yes() -> bool {
    true
}

/// A dependency of a package.
#[derive(Debug, Deserialize)]
pub(super) struct Dependency {
    pub name: String,
    /// The name code uses for it, when renamed.
    pub rename: Option<String>,
    /// `dev`, `build`, or `None` for a normal dependency.
    pub kind: Option<String>,
}

impl Target {
    pub(super) fn is_kind(&self, kind: &str) -> bool {
        self.kind.iter().any(|k| k == kind)
    }
}

/// Runs `cargo metadata --no-deps` for the workspace of `manifest_path` (or the current
/// directory); the error is cargo's message.
pub(super) fn run(manifest_path: Option<&Path>) -> Result<Metadata, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.args(["metadata", "--format-version", "1", "--no-deps"]);
    if let Some(path) = manifest_path {
        command.arg("--manifest-path").arg(path);
    }
    let output = command
        .output()
        .map_err(|e| format!("failed to start `cargo metadata`: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`cargo metadata` exited with an error: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let json = stdout
        .lines()
        .find(|line| line.starts_with('{'))
        .ok_or("could not find any json in the output of `cargo metadata`")?;
    serde_json::from_str(json)
        .map_err(|e| format!("failed to interpret `cargo metadata`'s json: {e}"))
}
