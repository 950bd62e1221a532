//! Library lines counted as `cargo llvm-cov` counts them where it does not simply sum what
//! each binary ran (docs/tests.md#lines-as-cargo-llvm-cov-counts-them), end to end on fixtures
//! whose `src/lib.rs` lines are labelled by hand `//~ ran` / `//~ not run` (llvm-cov's lines):
//! - `procmacro`, a proc-macro crate under test: its code runs inside the compiler while a test
//!   target that uses it compiles, and those lines count as run by every test of that target
//!   (docs/tests.md#proc-macro-crates); a second run, whose targets cargo finds fresh, keeps them.
//!
//! `firstrecord` (functions a binary links uninstantiated) is checked against llvm-cov itself
//! in tests/llvm_cov_crosscheck.rs: which of its lines llvm-cov counts depends on rustc's hashes.

mod common;

use common::{coverage_json, fixture, repo};
use serde_json::Value;
use std::collections::BTreeSet;

/// The lines of the fixture's `src/lib.rs` labelled `//~ <label>`.
fn labelled(name: &str, label: &str) -> BTreeSet<u64> {
    let source = std::fs::read_to_string(fixture(name).join("src/lib.rs")).unwrap();
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

fn coverage(name: &str) -> Value {
    let manifest = fixture(name).join("Cargo.toml").display().to_string();
    let target = repo()
        .join("target/e2e-llvm-cov-lines")
        .join(name)
        .display()
        .to_string();
    coverage_json(&manifest, &target)
}

/// The labels of `name` hold for its run: `src/lib.rs` executed exactly the `ran` lines, every
/// labelled line coverable; each test executed the `ran` lines when `runs_all(target)`, else
/// none of them.
fn check(run: &Value, name: &str, runs_all: impl Fn(&str) -> bool) {
    let (ran, not_run) = (labelled(name, "ran"), labelled(name, "not run"));
    assert!(!ran.is_empty() && !not_run.is_empty(), "labels are read");
    let file = &run["files"]["src/lib.rs"];
    assert_eq!(lines(&file["executed"]), ran);
    let coverable = lines(&file["coverable"]);
    assert!(ran.union(&not_run).all(|l| coverable.contains(l)));
    for test in run["tests"].as_array().unwrap() {
        let executed = test["lines"]
            .get("src/lib.rs")
            .map(lines)
            .unwrap_or_default();
        let target = test["target"].as_str().unwrap();
        if runs_all(target) {
            assert_eq!(executed, ran, "{}", test["name"]);
        } else {
            assert!(executed.is_disjoint(&ran), "{}", test["name"]);
        }
    }
}

#[test]
fn what_a_proc_macro_runs_while_a_test_target_compiles_is_run_by_that_targets_tests() {
    for run in [coverage("procmacro"), coverage("procmacro")] {
        check(&run, "procmacro", |target| target == "test:expand");
        assert_eq!(run["tests"].as_array().unwrap().len(), 3);
    }
}
