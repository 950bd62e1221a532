//! The full run (`cargo truecov`) end to end on fixture crates, against expectations written
//! by hand in each fixture: exact line counts per function and file, every function's class,
//! which tests executed and checked each error site; snapshots of the demo's output; gates,
//! `--output`, `coverage` and `explain`.

mod common;

use common::{fixture, repo, truecov};
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// Shared by every run of this file, so builds are cached between tests and test runs.
fn target_dir() -> String {
    repo().join("target/e2e-run").display().to_string()
}

fn manifest_of(dir: std::path::PathBuf) -> String {
    dir.join("Cargo.toml").display().to_string()
}

fn run_json(manifest: &str, extra: &[&str]) -> Value {
    let mut args = vec![
        "--manifest-path",
        manifest,
        "--target-dir",
        &*Box::leak(target_dir().into_boxed_str()),
        "-q",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    common::json_of(&truecov(&args))
}

fn scoring_report() -> &'static Value {
    static R: OnceLock<Value> = OnceLock::new();
    R.get_or_init(|| run_json(&manifest_of(fixture("scoring")), &[]))
}

fn expected(name: &str, file: &str) -> Value {
    let path = fixture(name).join(file);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn test_names(report: &Value, idx: &Value) -> BTreeSet<String> {
    idx.as_array()
        .unwrap()
        .iter()
        .map(|i| {
            report["tests"][i.as_u64().unwrap() as usize]["name"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn scoring_fixture_functions_have_the_hand_computed_figures() {
    let report = scoring_report();
    let want = expected("scoring", "expected.json");
    for w in want["functions"].as_array().unwrap() {
        let g = report["functions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == w["name"])
            .unwrap_or_else(|| panic!("function {} not reported", w["name"]));
        for (k, v) in w.as_object().unwrap() {
            assert_eq!(&g[k], v, "{} of {}", k, w["name"]);
        }
    }
    let file = &report["files"][0];
    assert_eq!(file["file"], "src/lib.rs");
    for (k, v) in want["files"]["src/lib.rs"].as_object().unwrap() {
        assert_eq!(&file[k], v, "{k} of src/lib.rs");
    }
}

#[test]
fn scoring_fixture_error_sites_know_who_ran_and_who_checked_them() {
    let report = scoring_report();
    let want = expected("scoring", "expected.json");
    for w in want["sites"].as_array().unwrap() {
        let f = report["functions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == w["function"])
            .unwrap();
        let s = f["sites"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["line"] == w["line"])
            .unwrap_or_else(|| panic!("no site at {}", w["line"]));
        assert_eq!(s["kind"], w["kind"]);
        let names = |v: &Value| {
            v.as_array()
                .unwrap()
                .iter()
                .map(|n| n.as_str().unwrap().to_string())
                .collect::<BTreeSet<_>>()
        };
        assert_eq!(
            test_names(report, &s["executed_by"]),
            names(&w["executed_by"]),
            "executed_by of {} :{}",
            w["function"],
            w["line"]
        );
        assert_eq!(
            test_names(report, &s["checked_by"]),
            names(&w["checked_by"]),
            "checked_by of {} :{}",
            w["function"],
            w["line"]
        );
    }
}

#[test]
fn scoring_fixture_summary_and_verdicts() {
    let report = scoring_report();
    let want = expected("scoring", "expected.json");
    for (name, verdict) in want["tests"].as_object().unwrap() {
        let t = report["tests"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == name.as_str())
            .unwrap();
        assert_eq!(&t["verdict"], verdict, "{name}");
        assert_eq!(t["outcome"], "passed", "{name}");
    }
    let s = &report["summary"];
    assert_eq!(s["lines_coverable"], 24);
    assert_eq!(s["lines_raw"], 21);
    assert_eq!(s["lines_meaningful"], 11);
    assert!((s["raw_line_coverage"].as_f64().unwrap() - 21.0 / 24.0).abs() < 1e-9);
    assert!((s["truth_ratio"].as_f64().unwrap() - 11.0 / 21.0).abs() < 1e-9);
    assert!((s["error_path_check_rate"].as_f64().unwrap() - 0.25).abs() < 1e-9);
    let errors = common::report_schema_errors(&common::report_schema(), report);
    assert_eq!(
        errors, "",
        "the report does not match docs/report.schema.json"
    );
}

#[test]
fn a_function_reached_through_another_is_covered_for_that_test() {
    let report = scoring_report();
    let f = report["functions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "double")
        .unwrap();
    assert_eq!(
        test_names(report, &f["executed_by"]),
        ["tests::describes".to_string(), "tests::doubles".to_string()].into()
    );
}

#[test]
fn errorpaths_fixture_every_labelled_class() {
    let report = run_json(&manifest_of(fixture("errorpaths")), &[]);
    let labels = expected("errorpaths", "expected-sites.json");
    let mut wrong = Vec::new();
    let mut labelled = 0;
    for w in labels.as_array().unwrap() {
        let Some(class) = w.get("class") else {
            continue;
        };
        labelled += 1;
        let got = report["functions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["file"] == w["file"] && f["line"] == w["line"]);
        if got.map(|g| &g["class"]) != Some(class) {
            wrong.push(format!(
                "{}: want {class}, got {:?}",
                w["function"],
                got.map(|g| &g["class"])
            ));
        }
    }
    assert!(labelled > 40);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// `selfdep`: the crate under test (`foo 0.2`) dev-depends on `bar`, which depends on another
/// `foo` (0.1), so `cargo test -p foo` is ambiguous: the run and `prove` must select it by its
/// package id.
#[test]
fn a_crate_that_its_own_dev_dependencies_depend_on_runs_and_proves() {
    let manifest = manifest_of(fixture("selfdep"));
    let report = run_json(&manifest, &[]);
    let tests: Vec<(&str, &str, &str)> = report["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["name"].as_str().unwrap(),
                t["verdict"].as_str().unwrap(),
                t["outcome"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        tests,
        [
            ("tests::doubles", "meaningful", "passed"),
            ("agrees_with_the_old_version", "meaningful", "passed"),
        ]
    );
    // foo 0.1's `x + x` is another package's code: only 0.2's three lines are library lines.
    assert_eq!(report["summary"]["lines_coverable"], 3);
    assert_eq!(report["summary"]["lines_meaningful"], 3);

    let target = target_dir();
    let proved = common::json_of(&truecov(&[
        "prove",
        "--manifest-path",
        &manifest,
        "--target-dir",
        &target,
        "-q",
        "--format",
        "json",
    ]));
    assert_eq!(
        proved["prove"]["functions"]["tested"], 1,
        "{}",
        proved["prove"]
    );
    // `double`'s three values (0, 1, -1) and its operator's two (`*` → `+`, `/`).
    assert_eq!(
        proved["prove"]["mutants"]["caught"], 5,
        "{}",
        proved["prove"]
    );
}

#[test]
fn gates_fail_with_code_1_and_a_reason() {
    let m = manifest_of(fixture("scoring"));
    let t = target_dir();
    let out = truecov(&[
        "--manifest-path",
        &m,
        "--target-dir",
        &t,
        "-q",
        "--fail-under-meaningful",
        "60",
        "--fail-under-truth",
        "10",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("meaningful coverage 45.8 % is below"), "{err}");
    assert!(!err.contains("truth ratio"), "{err}");
    let out = truecov(&[
        "--manifest-path",
        &m,
        "--target-dir",
        &t,
        "-q",
        "--fail-under-error-checks",
        "25",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn output_file_holds_the_report_and_stdout_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.json");
    let m = manifest_of(fixture("scoring"));
    let t = target_dir();
    let out = truecov(&[
        "--manifest-path",
        &m,
        "--target-dir",
        &t,
        "-q",
        "--color",
        "never",
        "--output",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("raw line coverage"));
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(written["summary"]["lines_meaningful"], 11);
    assert_eq!(written["schema_version"], 1);
}

#[test]
fn coverage_command_prints_per_test_lines_and_answers_tests_for() {
    let m = manifest_of(fixture("scoring"));
    let t = target_dir();
    let cov = common::json_of(&truecov(&[
        "coverage",
        "--manifest-path",
        &m,
        "--target-dir",
        &t,
        "-q",
        "--format",
        "json",
    ]));
    assert_eq!(cov["schema_version"], 1);
    let file = &cov["files"]["src/lib.rs"];
    assert_eq!(file["coverable"].as_array().unwrap().len(), 24);
    assert_eq!(file["executed"].as_array().unwrap().len(), 21);
    let doubles = cov["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "tests::doubles")
        .unwrap();
    assert_eq!(doubles["lines"]["src/lib.rs"], serde_json::json!([3, 4, 5]));
    assert_eq!(doubles["outcome"], "passed");
    assert!(doubles["duration_ms"].is_u64());
    let out = truecov(&[
        "coverage",
        "--manifest-path",
        &m,
        "--target-dir",
        &t,
        "-q",
        "--tests-for",
        "src/lib.rs:18",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("1 tests executed src/lib.rs:18") && text.contains("tests::describes"),
        "{text}"
    );
}

#[test]
fn explain_gives_the_sites_of_a_function_and_the_checks_of_a_test() {
    let m = manifest_of(fixture("scoring"));
    let _ = scoring_report();
    let t = target_dir();
    let out = truecov(&[
        "explain",
        "--manifest-path",
        &m,
        "--target-dir",
        &t,
        "parse_port",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("parse_port  — error_paths_checked"), "{text}");
    assert!(
        text.contains("tests::port_zero_is_refused (meaningful; checks the failure)"),
        "{text}"
    );
    let out = truecov(&[
        "explain",
        "--manifest-path",
        &m,
        "--target-dir",
        &t,
        "divides",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("tests::divides — smoke"), "{text}");
    assert!(text.contains("checked_div"), "{text}");
    let out = truecov(&[
        "explain",
        "--manifest-path",
        &m,
        "--target-dir",
        &t,
        "nothing_like_this",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

/// Durations and absolute paths vary between machines and runs.
fn normalized(text: &str) -> String {
    let re_dur = |s: &str| {
        s.lines()
            .map(|l| {
                if let Some(i) = l.find("\"duration_ms\":") {
                    format!(
                        "{}\"duration_ms\": 0{}",
                        &l[..i],
                        if l.trim_end().ends_with(',') { "," } else { "" }
                    )
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    re_dur(&text.replace(&repo().display().to_string(), "<repo>"))
}

/// The code block of `file` (a README) that follows the first line containing `marker`.
fn block_after(file: &str, marker: &str) -> String {
    let text = std::fs::read_to_string(repo().join(file)).unwrap();
    let after = &text[text
        .find(marker)
        .unwrap_or_else(|| panic!("{file}: no {marker:?}"))..];
    let start = after.find("```").unwrap();
    let body = &after[start..];
    let body = &body[body.find('\n').unwrap() + 1..];
    body[..body.find("```").unwrap()].to_string()
}

/// Checks that each line of `shown`, a README's excerpt of the tool's output, is a line of
/// `printed`, in order, runs of spaces aside: `…` and `...` lines stand for lines left out, a
/// line ending in `…` for the start of one.
fn assert_excerpt(file: &str, shown: &str, printed: &str) {
    let squash = |l: &str| l.split_whitespace().collect::<Vec<_>>().join(" ");
    let printed: Vec<String> = printed.replace("<repo>/", "").lines().map(squash).collect();
    let mut rest = printed.iter();
    for line in shown.lines().map(squash) {
        if line == "…" || line == "..." {
            continue;
        }
        let found = match line.strip_suffix('…') {
            Some(start) => rest.any(|p| p.starts_with(start.trim_end())),
            None => rest.any(|p| *p == line),
        };
        assert!(
            found,
            "{file} shows a line the tool does not print (or not in this order):\n{line}\n\n\
             printed:\n{}",
            printed.join("\n")
        );
    }
}

#[test]
fn demo_snapshots() {
    let m = manifest_of(repo().join("examples/demo"));
    let t = target_dir();
    let table = truecov(&[
        "--manifest-path",
        &m,
        "--target-dir",
        &t,
        "-q",
        "--color",
        "never",
    ]);
    let table = normalized(&String::from_utf8_lossy(&table.stdout));
    insta::assert_snapshot!("demo_table", table);
    assert_excerpt(
        "README.md",
        &block_after("README.md", "prints something like"),
        &table,
    );
    let proved = truecov(&[
        "--manifest-path",
        &m,
        "--target-dir",
        &t,
        "-q",
        "--color",
        "never",
        "--prove",
        "--no-record",
    ]);
    let proved = normalized(&String::from_utf8_lossy(&proved.stdout));
    insta::assert_snapshot!("demo_prove_table", proved);
    assert_excerpt(
        "examples/demo/README.md",
        &block_after(
            "examples/demo/README.md",
            "Its headline and surviving mutants",
        ),
        &proved,
    );
    let json = truecov(&[
        "--manifest-path",
        &m,
        "--target-dir",
        &t,
        "-q",
        "--format",
        "json",
    ]);
    // The text as printed: parsing floats back could round them differently.
    let text = String::from_utf8_lossy(&json.stdout).replace(
        &format!("\"tool_version\": \"{}\"", env!("CARGO_PKG_VERSION")),
        "\"tool_version\": \"<version>\"",
    );
    let report = common::json_of(&json);
    let errors = common::report_schema_errors(&common::report_schema(), &report);
    assert_eq!(
        errors, "",
        "the report does not match docs/report.schema.json"
    );
    insta::assert_snapshot!("demo_json", normalized(&text));
}
