//! What `cargo metadata --no-deps` says about the workspace: its packages (for the
//! `CARGO_PKG_*` variables of test processes, and their targets) and its target directory.

use super::BuildError;
use serde::Deserialize;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The parts of `cargo metadata` output the build needs.
#[derive(Debug, Deserialize)]
pub(crate) struct Workspace {
    /// Workspace members.
    pub packages: Vec<Package>,
    /// The target directory cargo would use.
    pub target_directory: PathBuf,
    /// Root directory of the workspace.
    pub workspace_root: PathBuf,
}

/// A workspace member, with its manifest fields as written (cargo sets them verbatim).
#[derive(Debug, Deserialize)]
pub(crate) struct Package {
    pub id: String,
    pub name: String,
    pub version: String,
    pub authors: Vec<String>,
    pub description: Option<String>,
    pub homepage: Option<String>,
    pub repository: Option<String>,
    pub license: Option<String>,
    pub license_file: Option<String>,
    pub readme: Option<String>,
    pub rust_version: Option<String>,
    pub manifest_path: PathBuf,
    /// The package's targets.
    #[serde(default)]
    pub targets: Vec<Target>,
}

/// A Cargo target of a package.
#[derive(Debug, Deserialize)]
pub(crate) struct Target {
    /// Kinds: `lib`, `rlib`, `proc-macro`, `bin`, `test`, ...
    pub kind: Vec<String>,
    /// The target's root source file.
    pub src_path: PathBuf,
}

impl Package {
    /// The package root: the directory of its `Cargo.toml`.
    pub fn root(&self) -> &Path {
        self.manifest_path.parent().unwrap_or(Path::new("."))
    }
}

/// Runs `cargo metadata --no-deps` for the workspace of `manifest_path` (or the current
/// directory).
pub(crate) fn load(cargo: &OsStr, manifest_path: Option<&Path>) -> Result<Workspace, BuildError> {
    let mut command = Command::new(cargo);
    command.args(["metadata", "--no-deps", "--format-version", "1"]);
    if let Some(path) = manifest_path {
        command.arg("--manifest-path").arg(path);
    }
    let output = command.output().map_err(|source| BuildError::Cargo {
        cargo: cargo.into(),
        source,
    })?;
    if !output.status.success() {
        return Err(BuildError::Metadata(
            String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        ));
    }
    serde_json::from_slice(&output.stdout).map_err(|error| BuildError::Metadata(error.to_string()))
}
