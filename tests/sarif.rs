//! SARIF output of the demo crate: valid against the SARIF 2.1.0 schema (shipped in
//! `tests/data/`), one result per test that cannot fail under the rule of its finding, one per
//! function with unchecked error paths, locations relative to the repository root.

mod common;
mod report_fixture;

use serde_json::Value;
use std::collections::BTreeSet;

/// The published pattern of `language` properties, not a valid regex (a stray `]`).
const BROKEN_LANGUAGE: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";

/// Replaces every `language` pattern by what it means, as later revisions of the schema did;
/// returns how many it replaced.
fn fix_language_patterns(v: &mut Value) -> usize {
    match v {
        Value::Object(map) => map
            .iter_mut()
            .map(|(k, v)| {
                if k == "pattern" && v == BROKEN_LANGUAGE {
                    *v = Value::from("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
                    1
                } else {
                    fix_language_patterns(v)
                }
            })
            .sum(),
        Value::Array(items) => items.iter_mut().map(fix_language_patterns).sum(),
        _ => 0,
    }
}

/// The schema, every keyword as published except the `language` patterns.
fn schema() -> jsonschema::Validator {
    let path = common::repo().join("tests/data/sarif-2.1.0-rtm.5.json");
    let mut schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(fix_language_patterns(&mut schema), 2);
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn assert_valid(validator: &jsonschema::Validator, sarif: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
}

/// `(rule, uri, first words of the message)` of every result.
fn results(sarif: &Value) -> BTreeSet<(String, String, u64)> {
    sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let loc = &r["locations"][0]["physicalLocation"];
            (
                r["ruleId"].as_str().unwrap().to_string(),
                loc["artifactLocation"]["uri"].as_str().unwrap().to_string(),
                loc["region"]["startLine"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn set(items: &[(&str, &str, u64)]) -> BTreeSet<(String, String, u64)> {
    items
        .iter()
        .map(|(r, u, l)| (r.to_string(), u.to_string(), *l))
        .collect()
}

#[test]
fn sarif_of_the_full_run_is_valid_and_reports_what_cannot_fail() {
    let out = report_fixture::report(&["--format", "sarif"]);
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let validator = schema();
    assert_valid(&validator, &sarif);
    // The validator does reject what is not SARIF.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator.is_valid(&broken));

    // Hand-labelled from the demo's README and sources (lines of the findings and of `fn`).
    assert_eq!(
        results(&sarif),
        set(&[
            ("test/smoke-only", "examples/demo/src/account.rs", 85),
            ("test/no-oracle", "examples/demo/src/account.rs", 92),
            (
                "tautology/same-operands",
                "examples/demo/src/account.rs",
                102
            ),
            ("test/smoke-only", "examples/demo/tests/amounts.rs", 25),
            ("test/no-oracle", "examples/demo/tests/amounts.rs", 30),
            ("error-paths/unchecked", "examples/demo/src/account.rs", 48),
        ])
    );
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for r in run["results"].as_array().unwrap() {
        let rule = &rules[r["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], r["ruleId"]);
        assert!(rule["help"]["text"].as_str().unwrap().len() > 40, "{rule}");
    }
    let withdraw = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "error-paths/unchecked")
        .unwrap();
    let text = withdraw["message"]["text"].as_str().unwrap();
    assert!(text.contains("Account::withdraw"), "{text}");
    assert!(
        text.contains("overdraft_does_not_panic (assertion_free)"),
        "{text}"
    );
}

#[test]
fn static_scan_reports_the_same_tests_without_building() {
    let manifest = common::repo().join("examples/demo/Cargo.toml");
    let out = common::truecov(&[
        "scan",
        "--manifest-path",
        &manifest.display().to_string(),
        "--format",
        "sarif",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid(&schema(), &sarif);
    let rules: BTreeSet<String> = results(&sarif).into_iter().map(|r| r.0).collect();
    assert_eq!(
        rules,
        [
            "tautology/same-operands",
            "test/no-oracle",
            "test/smoke-only"
        ]
        .map(String::from)
        .into()
    );
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 5);
}
