//! Where a run keeps the doctest binaries the runtool stored: a directory of its own under
//! `<target>/truecov/doctests/<package>/`, named after the process, so that two runs in one
//! target directory at the same time (two test threads, two terminals) neither delete nor
//! take each other's binaries. The directories of runs that ended are removed when the next
//! run of the package starts.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How old the directory of a run must be to be removed where it cannot be told whether its
/// process still runs (no `/proc`).
const STALE_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// Creates a new, empty store for this run in `package_dir` and removes the stores of runs
/// that ended there.
pub(super) fn create(package_dir: &Path) -> std::io::Result<PathBuf> {
    remove_ended(package_dir, &|pid| process_runs(pid));
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let store = package_dir.join(format!("{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&store)?;
    Ok(store)
}

/// Removes the run directories (`<pid>-<nanos>`) of `package_dir` whose process `runs` says
/// has ended, and anything else there (stores of older releases held binaries directly).
fn remove_ended(package_dir: &Path, runs: &dyn Fn(u32) -> Option<bool>) {
    for entry in std::fs::read_dir(package_dir)
        .into_iter()
        .flatten()
        .flatten()
    {
        let pid = entry
            .file_name()
            .to_str()
            .and_then(|n| n.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<u32>().ok());
        let ended = match pid.map(runs) {
            Some(Some(running)) => !running,
            Some(None) => entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > STALE_AFTER),
            None => true,
        };
        if ended {
            let path = entry.path();
            let _ = std::fs::remove_dir_all(&path).or_else(|_| std::fs::remove_file(&path));
        }
    }
}

/// Whether process `pid` runs, where the system says it (`/proc`); `None` elsewhere.
fn process_runs(pid: u32) -> Option<bool> {
    let proc = Path::new("/proc");
    proc.join("self")
        .exists()
        .then(|| pid == std::process::id() || proc.join(pid.to_string()).exists())
}

/// The binaries the runtool stored in `store`, one per directory, sorted.
pub(super) fn binaries(store: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(store)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|dir| {
            std::fs::read_dir(dir.path())
                .ok()?
                .flatten()
                .map(|f| f.path())
                .find(|p| p.is_file())
        })
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::{create, remove_ended};

    #[test]
    fn a_run_keeps_the_stores_of_running_processes_and_removes_the_others() {
        let tmp = tempfile::tempdir().unwrap();
        for name in ["10-1", "11-2", "12-3", "old-layout"] {
            std::fs::create_dir_all(tmp.path().join(name).join("x")).unwrap();
        }
        // 10 runs, 11 has ended, 12 cannot be told (and its store is new).
        remove_ended(tmp.path(), &|pid| match pid {
            10 => Some(true),
            11 => Some(false),
            _ => None,
        });
        let mut left: Vec<String> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(left, ["10-1", "12-3"]);
    }

    #[test]
    fn each_store_is_new_and_named_after_this_process() {
        let tmp = tempfile::tempdir().unwrap();
        let first = create(tmp.path()).unwrap();
        let second = create(tmp.path()).unwrap();
        assert_ne!(first, second);
        assert!(first.is_dir() && second.is_dir(), "this process still runs");
        let name = second.file_name().unwrap().to_str().unwrap().to_owned();
        assert!(
            name.starts_with(&format!("{}-", std::process::id())),
            "{name}"
        );
    }
}
