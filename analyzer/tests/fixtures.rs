//! The analyzer on the labelled fixture crates under `tests/fixtures/`, against labels written
//! by hand in each fixture (never produced by the analyzer).

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;
use truecov_analyzer::scan;
use truecov_model::{Selection, Workspace};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(name)
}

fn read_json(path: PathBuf) -> Value {
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The workspace of `manifest`, loaded as the binary loads it.
fn workspace(manifest: PathBuf) -> Workspace {
    let selection = Selection {
        manifest_path: Some(manifest.clone()),
        ..Selection::default()
    };
    truecov_coverage::workspace::load(&selection)
        .unwrap_or_else(|e| panic!("{}: {e}", manifest.display()))
}

fn scan_fixture(name: &str) -> truecov_analyzer::Scan {
    scan(&workspace(fixture(name).join("Cargo.toml")))
}

#[test]
fn error_sites_match_the_labels() {
    let scan = scan_fixture("errorpaths");
    assert!(scan.warnings.is_empty(), "{:?}", scan.warnings);
    let expected = read_json(fixture("errorpaths").join("expected-sites.json"));
    let got: BTreeMap<(String, u32), _> = scan
        .functions
        .iter()
        .map(|f| ((f.file.clone(), f.line), f))
        .collect();
    let mut problems = Vec::new();
    for e in expected.as_array().unwrap() {
        let key = (
            e["file"].as_str().unwrap().to_string(),
            e["line"].as_u64().unwrap() as u32,
        );
        let Some(f) = got.get(&key) else {
            problems.push(format!(
                "missing function {} at {}:{}",
                e["function"], key.0, key.1
            ));
            continue;
        };
        if f.name != e["function"].as_str().unwrap() {
            problems.push(format!(
                "{}:{}: name {} != {}",
                key.0, key.1, f.name, e["function"]
            ));
        }
        let want: Vec<(String, u64)> = e["sites"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["kind"].as_str().unwrap().to_string(),
                    s["line"].as_u64().unwrap(),
                )
            })
            .collect();
        let have: Vec<(String, u64)> = f
            .error_sites
            .iter()
            .map(|s| (s.kind.as_str().to_string(), u64::from(s.start.line)))
            .collect();
        if want != have {
            problems.push(format!("{}: sites {have:?} != {want:?}", f.name));
        }
    }
    let labelled: Vec<_> = expected
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["file"].as_str().unwrap().to_string(),
                e["line"].as_u64().unwrap() as u32,
            )
        })
        .collect();
    for (key, f) in &got {
        if !labelled.contains(key) {
            problems.push(format!(
                "unlabelled function {} at {}:{}",
                f.name, key.0, key.1
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn harness_false_targets_are_one_test_named_after_the_target() {
    let scan = scan(&workspace(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../coverage/tests/fixtures/run/outcomes/Cargo.toml"),
    ));
    let custom: Vec<_> = scan
        .tests
        .iter()
        .filter(|t| t.target == "test:custom")
        .collect();
    assert_eq!(custom.len(), 1);
    assert_eq!(custom[0].name, "custom");
    assert_eq!(custom[0].file, "tests/custom.rs");
    assert_eq!(custom[0].verdict, truecov_analyzer::Verdict::Meaningful);
}
