//! The demo crate's report, made once per test binary by a full run (builds are cached in this
//! repository's `target/e2e-reports`), and `cargo truecov report` on it.

#![allow(dead_code)]

use crate::common::{json_of, repo, truecov};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

/// Where this test binary keeps what it writes.
pub fn out_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A full run of the demo (`extra`: where to record it, or `--no-record`) writing its report
/// JSON to `output`.
pub fn run_demo(output: &Path, extra: &[&str]) {
    let manifest = repo().join("examples/demo/Cargo.toml");
    let target = repo().join("target/e2e-reports");
    let mut args = vec![
        "--manifest-path".to_string(),
        manifest.display().to_string(),
        "--target-dir".to_string(),
        target.display().to_string(),
        "-q".to_string(),
        "--format".to_string(),
        "json".to_string(),
        "--output".to_string(),
        output.display().to_string(),
    ];
    args.extend(extra.iter().map(|a| a.to_string()));
    json_of(&truecov(
        &args.iter().map(String::as_str).collect::<Vec<_>>(),
    ));
}

/// Path of the demo's report JSON (a run that is not recorded in any history).
pub fn demo_report_path() -> &'static str {
    static PATH: OnceLock<String> = OnceLock::new();
    PATH.get_or_init(|| {
        let path = out_dir("demo").join(format!("report-{}.json", std::process::id()));
        run_demo(&path, &["--no-record"]);
        path.display().to_string()
    })
}

/// The demo's report.
pub fn demo_report() -> &'static Value {
    static REPORT: OnceLock<Value> = OnceLock::new();
    REPORT.get_or_init(|| {
        serde_json::from_str(&std::fs::read_to_string(demo_report_path()).unwrap()).unwrap()
    })
}

/// `cargo truecov report --input <demo report> <args>`, which must succeed.
pub fn report(args: &[&str]) -> Output {
    let mut all = vec!["report", "--input", demo_report_path()];
    all.extend_from_slice(args);
    let out = truecov(&all);
    assert!(
        out.status.success(),
        "report {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The index of the demo's test `name` in the report's `tests`.
pub fn test_index(name: &str) -> usize {
    demo_report()["tests"]
        .as_array()
        .unwrap()
        .iter()
        .position(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("no test {name} in the demo's report"))
}
