//! The history page of the user guide (`docs/history.md`) matches the schema: each table it
//! lists has exactly the columns it names, and its queries run on a recorded history.

mod common;

use common::{day, on, report};
use std::collections::BTreeSet;
use truecov_db::Db;

/// The columns the page names for each table: backticked names in the table's row, with "the
/// counts" and "the four ratios" spelled out as the page defines them.
fn documented() -> Vec<(String, BTreeSet<String>)> {
    let page = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/history.md"),
    )
    .unwrap();
    let counts = "`lines_coverable`, `lines_raw`, `lines_meaningful`, `error_sites`, \
                  `error_sites_executed`, `error_sites_checked`";
    let ratios = "`raw_line_coverage`, `meaningful_line_coverage`, `truth_ratio`, \
                  `error_path_check_rate`";
    page.lines()
        .filter(|l| l.starts_with("| `"))
        .map(|row| {
            let cells: Vec<&str> = row.split(" | ").collect();
            let table = cells[0]
                .trim_start_matches("| ")
                .trim_matches('`')
                .to_string();
            let columns = cells[2]
                .replace("the counts", counts)
                .replace("the four ratios", ratios);
            let names = columns
                .split('`')
                .skip(1)
                .step_by(2)
                .filter(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
                .map(String::from)
                .collect();
            (table, names)
        })
        .collect()
}

#[test]
fn the_history_page_names_every_column_of_every_table_and_its_queries_run() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.db");
    let mut db = Db::open(&path).unwrap();
    db.record(&report(6), &on("main", "c0ffee"), day(0))
        .unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let tables = documented();
    let names: BTreeSet<&str> = tables.iter().map(|t| t.0.as_str()).collect();
    assert_eq!(
        names,
        BTreeSet::from(["files", "functions", "packages", "reports", "runs", "tests"])
    );
    for (table, columns) in &tables {
        let mut stmt = conn
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
            .unwrap();
        let actual: BTreeSet<String> = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(&actual, columns, "columns of `{table}` in docs/history.md");
    }
    let page = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/history.md"),
    )
    .unwrap();
    let queries: Vec<&str> = page
        .split("```sql\n")
        .skip(1)
        .filter_map(|b| b.split("```").next())
        .collect();
    let rows: Vec<usize> = queries
        .iter()
        .map(|sql| {
            let mut stmt = conn.prepare(sql).unwrap_or_else(|e| panic!("{e}:\n{sql}"));
            stmt.query_map([], |_| Ok(())).unwrap().count()
        })
        .collect();
    // One day of runs on main; no function of the recorded report is `error_paths_unchecked`;
    // the run was not proved.
    assert_eq!(rows, [1, 0, 0]);
}
