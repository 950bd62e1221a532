//! Shared by the history tests: report values built in code, provenance, file fingerprints.

#![allow(dead_code)]

use std::path::Path;
use truecov_db::Provenance;
use truecov_model::Report;

/// A small report of a run where `meaningful` of 10 coverable lines of `src/lib.rs` ran under a
/// meaningful test and 8 ran at all.
pub fn report(meaningful: u64) -> Report {
    let json = serde_json::json!({
        "schema_version": 1,
        "tool_version": "0.1.0",
        "workspace": "/w",
        "summary": {
            "raw_line_coverage": 0.8,
            "meaningful_line_coverage": meaningful as f64 / 10.0,
            "truth_ratio": meaningful as f64 / 8.0,
            "error_path_check_rate": 0.5,
            "lines_coverable": 10, "lines_raw": 8, "lines_meaningful": meaningful,
            "tests": {"total": 2, "meaningful": 1, "smoke": 1, "tautological": 0,
                      "assertion_free": 0, "ignored": 0, "failed": 0}
        },
        "tests": [
            {"package": "p", "target": "lib", "name": "tests::parses", "file": "src/lib.rs",
             "line": 30, "verdict": "meaningful", "ignored": false, "outcome": "passed",
             "duration_ms": 3, "findings": []},
            {"package": "p", "target": "lib", "name": "tests::smoke", "file": "src/lib.rs",
             "line": 40, "verdict": "smoke", "ignored": false, "outcome": "passed",
             "findings": [{"rule": "test/smoke-only", "line": 40, "message": "only unwrap"}]}
        ],
        "functions": [
            {"package": "p", "name": "parse", "file": "src/lib.rs", "line": 1,
             "class": "error_paths_checked", "lines_coverable": 6, "lines_raw": 6,
             "lines_meaningful": meaningful.min(6), "error_sites": 2, "error_sites_executed": 2,
             "error_sites_checked": 1, "executed_by": [0, 1]},
            {"package": "p", "name": "Thing::fmt", "file": "src/lib.rs", "line": 12,
             "class": "uncovered", "lines_coverable": 4, "lines_raw": 2,
             "lines_meaningful": meaningful.saturating_sub(6), "error_sites": 0,
             "error_sites_executed": 0, "error_sites_checked": 0}
        ],
        "files": [
            {"package": "p", "file": "src/lib.rs", "lines_coverable": 10, "lines_raw": 8,
             "lines_meaningful": meaningful, "error_sites": 2, "error_sites_executed": 2,
             "error_sites_checked": 1, "raw_line_coverage": 0.8,
             "meaningful_line_coverage": meaningful as f64 / 10.0,
             "truth_ratio": meaningful as f64 / 8.0,
             "coverable": [1, 2, 3, 4, 5, 6, 12, 13, 14, 15],
             "executed": [1, 2, 3, 4, 5, 6, 12, 13], "meaningful": [],
             "tests_by_line": {"1": [0, 1]}}
        ],
        "packages": [
            {"name": "p", "version": "0.1.0", "lines_coverable": 10, "lines_raw": 8,
             "lines_meaningful": meaningful, "error_sites": 2, "error_sites_executed": 2,
             "error_sites_checked": 1, "raw_line_coverage": 0.8,
             "meaningful_line_coverage": meaningful as f64 / 10.0,
             "truth_ratio": meaningful as f64 / 8.0, "error_path_check_rate": 0.5}
        ]
    });
    serde_json::from_value(json).expect("the sample is a report")
}

/// Provenance of a run on `branch` at `commit`.
pub fn on(branch: &str, commit: &str) -> Provenance {
    Provenance {
        git_commit: Some(commit.to_string()),
        git_branch: Some(branch.to_string()),
        git_dirty: Some(false),
        toolchain: Some("rustc 1.85.0".into()),
        config_hash: Some("0123456789abcdef".into()),
    }
}

/// 2024-05-01T12:00:00Z plus `days`.
pub fn day(days: i64) -> i64 {
    1_714_564_800 + days * 86_400
}

/// The bytes of a file, to check it was not touched.
pub fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
