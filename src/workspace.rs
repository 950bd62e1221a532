//! The packages the global options select, and their workspace.

use crate::cli::Global;
use truecov_model::{Selection, Workspace};

/// The selection of packages the global options make.
pub fn selection(global: &Global) -> Selection {
    Selection {
        manifest_path: global.manifest_path.clone(),
        packages: global.packages.clone(),
        workspace: global.workspace,
        ..Selection::default()
    }
}

/// The workspace and the packages the global options select (one `cargo metadata`).
pub fn workspace(global: &Global) -> anyhow::Result<Workspace> {
    Ok(truecov_coverage::workspace::load(&selection(global))?)
}
