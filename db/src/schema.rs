//! The history's schema and its migrations.
//!
//! The schema version is SQLite's `PRAGMA user_version`: 0 for an empty file, then the number of
//! migrations applied. Each migration runs in its own write transaction together with the bump
//! of `user_version`, so a crash between two migrations leaves a database at a known version,
//! never half-migrated. A database whose version is above [`LATEST`] was written by a newer
//! cargo-truecov and is refused before anything is written to it.

use rusqlite::{Connection, TransactionBehavior};

/// Every migration, oldest first: migration `i` takes the schema from version `i` to `i + 1`.
/// Append only: never edit a migration that has been released.
const MIGRATIONS: &[&str] = &[
    // 1: runs with their headline figures, per-file, per-function and per-test rows, and the
    // full report of each run.
    "
CREATE TABLE runs (
    id                       INTEGER PRIMARY KEY,
    recorded_at              TEXT    NOT NULL,
    workspace                TEXT    NOT NULL,
    tool_version             TEXT    NOT NULL,
    report_schema_version    INTEGER NOT NULL,
    git_commit               TEXT,
    git_branch               TEXT,
    git_dirty                INTEGER,
    toolchain                TEXT,
    config_hash              TEXT,
    raw_line_coverage        REAL,
    meaningful_line_coverage REAL,
    truth_ratio              REAL,
    error_path_check_rate    REAL,
    lines_coverable          INTEGER,
    lines_raw                INTEGER,
    lines_meaningful         INTEGER,
    error_sites              INTEGER NOT NULL,
    error_sites_executed     INTEGER NOT NULL,
    error_sites_checked      INTEGER NOT NULL,
    tests_total              INTEGER NOT NULL,
    tests_meaningful         INTEGER NOT NULL,
    tests_smoke              INTEGER NOT NULL,
    tests_tautological       INTEGER NOT NULL,
    tests_assertion_free     INTEGER NOT NULL,
    tests_ignored            INTEGER NOT NULL,
    tests_failed             INTEGER NOT NULL
);
CREATE TABLE files (
    run_id                   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    package                  TEXT    NOT NULL,
    path                     TEXT    NOT NULL,
    lines_coverable          INTEGER NOT NULL,
    lines_raw                INTEGER NOT NULL,
    lines_meaningful         INTEGER NOT NULL,
    error_sites              INTEGER NOT NULL,
    error_sites_executed     INTEGER NOT NULL,
    error_sites_checked      INTEGER NOT NULL,
    raw_line_coverage        REAL,
    meaningful_line_coverage REAL,
    truth_ratio              REAL
);
CREATE INDEX files_by_run ON files(run_id);
CREATE TABLE functions (
    run_id                   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    package                  TEXT    NOT NULL,
    name                     TEXT    NOT NULL,
    file                     TEXT    NOT NULL,
    line                     INTEGER NOT NULL,
    class                    TEXT    NOT NULL,
    lines_coverable          INTEGER NOT NULL,
    lines_raw                INTEGER NOT NULL,
    lines_meaningful         INTEGER NOT NULL,
    error_sites              INTEGER NOT NULL,
    error_sites_executed     INTEGER NOT NULL,
    error_sites_checked      INTEGER NOT NULL,
    tests_executing          INTEGER NOT NULL
);
CREATE INDEX functions_by_run ON functions(run_id);
CREATE TABLE tests (
    run_id                   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    package                  TEXT    NOT NULL,
    target                   TEXT    NOT NULL,
    name                     TEXT    NOT NULL,
    file                     TEXT    NOT NULL,
    line                     INTEGER NOT NULL,
    verdict                  TEXT    NOT NULL,
    ignored                  INTEGER NOT NULL,
    outcome                  TEXT,
    duration_ms              INTEGER,
    observes_errors          INTEGER NOT NULL,
    findings                 TEXT    NOT NULL
);
CREATE INDEX tests_by_run ON tests(run_id);
CREATE TABLE reports (
    run_id                   INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    encoding                 TEXT    NOT NULL,
    body                     BLOB    NOT NULL
);
",
    // 2: per-package figures, and indexes for the lookups of `diff` (runs by commit) and
    // `trend` (series by branch, file and function).
    "
CREATE TABLE packages (
    run_id                   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    name                     TEXT    NOT NULL,
    version                  TEXT    NOT NULL,
    lines_coverable          INTEGER NOT NULL,
    lines_raw                INTEGER NOT NULL,
    lines_meaningful         INTEGER NOT NULL,
    error_sites              INTEGER NOT NULL,
    error_sites_executed     INTEGER NOT NULL,
    error_sites_checked      INTEGER NOT NULL,
    raw_line_coverage        REAL,
    meaningful_line_coverage REAL,
    truth_ratio              REAL,
    error_path_check_rate    REAL
);
CREATE INDEX packages_by_run ON packages(run_id);
CREATE INDEX runs_by_commit ON runs(git_commit);
CREATE INDEX runs_by_branch ON runs(git_branch, id);
CREATE INDEX files_by_path ON files(path, run_id);
CREATE INDEX functions_by_name ON functions(name, run_id);
CREATE INDEX tests_by_name ON tests(name, run_id);
",
    // 3: proven coverage (docs/scores.md#proven-coverage), NULL for runs without `prove`.
    "
ALTER TABLE runs ADD COLUMN lines_proven INTEGER;
ALTER TABLE runs ADD COLUMN proven_line_coverage REAL;
ALTER TABLE files ADD COLUMN lines_proven INTEGER;
ALTER TABLE files ADD COLUMN proven_line_coverage REAL;
ALTER TABLE packages ADD COLUMN lines_proven INTEGER;
ALTER TABLE packages ADD COLUMN proven_line_coverage REAL;
ALTER TABLE functions ADD COLUMN lines_proven INTEGER;
",
    // 4: the tests in the two states that are not verdicts (not_built, unknown); NULL in the
    // runs recorded before (their versions had no such states).
    "
ALTER TABLE runs ADD COLUMN tests_not_built INTEGER;
ALTER TABLE runs ADD COLUMN tests_unknown INTEGER;
",
];

/// The schema version this build writes and reads.
pub const LATEST: u32 = MIGRATIONS.len() as u32;

/// The schema version of an open database.
pub(crate) fn version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
}

/// A migration that failed, rolled back.
#[derive(Debug)]
pub(crate) struct MigrationFailed {
    /// The version it was to reach.
    pub to: u32,
    /// Why.
    pub source: rusqlite::Error,
}

/// Brings the schema to [`LATEST`]. The caller has checked the version is not newer.
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), MigrationFailed> {
    migrate_to(conn, LATEST)
}

/// Applies the migrations up to version `target`, each in one immediate transaction that
/// re-reads the version first (another process may have migrated in the meantime).
fn migrate_to(conn: &mut Connection, target: u32) -> Result<(), MigrationFailed> {
    let current = version(conn).map_err(|source| MigrationFailed { to: target, source })?;
    for to in current + 1..=target {
        let failed = |source| MigrationFailed { to, source };
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(failed)?;
        if version(&tx).map_err(failed)? >= to {
            continue;
        }
        tx.execute_batch(MIGRATIONS[to as usize - 1])
            .map_err(failed)?;
        tx.pragma_update(None, "user_version", to).map_err(failed)?;
        tx.commit().map_err(failed)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables(conn: &Connection) -> Vec<String> {
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            .unwrap();
        let names = stmt.query_map([], |r| r.get(0)).unwrap();
        names.collect::<Result<_, _>>().unwrap()
    }

    #[test]
    fn each_migration_bumps_the_version_by_one() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(version(&conn).unwrap(), 0);
        for v in 1..=LATEST {
            migrate_to(&mut conn, v).unwrap();
            assert_eq!(version(&conn).unwrap(), v);
        }
        assert_eq!(
            tables(&conn),
            ["files", "functions", "packages", "reports", "runs", "tests"]
        );
    }

    #[test]
    fn migrating_a_current_schema_changes_nothing() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        conn.execute("CREATE TABLE mine (x)", []).unwrap();
        migrate(&mut conn).unwrap();
        assert_eq!(version(&conn).unwrap(), LATEST);
        assert!(tables(&conn).contains(&"mine".to_string()));
    }

    #[test]
    fn a_failing_migration_rolls_back_whole() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 1).unwrap();
        // An object in the way of migration 2's first statement... then its last one.
        conn.execute("CREATE TABLE something_else (x)", []).unwrap();
        conn.execute("CREATE INDEX tests_by_name ON something_else(x)", [])
            .unwrap();
        let err = migrate(&mut conn).unwrap_err();
        assert_eq!(err.to, 2);
        assert!(
            err.source.to_string().contains("tests_by_name"),
            "{}",
            err.source
        );
        assert_eq!(version(&conn).unwrap(), 1);
        assert!(!tables(&conn).contains(&"packages".to_string()));
    }
}
