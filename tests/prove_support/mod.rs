//! Shared by the `prove` tests: the fixture, its files, the scratch copy.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The fixture crate's directory.
pub fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/prove")
}

/// Every file under `dir` with its bytes, by relative path.
pub fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().to_path_buf();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// The scratch copy `prove` made under a target directory (there is one workspace per
/// target directory in these tests).
pub fn scratch_copy(target_dir: &Path) -> PathBuf {
    let truecov = target_dir.join("truecov");
    let dir = std::fs::read_dir(&truecov)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("prove-"))
        })
        .unwrap_or_else(|| panic!("no scratch copy under {}", truecov.display()));
    dir.join("work")
}

/// The arguments of `prove` on `manifest` with `target_dir`, printing JSON, recording nothing.
pub fn prove_args(manifest: &Path, target_dir: &Path, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = [
        "prove",
        "--manifest-path",
        &manifest.display().to_string(),
        "--target-dir",
        &target_dir.display().to_string(),
        "--no-record",
        "--format",
        "json",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}
