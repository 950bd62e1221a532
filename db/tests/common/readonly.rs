//! Making a file read-only for the process, also when it runs as root (for whom permission
//! bits are no obstacle: then the file is made immutable with `chattr +i`, undone on drop).

use std::path::{Path, PathBuf};

/// A file made read-only; writable again when dropped.
pub struct ReadOnly {
    path: PathBuf,
    immutable: bool,
}

fn writable(path: &Path) -> bool {
    std::fs::OpenOptions::new().append(true).open(path).is_ok()
}

/// Makes `path` read-only, or says why it cannot (then the caller skips its check).
pub fn read_only(path: &Path) -> Result<ReadOnly, String> {
    let mut perms = std::fs::metadata(path)
        .map_err(|e| e.to_string())?
        .permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(path, perms).map_err(|e| e.to_string())?;
    let mut guard = ReadOnly {
        path: path.to_path_buf(),
        immutable: false,
    };
    if writable(path) {
        let status = std::process::Command::new("chattr")
            .arg("+i")
            .arg(path)
            .status()
            .map_err(|e| format!("chattr: {e}"))?;
        guard.immutable = status.success();
    }
    if writable(path) {
        return Err(format!("{} stays writable for this user", path.display()));
    }
    Ok(guard)
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        if self.immutable {
            let _ = std::process::Command::new("chattr")
                .arg("-i")
                .arg(&self.path)
                .status();
        }
        if let Ok(meta) = std::fs::metadata(&self.path) {
            let mut perms = meta.permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            let _ = std::fs::set_permissions(&self.path, perms);
        }
    }
}
