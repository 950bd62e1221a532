//! `docs/report.schema.json` describes the JSON report: the committed JSON snapshot of a full
//! run and a fresh `scan --format json` of the demo and of every fixture match it, and it
//! rejects what the guide says a report cannot hold while accepting every verdict, state,
//! outcome and site kind the guide lists.

mod common;

use common::{report_schema, report_schema_errors};
use serde_json::Value;

/// The reports among the committed insta snapshots (the text after the header), by file name.
fn snapshot_reports() -> Vec<(String, Value)> {
    let dir = common::repo().join("tests/snapshots");
    let mut reports = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let body = text.splitn(3, "---\n").nth(2).unwrap_or_default();
        if let Ok(v @ Value::Object(_)) = serde_json::from_str::<Value>(body) {
            if v.get("schema_version").is_some() {
                reports.push((path.file_name().unwrap().to_string_lossy().into_owned(), v));
            }
        }
    }
    reports.sort_by(|a, b| a.0.cmp(&b.0));
    reports
}

#[test]
fn committed_report_snapshots_match_the_schema() {
    let validator = report_schema();
    let reports = snapshot_reports();
    let names: Vec<&str> = reports.iter().map(|r| r.0.as_str()).collect();
    assert!(names.contains(&"run_fixtures__demo_json.snap"), "{names:?}");
    for (name, report) in &reports {
        assert_eq!(report_schema_errors(&validator, report), "", "{name}");
        assert_eq!(dangling_test_indexes(report), Vec::<u64>::new(), "{name}");
    }
}

#[test]
fn static_scans_of_the_demo_and_every_fixture_match_the_schema() {
    let validator = report_schema();
    let mut dirs = vec![common::repo().join("examples/demo")];
    for entry in std::fs::read_dir(common::repo().join("tests/fixtures")).unwrap() {
        let dir = entry.unwrap().path();
        if dir.join("Cargo.toml").is_file() {
            dirs.push(dir);
        }
    }
    assert!(dirs.len() >= 8, "{dirs:?}");
    for dir in dirs {
        let manifest = dir.join("Cargo.toml").display().to_string();
        let out = common::truecov(&["scan", "--manifest-path", &manifest, "--format", "json"]);
        let report = common::json_of(&out);
        assert!(
            !report["tests"].as_array().unwrap().is_empty(),
            "{}: no tests",
            dir.display()
        );
        assert_eq!(
            report_schema_errors(&validator, &report),
            "",
            "{}",
            dir.display()
        );
    }
}

/// The demo's full report with `edit` applied, and whether the schema accepts it.
fn accepts(edit: impl FnOnce(&mut Value)) -> bool {
    let (_, mut report) = snapshot_reports()
        .into_iter()
        .find(|r| r.0 == "run_fixtures__demo_json.snap")
        .unwrap();
    edit(&mut report);
    report_schema().is_valid(&report)
}

/// The first error site of the report.
fn first_site(report: &mut Value) -> &mut Value {
    report["functions"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find_map(|f| f["sites"].as_array_mut().unwrap().first_mut())
        .expect("the demo has error sites")
}

#[test]
fn the_schema_takes_every_value_the_guide_lists_and_nothing_else() {
    for verdict in ["not_built", "unknown", "assertion_free"] {
        assert!(
            accepts(|r| r["tests"][0]["verdict"] = verdict.into()),
            "{verdict}"
        );
    }
    for outcome in [
        Value::from("exited_early"),
        "fails_alone".into(),
        Value::Null,
    ] {
        assert!(
            accepts(|r| r["tests"][0]["outcome"] = outcome.clone()),
            "{outcome}"
        );
    }
    assert!(accepts(|r| first_site(r)["kind"] = "invariant".into()));
    assert!(
        accepts(|r| r["tests"][0]["new_field"] = 1.into()),
        "fields are additive"
    );

    assert!(!accepts(|r| r["tests"][0]["verdict"] = "weak".into()));
    assert!(!accepts(|r| r["tests"][0]["outcome"] = "exploded".into()));
    assert!(!accepts(|r| r["functions"][0]["class"] = "fine".into()));
    assert!(!accepts(|r| first_site(r)["kind"] = "oops".into()));
    assert!(!accepts(|r| r["summary"]["truth_ratio"] = 1.5.into()));
    assert!(!accepts(|r| r["schema_version"] = 2.into()));
    assert!(!accepts(|r| {
        r.as_object_mut().unwrap().remove("summary");
    }));
    assert!(!accepts(|r| {
        r["tests"][0].as_object_mut().unwrap().remove("findings");
    }));
}

#[test]
fn the_example_of_the_report_page_matches_the_schema() {
    let page = std::fs::read_to_string(common::repo().join("docs/report.md")).unwrap();
    let block = page
        .split("```json\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("docs/report.md has a JSON example");
    let example: Value = serde_json::from_str(block).unwrap();
    assert_eq!(report_schema_errors(&report_schema(), &example), "");
    assert_eq!(dangling_test_indexes(&example), Vec::<u64>::new());
}

/// The indexes into `tests` (of functions and their sites) that name no test: what the schema
/// cannot express.
fn dangling_test_indexes(report: &Value) -> Vec<u64> {
    let tests = report["tests"].as_array().unwrap().len() as u64;
    let mut all = Vec::new();
    for f in report["functions"].as_array().unwrap() {
        let lists = [&f["executed_by"]].into_iter().chain(
            f["sites"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|s| [&s["executed_by"], &s["checked_by"]]),
        );
        all.extend(
            lists
                .filter_map(Value::as_array)
                .flatten()
                .filter_map(Value::as_u64),
        );
    }
    all.retain(|&i| i >= tests);
    all
}
