//! The summed per-test coverage equals what llvm-cov (the engine behind cargo-llvm-cov) reports
//! for the same binaries run as a whole, line by line, on every library file. llvm-tools come
//! from `rustup component add llvm-tools-preview` (README's test command installs them).

mod common;

use common::{fixture, lcov_lines, repo, truecov};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn llvm_tool(name: &str) -> PathBuf {
    let sysroot = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .unwrap();
    let sysroot = String::from_utf8(sysroot.stdout).unwrap();
    let host = Command::new("rustc").arg("-vV").output().unwrap();
    let host = String::from_utf8(host.stdout).unwrap();
    let host = host
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .unwrap()
        .to_string();
    let tool = Path::new(sysroot.trim())
        .join("lib/rustlib")
        .join(host)
        .join("bin")
        .join(name);
    assert!(
        tool.exists(),
        "{} is missing: run `rustup component add llvm-tools-preview`",
        tool.display()
    );
    tool
}

/// Runs `name`'s test binaries as a whole, has llvm-cov export their merged profile (binaries in
/// path order, as cargo-llvm-cov passes them) and checks our lines against its; returns our run.
fn crosscheck(name: &str) -> serde_json::Value {
    let dir = fixture(name);
    let manifest = dir.join("Cargo.toml").display().to_string();
    let target = repo().join("target/e2e-run").display().to_string();
    let ours = common::coverage_json(&manifest, &target);
    let mut binaries: Vec<&str> = ours["binaries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_str().unwrap())
        .collect();
    assert!(!binaries.is_empty());
    // cargo-llvm-cov sorts the objects it passes; the first record llvm-cov loads counts.
    binaries.sort_unstable();

    // The same binaries, each run as a whole, as cargo test (and cargo-llvm-cov) runs them.
    let profiles = tempfile::tempdir().unwrap();
    for b in &binaries {
        let status = Command::new(b)
            .arg("--test-threads=1")
            .current_dir(&dir)
            .env("LLVM_PROFILE_FILE", profiles.path().join("%p-%m.profraw"))
            .env("CARGO_MANIFEST_DIR", &dir)
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{b}: {}",
            String::from_utf8_lossy(&status.stdout)
        );
    }
    let merged = profiles.path().join("merged.profdata");
    let raws: Vec<PathBuf> = std::fs::read_dir(profiles.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "profraw"))
        .collect();
    let out = Command::new(llvm_tool("llvm-profdata"))
        .args(["merge", "-sparse", "-o"])
        .arg(&merged)
        .args(&raws)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut export = Command::new(llvm_tool("llvm-cov"));
    export
        .args(["export", "-format=lcov", "-instr-profile"])
        .arg(&merged);
    for b in &binaries {
        export.arg("-object").arg(b);
    }
    let out = export.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lcov_text = String::from_utf8(out.stdout).unwrap();
    let theirs = lcov_lines(&lcov_text);
    imported_equals_measured(&manifest, &lcov_text, &ours);

    let mut checked = 0;
    for (rel, f) in ours["files"].as_object().unwrap() {
        let abs = dir.canonicalize().unwrap().join(rel).display().to_string();
        let llvm = theirs
            .get(&abs)
            .unwrap_or_else(|| panic!("llvm-cov has no {abs}"));
        let coverable: BTreeSet<u32> = f["coverable"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_u64().unwrap() as u32)
            .collect();
        let executed: BTreeSet<u32> = f["executed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_u64().unwrap() as u32)
            .collect();
        // Our coverable lines are llvm-cov's minus test code (cfg(test) items).
        let missing: Vec<&u32> = coverable.iter().filter(|l| !llvm.contains_key(l)).collect();
        assert!(
            missing.is_empty(),
            "{rel}: coverable for us, not for llvm-cov: {missing:?}"
        );
        let llvm_executed: BTreeSet<u32> = llvm
            .iter()
            .filter(|(l, c)| **c > 0 && coverable.contains(l))
            .map(|(l, _)| *l)
            .collect();
        assert_eq!(
            executed, llvm_executed,
            "{rel}: executed lines differ from llvm-cov"
        );
        checked += coverable.len();
    }
    assert!(checked > 20, "only {checked} lines compared");
    ours
}

/// `coverage --import` of llvm-cov's lcov gives the same library lines as the native run.
fn imported_equals_measured(manifest: &str, lcov: &str, ours: &serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("coverage.lcov");
    std::fs::write(&file, lcov).unwrap();
    let imported = common::json_of(&truecov(&[
        "coverage",
        "--manifest-path",
        manifest,
        "-q",
        "--format",
        "json",
        "--import",
        file.to_str().unwrap(),
    ]));
    assert_eq!(imported["tests"], serde_json::json!([]));
    assert_eq!(
        imported["files"], ours["files"],
        "imported lcov differs from the native run"
    );
}

#[test]
fn per_test_coverage_sums_to_llvm_cov_on_the_scoring_fixture() {
    crosscheck("scoring");
}

#[test]
fn per_test_coverage_sums_to_llvm_cov_on_the_errorpaths_fixture() {
    crosscheck("errorpaths");
}

/// Functions the first binary links uninstantiated: llvm-cov drops or loads their hash-0
/// records by bit 60 of the real hash, so some of the eight functions `b_uses` runs are
/// reported run and some never run; ours agree line by line.
#[test]
fn functions_first_linked_uninstantiated_count_as_llvm_cov_counts_them() {
    let ours = crosscheck("firstrecord");
    let source = std::fs::read_to_string(fixture("firstrecord").join("src/lib.rs")).unwrap();
    let heads: Vec<u64> = (1..)
        .zip(source.lines())
        .filter(|(_, l)| l.trim_start().starts_with("pub fn") && l.contains("-> Self"))
        .map(|(n, _)| n)
        .collect();
    assert_eq!(heads.len(), 8);
    let file = &ours["files"]["src/lib.rs"];
    let executed: Vec<u64> = file["executed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_u64().unwrap())
        .collect();
    let run = heads.iter().filter(|l| executed.contains(l)).count();
    assert!(
        run > 0 && run < heads.len(),
        "both kinds of hash occur: {run} of 8 reported run"
    );
    let b_uses = ours["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["target"] == "test:b_uses")
        .expect("b_uses ran");
    assert_eq!(b_uses["outcome"], "passed");
}
