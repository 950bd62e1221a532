//! This project is a test-quality tool: its own suite must be meaningful under its own analyzer.

mod common;

#[test]
fn every_test_of_this_repository_is_meaningful() {
    let report = common::json_of(&common::truecov(&[
        "scan",
        "--workspace",
        "--format",
        "json",
    ]));
    let tests = report["tests"].as_array().unwrap();
    assert!(
        tests.len() > 50,
        "only {} tests found in this repository",
        tests.len()
    );
    let weak: Vec<String> = tests
        .iter()
        .filter(|t| t["verdict"] != "meaningful")
        .map(|t| {
            format!(
                "{}:{} {} -> {}",
                t["file"], t["line"], t["name"], t["verdict"]
            )
        })
        .collect();
    assert!(
        weak.is_empty(),
        "tests that are not meaningful:\n{}",
        weak.join("\n")
    );
}
