//! `cargo truecov prove` end to end on `tests/fixtures/prove`, whose functions carry the status
//! prove must find in a comment written by hand: statuses, an unviable mutant, which tests ran
//! for each mutant, the selection options and `--fail-on-pseudo`, and the user's tree left as
//! it was.

mod common;
mod prove_support;

use common::{json_of, repo, truecov};
use prove_support::{files, fixture, prove_args, scratch_copy};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::{Mutex, OnceLock};

/// Shared by every run of this file, so builds are cached between tests and test runs.
fn target_dir() -> PathBuf {
    repo().join("target/e2e-prove")
}

/// Runs of one workspace and target directory share a scratch copy: one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

fn prove_in(manifest: &Path, target: &Path, extra: &[&str]) -> Output {
    let _one_at_a_time = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let args = prove_args(manifest, target, extra);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    truecov(&args)
}

/// The output of a command that reads the fixture's last report (`explain NAME`, `report`).
fn reread(command: &[&str]) -> String {
    let manifest = fixture().join("Cargo.toml").display().to_string();
    let target = target_dir().display().to_string();
    let mut args = command.to_vec();
    args.extend(["--manifest-path", &manifest, "--target-dir", &target]);
    let out = truecov(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn prove(extra: &[&str]) -> Output {
    full_run();
    prove_in(&fixture().join("Cargo.toml"), &target_dir(), extra)
}

/// The full run, with the fixture's files before and after it, and the scratch copy's
/// `src/lib.rs` right after it.
struct FullRun {
    before: BTreeMap<PathBuf, Vec<u8>>,
    after: BTreeMap<PathBuf, Vec<u8>>,
    copy_lib: String,
    report: Value,
    /// What the run said on stderr.
    stderr: String,
    /// `explain describe` right after the run.
    explain: String,
    /// `report` (a table of the stored report) right after the run.
    table: String,
    /// `report --format markdown` (the pull-request comment of the run) right after it.
    comment: String,
    /// The HTML report's index right after the run.
    html_index: String,
}

fn full_run() -> &'static FullRun {
    static RUN: OnceLock<FullRun> = OnceLock::new();
    RUN.get_or_init(|| {
        let _one_at_a_time = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        let before = files(&fixture());
        let args = prove_args(&fixture().join("Cargo.toml"), &target_dir(), &[]);
        let out = truecov(&args.iter().map(String::as_str).collect::<Vec<_>>());
        let after = files(&fixture());
        let copy_lib =
            std::fs::read_to_string(scratch_copy(&target_dir()).join("src/lib.rs")).unwrap();
        FullRun {
            before,
            after,
            copy_lib,
            report: json_of(&out),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            explain: reread(&["explain", "describe"]),
            table: reread(&["report", "--color", "never"]),
            comment: reread(&["report", "--format", "markdown"]),
            html_index: html_index(),
        }
    })
}

/// Writes the HTML report of the fixture's last report and reads its index.
fn html_index() -> String {
    let site = target_dir().join("prove-html");
    let _ = std::fs::remove_dir_all(&site);
    let dir = site.display().to_string();
    reread(&["report", "--format", "html", "--output-dir", &dir]);
    std::fs::read_to_string(site.join("index.html")).unwrap()
}

fn function<'r>(report: &'r Value, name: &str) -> &'r Value {
    report["functions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == name)
        .unwrap_or_else(|| panic!("{name} not reported"))
}

/// `package target name` of each test index in `list`.
fn test_names(report: &Value, list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let t = &report["tests"][i.as_u64().unwrap() as usize];
            format!(
                "{} {}",
                t["target"].as_str().unwrap(),
                t["name"].as_str().unwrap()
            )
        })
        .collect()
}

/// Names of the functions that got a `prove` object.
fn proven(report: &Value) -> BTreeSet<String> {
    report["functions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f.get("prove").is_some())
        .map(|f| f["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_function_gets_the_status_labelled_in_the_fixture() {
    let report = &full_run().report;
    let labels = [
        ("add", "tested"),
        ("describe", "pseudo_tested"),
        ("is_even", "partially_tested"),
        ("answer", "tested"),
        ("triple", "not_covered"),
        ("is_small", "partially_tested"),
        ("text::token", "unviable"),
        ("text::Token::text", "tested"),
        ("text::words", "tested"),
        ("text::letters", "tested"),
    ];
    for (name, status) in labels {
        assert_eq!(
            function(report, name)["prove"]["status"],
            status,
            "status of {name}"
        );
    }
    let missed: Vec<&str> = function(report, "is_even")["prove"]["mutants"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["outcome"] == "missed")
        .map(|m| m["replacement"].as_str().unwrap())
        .collect();
    assert_eq!(missed, ["true"], "only odd numbers would catch `true`");
    assert_eq!(report["prove"]["functions"]["pseudo_tested"], 1);
    let unrun: Vec<(&str, &str)> = function(report, "triple")["prove"]["mutants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["replacement"].as_str().unwrap(),
                m["outcome"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        unrun,
        [("0", "not_covered"), ("1", "not_covered")],
        "a function no test runs lists its mutants, none tried"
    );
}

#[test]
fn an_operator_mutant_no_test_checks_survives_under_its_cargo_mutants_name() {
    let prove = &function(&full_run().report, "is_small")["prove"];
    let mutants = prove["mutants"].as_array().unwrap();
    let named = |name: &str| {
        mutants
            .iter()
            .find(|m| m["name"] == name)
            .unwrap_or_else(|| panic!("no {name} in {mutants:?}"))
    };
    // `n < 10` is on line 35, `<` at column 7; the tests check 1 and 100, never 10.
    let boundary = named("src/lib.rs:35:7: replace < with <= in is_small");
    assert_eq!(boundary["outcome"], "missed", "{boundary}");
    assert_eq!(boundary["genre"], "BinaryOperator");
    assert_eq!(boundary["replacement"], "<=");
    assert_eq!(
        (&boundary["line"], &boundary["column"]),
        (&35.into(), &7.into())
    );
    for caught in ["==", ">"] {
        let m = named(&format!(
            "src/lib.rs:35:7: replace < with {caught} in is_small"
        ));
        assert_eq!(m["outcome"], "caught", "{m}");
    }
    let values = mutants.iter().filter(|m| m["genre"] == "FnValue");
    assert!(values.clone().count() == 2 && values.clone().all(|m| m["outcome"] == "caught"));
    assert_eq!((&prove["caught"], &prove["missed"]), (&4.into(), &1.into()));
}

#[test]
fn a_mutant_that_cannot_compile_is_unviable_not_missed() {
    let prove = &function(&full_run().report, "text::token")["prove"];
    assert_eq!(prove["missed"], 0);
    assert_eq!(prove["unviable"], 1);
    let mutant = &prove["mutants"][0];
    assert_eq!(mutant["replacement"], "Default::default()");
    assert_eq!(mutant["outcome"], "unviable");
    assert!(
        mutant["error"].as_str().unwrap().contains("Default"),
        "{mutant}"
    );
    assert_eq!(mutant["tests_run"], serde_json::json!([]));
}

#[test]
fn only_the_tests_that_executed_a_function_run_for_its_mutants() {
    let report = &full_run().report;
    // The tests that execute each function, read from the fixture's tests by hand.
    let covering = [
        ("describe", vec!["lib tests::total_is_reported"]),
        ("is_even", vec!["test:api even_numbers_are_even"]),
        ("answer", vec!["lib tests::the_answer"]),
        ("text::words", vec!["test:api words_are_split_at_spaces"]),
        ("text::letters", vec!["test:api letters_keep_their_order"]),
    ];
    for (name, want) in covering {
        let f = function(report, name);
        for m in f["prove"]["mutants"].as_array().unwrap() {
            assert_eq!(test_names(report, &m["tests_run"]), want, "{name} {m}");
        }
    }
    let total = report["tests"].as_array().unwrap().len();
    assert_eq!(
        total, 8,
        "the fixture has eight tests; each mutant above ran one"
    );
    for f in report["functions"].as_array().unwrap() {
        let executed: BTreeSet<u64> = f["executed_by"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i.as_u64().unwrap())
            .collect();
        for m in f["prove"]["mutants"].as_array().into_iter().flatten() {
            let ran: Vec<u64> = m["tests_run"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i.as_u64().unwrap())
                .collect();
            assert!(
                ran.iter().all(|t| executed.contains(t)),
                "{} {m}",
                f["name"]
            );
            if m["outcome"] == "caught" {
                assert_eq!(m["caught_by"].as_u64(), ran.last().copied(), "{m}");
            }
        }
    }
}

#[test]
fn the_source_tree_is_unchanged_and_the_mutants_went_to_the_copy() {
    let run = full_run();
    assert_eq!(
        run.before.keys().collect::<Vec<_>>(),
        run.after.keys().collect::<Vec<_>>()
    );
    assert!(run.before == run.after, "the fixture's files changed");
    let guard = run
        .copy_lib
        .find("if crate::__truecov_mutants::active(")
        .expect("the copy holds the mutants");
    assert!(
        run.copy_lib[guard..].contains(") { return String::new(); }"),
        "{}",
        run.copy_lib
    );
}

#[test]
fn fail_on_pseudo_gates_only_the_selected_functions() {
    let out = prove(&["--function", "describe", "--fail-on-pseudo"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 pseudo-tested function"));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(proven(&report), BTreeSet::from(["describe".to_string()]));

    // In text.rs, `token` (one mutant) comes first in file order; `Token::text` (two more)
    // does not fit in two mutants.
    let out = prove(&[
        "--file",
        "src/text.rs",
        "--max-mutants",
        "2",
        "--fail-on-pseudo",
    ]);
    let report = json_of(&out);
    assert_eq!(proven(&report), BTreeSet::from(["text::token".to_string()]));
}

/// `fee`, a function of several lines and many mutants, with a test of its own: written into
/// the git copy of the fixture, so the other tests' hand labels stay as they are.
const FEE: &str = "
/// `fees` never checks the boundary 100: `<=` → `<` would survive, but the change below
/// does not touch that line.
pub fn fee(amount: u32) -> u32 {
    if amount <= 100 {
        return 0;
    }
    amount / 50 + 1
}
";

const FEE_TEST: &str = "extern crate prove_fixture;

#[test]
fn fees() {
    assert_eq!(prove_fixture::fee(1000), 21);
    assert_eq!(prove_fixture::fee(7), 0);
}
";

#[test]
fn diff_mutates_only_the_changed_lines() {
    let dir = tempfile::tempdir().unwrap();
    for (rel, bytes) in files(&fixture()) {
        let to = dir.path().join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(to, bytes).unwrap();
    }
    let lib = dir.path().join("src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap() + FEE;
    std::fs::write(&lib, &text).unwrap();
    std::fs::write(dir.path().join("tests/fee.rs"), FEE_TEST).unwrap();
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
            .status;
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "fixture"]);
    // One line of `is_even`, and the last line of `fee`, change in the working tree.
    let changed = text
        .replace("n % 2 == 0", "n & 1 == 0")
        .replace("amount / 50 + 1", "1 + amount / 50");
    std::fs::write(&lib, &changed).unwrap();
    let fee_line = changed
        .lines()
        .position(|l| l.contains("1 + amount / 50"))
        .unwrap() as u64
        + 1;
    let out = prove_in(
        &dir.path().join("Cargo.toml"),
        &repo().join("target/e2e-prove-diff"),
        &["--diff", "HEAD"],
    );
    let report = json_of(&out);
    assert_eq!(
        proven(&report),
        BTreeSet::from(["is_even".to_string(), "fee".to_string()]),
        "only the changed functions are tried"
    );
    assert_eq!(
        function(&report, "is_even")["prove"]["status"],
        "partially_tested"
    );
    let mutants = function(&report, "fee")["prove"]["mutants"]
        .as_array()
        .unwrap();
    let on_lines: BTreeSet<(u64, &str)> = mutants
        .iter()
        .map(|m| (m["line"].as_u64().unwrap(), m["genre"].as_str().unwrap()))
        .collect();
    // By hand: `+` → `-`, `*` and `/` → `%`, `*` on the changed line; the values `0` and `1`
    // replace the whole body, which holds it (named at its first line, the `if`); the `if`'s
    // `<=` is not tried.
    assert_eq!(
        on_lines,
        BTreeSet::from([(fee_line - 3, "FnValue"), (fee_line, "BinaryOperator")]),
        "{mutants:#?}"
    );
    let operators = mutants
        .iter()
        .filter(|m| m["genre"] == "BinaryOperator")
        .count();
    assert_eq!(operators, 4, "{mutants:#?}");
    assert_eq!(
        function(&report, "fee")["prove"]["status"],
        "tested",
        "`fees` catches every mutant of the changed line"
    );
}

#[test]
fn explain_shows_each_mutant_and_the_tests_that_ran() {
    let text = &full_run().explain;
    assert!(
        text.contains("prove: pseudo_tested (0 caught, 2 missed, 0 unviable, 0 timeout)"),
        "{text}"
    );
    assert!(
        text.contains("String::new()                missed; ran tests::total_is_reported"),
        "{text}"
    );
    assert!(
        text.contains("run by meaningful tests, 0 proven"),
        "a missed function value unproves every line: {text}"
    );
}

#[test]
fn report_shows_the_stored_prove_results() {
    let table = &full_run().table;
    assert!(table.contains("pseudo-tested    ┆ 1"), "{table}");
    let pseudo = table.find("Pseudo-tested:").expect(table);
    assert!(table[pseudo..].contains("describe"), "{table}");
}

#[test]
fn pr_comment_gives_the_totals_and_the_functions_tests_let_mutants_through() {
    let comment = &full_run().comment;
    assert!(
        comment.contains(
            "**prove:** 5 tested · 2 partially tested · 1 pseudo-tested · 1 not covered; "
        ),
        "{comment}"
    );
    assert!(
        comment.contains("Functions whose tests let a mutant through (3)"),
        "{comment}"
    );
    let pseudo = comment
        .lines()
        .position(|l| l.contains("`describe` | pseudo_tested |"))
        .expect(comment);
    let partial = comment
        .lines()
        .position(|l| l.contains("`is_even` | partially_tested | `true` |"))
        .expect(comment);
    assert!(pseudo < partial, "pseudo-tested first:\n{comment}");
    assert!(
        !comment.contains("`add` |"),
        "tested functions are not listed"
    );
}

#[test]
fn html_index_shows_prove_statuses() {
    let html = &full_run().html_index;
    assert!(
        html.contains("<h2>Pseudo-tested</h2><p class=\"big\">1</p>"),
        "{html}"
    );
    let doubted = html
        .find("Functions whose tests let a mutant through")
        .expect(html);
    let table = &html[doubted..html[doubted..].find("</table>").unwrap() + doubted];
    assert!(table.contains("<span class=\"badge p-pseudo_tested\">pseudo-tested</span>"));
    assert!(table.contains("<code>true</code>"), "{table}");
    assert!(!table.contains(">add</a>"), "{table}");
    assert!(
        html.contains("<span class=\"badge p-not_covered\">not-covered</span>"),
        "every proved function has a badge in the functions table"
    );
}

#[test]
fn an_impl_trait_functions_mutants_share_one_build_unless_dyn_cannot_hold_them() {
    let run = full_run();
    let builds: Vec<&str> = run
        .stderr
        .lines()
        .filter_map(|l| l.trim().strip_prefix("Building "))
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    // The schema (twice: `token`'s mutant does not compile) with the operator mutants of
    // `add`, `is_even` and `is_small` (ten) besides the values, `answer`'s two mutants (a `const
    // fn`), `words`' three in one build, `letters`' two together (which fails: `dyn Iterator +
    // Clone`), then one by one.
    assert_eq!(
        builds,
        ["20", "19", "1", "1", "3", "2", "1", "1"],
        "{}",
        run.stderr
    );
    assert_eq!(run.report["prove"]["builds"], 8);
    for name in ["text::words", "text::letters"] {
        let mutants = function(&run.report, name)["prove"]["mutants"]
            .as_array()
            .unwrap();
        assert!(mutants.len() >= 2, "{name}: {mutants:?}");
        assert!(
            mutants.iter().all(|m| m["outcome"] == "caught"),
            "{name}: {mutants:?}"
        );
    }
}

/// The lines of `file` in `list` (`meaningful`, `proven`, ...) of the report.
fn file_lines(report: &Value, file: &str, list: &str) -> Vec<u64> {
    let entry = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == file)
        .unwrap_or_else(|| panic!("no file {file}"));
    entry[list]
        .as_array()
        .unwrap_or_else(|| panic!("{file} has no `{list}`"))
        .iter()
        .map(|l| l.as_u64().unwrap())
        .collect()
}

#[test]
fn proven_lines_are_those_of_functions_whose_mutants_were_all_caught() {
    let report = &full_run().report;
    // By hand, from the fixture: `add` (lines 8-10) and `answer` (23-25) are tested;
    // `describe` (13-15) and `is_even` (18-20) let a value through; `is_small` (34-36) lets
    // only `<` → `<=` through, on line 35; `triple` runs under no test.
    assert_eq!(
        file_lines(report, "src/lib.rs", "proven"),
        [8, 9, 10, 23, 24, 25, 34, 36]
    );
    let meaningful = file_lines(report, "src/lib.rs", "meaningful");
    for line in [13, 14, 18, 19] {
        assert!(meaningful.contains(&line), "line {line} is meaningful");
    }
    assert_eq!(function(report, "describe")["lines_proven"], 0);
    assert_eq!(function(report, "add")["lines_proven"], 3);
    let s = &report["summary"];
    let total: u64 = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["proven"].as_array().unwrap().len() as u64)
        .sum();
    assert_eq!(s["lines_proven"], total);
    assert!(
        s["proven_line_coverage"].as_f64().unwrap()
            < s["meaningful_line_coverage"].as_f64().unwrap()
    );
    let errors = common::report_schema_errors(&common::report_schema(), report);
    assert!(errors.is_empty(), "{errors}");
}

#[test]
fn bare_prove_flag_prints_raw_meaningful_and_proven_with_the_surviving_mutant() {
    full_run();
    let manifest = fixture().join("Cargo.toml").display().to_string();
    let target = target_dir().display().to_string();
    let args = [
        "--prove",
        "--function",
        "is_even",
        "--manifest-path",
        &manifest,
        "--target-dir",
        &target,
        "--no-record",
        "--color",
        "never",
    ];
    let out = {
        let _one_at_a_time = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        truecov(&args)
    };
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let at = |what: &str| {
        table
            .find(what)
            .unwrap_or_else(|| panic!("no {what}:\n{table}"))
    };
    assert!(at("raw line coverage") < at("meaningful coverage"));
    assert!(at("meaningful coverage") < at("proven coverage"));
    assert!(
        table.contains("src/lib.rs:19") && table.contains("body of `is_even` → `true` survived"),
        "{table}"
    );
    let refused = truecov(&["--function", "is_even", "--manifest-path", &manifest]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("add `--prove`"));
}
