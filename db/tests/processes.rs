//! Other processes at the same history: a writer killed mid-transaction leaves it as it was,
//! two writers at once both land. The other processes are this test binary run again in a
//! child role (`TRUECOV_DB_TEST_ROLE`), each doing what a `cargo truecov` run does.

mod common;

use common::{day, on, report};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;
use truecov_db::{Db, RunFilter};

const ROLE: &str = "TRUECOV_DB_TEST_ROLE";
const PATH: &str = "TRUECOV_DB_TEST_PATH";

/// The role and database of this process when it is a child.
fn role() -> Option<(String, PathBuf)> {
    Some((std::env::var(ROLE).ok()?, std::env::var_os(PATH)?.into()))
}

/// This test binary again, running only `test`, as `role` on `db`.
fn child(test: &str, role: &str, db: &Path) -> Command {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(ROLE, role)
        .env(PATH, db)
        .stdout(Stdio::piped());
    cmd
}

fn commits(db: &Db) -> Vec<String> {
    let runs = db.runs(&RunFilter::default()).unwrap();
    runs.into_iter()
        .filter_map(|r| r.provenance.git_commit)
        .collect()
}

#[test]
fn a_writer_killed_mid_transaction_leaves_the_runs_before_it() {
    if let Some((role, path)) = role() {
        let mut db = Db::open(&path).unwrap();
        let staged = db.stage(&report(9), &on(&role, "killed"), day(9)).unwrap();
        println!("staged run {}", staged.id());
        std::thread::sleep(Duration::from_secs(120));
        panic!("this writer should have been killed");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.db");
    let mut db = Db::open(&path).unwrap();
    db.record(&report(4), &on("main", "first"), day(0)).unwrap();
    db.record(&report(5), &on("main", "second"), day(1))
        .unwrap();
    drop(db);

    let mut writer = child(
        "a_writer_killed_mid_transaction_leaves_the_runs_before_it",
        "main",
        &path,
    )
    .spawn()
    .unwrap();
    let stdout = BufReader::new(writer.stdout.take().unwrap());
    let staged = stdout
        .lines()
        .map_while(Result::ok)
        .find(|l| l.contains("staged run"));
    assert!(
        staged
            .as_deref()
            .is_some_and(|l| l.ends_with("staged run 3")),
        "{staged:?}"
    );
    writer.kill().unwrap();
    assert!(!writer.wait().unwrap().success());

    let conn = rusqlite::Connection::open(&path).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    drop(conn);
    let mut db = Db::open(&path).unwrap();
    assert_eq!(commits(&db), ["second", "first"]);
    assert_eq!(
        db.record(&report(6), &on("main", "after"), day(2)).unwrap(),
        3
    );
    assert_eq!(db.report(3).unwrap(), report(6));
}

#[test]
fn two_writers_at_once_both_land() {
    const RUNS: usize = 20;
    if let Some((role, path)) = role() {
        for i in 0..RUNS {
            let mut db = Db::open(&path).unwrap();
            let commit = format!("{role}-{i}");
            db.record(&report(i as u64 % 9), &on(&role, &commit), day(i as i64))
                .unwrap();
        }
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fresh.db");
    let writers: Vec<_> = ["left", "right"]
        .iter()
        .map(|role| {
            child("two_writers_at_once_both_land", role, &path)
                .stdout(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut w in writers {
        assert!(w.wait().unwrap().success());
    }
    let db = Db::open_existing(&path).unwrap();
    let mut landed = commits(&db);
    assert_eq!(landed.len(), 2 * RUNS);
    landed.sort();
    landed.dedup();
    assert_eq!(landed.len(), 2 * RUNS);
    for branch in ["left", "right"] {
        let runs = db
            .runs(&RunFilter {
                branch: Some(branch.into()),
                limit: None,
            })
            .unwrap();
        let mut expected: Vec<String> = (0..RUNS).map(|i| format!("{branch}-{i}")).collect();
        expected.reverse();
        let got: Vec<String> = runs
            .into_iter()
            .filter_map(|r| r.provenance.git_commit)
            .collect();
        assert_eq!(got, expected);
    }
}
