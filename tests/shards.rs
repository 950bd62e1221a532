//! Partitioned runs end to end on the `errorpaths` fixture (a library and three integration
//! test binaries): three parts merged give the report of the unpartitioned run, field for
//! field except durations, for slice and hash partitions; the merged run is recorded once;
//! `merge` refuses a missing, duplicate or foreign part with exit code 2 and a message that
//! names the file.

mod common;

use common::{fixture, json_of, repo, three_parts, truecov};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn target_dir() -> String {
    repo().join("target/e2e-run").display().to_string()
}

fn manifest() -> String {
    fixture("errorpaths")
        .join("Cargo.toml")
        .display()
        .to_string()
}

/// Runs the tool on the fixture with the shared target directory, never recording.
fn on_fixture(extra: &[&str]) -> std::process::Output {
    let (manifest, target) = (manifest(), target_dir());
    let mut args = vec!["--manifest-path", &manifest, "--target-dir", &target, "-q"];
    args.extend_from_slice(extra);
    truecov(&args)
}

/// The report with the one thing a run may change, test durations, taken out.
fn without_durations(mut report: Value) -> Value {
    for t in report["tests"].as_array_mut().expect("tests") {
        t.as_object_mut().expect("test").remove("duration_ms");
    }
    report
}

fn unsharded() -> &'static Value {
    static R: OnceLock<Value> = OnceLock::new();
    R.get_or_init(|| without_durations(json_of(&on_fixture(&["--format", "json", "--no-record"]))))
}

/// The three parts of `kind` (`slice` or `hash`), written once into a directory kept for
/// the whole test run.
fn shards(kind: &str) -> Vec<PathBuf> {
    three_parts(kind, |partition, path| {
        let out = on_fixture(&["--partition", partition, "--output", path.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "{partition}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    })
}

fn merge(files: &[&Path], extra: &[&str]) -> std::process::Output {
    let manifest = manifest();
    let mut args = vec!["merge", "--manifest-path", &manifest, "-q"];
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    args.extend(names.iter().map(String::as_str));
    args.extend_from_slice(extra);
    truecov(&args)
}

fn shard_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn three_slices_merged_equal_the_unsharded_run() {
    let files = shards("slice");
    let sizes: Vec<usize> = files
        .iter()
        .map(|f| shard_json(f)["coverage"]["tests"].as_array().unwrap().len())
        .collect();
    let whole = unsharded()["tests"].as_array().unwrap().len();
    assert_eq!(sizes.iter().sum::<usize>(), whole, "{sizes:?}");
    assert!(sizes.iter().all(|n| *n > 0 && *n < whole), "{sizes:?}");
    let db = tempfile::tempdir().unwrap();
    let db_path = db.path().join("history.db");
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    // Given in another order than the parts': merge puts them back in order.
    let merged = merge(
        &[refs[2], refs[0], refs[1]],
        &["--format", "json", "--db", db_path.to_str().unwrap()],
    );
    assert_eq!(&without_durations(json_of(&merged)), unsharded());
    let conn = rusqlite::Connection::open(&db_path).unwrap();
    let runs: i64 = conn
        .query_row("SELECT count(*) FROM runs", [], |r| r.get(0))
        .unwrap();
    assert_eq!(runs, 1, "the merged run is recorded once");
}

#[test]
fn three_hash_parts_merged_equal_the_unsharded_run() {
    let files = shards("hash");
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let merged = merge(&refs, &["--format", "json", "--no-record"]);
    assert_eq!(&without_durations(json_of(&merged)), unsharded());
}

/// Exit code 2 and stderr, which must name every one of `names`.
fn refused(out: &std::process::Output, names: &[&str]) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    for name in names {
        assert!(stderr.contains(name), "`{name}` not in: {stderr}");
    }
    stderr
}

#[test]
fn merge_refuses_a_missing_part() {
    let files = shards("slice");
    let out = merge(&[&files[0], &files[2]], &["--no-record"]);
    let stderr = refused(&out, &["slice:2/3", "missing"]);
    assert!(!stderr.contains("slice:1/3"), "{stderr}");
}

#[test]
fn merge_refuses_a_duplicate_part() {
    let files = shards("slice");
    let copy = files[1].with_file_name("copy-of-2.json");
    std::fs::copy(&files[1], &copy).unwrap();
    let out = merge(&[&files[0], &files[1], &copy, &files[2]], &["--no-record"]);
    refused(
        &out,
        &["copy-of-2.json", "slice-2.json", "both part slice:2/3"],
    );
}

#[test]
fn merge_refuses_a_foreign_part() {
    let files = shards("slice");
    // A part of another commit.
    let mut other = shard_json(&files[1]);
    other["commit"] = Value::String("0123456789abcdef".into());
    let foreign = files[1].with_file_name("other-commit.json");
    std::fs::write(&foreign, other.to_string()).unwrap();
    let out = merge(&[&files[0], &foreign, &files[2]], &["--no-record"]);
    refused(&out, &["other-commit.json", "commit", "0123456789abcdef"]);
    // A part of another partitioning.
    let hash = shards("hash");
    let out = merge(&[&files[0], &hash[1], &files[2]], &["--no-record"]);
    refused(&out, &["hash-2.json", "partitioning", "slice:K/3"]);
    // A part of another build: its fingerprint differs.
    let mut rebuilt = shard_json(&files[2]);
    rebuilt["fingerprint"] = Value::String("ffffffffffffffff".into());
    let foreign = files[2].with_file_name("other-build.json");
    std::fs::write(&foreign, rebuilt.to_string()).unwrap();
    let out = merge(&[&files[0], &files[1], &foreign], &["--no-record"]);
    refused(&out, &["other-build.json", "build fingerprint"]);
    // Not a shard at all.
    let report = files[0].with_file_name("report.json");
    std::fs::write(&report, unsharded().to_string()).unwrap();
    let out = merge(&[&report], &["--no-record"]);
    refused(&out, &["report.json", "not a truecov shard file"]);
}

#[test]
fn a_partition_without_an_output_file_is_refused_before_building() {
    let out = on_fixture(&["--partition", "slice:1/3"]);
    refused(&out, &["--output"]);
    let out = on_fixture(&["--partition", "slice:4/3", "--output", "x.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("part 4 of 3 does not exist"));
}

/// Copies the fixture's sources (no target directory, no history) to `to`, as a fresh clone.
fn clone_fixture(to: &Path) {
    let from = fixture("errorpaths");
    std::fs::create_dir_all(to).unwrap();
    for entry in ["Cargo.toml", "Cargo.lock", "src", "tests"] {
        copy_tree(&from.join(entry), &to.join(entry));
    }
}

fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::copy(from, to).unwrap();
    }
}

#[test]
fn an_archive_runs_its_shards_in_a_clone_elsewhere_without_cargo_and_merges_to_the_same_report() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("truecov.tar.gz");
    let (manifest, target) = (manifest(), target_dir());
    let out = truecov(&[
        "archive",
        "--manifest-path",
        &manifest,
        "--target-dir",
        &target,
        "-q",
        "--output",
        archive.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let clone = dir.path().join("elsewhere/clone");
    clone_fixture(&clone);
    let parts: Vec<PathBuf> = (1..=3)
        .map(|k| {
            let part = dir.path().join(format!("part-{k}.json"));
            let partition = format!("slice:{k}/3");
            // No cargo on this machine: the build is the archive's.
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-truecov"))
                .args(["truecov", "-q", "--archive"])
                .arg(&archive)
                .args(["--partition", &partition, "--workspace-remap"])
                .arg(&clone)
                .arg("--output")
                .arg(&part)
                .current_dir(dir.path())
                .env("PATH", "/usr/bin:/bin")
                .env("CARGO", "/nonexistent/cargo")
                .env_remove("RUSTC")
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{partition}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            part
        })
        .collect();
    assert!(
        !clone.join("target").exists(),
        "nothing was built in the clone"
    );
    let refs: Vec<&Path> = parts.iter().map(PathBuf::as_path).collect();
    let merged = merge(&refs, &["--format", "json", "--no-record"]);
    assert_eq!(&without_durations(json_of(&merged)), unsharded());
}
