//! The names the analyzer reports are exactly what libtest lists: the fixtures are built with
//! cargo and every test binary's `--list` output is compared with the scan, both ways.

mod common;

use common::{fixture, json_of, repo, truecov};
use std::collections::BTreeSet;
use std::process::Command;

/// `(package, target, name)` of every test the fixture's test binaries list.
fn listed(name: &str) -> BTreeSet<(String, String, String)> {
    let dir = fixture(name);
    let out = Command::new(env!("CARGO"))
        .args([
            "test",
            "--workspace",
            "--no-run",
            "--locked",
            "--message-format=json",
        ])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", repo().join("target/fixture-builds"))
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut names = BTreeSet::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let Some(exe) = msg["executable"].as_str() else {
            continue;
        };
        if msg["profile"]["test"] != true {
            continue;
        }
        let kind = msg["target"]["kind"][0].as_str().unwrap();
        let tname = msg["target"]["name"].as_str().unwrap();
        let target = match kind {
            "lib" | "rlib" | "proc-macro" => "lib".to_string(),
            other => format!("{other}:{tname}"),
        };
        let package = msg["package_id"].as_str().unwrap();
        let package = package_name(package);
        let list = Command::new(exe)
            .args(["--list", "--format", "terse"])
            .output()
            .expect("test binary runs");
        for l in String::from_utf8_lossy(&list.stdout).lines() {
            if let Some(test) = l.strip_suffix(": test") {
                names.insert((package.clone(), target.clone(), test.to_string()));
            }
        }
    }
    names
}

/// Package name from a cargo package id (`path+file:///..#name@0.1.0` or `name 0.1.0 (..)`).
fn package_name(id: &str) -> String {
    if let Some((_, tail)) = id.rsplit_once('#') {
        let tail = tail.split('@').next().unwrap_or(tail);
        if tail.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            // `path+file:///x/name#0.1.0`: the name is the last path segment.
            return id
                .split('#')
                .next()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string();
        }
        return tail.to_string();
    }
    id.split(' ').next().unwrap_or(id).to_string()
}

fn scanned(name: &str) -> BTreeSet<(String, String, String)> {
    let manifest = fixture(name).join("Cargo.toml");
    let report = json_of(&truecov(&[
        "scan",
        "--workspace",
        "--format",
        "json",
        "--manifest-path",
        manifest.to_str().unwrap(),
    ]));
    report["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let s = |k: &str| t[k].as_str().unwrap().to_string();
            (s("package"), s("target"), s("name"))
        })
        .collect()
}

fn assert_same(name: &str) {
    let (listed, scanned) = (listed(name), scanned(name));
    let missing: Vec<_> = listed.difference(&scanned).collect();
    let invented: Vec<_> = scanned.difference(&listed).collect();
    assert!(
        missing.is_empty() && invented.is_empty(),
        "listed but not scanned: {missing:#?}\nscanned but not listed: {invented:#?}"
    );
    assert!(
        listed.len() > 20,
        "the fixture lists only {} tests",
        listed.len()
    );
}

#[test]
fn workspace_fixture_names_are_what_libtest_lists() {
    assert_same("workspace");
}

#[test]
fn verdict_fixture_names_are_what_libtest_lists() {
    assert_same("verdicts");
}
