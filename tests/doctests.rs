//! Doctests are tests of target `doc` (docs/tests.md#doctests): the scan finds every example
//! `cargo test --doc -- --list` lists in `tests/fixtures/doctests`, under the same name and no
//! other, and judges each as its hand-written label (`labels.json`) says.

mod common;

use common::{fixture, json_of, repo, truecov_in};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

/// The names rustdoc lists for the doctests of the workspace in `dir`.
fn listed(dir: &Path, locked: bool) -> BTreeSet<String> {
    let locked = if locked { "--locked" } else { "--offline" };
    let out = Command::new(env!("CARGO"))
        .args(["test", "--doc", locked, "--", "--list"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", repo().join("target/fixture-builds"))
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .map(str::to_string)
        .collect()
}

/// The doctests of the workspace in `dir` as the scan reports them, by name.
fn scanned(dir: &Path) -> BTreeMap<String, serde_json::Value> {
    let report = json_of(&truecov_in(dir, &["scan", "--format", "json"]));
    report["tests"]
        .as_array()
        .expect("tests")
        .iter()
        .filter(|t| t["target"] == "doc")
        .map(|t| (t["name"].as_str().expect("name").to_string(), t.clone()))
        .collect()
}

#[test]
fn doctest_names_are_the_ones_rustdoc_lists_and_verdicts_match_the_labels() {
    let scan = scanned(&fixture("doctests"));
    let names: BTreeSet<String> = scan.keys().cloned().collect();
    assert_eq!(
        names,
        listed(&fixture("doctests"), true),
        "scan vs cargo test --doc -- --list"
    );

    let text = std::fs::read_to_string(fixture("doctests").join("labels.json")).expect("labels");
    let labels: Vec<serde_json::Value> = serde_json::from_str(&text).expect("labels are JSON");
    let labelled: BTreeSet<String> = labels
        .iter()
        .map(|l| l["name"].as_str().expect("name").to_string())
        .collect();
    assert_eq!(labelled, names, "every doctest has one label");
    for label in &labels {
        let test = &scan[label["name"].as_str().expect("name")];
        let rules: BTreeSet<&str> = test["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter_map(|f| f["rule"].as_str())
            .collect();
        let want: BTreeSet<&str> = label["rules"]
            .as_array()
            .expect("rules")
            .iter()
            .filter_map(|r| r.as_str())
            .collect();
        assert_eq!(
            (&test["verdict"], &test["ignored"], rules),
            (&label["verdict"], &label["ignored"], want),
            "{}",
            label["name"]
        );
    }
}

#[test]
fn examples_that_run_no_code_or_are_ignored_say_so() {
    let scan = scanned(&fixture("doctests"));
    let message = |name: &str| {
        scan[name]["findings"][0]["message"]
            .as_str()
            .expect("a finding")
            .to_string()
    };
    assert_eq!(
        message("src/lib.rs - parse (line 41)"),
        "compile_fail example: runs no code"
    );
    assert_eq!(
        message("src/lib.rs - parse (line 45)"),
        "no_run example: runs no code"
    );
    assert_eq!(
        message("src/lib.rs - parse (line 50)"),
        "`ignore` example: rustdoc does not run it"
    );
}

/// A workspace with one member, `crates/unit`, with one doctest; `extra` ends the workspace
/// manifest (a `[workspace.metadata.truecov]` table).
fn workspace_with_a_doctest(extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |rel: &str, text: &str| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    write(
        "Cargo.toml",
        &format!("[workspace]\nmembers = [\"crates/unit\"]\nresolver = \"2\"\n{extra}"),
    );
    write(
        "crates/unit/Cargo.toml",
        "[package]\nname = \"unit\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    write(
        "crates/unit/src/lib.rs",
        "/// ```\n/// assert_eq!(unit::one(), 1);\n/// ```\npub fn one() -> u32 {\n    1\n}\n",
    );
    dir
}

#[test]
fn a_member_s_doctests_are_named_from_the_workspace_root() {
    let dir = workspace_with_a_doctest("");
    let names: BTreeSet<String> = scanned(dir.path()).into_keys().collect();
    assert_eq!(names, listed(dir.path(), false));
    assert_eq!(
        names.into_iter().collect::<Vec<_>>(),
        ["crates/unit/src/lib.rs - one (line 1)"]
    );
}

#[test]
fn the_doctests_key_turns_them_off_or_asks_for_nightly() {
    let off = workspace_with_a_doctest("[workspace.metadata.truecov]\ndoctests = \"ignore\"\n");
    assert!(scanned(off.path()).is_empty());

    let run = workspace_with_a_doctest("[workspace.metadata.truecov]\ndoctests = \"run\"\n");
    let out = truecov_in(run.path(), &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("needs a nightly toolchain"), "{stderr}");
}
