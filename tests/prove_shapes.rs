//! `cargo truecov prove` end to end on `tests/fixtures/proveshapes`: mutants in generic
//! functions, in a `const fn` evaluated only at compile time, in `while` and `if` conditions
//! are run by the tests that execute them, and a function no test runs lists its mutants as
//! `not_covered`. What each function must get is written by hand above it in the fixture.

mod common;
mod prove_support;

use common::{fixture, json_of, repo, truecov};
use prove_support::prove_args;
use serde_json::Value;
use std::sync::OnceLock;

/// The fixture's report, proved once for every test of this file.
fn report() -> &'static Value {
    static REPORT: OnceLock<Value> = OnceLock::new();
    REPORT.get_or_init(|| {
        let manifest = fixture("proveshapes").join("Cargo.toml");
        let target = repo().join("target/e2e-prove-shapes");
        let args = prove_args(&manifest, &target, &[]);
        json_of(&truecov(
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
        ))
    })
}

fn prove_of(name: &str) -> &'static Value {
    let f = report()["functions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == name)
        .unwrap_or_else(|| panic!("{name} not reported"));
    &f["prove"]
}

/// `(name, outcome)` of a function's mutants that were not caught.
fn not_caught(name: &str) -> Vec<(String, String)> {
    prove_of(name)["mutants"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["outcome"] != "caught")
        .map(|m| {
            let text = m["name"].as_str().unwrap();
            let what = text.split_once(": ").map_or(text, |(_, w)| w);
            (what.to_string(), m["outcome"].as_str().unwrap().to_string())
        })
        .collect()
}

#[test]
fn every_function_gets_its_labelled_status_and_all_its_mutants() {
    // (function, status, mutants cargo-mutants generates in it), counted by hand.
    let labels = [
        ("total", "tested", 4),
        ("halves", "tested", 15),
        ("is_word", "tested", 4),
        ("word_byte", "partially_tested", 5),
        ("lead", "tested", 8),
        ("unused", "not_covered", 6),
    ];
    for (name, status, mutants) in labels {
        let p = prove_of(name);
        assert_eq!(p["status"], status, "status of {name}: {p}");
        assert_eq!(
            p["mutants"].as_array().unwrap().len(),
            mutants,
            "mutants of {name}: {p}"
        );
    }
    assert_eq!(
        report()["prove"]["mutants"]["not_covered"],
        6,
        "only unused's"
    );
}

#[test]
fn generic_functions_and_conditions_are_run_by_the_tests_that_execute_them() {
    for name in ["total", "halves", "lead"] {
        assert_eq!(not_caught(name), [], "{name}");
    }
    // `data.len() / 2 != out.len()`: only `halves_of_pairs` tells `/` from `%` there.
    let slash = prove_of("halves")["mutants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "src/lib.rs:24:19: replace / with % in halves")
        .unwrap();
    let tests: Vec<&str> = slash["tests_run"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            report()["tests"][t.as_u64().unwrap() as usize]["name"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(tests.contains(&"tests::halves_of_pairs"), "{slash}");
}

#[test]
fn a_const_fn_evaluated_at_compile_time_is_judged_by_its_callers_tests() {
    assert_eq!(not_caught("is_word"), []);
    for m in prove_of("is_word")["mutants"].as_array().unwrap() {
        let by = m["caught_by"].as_u64().unwrap() as usize;
        assert_eq!(report()["tests"][by]["name"], "tests::words", "{m}");
    }
    assert_eq!(
        not_caught("word_byte"),
        [(
            "delete match arm b'-' in word_byte".to_string(),
            "missed".to_string()
        )],
        "the `_` arm gives `-` the same false"
    );
}

#[test]
fn a_function_no_test_runs_lists_its_mutants_as_not_covered() {
    let mutants = prove_of("unused")["mutants"].as_array().unwrap();
    assert!(
        mutants
            .iter()
            .all(|m| m["outcome"] == "not_covered" && m["tests_run"] == serde_json::json!([])),
        "{mutants:?}"
    );
    assert!(mutants
        .iter()
        .any(|m| m["name"] == "src/lib.rs:66:7: replace * with + in unused"));
}
