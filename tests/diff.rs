//! `cargo truecov diff` on reports built here: the pull-request comment for an improvement, a
//! regression, a change within the noise and a first run without a base (snapshots), the
//! JSON comparison, the drop gate, baselines, the job summary and bad `--base` values.

mod common;

use serde_json::{json, Value};
use std::path::Path;
use std::process::Output;

/// A report of a workspace with three library files and three tests.
fn base() -> Value {
    json!({
        "schema_version": 1, "tool_version": "0.1.0", "workspace": "/nonexistent/ws",
        "summary": {
            "raw_line_coverage": 0.8, "meaningful_line_coverage": 0.6, "truth_ratio": 0.75,
            "error_path_check_rate": 0.5, "lines_coverable": 100, "lines_raw": 80,
            "lines_meaningful": 60,
            "tests": {"total": 3, "meaningful": 2, "smoke": 1, "tautological": 0,
                      "assertion_free": 0, "ignored": 0, "failed": 0}
        },
        "tests": [
            test("tests::parses", "src/parse.rs", 40, "meaningful", json!([])),
            test("tests::rejects_empty", "src/parse.rs", 50, "meaningful", json!([])),
            test("tests::loads", "src/io.rs", 30, "smoke", json!([
                {"rule": "test/smoke-only", "line": 30,
                 "message": "only checks that nothing failed (`unwrap`, `?`, `is_ok`), not the values"}
            ])),
        ],
        "functions": [
            function("io::load", "src/io.rs", 3, "error_paths_unchecked"),
            function("parse::parse", "src/parse.rs", 10, "error_paths_checked"),
            function("render::Page::render", "src/render.rs", 5, "no_error_paths"),
        ],
        "files": [
            file("src/io.rs", 0.3), file("src/parse.rs", 0.8), file("src/render.rs", 0.5),
        ],
        "packages": []
    })
}

fn test(name: &str, file: &str, line: u32, verdict: &str, findings: Value) -> Value {
    json!({"package": "ws", "target": "lib", "name": name, "file": file, "line": line,
           "verdict": verdict, "ignored": false, "outcome": "passed", "findings": findings})
}

fn function(name: &str, file: &str, line: u32, class: &str) -> Value {
    json!({"package": "ws", "name": name, "file": file, "line": line, "class": class,
           "lines_coverable": 10, "lines_raw": 8, "lines_meaningful": 6, "error_sites": 2,
           "error_sites_executed": 2, "error_sites_checked": 1})
}

fn file(path: &str, meaningful: f64) -> Value {
    json!({"package": "ws", "file": path, "lines_coverable": 10, "lines_raw": 8,
           "lines_meaningful": (meaningful * 10.0) as u64, "error_sites": 0,
           "error_sites_executed": 0, "error_sites_checked": 0, "raw_line_coverage": 0.8,
           "meaningful_line_coverage": meaningful, "truth_ratio": meaningful / 0.8,
           "coverable": [], "executed": [], "meaningful": []})
}

/// Sets a headline figure of a report.
fn set(report: &mut Value, figure: &str, value: f64) {
    report["summary"][figure] = json!(value);
}

/// A directory with `base.json` and `head.json`.
fn files(base: &Value, head: &Value) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, report) in [("base.json", base), ("head.json", head)] {
        std::fs::write(dir.path().join(name), report.to_string()).unwrap();
    }
    dir
}

fn diff(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["diff", "--head", "head.json"];
    all.extend(args);
    common::truecov_in(dir, &all)
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.code().is_some_and(|c| c < 2),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn improved() -> Value {
    let mut head = base();
    set(&mut head, "meaningful_line_coverage", 0.65);
    set(&mut head, "raw_line_coverage", 0.82);
    set(&mut head, "truth_ratio", 0.65 / 0.82);
    set(&mut head, "error_path_check_rate", 0.6);
    head["files"][2] = file("src/render.rs", 0.7);
    head["functions"][0]["class"] = json!("error_paths_checked");
    head["tests"].as_array_mut().unwrap().push(test(
        "tests::renders_title",
        "src/render.rs",
        60,
        "meaningful",
        json!([]),
    ));
    head
}

fn regressed() -> Value {
    let mut head = base();
    set(&mut head, "meaningful_line_coverage", 0.55);
    set(&mut head, "truth_ratio", 0.55 / 0.8);
    head["files"][1] = file("src/parse.rs", 0.6);
    head["functions"][1]["class"] = json!("error_paths_unchecked");
    head["tests"][0] = test(
        "tests::parses",
        "src/parse.rs",
        40,
        "assertion_free",
        json!([{"rule": "test/no-oracle", "line": 40,
                "message": "result dropped: nothing checks what the code returned"}]),
    );
    head["tests"].as_array_mut().unwrap().push(test(
        "tests::prints_page",
        "src/render.rs",
        70,
        "tautological",
        json!([{"rule": "tautology/same-operands", "line": 72,
                "message": "both sides are the same expression: `assert!(a || b == a || b)`"}]),
    ));
    head
}

#[test]
fn comment_for_an_improvement() {
    let dir = files(&base(), &improved());
    let text = stdout(&diff(
        dir.path(),
        &["--base", "base.json", "--format", "markdown"],
    ));
    assert!(text.starts_with("<!-- truecov-comment -->\n"), "{text}");
    insta::assert_snapshot!("improvement", text);
}

#[test]
fn comment_for_a_regression_names_the_weakened_test_and_fails_the_gate() {
    let dir = files(&base(), &regressed());
    let out = diff(
        dir.path(),
        &[
            "--base",
            "base.json",
            "--format",
            "markdown",
            "--fail-on-drop",
            "2",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("meaningful coverage dropped by 5.0 pp, more than --fail-on-drop 2 pp"),
        "{err}"
    );
    insta::assert_snapshot!("regression", stdout(&out));
    let within = diff(
        dir.path(),
        &[
            "--base",
            "base.json",
            "--fail-on-drop",
            "5",
            "--color",
            "never",
        ],
    );
    assert_eq!(within.status.code(), Some(0));
    let table = stdout(&within);
    for expected in [
        " truecov diff  base.json → head.json",
        "│ meaningful coverage ┆ 60.0 % ┆ 55.0 % ┆ ▼ 5.0 pp │",
        " Tests that got weaker (1)\n  src/parse.rs:40  tests::parses  meaningful → assertion_free  result dropped",
        " Functions whose class got worse (1)\n  src/parse.rs:10  parse  error_paths_checked → error_paths_unchecked",
    ] {
        assert!(table.contains(expected), "missing {expected:?} in:\n{table}");
    }
}

#[test]
fn comment_for_changes_within_the_noise() {
    let mut head = base();
    set(&mut head, "meaningful_line_coverage", 0.6004);
    set(&mut head, "raw_line_coverage", 0.7995);
    head["files"][0] = file("src/io.rs", 0.3009);
    let dir = files(&base(), &head);
    let args = [
        "--base",
        "base.json",
        "--format",
        "markdown",
        "--fail-on-drop",
        "0",
    ];
    let out = diff(dir.path(), &args);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.contains("No change beyond the noise threshold (0.1 pp)."),
        "{text}"
    );
    insta::assert_snapshot!("unchanged_within_noise", text);
    let strict = diff(
        dir.path(),
        &[
            "--base",
            "base.json",
            "--format",
            "json",
            "--min-delta",
            "0.01",
        ],
    );
    let json: Value = serde_json::from_str(&stdout(&strict)).unwrap();
    assert_eq!(json["metrics"][0]["change"], "up");
    assert_eq!(json["metrics"][1]["change"], "down");
    assert_eq!(json["files"][0]["file"], "src/io.rs");
}

#[test]
fn comment_for_a_first_run_without_a_base() {
    let dir = files(&base(), &base());
    let text = stdout(&diff(dir.path(), &["--format", "markdown"]));
    assert!(!text.contains("| base |"), "{text}");
    insta::assert_snapshot!("first_run_without_base", text);
}

#[test]
fn json_comparison_lists_what_changed() {
    let dir = files(&base(), &regressed());
    let json: Value = serde_json::from_str(&stdout(&diff(
        dir.path(),
        &["--base", "base.json", "--format", "json"],
    )))
    .unwrap();
    let m = &json["metrics"][0];
    assert_eq!(m["metric"], "meaningful_line_coverage");
    assert_eq!(
        (m["base"].as_f64(), m["head"].as_f64()),
        (Some(0.6), Some(0.55))
    );
    assert_eq!(m["change"], "down");
    assert_eq!(json["metrics"][1]["change"], "same");
    assert_eq!(json["weakened_tests"][0]["name"], "tests::parses");
    assert_eq!(json["weakened_tests"][0]["was"], "meaningful");
    assert_eq!(json["weakened_tests"][0]["verdict"], "assertion_free");
    assert_eq!(json["weak_new_tests"][0]["name"], "tests::prints_page");
    assert_eq!(json["functions"][0]["name"], "parse::parse");
    assert_eq!(json["functions"][0]["was"], "error_paths_checked");
    let files: Vec<&str> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["src/parse.rs"]);
    assert!(json["patch"].is_null());
}

#[test]
fn an_exported_baseline_is_a_base() {
    let dir = files(&base(), &regressed());
    let first = diff(
        dir.path(),
        &["--format", "json", "--export-baseline", "saved.json"],
    );
    assert_eq!(first.status.code(), Some(0));
    let saved: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("saved.json")).unwrap())
            .unwrap();
    assert_eq!(saved["truecov_baseline"], 1);
    assert_eq!(saved["report"]["summary"]["meaningful_line_coverage"], 0.55);
    let mut head = improved();
    set(&mut head, "meaningful_line_coverage", 0.6);
    std::fs::write(dir.path().join("head.json"), head.to_string()).unwrap();
    let json: Value = serde_json::from_str(&stdout(&diff(
        dir.path(),
        &["--base", "saved.json", "--format", "json"],
    )))
    .unwrap();
    assert_eq!(json["base"]["label"], "saved.json");
    let d = json["metrics"][0]["delta"].as_f64().unwrap();
    assert!((d - 0.05).abs() < 1e-9, "{d}");
}

#[test]
fn the_comment_also_goes_to_the_github_job_summary() {
    let dir = files(&base(), &improved());
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-truecov"))
        .args([
            "truecov",
            "diff",
            "--head",
            "head.json",
            "--base",
            "base.json",
        ])
        .current_dir(dir.path())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env_remove("TRUECOV_DB")
        .output()
        .unwrap();
    assert!(stdout(&out).contains("truecov diff  base.json → head.json"));
    let written = std::fs::read_to_string(&summary).unwrap();
    assert!(
        written.starts_with("earlier step\n<!-- truecov-comment -->\n### truecov: meaningful coverage 65.0 % (▲ 5.0 pp)"),
        "{written}"
    );
}

#[test]
fn bad_bases_and_options_are_usage_errors() {
    let dir = files(&base(), &base());
    let cases: [(&[&str], &str); 4] = [
        (
            &["--base", "missing.json"],
            "neither a file, a run id nor a git revision",
        ),
        (
            &["--base", "head.json", "--format", "csv"],
            "`diff` prints --format table, json or markdown",
        ),
        (&["--min-delta=-1"], "expected percentage points"),
        (
            &["--base", "7", "--db", "none.db"],
            "none.db: no history database there",
        ),
    ];
    for (args, message) in cases {
        let out = diff(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(message), "{args:?}: {err}");
    }
    let no_head = common::truecov_in(dir.path(), &["diff", "--head", "nothing.json"]);
    assert_eq!(no_head.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_head.stderr).contains("cannot read nothing.json"));
    std::fs::write(dir.path().join("junk.json"), "{\"schema_version\": 1}").unwrap();
    let out = diff(dir.path(), &["--base", "junk.json"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("junk.json: not a truecov report"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn odd_provenance_in_a_baseline_is_shown_as_it_is() {
    let dir = files(&base(), &base());
    let baseline = json!({
        "truecov_baseline": 1,
        "run": {"id": 7, "recorded_at": "2024-05-01T12:00:00Z", "workspace": "/elsewhere",
                "tool_version": "0.1.0", "git_commit": "ééééééééé", "git_branch": "a|b",
                "git_dirty": true, "summary": base()["summary"], "error_sites": 6,
                "error_sites_executed": 6, "error_sites_checked": 3},
        "report": base()
    });
    std::fs::write(dir.path().join("odd.json"), baseline.to_string()).unwrap();
    let text = stdout(&diff(
        dir.path(),
        &["--base", "odd.json", "--format", "markdown"],
    ));
    assert!(
        text.contains("**Base:** `odd.json` · `ééééééé` on a\\|b, dirty — **head:** `head.json`"),
        "{text}"
    );
    assert!(!text.contains("**This change**"), "{text}");
}
