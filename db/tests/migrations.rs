//! Opening a history from every schema version: an empty file, each frozen older version
//! (`fixtures/history-v<N>.sql`, written by that version), all upgraded with their runs kept.

mod common;

use common::{day, on, report};
use std::path::Path;
use truecov_db::{Db, Metric, RunFilter, SeriesQuery, Subject, SCHEMA_VERSION};

fn user_version(path: &Path) -> u32 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap()
}

/// A history file (in a fresh temporary directory) written by schema `version`, from its frozen
/// fixture, not yet opened by [`Db`].
fn frozen_history(version: u32) -> (tempfile::TempDir, std::path::PathBuf) {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/fixtures/history-v{version}.sql"));
    let sql = std::fs::read_to_string(&fixture).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (freeze a history of every released schema version)",
            fixture.display()
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.db");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(&sql)
        .unwrap();
    (dir, path)
}

#[test]
fn an_empty_or_missing_file_becomes_a_current_history() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    let missing = dir.path().join("missing.db");
    for path in [&empty, &missing] {
        let mut db = Db::open(path).unwrap();
        assert_eq!(db.record(&report(5), &on("main", "a"), day(0)).unwrap(), 1);
        drop(db);
        assert_eq!(user_version(path), SCHEMA_VERSION);
    }
}

#[test]
fn every_older_version_upgrades_with_its_runs_readable() {
    for version in 1..SCHEMA_VERSION {
        let (_dir, path) = frozen_history(version);
        assert_eq!(user_version(&path), version);

        let mut db = Db::open(&path).unwrap();
        let runs = db.runs(&RunFilter::default()).unwrap();
        assert_eq!(runs.iter().map(|r| r.id).collect::<Vec<_>>(), [2, 1]);
        assert_eq!(runs[1].recorded_at, "2024-04-01T08:00:00Z");
        assert_eq!(
            runs[1].provenance.git_commit.as_deref(),
            Some("a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1")
        );
        assert_eq!(runs[0].summary.meaningful_line_coverage, Some(0.75));
        let old = db.report(2).unwrap();
        assert_eq!(old.workspace, "/old/ws");
        assert_eq!(old.files[0].meaningful, [1, 2, 3]);
        let series = db
            .series(&SeriesQuery {
                metric: Metric::Meaningful,
                subject: Subject::Function {
                    package: "old".into(),
                    name: "double".into(),
                },
                since: None,
                branch: Some("main".into()),
            })
            .unwrap();
        let values: Vec<Option<f64>> = series.iter().map(|p| p.value).collect();
        assert_eq!(values, [Some(0.5), Some(0.75)]);

        assert_eq!(db.record(&report(5), &on("main", "c"), day(0)).unwrap(), 3);
        assert_eq!(db.report(3).unwrap(), report(5));
        drop(db);
        assert_eq!(user_version(&path), SCHEMA_VERSION);
    }
}

#[test]
fn runs_before_proven_coverage_have_none_and_later_runs_keep_theirs() {
    let (_dir, path) = frozen_history(2);
    let mut db = Db::open(&path).unwrap();
    let mut proved = report(5);
    proved.summary.lines_proven = Some(3);
    proved.summary.proven_line_coverage = Some(0.3);
    proved.files[0].figures.lines_proven = Some(3);
    proved.functions[0].lines_proven = Some(2);
    assert_eq!(db.record(&proved, &on("main", "c"), day(0)).unwrap(), 3);
    let runs = db.runs(&RunFilter::default()).unwrap();
    let proven: Vec<Option<u64>> = runs.iter().map(|r| r.summary.lines_proven).collect();
    assert_eq!(proven, [Some(3), None, None]);
    assert_eq!(runs[0].summary.proven_line_coverage, Some(0.3));
    let series = |subject| -> Vec<Option<f64>> {
        let query = SeriesQuery {
            metric: Metric::Proven,
            subject,
            since: None,
            branch: None,
        };
        db.series(&query).unwrap().iter().map(|p| p.value).collect()
    };
    assert_eq!(series(Subject::Workspace), [None, None, Some(0.3)]);
    assert_eq!(
        series(Subject::File("src/lib.rs".into())),
        [None, None, Some(0.3)]
    );
    let parse = Subject::Function {
        package: "p".into(),
        name: "parse".into(),
    };
    assert_eq!(series(parse), [Some(2.0 / 6.0)]);
}

/// Schema 4 keeps the counts of the tests in no verdict (`not_built`, `unknown`) on the run
/// row; runs recorded before read 0, as their versions counted none.
#[test]
fn a_history_of_schema_3_gets_the_counts_of_tests_in_no_verdict() {
    let (_dir, path) = frozen_history(3);
    let mut db = Db::open(&path).unwrap();
    let mut states = report(5);
    states.summary.tests.not_built = 2;
    states.summary.tests.unknown = 3;
    assert_eq!(db.record(&states, &on("main", "c"), day(0)).unwrap(), 3);
    let runs = db.runs(&RunFilter::default()).unwrap();
    let counts: Vec<(i64, u64, u64)> = runs
        .iter()
        .map(|r| (r.id, r.summary.tests.not_built, r.summary.tests.unknown))
        .collect();
    assert_eq!(counts, [(3, 2, 3), (2, 0, 0), (1, 0, 0)]);
    drop(db);
    assert_eq!(user_version(&path), SCHEMA_VERSION);
}
