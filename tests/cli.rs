//! The binary's contract: invocation as a cargo subcommand or directly, exit codes, errors
//! that name the problem, and a scan that survives files it cannot read.

mod common;

use common::{fixture, repo, truecov, truecov_in};
use std::path::Path;

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A throwaway crate with the given files.
fn crate_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"scratch\"\nversion = \"0.1.0\"\nedition = \"2021\"\n[workspace]\n",
    )
    .unwrap();
    for (path, bytes) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    dir
}

fn manifest(dir: &Path) -> String {
    dir.join("Cargo.toml").display().to_string()
}

#[test]
fn deny_fails_with_code_1_and_says_why() {
    let m = manifest(&fixture("verdicts"));
    let out = truecov(&["scan", "--manifest-path", &m, "--deny", "tautological"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("tautological"), "{}", stderr(&out));
    let out = truecov(&["scan", "--manifest-path", &m]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn deny_passes_when_every_test_is_meaningful() {
    let dir = crate_with(&[(
        "src/lib.rs",
        b"pub fn two() -> u8 { 2 }\n#[test]\nfn two_is_two() { assert_eq!(two(), 2); }\n",
    )]);
    let out = truecov(&[
        "scan",
        "--manifest-path",
        &manifest(dir.path()),
        "--deny",
        "smoke",
        "--deny",
        "assertion_free",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("1 tests: 1 meaningful"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn missing_manifest_is_a_workspace_error_with_code_2() {
    let out = truecov(&["scan", "--manifest-path", "/nonexistent/Cargo.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("/nonexistent/Cargo.toml"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn unknown_package_and_bad_usage_exit_2() {
    let m = manifest(&fixture("workspace"));
    let out = truecov(&["scan", "--manifest-path", &m, "-p", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`nope`"), "{}", stderr(&out));
    let out = truecov(&["scan", "--format", "yaml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn unreadable_files_are_warnings_and_the_rest_is_scanned() {
    let dir = crate_with(&[
        ("src/lib.rs", b"mod broken;\nmod latin1;\n#[test]\nfn ok() { assert_eq!(1 + 1, two()); }\nfn two() -> i32 { 2 }\n"),
        ("src/broken.rs", b"fn oops( {\n"),
        ("src/latin1.rs", b"// caf\xe9\nfn f() {}\n"),
    ]);
    let out = truecov(&[
        "scan",
        "--format",
        "json",
        "--manifest-path",
        &manifest(dir.path()),
    ]);
    let err = stderr(&out);
    assert!(
        err.contains("src/broken.rs") && err.contains("cannot parse"),
        "{err}"
    );
    assert!(
        err.contains("src/latin1.rs") && err.contains("UTF-8"),
        "{err}"
    );
    let report = common::json_of(&out);
    assert_eq!(report["tests"][0]["name"], "ok");
    assert_eq!(report["tests"][0]["verdict"], "meaningful");
    let quiet = truecov(&["scan", "-q", "--manifest-path", &manifest(dir.path())]);
    assert!(stderr(&quiet).is_empty(), "{}", stderr(&quiet));
}

#[test]
fn works_called_directly_and_from_a_crate_directory() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-truecov"))
        .args(["scan", "--format", "json"])
        .current_dir(fixture("workspace").join("textkit"))
        .output()
        .unwrap();
    let report = common::json_of(&out);
    let packages: std::collections::BTreeSet<&str> = report["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["package"].as_str().unwrap())
        .collect();
    assert_eq!(packages, ["textkit"].into());
    let all = common::json_of(&truecov_in(
        &fixture("workspace"),
        &["scan", "--format", "json"],
    ));
    assert!(all["tests"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["package"] == "ledger"));
}

#[test]
fn scan_table_of_the_demo() {
    let m = manifest(&repo().join("examples/demo"));
    let out = truecov(&["scan", "--color", "never", "--manifest-path", &m]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out).replace(&repo().display().to_string(), "<repo>");
    insta::assert_snapshot!(text);
}
