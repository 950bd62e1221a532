//! A proc-macro crate under test (docs/tests.md#proc-macro-crates), end to end on the
//! `procmacro` fixture: its code runs inside the compiler while a test target that uses it
//! compiles, and those lines count as run by every test of that target, as `cargo llvm-cov`
//! counts them (the labels in `tests/fixtures/procmacro/src/lib.rs` are llvm-cov's lines,
//! written by hand). A second run, whose targets cargo finds fresh, keeps them.

mod common;

use common::{fixture, json_of, repo, truecov};
use serde_json::Value;
use std::collections::BTreeSet;

/// The lines of the macro's source labelled `//~ <label>`.
fn labelled(label: &str) -> BTreeSet<u64> {
    let source = std::fs::read_to_string(fixture("procmacro").join("src/lib.rs")).unwrap();
    let marker = format!("//~ {label}");
    (1..)
        .zip(source.lines())
        .filter(|(_, line)| line.ends_with(&marker))
        .map(|(number, _)| number)
        .collect()
}

fn lines(value: &Value) -> BTreeSet<u64> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_u64().unwrap())
        .collect()
}

fn coverage() -> Value {
    let manifest = fixture("procmacro")
        .join("Cargo.toml")
        .display()
        .to_string();
    let target = repo().join("target/e2e-procmacro").display().to_string();
    json_of(&truecov(&[
        "coverage",
        "--manifest-path",
        &manifest,
        "--target-dir",
        &target,
        "-q",
        "--format",
        "json",
    ]))
}

#[test]
fn what_a_proc_macro_runs_while_a_test_target_compiles_is_run_by_that_targets_tests() {
    let (ran, not_run) = (labelled("ran"), labelled("not run"));
    assert!(ran.len() > 10 && not_run.len() >= 3, "labels are read");
    for run in [coverage(), coverage()] {
        let file = &run["files"]["src/lib.rs"];
        assert_eq!(lines(&file["executed"]), ran);
        let coverable = lines(&file["coverable"]);
        assert!(ran.union(&not_run).all(|l| coverable.contains(l)));
        for test in run["tests"].as_array().unwrap() {
            let executed = test["lines"]
                .get("src/lib.rs")
                .map(lines)
                .unwrap_or_default();
            match test["target"].as_str().unwrap() {
                "test:expand" => assert_eq!(executed, ran, "{}", test["name"]),
                _ => assert!(executed.is_empty(), "{} uses no macro", test["name"]),
            }
        }
        assert_eq!(run["tests"].as_array().unwrap().len(), 3);
    }
}
