//! The two states that are not verdicts (docs/verdicts.md#states-that-are-not-verdicts), end to
//! end on the `states` fixture: a run's tests are the tests its binaries list; a scanned test no
//! binary contains is `not_built` with the cfg that removed it, counted nowhere; a listed test
//! the scan cannot read (a proc-macro wrote it) is `unknown`, in the total and in no verdict
//! count, never among the tests that cannot fail; a test whose process exits before libtest
//! reports is `exited_early`, its lines never meaningful. Labels in
//! `tests/fixtures/states/expected.json`.

mod common;

use common::{fixture, repo, truecov};
use serde_json::Value;
use std::collections::BTreeMap;

fn manifest() -> String {
    fixture("states").join("Cargo.toml").display().to_string()
}

fn target_dir() -> String {
    repo().join("target/e2e-states").display().to_string()
}

/// (target, name) -> (verdict, cfg_off) of every test of a report.
fn states(report: &Value) -> BTreeMap<(String, String), (String, Option<String>)> {
    report["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                (
                    t["target"].as_str().unwrap().into(),
                    t["name"].as_str().unwrap().into(),
                ),
                (
                    t["verdict"].as_str().unwrap().into(),
                    t["cfg_off"].as_str().map(String::from),
                ),
            )
        })
        .collect()
}

/// The labels of `kind` (the verdict of a `run` or a `scan`, or the `outcome` of a run): tests
/// with no `kind` label are absent.
fn labelled(kind: &str) -> BTreeMap<(String, String), (String, Option<String>)> {
    let path = fixture("states").join("expected.json");
    let labels: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    labels["tests"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| {
            let verdict = t[kind].as_str()?;
            let cfg = t["cfg_off"].as_str().filter(|_| verdict == "not_built");
            Some((
                (
                    t["target"].as_str().unwrap().into(),
                    t["name"].as_str().unwrap().into(),
                ),
                (verdict.into(), cfg.map(String::from)),
            ))
        })
        .collect()
}

fn run(format: &str) -> std::process::Output {
    let (manifest, target) = (manifest(), target_dir());
    truecov(&[
        "--manifest-path",
        &manifest,
        "--target-dir",
        &target,
        "-q",
        "--format",
        format,
    ])
}

#[test]
fn a_run_reports_the_tests_the_binaries_contain_and_the_others_apart() {
    let report = common::json_of(&run("json"));
    assert_eq!(states(&report), labelled("run"));
    let counts = &report["summary"]["tests"];
    // The binaries list 4 tests: `doubles`, `written_by_hand` and the two generated ones.
    // The binaries list 5 tests: `doubles`, `written_by_hand`, the two generated ones and
    // `exits_before_libtest_reports`, which did not pass.
    for (field, n) in [
        ("total", 5),
        ("meaningful", 3),
        ("assertion_free", 0),
        ("unknown", 2),
        ("not_built", 5),
        ("failed", 1),
    ] {
        assert_eq!(counts[field], n, "{field}: {counts}");
    }
    for t in report["tests"].as_array().unwrap() {
        let outcome = &t["outcome"];
        let label = labelled("outcome")
            .into_iter()
            .find(|((target, name), _)| t["target"] == *target && t["name"] == *name);
        match (t["verdict"].as_str().unwrap(), label) {
            ("not_built", _) => assert!(outcome.is_null(), "{t}"),
            (_, Some((_, (want, _)))) => assert_eq!(outcome.as_str(), Some(&*want), "{t}"),
            _ => assert_eq!(outcome, "passed", "{t}"),
        }
    }
    // `doubles` and `written_by_hand` make `double`'s 3 lines meaningful; `generated_checks` ran
    // them too, but what it checks is unknown; `triple`'s 3 lines ran only in a test that
    // exited early: raw, never meaningful.
    assert_eq!(report["summary"]["lines_raw"], 6);
    assert_eq!(report["summary"]["lines_meaningful"], 3);
    let schema = common::report_schema();
    assert_eq!(common::report_schema_errors(&schema, &report), "");

    let text = String::from_utf8(run("table").stdout).unwrap();
    assert!(
        text.contains("1 failed · 2 not scanned · 5 not built"),
        "{text}"
    );
    assert!(
        !text.contains("cannot fail"),
        "an unknown test is not a test that cannot fail:\n{text}"
    );
    assert!(
        text.contains("Tests that did not pass (1)") && text.contains("exited_early"),
        "the test that exited early is named with its outcome:\n{text}"
    );
}

#[test]
fn a_scan_alone_calls_not_built_only_what_no_build_can_contain() {
    let out = truecov(&["scan", "--manifest-path", &manifest(), "--format", "json"]);
    let report = common::json_of(&out);
    assert_eq!(states(&report), labelled("scan"));
    assert_eq!(report["summary"]["tests"]["total"], 5);
    assert_eq!(report["summary"]["tests"]["not_built"], 3);
}
