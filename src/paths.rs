//! Where the tool keeps its files: its target directory, the last report, prove's scratch
//! copy; and writing a file whole.

use crate::cli::BuildArgs;
use anyhow::Context;
use std::path::{Path, PathBuf};

/// The target directory given to the tool, `--target-dir` or `CARGO_TARGET_DIR`, made
/// absolute from the directory the tool was started in, as cargo takes it: it names the same
/// place when cargo runs from prove's scratch copy.
pub fn given_target_dir(build: &BuildArgs) -> Option<PathBuf> {
    let dir = build
        .target_dir
        .clone()
        .or_else(|| std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from))?;
    Some(std::path::absolute(&dir).unwrap_or(dir))
}

/// The target directory the tool writes to: the given one ([`given_target_dir`]) or the
/// workspace's `target/`, then `truecov/`.
pub fn truecov_dir(root: &Path, build: &BuildArgs) -> PathBuf {
    given_target_dir(build)
        .unwrap_or_else(|| root.join("target"))
        .join("truecov")
}

/// A name for the workspace at `root`, one per path: what the tool keeps in a target directory
/// is per workspace, as a target directory may be shared by several (`CARGO_TARGET_DIR`).
pub fn workspace_key(root: &std::path::Path) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    root.hash(&mut h);
    format!("{:016x}", h.finish())
}

/// Where the last report of a workspace is kept for `explain`.
pub fn last_report_path(root: &std::path::Path, build: &BuildArgs) -> PathBuf {
    truecov_dir(root, build).join(format!("report-{}.json", workspace_key(root)))
}

/// Writes a file whole or not at all (a reader never sees half of it).
pub fn write_atomically(path: &std::path::Path, text: &str) -> anyhow::Result<()> {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, text).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
}

/// Where the scratch copy of the workspace at `root` and its build live.
pub fn scratch_dir(root: &Path, build: &BuildArgs) -> PathBuf {
    truecov_dir(root, build).join(format!("prove-{}", workspace_key(root)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relative_target_dir_is_taken_from_the_current_directory() {
        let build = BuildArgs {
            target_dir: Some(PathBuf::from("tgt")),
            ..BuildArgs::default()
        };
        let dir = truecov_dir(Path::new("/elsewhere/ws"), &build);
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(dir, cwd.join("tgt").join("truecov"));
    }

    #[test]
    fn an_absolute_target_dir_is_kept_as_given() {
        let build = BuildArgs {
            target_dir: Some(PathBuf::from("/abs/tgt")),
            ..BuildArgs::default()
        };
        assert_eq!(
            truecov_dir(Path::new("/ws"), &build),
            PathBuf::from("/abs/tgt/truecov")
        );
    }
}
