//! Recording runs and reading them back: figures, rows for `sqlite3` users, stored reports,
//! history listings, base lookups and series.

mod common;

use common::{day, on, report};
use truecov_db::{Db, Error, Metric, RunFilter, SeriesQuery, Since, Subject};

fn db() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("history.db")).unwrap();
    (dir, db)
}

#[test]
fn a_recorded_run_reads_back_with_its_figures_and_report() {
    let (_dir, mut db) = db();
    let r = report(6);
    let id = db.record(&r, &on("main", "c0ffee"), day(0)).unwrap();
    assert_eq!(id, 1);
    let run = db.run(id).unwrap();
    assert_eq!(run.recorded_at, "2024-05-01T12:00:00Z");
    assert_eq!(run.workspace, "/w");
    assert_eq!(run.provenance, on("main", "c0ffee"));
    assert_eq!(run.summary, r.summary);
    assert_eq!(
        (
            run.error_sites,
            run.error_sites_executed,
            run.error_sites_checked
        ),
        (2, 2, 1)
    );
    assert_eq!(db.report(id).unwrap(), r);
}

#[test]
fn every_part_of_a_run_has_rows_that_sql_can_query() {
    let (dir, mut db) = db();
    db.record(&report(6), &on("main", "c0ffee"), day(0))
        .unwrap();
    let conn = rusqlite::Connection::open(dir.path().join("history.db")).unwrap();
    let count = |table: &str| -> i64 {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(
        ["runs", "files", "packages", "functions", "tests", "reports"].map(count),
        [1, 1, 1, 2, 2, 1]
    );
    let (verdict, rule): (String, String) = conn
        .query_row(
            "SELECT verdict, json_extract(findings, '$[0].rule') FROM tests
             WHERE name = 'tests::smoke'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (verdict.as_str(), rule.as_str()),
        ("smoke", "test/smoke-only")
    );
    let executing: i64 = conn
        .query_row(
            "SELECT tests_executing FROM functions WHERE name = 'parse'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(executing, 2);
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn a_staged_run_that_is_dropped_leaves_nothing() {
    let (_dir, mut db) = db();
    db.record(&report(5), &on("main", "a"), day(0)).unwrap();
    let staged = db.stage(&report(9), &on("main", "b"), day(1)).unwrap();
    assert_eq!(staged.id(), 2);
    drop(staged);
    let runs = db.runs(&RunFilter::default()).unwrap();
    assert_eq!(runs.iter().map(|r| r.id).collect::<Vec<_>>(), [1]);
    assert!(matches!(db.report(2), Err(Error::NoSuchRun { id: 2, .. })));
}

#[test]
fn history_is_newest_first_filtered_by_branch_and_limited() {
    let (_dir, mut db) = db();
    for (i, branch) in ["main", "feature", "main", "main"].iter().enumerate() {
        db.record(&report(i as u64 + 4), &on(branch, "x"), day(i as i64))
            .unwrap();
    }
    let ids = |filter: RunFilter| -> Vec<i64> {
        db.runs(&filter).unwrap().iter().map(|r| r.id).collect()
    };
    assert_eq!(ids(RunFilter::default()), [4, 3, 2, 1]);
    let main = Some("main".to_string());
    assert_eq!(
        ids(RunFilter {
            branch: main.clone(),
            limit: None
        }),
        [4, 3, 1]
    );
    assert_eq!(
        ids(RunFilter {
            branch: main,
            limit: Some(2)
        }),
        [4, 3]
    );
    assert_eq!(db.latest().unwrap().map(|r| r.id), Some(4));
}

#[test]
fn a_base_commit_finds_its_newest_clean_run_first() {
    let (_dir, mut db) = db();
    let mut dirty = on("main", "base");
    dirty.git_dirty = Some(true);
    db.record(&report(5), &on("main", "base"), day(0)).unwrap();
    db.record(&report(6), &dirty, day(1)).unwrap();
    db.record(&report(7), &on("main", "tip"), day(2)).unwrap();
    let found = |commits: &[&str]| {
        let commits: Vec<String> = commits.iter().map(|c| c.to_string()).collect();
        db.run_at_commits(&commits).unwrap().map(|r| r.id)
    };
    assert_eq!(found(&["base"]), Some(1));
    assert_eq!(found(&["nowhere", "tip"]), Some(3));
    assert_eq!(found(&["tip", "base"]), Some(3));
    assert_eq!(found(&["nowhere"]), None);
}

#[test]
fn series_follow_a_figure_of_the_workspace_a_file_or_a_function() {
    let (_dir, mut db) = db();
    for (i, meaningful) in [4, 5, 8].iter().enumerate() {
        db.record(&report(*meaningful), &on("main", "x"), day(i as i64 * 10))
            .unwrap();
    }
    let values = |metric, subject, since| -> Vec<Option<f64>> {
        let query = SeriesQuery {
            metric,
            subject,
            since,
            branch: None,
        };
        db.series(&query).unwrap().iter().map(|p| p.value).collect()
    };
    let ws = Subject::Workspace;
    assert_eq!(
        values(Metric::Meaningful, ws.clone(), None),
        [Some(0.4), Some(0.5), Some(0.8)]
    );
    assert_eq!(values(Metric::Truth, ws.clone(), None)[0], Some(0.5));
    assert_eq!(
        values(Metric::ErrorChecks, ws.clone(), None),
        [Some(0.5); 3]
    );
    let since = Some(Since::Date("2024-05-11".into()));
    assert_eq!(values(Metric::Raw, ws, since), [Some(0.8), Some(0.8)]);
    let file = Subject::File("src/lib.rs".into());
    assert_eq!(
        values(Metric::Meaningful, file, None),
        [Some(0.4), Some(0.5), Some(0.8)]
    );
    let fmt = Subject::Function {
        package: "p".into(),
        name: "Thing::fmt".into(),
    };
    assert_eq!(
        values(Metric::Meaningful, fmt.clone(), None),
        [Some(0.0), Some(0.0), Some(0.5)]
    );
    assert_eq!(values(Metric::ErrorChecks, fmt, None), [None, None, None]);
    let gone = Subject::File("src/gone.rs".into());
    assert!(values(Metric::Meaningful, gone, None).is_empty());
    let recent = Some(Since::DaysAgo(30));
    assert!(values(Metric::Raw, Subject::Workspace, recent).is_empty());
}

#[test]
fn functions_are_found_by_whole_name_or_path_suffix() {
    let (_dir, mut db) = db();
    db.record(&report(5), &on("main", "x"), day(0)).unwrap();
    db.record(&report(6), &on("main", "y"), day(1)).unwrap();
    let named = |q: &str| db.functions_named(q).unwrap();
    let fmt = vec![("p".to_string(), "Thing::fmt".to_string())];
    assert_eq!(named("fmt"), fmt);
    assert_eq!(named("Thing::fmt"), fmt);
    assert!(named("hing::fmt").is_empty());
    assert!(named("_").is_empty());
    assert_eq!(named("parse"), [("p".to_string(), "parse".to_string())]);
}

#[test]
fn queries_need_an_existing_file_and_a_known_run() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("none.db");
    let err = Db::open_existing(&path).err().unwrap();
    assert!(matches!(err, Error::Missing { .. }));
    assert!(err.to_string().contains("none.db"), "{err}");
    assert!(!path.exists());
    let db = Db::open(&path).unwrap();
    let err = db.run(7).unwrap_err();
    assert!(err.to_string().ends_with("there is no run 7"), "{err}");
    assert!(db.latest().unwrap().is_none());
}
