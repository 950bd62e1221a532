//! A partitioned `prove` end to end on `tests/fixtures/prove`: three parts of its mutants
//! (`prove --partition`, `cargo truecov --prove --partition`) merged give the `prove` of the
//! whole run, mutant for mutant (outcomes, statuses, proven coverage), for slice and hash
//! partitions; `merge` refuses a missing part, a part of a run among parts of `prove`, a part of
//! another plan and mutants in two parts or in none, with exit code 2 and the file named.

mod common;
mod prove_support;

use common::{json_of, repo, three_parts, truecov};
use prove_support::{fixture, prove_args};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::{Mutex, OnceLock};

/// The target directory of `tests/prove.rs` (test binaries run one after the other): the
/// fixture's builds are shared.
fn target_dir() -> PathBuf {
    repo().join("target/e2e-prove")
}

/// Runs of one workspace and target directory share a scratch copy: one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

fn run(args: &[String]) -> Output {
    let _one_at_a_time = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    truecov(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

fn prove(extra: &[&str]) -> Output {
    run(&prove_args(
        &fixture().join("Cargo.toml"),
        &target_dir(),
        extra,
    ))
}

fn succeeded(out: Output) -> Output {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// What `prove` found, with what may change from one run to another (durations, and so which
/// passing test ran first) left out: each function's status, counts and its mutants' names
/// and outcomes; the totals; proven coverage of the workspace and of each file.
fn proof(report: &Value) -> Value {
    let functions: Vec<Value> = report["functions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| {
            let p = f.get("prove")?;
            let mutants: Vec<Value> = p["mutants"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| json!([m["name"], m["outcome"]]))
                .collect();
            Some(json!({
                "function": f["name"], "status": p["status"], "skipped": p.get("skipped"),
                "counts": [p["caught"], p["missed"], p["unviable"], p["timeout"]],
                "mutants": mutants,
            }))
        })
        .collect();
    let files: Vec<Value> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| json!([f["path"], f["proven"]]))
        .collect();
    json!({
        "functions": functions,
        "totals": [report["prove"]["functions"], report["prove"]["mutants"]],
        "proven": [report["summary"]["proven_line_coverage"], report["summary"]["lines_proven"]],
        "files": files,
    })
}

fn whole() -> &'static Value {
    static R: OnceLock<Value> = OnceLock::new();
    R.get_or_init(|| proof(&json_of(&succeeded(prove(&[])))))
}

/// The three parts of `spec` (`slice` through `prove`, `hash` through `cargo truecov --prove`),
/// written once into a directory kept for the whole test run.
fn parts(kind: &str) -> Vec<PathBuf> {
    three_parts(kind, |partition, path| {
        let output = path.display().to_string();
        let extra = ["--partition", partition, "--output", &output];
        let mut args = prove_args(&fixture().join("Cargo.toml"), &target_dir(), &extra);
        if kind == "hash" {
            args[0] = "--prove".into();
        }
        succeeded(run(&args));
    })
}

fn merge(files: &[&Path], extra: &[&str]) -> Output {
    let manifest = fixture().join("Cargo.toml").display().to_string();
    let target = target_dir().display().to_string();
    let mut args: Vec<String> = [
        "merge",
        "--manifest-path",
        &manifest,
        "--target-dir",
        &target,
    ]
    .map(String::from)
    .to_vec();
    args.extend(files.iter().map(|f| f.display().to_string()));
    args.extend(["-q", "--no-record"].map(String::from));
    args.extend(extra.iter().map(|s| s.to_string()));
    run(&args)
}

fn shard_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The numbers of the mutants a part tried.
fn tried(part: &Value) -> Vec<u64> {
    part["prove"]["functions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["mutants"].as_array().unwrap())
        .map(|m| m["index"].as_u64().unwrap())
        .collect()
}

#[test]
fn three_slices_of_the_mutants_merged_equal_the_whole_prove() {
    let files = parts("slice");
    let planned = shard_json(&files[0])["prove"]["planned"].as_u64().unwrap();
    let mut all: Vec<u64> = Vec::new();
    for (k, file) in files.iter().enumerate() {
        let part = shard_json(file);
        let mine = tried(&part);
        // slice:K/3 keeps the mutants numbered K-1 modulo 3.
        assert!(!mine.is_empty(), "part {}", k + 1);
        assert!(mine.iter().all(|i| i % 3 == k as u64), "{mine:?}");
        // Every part measures the whole run.
        assert_eq!(
            part["coverage"]["tests"].as_array().unwrap().len(),
            part["tests"].as_array().unwrap().len()
        );
        all.extend(mine);
    }
    all.sort();
    assert_eq!(all, (0..planned).collect::<Vec<_>>());
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let merged = json_of(&succeeded(merge(
        &[refs[1], refs[2], refs[0]],
        &["--format", "json"],
    )));
    assert_eq!(&proof(&merged), whole());
    assert!(
        whole()["totals"][1]["caught"].as_u64().unwrap() > 0
            && whole()["totals"][1]["missed"].as_u64().unwrap() > 0,
        "the fixture has caught and missed mutants: {}",
        whole()
    );
}

#[test]
fn three_hash_parts_of_the_full_run_with_prove_merged_equal_the_whole_prove() {
    let files = parts("hash");
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let merged = json_of(&succeeded(merge(&refs, &["--format", "json"])));
    assert_eq!(&proof(&merged), whole());
    let table = succeeded(merge(&refs, &["--color", "never"]));
    let table = String::from_utf8_lossy(&table.stdout);
    assert!(table.contains("catch no mutant"), "prove's table: {table}");
}

#[test]
fn the_merged_prove_is_gated_by_fail_on_pseudo() {
    let files = parts("slice");
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let out = merge(&refs, &["--fail-on-pseudo", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 pseudo-tested function"));
}

/// Exit code 2 and stderr, which must name every one of `names`.
fn refused(out: &Output, names: &[&str]) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    for name in names {
        assert!(stderr.contains(name), "`{name}` not in: {stderr}");
    }
}

/// `part` edited by `edit`, written beside it as `name`.
fn edited(part: &Path, name: &str, edit: impl FnOnce(&mut Value)) -> PathBuf {
    let mut json = shard_json(part);
    edit(&mut json);
    let path = part.with_file_name(name);
    std::fs::write(&path, json.to_string()).unwrap();
    path
}

#[test]
fn merge_refuses_parts_that_do_not_make_one_prove() {
    let files = parts("slice");
    // A part missing.
    refused(
        &merge(&[&files[0], &files[2]], &[]),
        &["slice:2/3", "missing"],
    );
    // A part of a run (no mutants) among parts of prove.
    let run_part = edited(&files[1], "run-part.json", |j| {
        j.as_object_mut().unwrap().remove("prove");
    });
    refused(
        &merge(&[&files[0], &run_part, &files[2]], &[]),
        &["run-part.json", "kind", "a part of prove"],
    );
    // A part of another plan (other options, other code).
    let other_plan = edited(&files[2], "other-plan.json", |j| {
        j["prove"]["plan"] = "0000000000000000".into();
    });
    refused(
        &merge(&[&files[0], &files[1], &other_plan], &[]),
        &["other-plan.json", "plan of mutants", "0000000000000000"],
    );
    // A mutant tried in two parts.
    let first = shard_json(&files[0]);
    let overlap = edited(&files[1], "overlap.json", |j| {
        let theirs = first["prove"]["functions"].as_array().unwrap();
        let (f, m) = theirs
            .iter()
            .find_map(|f| Some((f["function"].clone(), f["mutants"].get(0)?.clone())))
            .unwrap();
        let mine = j["prove"]["functions"].as_array_mut().unwrap();
        let same = mine.iter_mut().find(|g| g["function"] == f).unwrap();
        same["mutants"].as_array_mut().unwrap().push(m);
    });
    refused(
        &merge(&[&files[0], &overlap, &files[2]], &[]),
        &["overlap.json", "slice-1.json", "the parts overlap"],
    );
    // A mutant tried in none.
    let lost = edited(&files[2], "lost.json", |j| {
        for f in j["prove"]["functions"].as_array_mut().unwrap() {
            f["mutants"].as_array_mut().unwrap().clear();
        }
    });
    refused(
        &merge(&[&files[0], &files[1], &lost], &[]),
        &["number 3 of the plan", "tried in no part"],
    );
}
