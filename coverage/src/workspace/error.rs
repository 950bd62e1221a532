//! Why a workspace could not be loaded.

use std::path::PathBuf;

/// Why a workspace could not be loaded: each error names the manifest or package.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    /// `cargo metadata` failed (no manifest, invalid manifest, no cargo).
    #[error("cannot read the workspace: {0}")]
    Metadata(String),
    /// A `-p` name that is not a member.
    #[error("package `{0}` is not a member of the workspace at {1}")]
    UnknownPackage(String, String),
    /// Invalid `[metadata.truecov]` configuration.
    #[error("{manifest}: {message}")]
    Config {
        /// Manifest with the bad table.
        manifest: String,
        /// What is wrong.
        message: String,
    },
    /// A member's `Cargo.toml` could not be read for its `harness` settings.
    #[error("cannot read the harness settings in {path}: {message}")]
    Manifest {
        /// The manifest.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}
