//! Shared by the end-to-end tests: paths of fixtures and running the binary.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture crate's directory.
pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// Runs `cargo-truecov truecov <args>` (as cargo would) and returns its output.
pub fn truecov(args: &[&str]) -> Output {
    truecov_in(&repo(), args)
}

/// Runs the binary in `dir`.
pub fn truecov_in(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_cargo-truecov"))
        .arg("truecov")
        .args(args)
        .current_dir(dir)
        .env_remove("CI")
        .env_remove("TRUECOV_DB")
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .expect("the binary runs")
}

/// The JSON of `cargo truecov coverage` on the crate of `manifest`, built in `target`.
pub fn coverage_json(manifest: &str, target: &str) -> serde_json::Value {
    json_of(&truecov(&[
        "coverage",
        "--manifest-path",
        manifest,
        "--target-dir",
        target,
        "-q",
        "--format",
        "json",
    ]))
}

/// Stdout of a successful run parsed as JSON.
pub fn json_of(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "exit {:?}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// The labels of a fixture (`expected.json`), written by hand.
pub fn labels(name: &str) -> Vec<serde_json::Value> {
    let path = fixture(name).join("expected.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The JSON Schema of the report, `docs/report.schema.json` (draft 2020-12).
pub fn report_schema() -> jsonschema::Validator {
    let path = repo().join("docs/report.schema.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let schema: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The reasons `report` does not match `docs/report.schema.json`, one per line (empty: it does).
pub fn report_schema_errors(
    validator: &jsonschema::Validator,
    report: &serde_json::Value,
) -> String {
    validator
        .iter_errors(report)
        .map(|e| format!("{e} at {}\n", e.instance_path()))
        .collect()
}

/// Lines per file (absolute path) with their counts, from lcov text.
pub fn lcov_lines(text: &str) -> BTreeMap<String, BTreeMap<u32, u64>> {
    let mut out: BTreeMap<String, BTreeMap<u32, u64>> = BTreeMap::new();
    let mut file = String::new();
    for line in text.lines() {
        if let Some(f) = line.strip_prefix("SF:") {
            file = f.to_string();
        } else if let Some(da) = line.strip_prefix("DA:") {
            let mut parts = da.split(',');
            let l: u32 = parts.next().unwrap().parse().unwrap();
            let c: u64 = parts.next().unwrap().parse().unwrap();
            *out.entry(file.clone()).or_default().entry(l).or_default() += c;
        }
    }
    out
}

/// The three parts `KIND-1.json` .. `KIND-3.json` of a partitioned run, each written once by
/// `write(partition, output)` (`partition` is `KIND:K/3`) into a directory kept for the whole test
/// binary. Tests run in parallel: one writes a part while the others wait for it.
pub fn three_parts(kind: &str, write: impl Fn(&str, &Path)) -> Vec<PathBuf> {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    static WRITING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _writing = WRITING.lock().unwrap_or_else(|e| e.into_inner());
    let dir = DIR.get_or_init(|| tempfile::tempdir().unwrap()).path();
    (1..=3)
        .map(|k| {
            let path = dir.join(format!("{kind}-{k}.json"));
            if !path.exists() {
                write(&format!("{kind}:{k}/3"), &path);
            }
            path
        })
        .collect()
}
