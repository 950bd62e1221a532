//! The history end to end. A git repository holds the `history` fixture: a base commit on
//! `main`, then on `feature` a change that weakens `tests::adds_with_clamp` and adds an untested
//! panic branch of three lines to `scale` (`tests/fixtures/history/change/lib.rs`). Both commits
//! are run and recorded; `history`, `diff`, `report` and `trend` read them back. Then files at
//! `--db` that cannot take a run: the report is printed, the error is clear, the file intact.
//! A branch whose run failed gets no comment about another commit.

mod common;
#[path = "../db/tests/common/readonly.rs"]
mod readonly;

use common::{fixture, repo, truecov_in};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// This file's target directory for the instrumented builds, kept between test runs.
fn target_dir(name: &str) -> String {
    repo()
        .join("target")
        .join(format!("e2e-history-{name}"))
        .display()
        .to_string()
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=truecov tests",
            "-c",
            "user.email=tests@truecov.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn ok(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_str(&ok(out)).expect("JSON on stdout")
}

/// The repository with both commits run and recorded at the default history location.
struct Scenario {
    dir: tempfile::TempDir,
    base: String,
    head: String,
}

impl Scenario {
    fn truecov(&self, args: &[&str]) -> Output {
        truecov_in(self.dir.path(), args)
    }
}

fn scenario() -> &'static Scenario {
    static SCENARIO: OnceLock<Scenario> = OnceLock::new();
    SCENARIO.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let fx = fixture("history");
        std::fs::create_dir(root.join("src")).unwrap();
        for f in ["Cargo.toml", "Cargo.lock", "src/lib.rs"] {
            std::fs::copy(fx.join(f), root.join(f)).unwrap();
        }
        let target = target_dir("git");
        let run = |extra: &[&str]| {
            let mut args = vec!["--target-dir", &target, "-q"];
            args.extend(extra);
            ok(&truecov_in(root, &args))
        };
        git(root, &["init", "-q"]);
        git(root, &["add", "."]);
        git(root, &["commit", "-q", "-m", "base"]);
        run(&[]);
        git(root, &["checkout", "-q", "-b", "feature"]);
        std::fs::copy(fx.join("change/lib.rs"), root.join("src/lib.rs")).unwrap();
        git(
            root,
            &[
                "commit",
                "-q",
                "-a",
                "-m",
                "weaken a test, add an untested branch",
            ],
        );
        // The pull request's run: the mutants of its changed lines are tried too.
        run(&["--prove", "--diff", "main"]);
        Scenario {
            base: git(root, &["rev-parse", "main"]),
            head: git(root, &["rev-parse", "HEAD"]),
            dir,
        }
    })
}

#[test]
fn history_lists_both_runs_with_the_drop_between_them() {
    let s = scenario();
    let rows = json(&s.truecov(&["history", "--format", "json"]));
    let rows = rows.as_array().unwrap();
    let field = |name: &str| -> Vec<&Value> { rows.iter().map(|r| &r[name]).collect() };
    assert_eq!(field("id"), [&Value::from(2), &Value::from(1)]);
    assert_eq!(
        field("git_branch"),
        [&Value::from("feature"), &Value::from("main")]
    );
    assert_eq!(
        field("git_commit"),
        [&Value::from(&*s.head), &Value::from(&*s.base)]
    );
    assert_eq!(
        field("git_dirty"),
        [&Value::from(false), &Value::from(false)]
    );
    assert_eq!(rows[1]["summary"]["meaningful_line_coverage"], 1.0);
    assert_eq!(rows[0]["summary"]["meaningful_line_coverage"], 0.75);
    assert_eq!(rows[0]["delta"]["meaningful_line_coverage"], -0.25);
    assert!(rows[1]["delta"].is_null());
    assert!(rows[0]["toolchain"].as_str().unwrap().starts_with("rustc "));
    assert_eq!(rows[0]["config_hash"], rows[1]["config_hash"]);
    let table = ok(&s.truecov(&["history", "--color", "never"]));
    assert!(table.contains("▼ 25.0 pp"), "{table}");
    let csv = ok(&s.truecov(&["history", "--format", "csv", "--branch", "main"]));
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(csv.lines().nth(1).unwrap().starts_with("1,"), "{csv}");
    let elsewhere = tempfile::tempdir().unwrap();
    let by_env = Command::new(env!("CARGO_BIN_EXE_cargo-truecov"))
        .args(["truecov", "history", "--format", "json"])
        .current_dir(elsewhere.path())
        .env("TRUECOV_DB", s.dir.path().join(".truecov/history.db"))
        .output()
        .unwrap();
    assert_eq!(json(&by_env).as_array().map(Vec::len), Some(2));
    let ignore = std::fs::read_to_string(s.dir.path().join(".truecov/.gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "*"), "{ignore}");
}

#[test]
fn the_comment_names_the_weakened_test_the_drop_and_the_changed_function() {
    let s = scenario();
    let md = ok(&s.truecov(&["diff", "--base", "main", "--format", "markdown"]));
    for expected in [
        "<!-- truecov-comment -->\n### truecov: meaningful coverage 75.0 % (▼ 25.0 pp)",
        "| meaningful coverage | 100.0 % | 75.0 % | ▼ 25.0 pp |",
        "**This change** (`main...HEAD`): 3 library lines added or changed · 2 executed · 2 meaningfully (67 %)",
        "- `src/lib.rs:14` `scale` — error_paths_untested · 3 changed lines: 2 executed, 2 meaningfully",
        "| `src/lib.rs:46` `tests::adds_with_clamp` | meaningful | assertion_free | result dropped",
        "| `src/lib.rs:14` `scale` | no_error_paths | error_paths_untested |",
        // By hand: `scales` checks `scale(200, 15)` only, so nothing tells `percent > 100`
        // from `percent >= 100` or `percent == 100`; `<` panics and is caught.
        "**Mutants that survived on changed lines (2)**",
        "- `src/lib.rs:15` `>` → `==` survived: no test checks the comparison (ran: `tests::scales`)",
        "- `src/lib.rs:15` `>` → `>=` survived: no test checks the boundary (ran: `tests::scales`)",
    ] {
        assert!(md.contains(expected), "missing {expected:?} in:\n{md}");
    }
    let gate = s.truecov(&["diff", "--base", "main", "--fail-on-drop", "10"]);
    assert_eq!(gate.status.code(), Some(1));
}

/// `text` with each abbreviated commit in a code span (`` `d8586fd` ``) written `<commit>`.
fn without_commits(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        let commit = part.len() == 7 && part.bytes().all(|b| b.is_ascii_hexdigit());
        out.push_str(if commit { "<commit>" } else { part });
    }
    out
}

#[test]
fn the_readme_comment_is_the_comment_this_change_gets() {
    let s = scenario();
    let md = ok(&s.truecov(&["diff", "--base", "main", "--format", "markdown"]));
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let block = readme
        .split("```markdown\n")
        .nth(1)
        .and_then(|b| b.split("```\n").next())
        .expect("README.md has the comment in a markdown block");
    let block = block.replace(
        "cargo-truecov 0.1.0",
        &format!("cargo-truecov {}", env!("CARGO_PKG_VERSION")),
    );
    assert_eq!(without_commits(&block), without_commits(&md));
}

#[test]
fn a_base_run_id_finds_the_same_change_through_its_commit() {
    let s = scenario();
    let by_id = json(&s.truecov(&["diff", "--base", "1", "--head", "2", "--format", "json"]));
    let patch = &by_id["patch"];
    assert_eq!(patch["range"], format!("{}...HEAD", &s.base[..12]));
    assert_eq!(
        [&patch["lines"], &patch["executed"], &patch["meaningful"]],
        [3, 2, 2].map(Value::from).each_ref()
    );
    let names: Vec<&Value> = patch["functions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| &f["name"])
        .collect();
    assert_eq!(names, [&Value::from("scale")]);
    assert_eq!(by_id["weakened_tests"][0]["name"], "tests::adds_with_clamp");
}

#[test]
fn a_dirty_run_against_an_exported_baseline_counts_its_uncommitted_lines_too() {
    let s = scenario();
    let clone = tempfile::tempdir().unwrap();
    let work = clone.path().join("work");
    git(
        clone.path(),
        &["clone", "-q", s.dir.path().to_str().unwrap(), "work"],
    );
    let baseline = clone.path().join("main.json");
    let export = [
        "diff",
        "--head",
        "1",
        "--export-baseline",
        baseline.to_str().unwrap(),
    ];
    ok(&s.truecov(&export));
    let mut lib = std::fs::read_to_string(work.join("src/lib.rs")).unwrap();
    lib.push_str("\n/// Not tested.\npub fn untested(x: u8) -> u8 {\n    x / 2\n}\n");
    std::fs::write(work.join("src/lib.rs"), lib).unwrap();
    ok(&truecov_in(
        &work,
        &["--target-dir", &target_dir("dirty"), "-q"],
    ));

    let diff = json(&truecov_in(
        &work,
        &[
            "diff",
            "--base",
            baseline.to_str().unwrap(),
            "--format",
            "json",
        ],
    ));
    assert_eq!(diff["head"]["run"]["git_dirty"], true);
    assert_eq!(diff["base"]["run"]["git_commit"], Value::from(&*s.base));
    let patch = &diff["patch"];
    assert_eq!(
        patch["range"],
        format!("{}...HEAD with uncommitted changes", &s.base[..12])
    );
    assert_eq!(
        [&patch["lines"], &patch["executed"], &patch["meaningful"]],
        [6, 2, 2].map(Value::from).each_ref()
    );
    let functions: Vec<(&Value, &Value, &Value)> = patch["functions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (&f["name"], &f["class"], &f["new"]))
        .collect();
    assert_eq!(
        functions,
        [
            (
                &Value::from("scale"),
                &Value::from("error_paths_untested"),
                &Value::from(false)
            ),
            (
                &Value::from("untested"),
                &Value::from("uncovered"),
                &Value::from(true)
            ),
        ]
    );
}

/// A branch whose `cargo truecov` failed has no run of its HEAD: `diff` says so and exits 2
/// instead of commenting on the newest run, which is of another commit.
#[test]
fn diff_refuses_to_speak_for_a_head_that_has_no_run() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let fx = fixture("history");
    std::fs::create_dir(root.join("src")).unwrap();
    for f in ["Cargo.toml", "Cargo.lock", "src/lib.rs"] {
        std::fs::copy(fx.join(f), root.join(f)).unwrap();
    }
    let run = || truecov_in(root, &["--target-dir", &target_dir("stale"), "-q"]);
    git(root, &["init", "-q"]);
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "base"]);
    ok(&run());
    let base = git(root, &["rev-parse", "HEAD"]);
    git(root, &["checkout", "-q", "-b", "broken"]);
    std::fs::write(
        root.join("src/lib.rs"),
        "pub fn broken() -> u8 { \"not a u8\" }\n",
    )
    .unwrap();
    git(root, &["commit", "-q", "-a", "-m", "does not build"]);
    assert_eq!(
        run().status.code(),
        Some(2),
        "the build fails, no run is recorded"
    );
    let head = git(root, &["rev-parse", "HEAD"]);

    let out = truecov_in(root, &["diff", "--base", "main", "--format", "markdown"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "",
        "no comment at all"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    let said = format!(
        "the newest run (run 1, at {}) is not a run of HEAD ({})",
        &base[..12],
        &head[..12]
    );
    assert!(err.contains(&said), "{err}");
    // Asked for by id, the same run is compared, as asked.
    ok(&truecov_in(root, &["diff", "--head", "1"]));
}

#[test]
fn report_re_renders_stored_runs() {
    let s = scenario();
    let base = json(&s.truecov(&["report", "--run", "1", "--format", "json"]));
    assert_eq!(base["summary"]["tests"]["meaningful"], 4);
    let verdicts: Vec<&Value> = base["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| &t["verdict"])
        .collect();
    assert!(verdicts.iter().all(|v| *v == "meaningful"), "{verdicts:?}");
    let md = ok(&s.truecov(&["report", "--run", "latest", "--format", "markdown"]));
    let expected = format!("**Run:** run 2 · `{}` on feature", &s.head[..7]);
    assert!(md.contains(&expected), "{md}");
    let table = ok(&s.truecov(&["report", "--run", "2", "--color", "never"]));
    assert!(table.contains("75.0 %"), "{table}");
    let missing = s.truecov(&["report", "--run", "9"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("there is no run 9"));
}

#[test]
fn trend_follows_a_function_a_file_and_the_workspace() {
    let s = scenario();
    let values = |args: &[&str]| -> Vec<Value> {
        let mut all = vec!["trend", "--format", "json"];
        all.extend(args);
        let trend = json(&s.truecov(&all));
        trend["points"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["value"].clone())
            .collect()
    };
    assert_eq!(
        values(&["--function", "clamp_add"]),
        [1.0, 0.0].map(Value::from)
    );
    assert_eq!(
        values(&["--file", "src/lib.rs", "--metric", "raw"]),
        [1.0, 0.9375].map(Value::from)
    );
    assert_eq!(
        values(&["--since", "1d", "--branch", "feature"]),
        [Value::from(0.75)]
    );
    assert!(values(&["--since", "2999-01-01"]).is_empty());
    let table = ok(&s.truecov(&["trend", "--color", "never"]));
    assert!(
        table.contains(" █▁  100.0 % → 75.0 % (▼ 25.0 pp) over 2 runs"),
        "{table}"
    );
    let unknown = s.truecov(&["trend", "--function", "nope"]);
    assert!(String::from_utf8_lossy(&unknown.stderr)
        .contains("no recorded run has a function named `nope`"));
    let bad = s.truecov(&["trend", "--since", "yesterday"]);
    assert_eq!(bad.status.code(), Some(2));
}

/// A value of a query result as text (`NULL` for null).
fn text(v: rusqlite::types::ValueRef<'_>) -> String {
    use rusqlite::types::ValueRef;
    match v {
        ValueRef::Null => "NULL".into(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(f) => f.to_string(),
        ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t).into_owned(),
    }
}

#[test]
fn the_readme_queries_find_the_drop_and_the_weakened_test() {
    let s = scenario();
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let queries: Vec<&str> = readme
        .split("```sql\n")
        .skip(1)
        .filter_map(|block| block.split("```").next())
        .collect();
    assert_eq!(queries.len(), 3, "the README's example queries");
    let conn = rusqlite::Connection::open(s.dir.path().join(".truecov/history.db")).unwrap();
    let rows = |sql: &str| -> Vec<Vec<String>> {
        let mut stmt = conn.prepare(sql).unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| (0..n).map(|i| Ok(text(r.get_ref(i)?))).collect())
            .unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    };
    assert_eq!(rows(queries[0]), [["src/lib.rs", "100", "75"]]);
    let weaker = rows(queries[1]);
    assert_eq!(weaker.len(), 1, "{weaker:?}");
    assert_eq!(
        weaker[0][2..5],
        ["tests::adds_with_clamp", "meaningful", "assertion_free"]
    );
    let main = rows(queries[2]);
    assert_eq!(main.len(), 1, "{main:?}");
    assert_eq!(main[0][1], "100");
}

/// A run of the fixture recorded into `db`.
fn run_into(db: &Path, extra: &[&str]) -> Output {
    let manifest = fixture("history").join("Cargo.toml");
    let target = target_dir("bad");
    let mut args = vec![
        "--manifest-path",
        manifest.to_str().unwrap(),
        "--target-dir",
        &target,
        "--color",
        "never",
        "--db",
        db.to_str().unwrap(),
    ];
    args.extend(extra);
    truecov_in(&repo(), &args)
}

fn runs_in(db: &Path) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row("SELECT count(*) FROM runs", [], |r| r.get(0))
        .unwrap()
}

/// Runs into a bad `db`: the report is printed, the run fails with `message`, `db` is intact.
fn refused(db: &Path, message: &str) {
    let before = std::fs::read(db).unwrap();
    let out = run_into(db, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stdout.contains("meaningful coverage") && stdout.contains("100.0 %"),
        "{stdout}"
    );
    assert!(
        stderr.contains("this run was not recorded in the history"),
        "{stderr}"
    );
    assert!(stderr.contains(message), "{message:?} not in {stderr}");
    assert_eq!(
        std::fs::read(db).unwrap(),
        before,
        "{} was modified",
        db.display()
    );
}

#[test]
fn history_files_that_cannot_take_a_run_are_reported_and_left_intact() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.db");
    let first = run_into(&good, &[]);
    assert!(String::from_utf8_lossy(&first.stderr).contains("Recorded run 1 in"));
    assert_eq!(runs_in(&good), 1);
    let copy = |name: &str| -> PathBuf {
        let p = dir.path().join(name);
        std::fs::copy(&good, &p).unwrap();
        p
    };

    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a database\n".repeat(100)).unwrap();
    refused(&text, "not a SQLite database");
    let skipped = run_into(&text, &["--no-record"]);
    assert_eq!(skipped.status.code(), Some(0));

    let corrupt = copy("corrupt.db");
    let mut bytes = std::fs::read(&corrupt).unwrap();
    bytes[100..1024].fill(0xA5);
    std::fs::write(&corrupt, &bytes).unwrap();
    refused(&corrupt, "corrupt");

    let newer = copy("newer.db");
    let conn = rusqlite::Connection::open(&newer).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    refused(&newer, "written by a newer cargo-truecov");

    let locked = copy("locked.db");
    let holder = rusqlite::Connection::open(&locked).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    refused(&locked, "locked by another process");
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);
    assert_eq!(runs_in(&locked), 1);

    let read_only = copy("read-only.db");
    match readonly::read_only(&read_only) {
        Ok(_guard) => refused(&read_only, "read-only"),
        Err(why) => eprintln!("read-only case skipped: {why}"),
    }
    assert_eq!(runs_in(&read_only), 1);
}
