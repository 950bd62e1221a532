//! Per-process-tree scratch directories: where a test's profiles and captured output go, and
//! which are removed as soon as the test's profiles are decoded.

use super::error::RunError;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Numbers directories so that concurrent runs in one process never share one.
static NEXT_DIR: AtomicU64 = AtomicU64::new(0);

/// A fresh directory under the scratch directory; removed when dropped (errors ignored) or by
/// [`ProfileDir::remove`] (errors reported).
pub(crate) struct ProfileDir {
    path: PathBuf,
}

impl ProfileDir {
    /// Creates a new, empty directory under `scratch_dir`.
    pub(crate) fn create(scratch_dir: &Path) -> Result<Self, RunError> {
        let number = NEXT_DIR.fetch_add(1, Ordering::Relaxed);
        let path = scratch_dir.join(format!("{}-{number}", std::process::id()));
        fs::create_dir_all(&path).map_err(|source| RunError::Scratch {
            path: path.clone(),
            source,
        })?;
        Ok(Self { path })
    }

    /// The `LLVM_PROFILE_FILE` pattern: one file per process (`%p`), so children of a test
    /// never overwrite its profile, in continuous mode (`%c`), so a process that aborts or is
    /// killed still leaves its counts.
    pub(crate) fn profile_pattern(&self) -> PathBuf {
        self.path.join("%p%c.profraw")
    }

    /// Where the process's stdout and stderr go.
    pub(crate) fn output_file(&self) -> PathBuf {
        self.path.join("output.log")
    }

    /// The profiles written so far, sorted.
    pub(crate) fn profiles(&self) -> Result<Vec<PathBuf>, RunError> {
        let error = |source| RunError::Scratch {
            path: self.path.clone(),
            source,
        };
        let mut profiles = Vec::new();
        for entry in fs::read_dir(&self.path).map_err(error)? {
            let path = entry.map_err(error)?.path();
            if path.extension().is_some_and(|ext| ext == "profraw") {
                profiles.push(path);
            }
        }
        profiles.sort();
        Ok(profiles)
    }

    /// Removes the directory and everything in it.
    pub(crate) fn remove(mut self) -> Result<(), RunError> {
        let path = std::mem::take(&mut self.path);
        fs::remove_dir_all(&path).map_err(|source| RunError::Scratch { path, source })
    }
}

impl Drop for ProfileDir {
    fn drop(&mut self) {
        if !self.path.as_os_str().is_empty() {
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}
