//! Doctests are tests of target `doc` (docs/tests.md#doctests): the scan finds every example
//! `cargo test --doc -- --list` lists in `tests/fixtures/doctests`, under the same name and no
//! other, and judges each as its hand-written label (`labels.json`) says.

mod common;

use common::{fixture, json_of, lcov_lines, repo, truecov_in};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

/// The names rustdoc lists for the doctests of the workspace in `dir`.
fn listed(dir: &Path, locked: bool) -> BTreeSet<String> {
    let locked = if locked { "--locked" } else { "--offline" };
    let out = Command::new(env!("CARGO"))
        .args(["test", "--doc", locked, "--", "--list"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", repo().join("target/fixture-builds"))
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .map(str::to_string)
        .collect()
}

/// The doctests of the workspace in `dir` as the scan reports them, by name.
fn scanned(dir: &Path) -> BTreeMap<String, serde_json::Value> {
    let report = json_of(&truecov_in(dir, &["scan", "--format", "json"]));
    report["tests"]
        .as_array()
        .expect("tests")
        .iter()
        .filter(|t| t["target"] == "doc")
        .map(|t| (t["name"].as_str().expect("name").to_string(), t.clone()))
        .collect()
}

#[test]
fn doctest_names_are_the_ones_rustdoc_lists_and_verdicts_match_the_labels() {
    let scan = scanned(&fixture("doctests"));
    let names: BTreeSet<String> = scan.keys().cloned().collect();
    assert_eq!(
        names,
        listed(&fixture("doctests"), true),
        "scan vs cargo test --doc -- --list"
    );

    let text = std::fs::read_to_string(fixture("doctests").join("labels.json")).expect("labels");
    let labels: Vec<serde_json::Value> = serde_json::from_str(&text).expect("labels are JSON");
    let labelled: BTreeSet<String> = labels
        .iter()
        .map(|l| l["name"].as_str().expect("name").to_string())
        .collect();
    assert_eq!(labelled, names, "every doctest has one label");
    for label in &labels {
        let test = &scan[label["name"].as_str().expect("name")];
        let rules: BTreeSet<&str> = test["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter_map(|f| f["rule"].as_str())
            .collect();
        let want: BTreeSet<&str> = label["rules"]
            .as_array()
            .expect("rules")
            .iter()
            .filter_map(|r| r.as_str())
            .collect();
        assert_eq!(
            (&test["verdict"], &test["ignored"], rules),
            (&label["verdict"], &label["ignored"], want),
            "{}",
            label["name"]
        );
    }
}

#[test]
fn examples_that_run_no_code_or_are_ignored_say_so() {
    let scan = scanned(&fixture("doctests"));
    let message = |name: &str| {
        scan[name]["findings"][0]["message"]
            .as_str()
            .expect("a finding")
            .to_string()
    };
    assert_eq!(
        message("src/lib.rs - parse (line 41)"),
        "compile_fail example: runs no code"
    );
    assert_eq!(
        message("src/lib.rs - parse (line 45)"),
        "no_run example: runs no code"
    );
    assert_eq!(
        message("src/lib.rs - parse (line 50)"),
        "`ignore` example: rustdoc does not run it"
    );
}

/// A workspace with one member, `crates/unit`, with one doctest; `extra` ends the workspace
/// manifest (a `[workspace.metadata.truecov]` table).
fn workspace_with_a_doctest(extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |rel: &str, text: &str| write_file(dir.path(), rel, text);
    write(
        "Cargo.toml",
        &format!("[workspace]\nmembers = [\"crates/unit\"]\nresolver = \"2\"\n{extra}"),
    );
    write(
        "crates/unit/Cargo.toml",
        "[package]\nname = \"unit\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    write(
        "crates/unit/src/lib.rs",
        "/// ```\n/// assert_eq!(unit::one(), 1);\n/// ```\npub fn one() -> u32 {\n    1\n}\n",
    );
    dir
}

#[test]
fn a_member_s_doctests_are_named_from_the_workspace_root() {
    let dir = workspace_with_a_doctest("");
    let names: BTreeSet<String> = scanned(dir.path()).into_keys().collect();
    assert_eq!(names, listed(dir.path(), false));
    assert_eq!(
        names.into_iter().collect::<Vec<_>>(),
        ["crates/unit/src/lib.rs - one (line 1)"]
    );
}

/// A workspace whose member `crates/e24`, of edition 2024, takes a README as docs in each of
/// the places that change how rustdoc 2024 numbers a doctest: first (then named after the
/// README, or counted from the last fragment when the item's own comments follow), after
/// comments (counted from the first), alone on an item, twice.
fn edition_2024_readme_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |rel: &str, text: &str| write_file(dir.path(), rel, text);
    write(
        "Cargo.toml",
        "[workspace]\nmembers = [\"crates/e24\"]\nresolver = \"2\"\n",
    );
    write(
        "crates/e24/Cargo.toml",
        "[package]\nname = \"e24\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
    );
    write(
        "crates/e24/README.md",
        "# e24\n\n```\nassert_eq!(e24::one(), 1);\n```\n\ntext\n\n```\nassert!(e24::one() > 0);\n```\n",
    );
    let lib = [
        "#![doc = include_str!(\"../README.md\")]", // 1
        "//! More:",                                // 2
        "//!",                                      // 3
        "//! ```",                                  // 4
        "//! assert_eq!(e24::one(), 1);",           // 5
        "//! ```",                                  // 6
        "",                                         // 7
        "pub mod alone;",                           // 8
        "",                                         // 9
        "/// First:",                               // 10
        "#[doc = include_str!(\"../README.md\")]",  // 11
        "pub fn one() -> u32 {",                    // 12
        "    1",                                    // 13
        "}",                                        // 14
        "",                                         // 15
        "#[doc = include_str!(\"../README.md\")]",  // 16
        "#[doc = include_str!(\"../README.md\")]",  // 17
        "pub struct Twice;",                        // 18
    ];
    write("crates/e24/src/lib.rs", &(lib.join("\n") + "\n"));
    write(
        "crates/e24/src/alone.rs",
        "//! ```\n//! assert_eq!(e24::one(), 1);\n//! ```\n\n#[doc = include_str!(\"../README.md\")]\npub fn two() {}\n",
    );
    dir
}

#[test]
fn edition_2024_names_doctests_of_an_included_readme_as_rustdoc_does() {
    let dir = edition_2024_readme_workspace();
    let names: BTreeSet<String> = scanned(dir.path()).into_keys().collect();
    assert_eq!(
        names,
        listed(dir.path(), false),
        "scan vs cargo test --doc -- --list"
    );
    // Written from the rule (rustdoc 1.95), not from the scan: the crate root's docs start
    // with the README and end with its own comment on line 6, so they count from line 6;
    // `two`'s docs are the README alone, named after it.
    for name in [
        "crates/e24/src/lib.rs - (line 8)",
        "crates/e24/src/lib.rs - (line 14)",
        "crates/e24/src/lib.rs - (line 19)",
        "crates/e24/src/lib.rs - one (line 13)",
        "crates/e24/src/../README.md - Twice (line 3)",
        "crates/e24/src/../README.md - Twice (line 14)",
        "crates/e24/src/../README.md - alone::two (line 9)",
    ] {
        assert!(names.contains(name), "{name} in {names:#?}");
    }
}

/// The doctests of `report` (coverage JSON) by name: outcome and executed lines.
fn doc_runs(report: &serde_json::Value) -> BTreeMap<String, (String, serde_json::Value)> {
    report["tests"]
        .as_array()
        .expect("tests")
        .iter()
        .filter(|t| t["target"] == "doc")
        .map(|t| {
            (
                t["name"].as_str().expect("name").to_string(),
                (
                    t["outcome"].as_str().expect("outcome").to_string(),
                    t["lines"].clone(),
                ),
            )
        })
        .collect()
}

#[test]
fn the_doctests_key_turns_them_off_or_runs_them_and_the_flag_overrides_it() {
    let off = workspace_with_a_doctest("[workspace.metadata.truecov]\ndoctests = \"ignore\"\n");
    assert!(scanned(off.path()).is_empty());

    let run = workspace_with_a_doctest("[workspace.metadata.truecov]\ndoctests = \"run\"\n");
    let report = json_of(&truecov_in(
        run.path(),
        &["coverage", "-q", "--format", "json"],
    ));
    let want = (
        "passed".to_string(),
        serde_json::json!({"crates/unit/src/lib.rs": [4, 5, 6]}),
    );
    assert_eq!(
        doc_runs(&report).into_iter().collect::<Vec<_>>(),
        [("crates/unit/src/lib.rs - one (line 1)".to_string(), want)]
    );
    let scan_only = json_of(&truecov_in(
        run.path(),
        &["coverage", "-q", "--format", "json", "--doctests", "scan"],
    ));
    assert!(doc_runs(&scan_only).is_empty());
}

/// `cargo truecov coverage --doctests run` on the crate in `dir`, as JSON, built in the shared
/// fixture target directory.
fn doctest_coverage(dir: &Path) -> serde_json::Value {
    doctest_coverage_in(dir, &repo().join("target/fixture-builds"))
}

/// `cargo truecov coverage --doctests run` on the crate in `dir`, built in `target`, as JSON.
fn doctest_coverage_in(dir: &Path, target: &Path) -> serde_json::Value {
    json_of(&truecov_in(
        dir,
        &[
            "coverage",
            "-q",
            "--format",
            "json",
            "--doctests",
            "run",
            "--target-dir",
            target.to_str().expect("utf-8"),
        ],
    ))
}

#[test]
fn each_doctest_runs_alone_and_covers_what_its_label_says() {
    let report = doctest_coverage(&fixture("doctests"));
    let runs = doc_runs(&report);
    let text = std::fs::read_to_string(fixture("doctests").join("labels.json")).expect("labels");
    let labels: Vec<serde_json::Value> = serde_json::from_str(&text).expect("labels are JSON");
    assert_eq!(runs.len(), labels.len(), "{runs:#?}");
    for label in &labels {
        let name = label["name"].as_str().expect("name");
        let (outcome, lines) = &runs[name];
        assert_eq!(
            (outcome.as_str(), lines),
            (label["outcome"].as_str().expect("outcome"), &label["lines"]),
            "{name}"
        );
    }
    assert_eq!(report["warnings"], serde_json::Value::Null, "{report:#}");
}

#[test]
fn two_runs_in_one_target_directory_at_once_each_run_every_doctest_once() {
    let dir = workspace_with_a_doctest("");
    let target = dir.path().join("target");
    let run = || doctest_coverage_in(dir.path(), &target);
    // The first build of the library comes first; then two runs whose doctest builds overlap.
    let first = run();
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(run);
        let b = s.spawn(run);
        (a.join().expect("run a"), b.join().expect("run b"))
    });
    let want = [(
        "crates/unit/src/lib.rs - one (line 1)".to_string(),
        (
            "passed".to_string(),
            serde_json::json!({"crates/unit/src/lib.rs": [4, 5, 6]}),
        ),
    )];
    for report in [&first, &a, &b] {
        let tests: Vec<&serde_json::Value> = report["tests"]
            .as_array()
            .expect("tests")
            .iter()
            .filter(|t| t["target"] == "doc")
            .collect();
        assert_eq!(tests.len(), 1, "one doctest, run once: {report:#}");
        assert_eq!(doc_runs(report).into_iter().collect::<Vec<_>>(), want);
        assert_eq!(report["warnings"], serde_json::Value::Null, "{report:#}");
    }
}

#[test]
fn the_end_of_an_example_counts_on_the_library_line_after_it_as_llvm_cov_counts_it() {
    // The example names the crate, so rustdoc adds `extern crate after;` above its code,
    // which moves the end of the `fn main` it wraps the example in onto line 5, as in
    // either 1.19.0's examples above `pub fn iter(`.
    let lib = [
        "/// ```",                   // 1
        "/// use after::never;",     // 2
        "/// assert_eq!(1 + 1, 2);", // 3
        "/// ```",                   // 4
        "pub fn never() -> u32 {",   // 5
        "    0",                     // 6
        "}",                         // 7
    ];
    let dir = one_file_package("after", "2021", &lib);
    let report = json_of(&truecov_in(
        dir.path(),
        &["coverage", "-q", "--format", "json", "--doctests", "run"],
    ));
    assert_eq!(
        doc_runs(&report).into_iter().collect::<Vec<_>>(),
        [(
            "src/lib.rs - never (line 1)".to_string(),
            ("passed".to_string(), serde_json::json!({"src/lib.rs": [5]}))
        )]
    );
    // The comment lines the example's code is on are no library lines.
    let file = &report["files"]["src/lib.rs"];
    assert_eq!(file["coverable"], serde_json::json!([5, 6, 7]));
    assert_eq!(file["executed"], serde_json::json!([5]));
}

/// A package of edition 2024, whose doctests rustdoc merges into one binary (but for
/// `compile_fail` ones), with one doctest of each kind.
fn edition_2024_package() -> tempfile::TempDir {
    let lib = [
        "/// ```",                                  // 1
        "/// assert_eq!(merged::twice(2), 4);",     // 2
        "/// ```",                                  // 3
        "///",                                      // 4
        "/// ```should_panic",                      // 5
        "/// merged::fail();",                      // 6
        "/// ```",                                  // 7
        "///",                                      // 8
        "/// ```no_run",                            // 9
        "/// merged::fail();",                      // 10
        "/// ```",                                  // 11
        "///",                                      // 12
        "/// ```ignore",                            // 13
        "/// merged::fail();",                      // 14
        "/// ```",                                  // 15
        "///",                                      // 16
        "/// ```compile_fail",                      // 17
        "/// let x: u8 = merged::twice(1);",        // 18
        "/// ```",                                  // 19
        "pub fn twice(x: u32) -> u32 {",            // 20
        "    x * 2",                                // 21
        "}",                                        // 22
        "",                                         // 23
        "/// Panics.",                              // 24
        "///",                                      // 25
        "/// ```",                                  // 26
        "/// fn main() {",                          // 27
        "///     assert_eq!(merged::twice(1), 2);", // 28
        "/// }",                                    // 29
        "/// ```",                                  // 30
        "pub fn fail() {",                          // 31
        "    panic!(\"fails\")",                    // 32
        "}",                                        // 33
    ];
    one_file_package("merged", "2024", &lib)
}

/// Writes `text` to `rel` under `dir`, creating its directories.
fn write_file(dir: &std::path::Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// A package of its own workspace whose library is `lib`, one line each.
fn one_file_package(name: &str, edition: &str, lib: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("src")).expect("mkdir");
    std::fs::write(
        dir.path().join("Cargo.toml"),
        format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"{edition}\"\n[workspace]\n"),
    )
    .expect("write");
    std::fs::write(dir.path().join("src/lib.rs"), lib.join("\n") + "\n").expect("write");
    dir
}

#[test]
fn merged_edition_2024_doctests_run_one_by_one() {
    let dir = edition_2024_package();
    let report = json_of(&truecov_in(
        dir.path(),
        &["coverage", "-q", "--format", "json", "--doctests", "run"],
    ));
    let runs = doc_runs(&report);
    let names: BTreeSet<String> = runs.keys().cloned().collect();
    assert_eq!(names, listed(dir.path(), false));
    let twice = serde_json::json!({"src/lib.rs": [20, 21, 22]});
    let fail = serde_json::json!({"src/lib.rs": [31, 32]});
    let none = serde_json::json!({});
    let want = [
        ("src/lib.rs - fail (line 26)", "passed", &twice),
        ("src/lib.rs - twice (line 1)", "passed", &twice),
        ("src/lib.rs - twice (line 13)", "ignored", &none),
        ("src/lib.rs - twice (line 17)", "passed", &none),
        ("src/lib.rs - twice (line 5)", "passed", &fail),
        ("src/lib.rs - twice (line 9)", "passed", &none),
    ];
    for (name, outcome, lines) in want {
        assert_eq!(
            runs.get(name),
            Some(&(outcome.to_string(), (*lines).clone())),
            "{name}: {runs:#?}"
        );
    }
    assert_eq!(runs.len(), want.len());
}

/// The sysroot's llvm-tools of the default toolchain, for a nightly without its own.
fn default_llvm_tool(name: &str) -> Option<std::path::PathBuf> {
    let out = Command::new("rustc")
        .args(["--print", "target-libdir"])
        .output()
        .ok()?;
    let libdir = std::path::PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
    let tool = libdir.parent()?.join("bin").join(name);
    tool.exists().then_some(tool)
}

#[test]
fn with_doctests_run_the_union_of_per_test_coverage_is_cargo_llvm_cov_doctests() {
    let nightly_llvm_cov = Command::new("cargo")
        .args(["+nightly", "llvm-cov", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !nightly_llvm_cov {
        eprintln!("skipped: needs a nightly toolchain and cargo-llvm-cov");
        return;
    }
    let dir = fixture("doctests");
    let lcov_file = tempfile::NamedTempFile::new().expect("temp file");
    let mut theirs = Command::new("cargo");
    theirs
        .args([
            "+nightly",
            "llvm-cov",
            "--doctests",
            "--locked",
            "--lcov",
            "--output-path",
        ])
        .arg(lcov_file.path())
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", repo().join("target/llvm-cov-doctests"));
    for (var, tool) in [("LLVM_COV", "llvm-cov"), ("LLVM_PROFDATA", "llvm-profdata")] {
        if let Some(path) = default_llvm_tool(tool) {
            theirs.env(var, path);
        }
    }
    let out = theirs.output().expect("cargo llvm-cov runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs = lcov_lines(&std::fs::read_to_string(lcov_file.path()).expect("lcov"));

    let ours = doctest_coverage(&dir);
    let root = dir.canonicalize().expect("fixture");
    for (rel, file) in ours["files"].as_object().expect("files") {
        let llvm = &theirs[&root.join(rel).display().to_string()];
        let lines = |key: &str| -> BTreeSet<u32> {
            file[key]
                .as_array()
                .expect("lines")
                .iter()
                .map(|l| l.as_u64().expect("line") as u32)
                .collect()
        };
        let coverable = lines("coverable");
        // llvm-cov also counts the examples' own code, on the doc comment lines.
        assert!(coverable.iter().all(|l| llvm.contains_key(l)), "{rel}");
        let llvm_executed: BTreeSet<u32> = llvm
            .iter()
            .filter(|(l, c)| **c > 0 && coverable.contains(l))
            .map(|(l, _)| *l)
            .collect();
        assert_eq!(lines("executed"), llvm_executed, "{rel}");
    }
}
