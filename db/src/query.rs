//! Reading the history: runs, stored reports, series of one figure over time.

use crate::error::{Error, Result};
use crate::model::{Point, Provenance, Run, RunFilter, SeriesQuery, Since, Subject};
use crate::store::{Db, REPORT_ENCODING};
use rusqlite::{named_params, OptionalExtension, Row, ToSql};
use std::io::Read;
use truecov_model::{Report, Summary, TestCounts};

/// The columns [`run_of_row`] reads (by name).
const RUN_COLUMNS: &str = "id, recorded_at, workspace, tool_version, git_commit, git_branch,
    git_dirty, toolchain, config_hash, raw_line_coverage, meaningful_line_coverage,
    truth_ratio, error_path_check_rate, lines_coverable, lines_raw, lines_meaningful,
    error_sites, error_sites_executed, error_sites_checked, tests_total, tests_meaningful,
    tests_smoke, tests_tautological, tests_assertion_free, tests_ignored, tests_failed,
    lines_proven, proven_line_coverage, tests_not_built, tests_unknown";

fn run_of_row(r: &Row<'_>) -> rusqlite::Result<Run> {
    Ok(Run {
        id: r.get("id")?,
        recorded_at: r.get("recorded_at")?,
        workspace: r.get("workspace")?,
        tool_version: r.get("tool_version")?,
        provenance: Provenance {
            git_commit: r.get("git_commit")?,
            git_branch: r.get("git_branch")?,
            git_dirty: r.get("git_dirty")?,
            toolchain: r.get("toolchain")?,
            config_hash: r.get("config_hash")?,
        },
        summary: Summary {
            raw_line_coverage: r.get("raw_line_coverage")?,
            meaningful_line_coverage: r.get("meaningful_line_coverage")?,
            truth_ratio: r.get("truth_ratio")?,
            error_path_check_rate: r.get("error_path_check_rate")?,
            lines_coverable: r.get("lines_coverable")?,
            lines_raw: r.get("lines_raw")?,
            lines_meaningful: r.get("lines_meaningful")?,
            proven_line_coverage: r.get("proven_line_coverage")?,
            lines_proven: r.get("lines_proven")?,
            tests: TestCounts {
                total: r.get("tests_total")?,
                meaningful: r.get("tests_meaningful")?,
                smoke: r.get("tests_smoke")?,
                tautological: r.get("tests_tautological")?,
                assertion_free: r.get("tests_assertion_free")?,
                ignored: r.get("tests_ignored")?,
                failed: r.get("tests_failed")?,
                // NULL in runs recorded before schema 4, whose versions had no such states.
                not_built: r.get::<_, Option<u64>>("tests_not_built")?.unwrap_or(0),
                unknown: r.get::<_, Option<u64>>("tests_unknown")?.unwrap_or(0),
            },
        },
        error_sites: r.get("error_sites")?,
        error_sites_executed: r.get("error_sites_executed")?,
        error_sites_checked: r.get("error_sites_checked")?,
    })
}

impl Db {
    fn sqlite(&self, e: rusqlite::Error) -> Error {
        Error::from_sqlite(&self.path, e)
    }

    /// Runs, newest first.
    pub fn runs(&self, filter: &RunFilter) -> Result<Vec<Run>> {
        let limit = filter
            .limit
            .map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX));
        let sql = format!(
            "SELECT {RUN_COLUMNS} FROM runs
             WHERE :branch IS NULL OR git_branch = :branch
             ORDER BY id DESC LIMIT :limit"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.sqlite(e))?;
        let rows = stmt
            .query_map(
                named_params! {":branch": filter.branch, ":limit": limit},
                run_of_row,
            )
            .map_err(|e| self.sqlite(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.sqlite(e))
    }

    /// The run with this id.
    pub fn run(&self, id: i64) -> Result<Run> {
        let sql = format!("SELECT {RUN_COLUMNS} FROM runs WHERE id = ?1");
        self.conn
            .query_row(&sql, [id], run_of_row)
            .optional()
            .map_err(|e| self.sqlite(e))?
            .ok_or_else(|| Error::NoSuchRun {
                path: self.path.clone(),
                id,
            })
    }

    /// The newest run, if any.
    pub fn latest(&self) -> Result<Option<Run>> {
        let runs = self.runs(&RunFilter {
            limit: Some(1),
            ..RunFilter::default()
        })?;
        Ok(runs.into_iter().next())
    }

    /// The newest run of the first of `commits` that has one, clean runs before dirty ones
    /// (a dirty run measured code that is not in its commit).
    pub fn run_at_commits(&self, commits: &[String]) -> Result<Option<Run>> {
        let sql = format!(
            "SELECT {RUN_COLUMNS} FROM runs WHERE git_commit = ?1
             ORDER BY COALESCE(git_dirty, 0), id DESC LIMIT 1"
        );
        for commit in commits {
            let run = self
                .conn
                .query_row(&sql, [commit], run_of_row)
                .optional()
                .map_err(|e| self.sqlite(e))?;
            if run.is_some() {
                return Ok(run);
            }
        }
        Ok(None)
    }

    /// The full report stored with a run.
    pub fn report(&self, id: i64) -> Result<Report> {
        let row: Option<(String, Vec<u8>)> = self
            .conn
            .query_row(
                "SELECT encoding, body FROM reports WHERE run_id = ?1",
                [id],
                |r| Ok((r.get("encoding")?, r.get("body")?)),
            )
            .optional()
            .map_err(|e| self.sqlite(e))?;
        let Some((encoding, body)) = row else {
            self.run(id)?;
            return Err(self.bad_report(id, "no report stored".into()));
        };
        if encoding != REPORT_ENCODING {
            return Err(self.bad_report(id, format!("unknown encoding `{encoding}`")));
        }
        let mut json = Vec::new();
        flate2::read::ZlibDecoder::new(body.as_slice())
            .read_to_end(&mut json)
            .map_err(|e| self.bad_report(id, e.to_string()))?;
        serde_json::from_slice(&json).map_err(|e| self.bad_report(id, e.to_string()))
    }

    fn bad_report(&self, id: i64, detail: String) -> Error {
        Error::BadReport {
            path: self.path.clone(),
            id,
            detail,
        }
    }

    /// Distinct `(package, name)` of the functions named `query` or ending in `::query`.
    pub fn functions_named(&self, query: &str) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT DISTINCT package, name FROM functions
                 WHERE name = ?1
                    OR (length(name) > length(?1) + 2
                        AND substr(name, -length(?1) - 2) = '::' || ?1)
                 ORDER BY package, name",
            )
            .map_err(|e| self.sqlite(e))?;
        let rows = stmt
            .query_map([query], |r| Ok((r.get("package")?, r.get("name")?)))
            .map_err(|e| self.sqlite(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.sqlite(e))
    }

    /// One figure of one subject in every matching run, oldest first. Runs without the
    /// subject (a file that did not exist yet) have no point.
    pub fn series(&self, query: &SeriesQuery) -> Result<Vec<Point>> {
        let (table, condition) = match &query.subject {
            Subject::Workspace => ("runs x ON x.id = r.id", "1"),
            Subject::File(_) => ("files x ON x.run_id = r.id", "x.path = :path"),
            Subject::Function { .. } => (
                "functions x ON x.run_id = r.id",
                "x.package = :package AND x.name = :name",
            ),
        };
        let sql = format!(
            "SELECT r.id AS run_id, r.recorded_at AS recorded_at, r.git_commit AS git_commit,
                    {value} AS value
             FROM runs r JOIN {table}
             WHERE {condition}
               AND (:branch IS NULL OR r.git_branch = :branch)
               AND (:since IS NULL
                    OR r.recorded_at >= strftime('%Y-%m-%dT%H:%M:%SZ', :since, :shift))
             GROUP BY r.id ORDER BY r.id",
            value = query.metric.sql("x"),
        );
        let (since, shift) = match &query.since {
            None => (None, String::new()),
            Some(Since::DaysAgo(days)) => (Some("now"), format!("-{days} days")),
            Some(Since::Date(day)) => (Some(day.as_str()), "+0 days".to_string()),
        };
        let mut bound: Vec<(&str, &dyn ToSql)> = vec![
            (":branch", &query.branch),
            (":since", &since),
            (":shift", &shift),
        ];
        match &query.subject {
            Subject::Workspace => {}
            Subject::File(path) => bound.push((":path", path)),
            Subject::Function { package, name } => {
                bound.push((":package", package));
                bound.push((":name", name));
            }
        }
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.sqlite(e))?;
        let rows = stmt
            .query_map(bound.as_slice(), |r| {
                Ok(Point {
                    run_id: r.get("run_id")?,
                    recorded_at: r.get("recorded_at")?,
                    git_commit: r.get("git_commit")?,
                    value: r.get("value")?,
                })
            })
            .map_err(|e| self.sqlite(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.sqlite(e))
    }
}
