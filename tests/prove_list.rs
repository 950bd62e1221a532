//! `cargo truecov prove --list` on `tests/fixtures/mutants`: the lines `cargo mutants --list`
//! prints there (cargo-mutants 27.1.0's names, stored in `expected/cargo-mutants.json`), in its
//! order, and the same mutants as JSON with `--format json`; nothing is built.

mod common;

use common::{fixture, json_of, truecov};
use serde_json::Value;

fn expected_names() -> Vec<String> {
    let path = fixture("mutants").join("expected/cargo-mutants.json");
    let rows: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    rows.iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect()
}

fn manifest() -> String {
    fixture("mutants").join("Cargo.toml").display().to_string()
}

#[test]
fn list_prints_cargo_mutants_names_one_a_line() {
    let out = truecov(&["prove", "--list", "--manifest-path", &manifest()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(got, expected_names());
    assert!(
        !fixture("mutants").join("target").exists(),
        "--list builds nothing"
    );
}

#[test]
fn list_as_json_gives_each_mutant_its_place_and_change() {
    let out = truecov(&[
        "prove",
        "--list",
        "-q",
        "--format",
        "json",
        "--manifest-path",
        &manifest(),
    ]);
    let rows = json_of(&out);
    let rows = rows.as_array().unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, expected_names());
    let guard = rows
        .iter()
        .find(|r| r["name"] == "src/lib.rs:24:14: replace match guard x < 0 with true in classify")
        .expect("the guard mutant");
    assert_eq!(guard["genre"], "MatchArmGuard");
    assert_eq!(guard["function"], "classify");
    assert_eq!(
        (guard["line"].as_u64(), guard["column"].as_u64()),
        (Some(24), Some(14))
    );
    assert_eq!(guard["replacement"], "true");
    let text = std::fs::read_to_string(fixture("mutants").join("src/lib.rs")).unwrap();
    let (start, end) = (
        guard["start"].as_u64().unwrap() as usize,
        guard["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[start..end], "x < 0");
}
