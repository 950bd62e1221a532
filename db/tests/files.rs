//! Files at the history path that cannot take a run: each gives an error that names the
//! problem, and none is modified.

mod common;
#[path = "common/readonly.rs"]
mod readonly;

use common::{bytes, day, on, report};
use std::path::Path;
use std::time::{Duration, Instant};
use truecov_db::{Db, Error, RunFilter, SCHEMA_VERSION};

/// A history with two runs at `path`, closed.
fn history(path: &Path) {
    let mut db = Db::open(path).unwrap();
    db.record(&report(4), &on("main", "a"), day(0)).unwrap();
    db.record(&report(6), &on("main", "b"), day(1)).unwrap();
}

fn ids(db: &Db) -> Vec<i64> {
    db.runs(&RunFilter::default())
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect()
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "my notes, not a database\n".repeat(200)).unwrap();
    let before = bytes(&path);
    for result in [Db::open(&path), Db::open_existing(&path)] {
        let err = result.err().unwrap();
        assert!(matches!(err, Error::NotADatabase { .. }), "{err:?}");
        assert!(err.to_string().contains("not a SQLite database"), "{err}");
    }
    assert_eq!(bytes(&path), before);
}

#[test]
fn a_corrupt_database_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.db");
    history(&path);
    let mut data = bytes(&path);
    // The schema table's page (after the 100-byte file header) becomes garbage.
    data[100..1024].fill(0xA5);
    std::fs::write(&path, &data).unwrap();
    let err = Db::open(&path)
        .and_then(|mut db| db.record(&report(1), &on("main", "c"), day(2)))
        .unwrap_err();
    assert!(matches!(err, Error::Corrupt { .. }), "{err:?}");
    assert!(err.to_string().contains("corrupt"), "{err}");
    assert_eq!(bytes(&path), data);
}

#[test]
fn a_read_only_database_can_be_read_but_takes_no_run() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.db");
    history(&path);
    let before = bytes(&path);
    let guard = match readonly::read_only(&path) {
        Ok(guard) => guard,
        Err(why) => return eprintln!("skipped: {why}"),
    };
    let mut db = Db::open(&path).unwrap();
    assert_eq!(ids(&db), [2, 1]);
    let err = db.record(&report(1), &on("main", "c"), day(2)).unwrap_err();
    assert!(matches!(err, Error::ReadOnly { .. }), "{err:?}");
    assert!(err.to_string().contains("read-only"), "{err}");
    drop(db);
    drop(guard);
    assert_eq!(bytes(&path), before);
}

#[test]
fn a_locked_database_gives_up_after_the_busy_timeout_with_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.db");
    history(&path);
    let holder = rusqlite::Connection::open(&path).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let start = Instant::now();
    let err = Db::open(&path)
        .and_then(|mut db| db.record(&report(1), &on("main", "c"), day(2)))
        .unwrap_err();
    assert!(matches!(err, Error::Locked { .. }), "{err:?}");
    assert!(
        start.elapsed() >= Duration::from_secs(4),
        "{:?}",
        start.elapsed()
    );
    assert!(
        err.to_string().contains("locked by another process"),
        "{err}"
    );
    holder.execute_batch("ROLLBACK").unwrap();
    assert_eq!(ids(&Db::open(&path).unwrap()), [2, 1]);
}

#[test]
fn a_newer_schema_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.db");
    history(&path);
    let newer = SCHEMA_VERSION + 1;
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", newer).unwrap();
    conn.execute_batch("CREATE TABLE from_the_future (x)")
        .unwrap();
    drop(conn);
    let before = bytes(&path);
    for result in [Db::open(&path), Db::open_existing(&path)] {
        let err = result.err().unwrap();
        assert!(
            matches!(err, Error::NewerSchema { found, supported, .. }
                if found == newer && supported == SCHEMA_VERSION),
            "{err:?}"
        );
        assert!(err.to_string().contains("newer cargo-truecov"), "{err}");
    }
    assert_eq!(bytes(&path), before);
}
