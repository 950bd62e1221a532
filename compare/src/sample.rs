//! Report values built in code for the unit tests of the comparison and the patch.

use truecov_model::Report;

/// A report of one file, `src/lib.rs` (coverable lines 1-3, 10-13, 20-21; 13 never ran;
/// 12, 13, 20, 21 not under a meaningful test), two tests (`good`: meaningful, `weak`: smoke)
/// and `functions`.
pub fn report(functions: serde_json::Value) -> Report {
    let test = |name: &str, verdict: &str| {
        serde_json::json!({"package": "p", "target": "lib", "name": name,
                "file": "src/lib.rs", "line": 90, "verdict": verdict, "ignored": false,
                "outcome": "passed", "findings": []})
    };
    serde_json::from_value(serde_json::json!({
        "schema_version": 1, "tool_version": "0.1.0", "workspace": "/w",
        "summary": {"raw_line_coverage": null, "meaningful_line_coverage": null,
            "truth_ratio": null, "error_path_check_rate": null, "lines_coverable": null,
            "lines_raw": null, "lines_meaningful": null,
            "tests": {"total": 2, "meaningful": 1, "smoke": 1, "tautological": 0,
                      "assertion_free": 0, "ignored": 0, "failed": 0}},
        "tests": [test("good", "meaningful"), test("weak", "smoke")],
        "functions": functions,
        "files": [{"package": "p", "file": "src/lib.rs", "lines_coverable": 9,
            "lines_raw": 8, "lines_meaningful": 5, "error_sites": 1,
            "error_sites_executed": 0, "error_sites_checked": 0,
            "raw_line_coverage": null, "meaningful_line_coverage": null,
            "truth_ratio": null, "coverable": [1, 2, 3, 10, 11, 12, 13, 20, 21],
            "executed": [1, 2, 3, 10, 11, 12, 20, 21], "meaningful": [1, 2, 3, 10, 11]}]
    }))
    .unwrap()
}

/// A function of `src/lib.rs` for [`report`].
pub fn function(name: &str, line: u32, class: &str, executed_by: &[usize]) -> serde_json::Value {
    serde_json::json!({"package": "p", "name": name, "file": "src/lib.rs", "line": line,
            "class": class, "lines_coverable": 0, "lines_raw": 0, "lines_meaningful": 0,
            "error_sites": 0, "error_sites_executed": 0, "error_sites_checked": 0,
            "executed_by": executed_by})
}

/// [`function`] with a `prove` entry whose mutants (values `v0`, `v1`, ...) had `outcomes`,
/// executed by the tests 0 and 1.
pub fn proved(name: &str, line: u32, outcomes: &[&str]) -> serde_json::Value {
    use truecov_model::MutantEntry;
    let mutants = outcomes
        .iter()
        .enumerate()
        .map(|(i, o)| MutantEntry {
            name: String::new(),
            file: String::new(),
            line: 0,
            column: 0,
            genre: Default::default(),
            replacement: format!("v{i}"),
            outcome: serde_json::from_value(serde_json::json!(o)).unwrap(),
            caught_by: None,
            tests_run: vec![0],
            duration_ms: 1,
            error: None,
        })
        .collect();
    let mut f = function(name, line, "no_error_paths", &[0, 1]);
    f["prove"] = serde_json::to_value(truecov_scoring::prove::entry(true, None, mutants)).unwrap();
    f
}
