//! The scratch copy of a workspace, where mutants are written and built: the user's tree is only
//! ever read, so it stays byte-identical whatever happens to a run, a kill included.

use std::collections::HashSet;
use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Makes `dest` a copy of the tree at `root`, without `.git`, the directories in `skip`
/// (target directories, the scratch directory itself) and any other cache directory: one
/// holding a `CACHEDIR.TAG`, as cargo writes into every target directory (a `target-*` of
/// another tool can hold gigabytes no build of the copy reads). A file already identical in `dest` is
/// left alone, its modification time too, so cargo's fingerprints keep the copy's build warm;
/// whatever `dest` holds that `root` does not is removed, except a `Cargo.lock` at its top
/// (cargo writes one when the workspace has none).
pub(crate) fn sync(root: &Path, dest: &Path, skip: &[PathBuf]) -> io::Result<()> {
    fs::create_dir_all(dest)?;
    sync_dir(root, dest, skip, true)
}

/// The file that marks a cache directory (<https://bford.info/cachedir/>).
const CACHE_TAG: &str = "CACHEDIR.TAG";

fn sync_dir(src: &Path, dest: &Path, skip: &[PathBuf], top: bool) -> io::Result<()> {
    let mut kept: HashSet<OsString> = HashSet::new();
    for entry in fs::read_dir(src)? {
        let entry = entry?;
        let name = entry.file_name();
        let path = entry.path();
        if name == ".git" || skip.iter().any(|s| s == &path) {
            continue;
        }
        let to = dest.join(&name);
        let kind = entry.file_type()?;
        if kind.is_dir() && path.join(CACHE_TAG).is_file() {
            continue;
        }
        if kind.is_dir() {
            if !fs::symlink_metadata(&to).is_ok_and(|m| m.is_dir()) {
                remove(&to)?;
                fs::create_dir(&to)?;
            }
            sync_dir(&path, &to, skip, false)?;
        } else if kind.is_symlink() {
            sync_link(&path, &to)?;
        } else {
            sync_file(&path, &to)?;
        }
        kept.insert(name);
    }
    for entry in fs::read_dir(dest)? {
        let name = entry?.file_name();
        if !(kept.contains(&name) || top && name == "Cargo.lock") {
            remove(&dest.join(name))?;
        }
    }
    Ok(())
}

/// Copies a file unless `to` already has the same bytes.
fn sync_file(from: &Path, to: &Path) -> io::Result<()> {
    let bytes = fs::read(from)?;
    if fs::symlink_metadata(to).is_ok_and(|m| m.is_file()) && fs::read(to)? == bytes {
        return Ok(());
    }
    remove(to)?;
    fs::write(to, bytes)?;
    let permissions = fs::metadata(from)?.permissions();
    fs::set_permissions(to, permissions)
}

/// Recreates a symbolic link with the same target (on Unix; elsewhere the file it points to
/// is copied).
fn sync_link(from: &Path, to: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        let target = fs::read_link(from)?;
        if fs::read_link(to).is_ok_and(|t| t == target) {
            return Ok(());
        }
        remove(to)?;
        std::os::unix::fs::symlink(target, to)
    }
    #[cfg(not(unix))]
    {
        sync_file(from, to)
    }
}

/// Removes a file, link or directory; nothing there is fine.
fn remove(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::sync;
    use std::fs;
    use std::time::{Duration, SystemTime};

    #[test]
    fn copies_the_tree_keeps_identical_files_and_drops_stale_ones() {
        let src = tempfile::tempdir().unwrap();
        let dest = tempfile::tempdir().unwrap();
        let (s, d) = (src.path(), dest.path().join("work"));
        fs::create_dir_all(s.join("src/inner")).unwrap();
        fs::create_dir_all(s.join(".git")).unwrap();
        fs::create_dir_all(s.join("target/debug")).unwrap();
        fs::write(s.join("Cargo.toml"), "[package]").unwrap();
        fs::write(s.join("src/lib.rs"), "pub fn f() {}").unwrap();
        fs::write(s.join("src/inner/m.rs"), "// m").unwrap();
        fs::write(s.join(".git/HEAD"), "ref").unwrap();
        fs::write(s.join("target/debug/x"), "bin").unwrap();
        fs::create_dir_all(s.join("target-other/debug")).unwrap();
        fs::write(
            s.join("target-other/CACHEDIR.TAG"),
            "Signature: 8a477f597d28d172789f06886806bc55",
        )
        .unwrap();
        fs::write(s.join("target-other/debug/y"), "bin").unwrap();
        sync(s, &d, &[s.join("target")]).unwrap();
        assert_eq!(
            fs::read_to_string(d.join("src/lib.rs")).unwrap(),
            "pub fn f() {}"
        );
        assert_eq!(
            fs::read_to_string(d.join("src/inner/m.rs")).unwrap(),
            "// m"
        );
        assert!(!d.join(".git").exists());
        assert!(!d.join("target").exists());
        assert!(
            !d.join("target-other").exists(),
            "a cache directory is not copied"
        );

        // A mutant written into the copy, a stale file, and a lock file cargo made.
        fs::write(d.join("src/lib.rs"), "pub fn f() { mutated }").unwrap();
        fs::write(d.join("src/stale.rs"), "").unwrap();
        fs::write(d.join("Cargo.lock"), "# lock").unwrap();
        let old = SystemTime::now() - Duration::from_secs(3600);
        let toml = fs::File::options()
            .write(true)
            .open(d.join("Cargo.toml"))
            .unwrap();
        toml.set_modified(old).unwrap();
        sync(s, &d, &[s.join("target")]).unwrap();
        assert_eq!(
            fs::read_to_string(d.join("src/lib.rs")).unwrap(),
            "pub fn f() {}"
        );
        assert!(!d.join("src/stale.rs").exists());
        assert!(d.join("Cargo.lock").exists());
        let mtime = fs::metadata(d.join("Cargo.toml"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(mtime, old, "an identical file is not rewritten");
    }
}
