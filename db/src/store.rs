//! Opening a history and recording runs: one immediate transaction per run, so a run is
//! stored whole or not at all, and concurrent writers queue behind SQLite's lock.

use crate::error::{Error, Result, BUSY_TIMEOUT};
use crate::model::Provenance;
use crate::schema::{self, LATEST};
use rusqlite::{params, Connection, OpenFlags, Transaction, TransactionBehavior};
use std::io::Write;
use std::path::{Path, PathBuf};
use truecov_model::{Figures, Report, TestOutcome};

/// The encoding of the stored full reports: JSON (the report contract), zlib-compressed.
pub(crate) const REPORT_ENCODING: &str = "json+zlib";

/// An open history database.
pub struct Db {
    pub(crate) conn: Connection,
    pub(crate) path: PathBuf,
    read_only: bool,
}

impl Db {
    /// Opens the history at `path` to record runs, creating the file if it does not exist (its
    /// directory must). The schema is brought up to date.
    pub fn open(path: &Path) -> Result<Db> {
        Db::open_with(path, true)
    }

    /// Opens an existing history for queries ([`Error::Missing`] if there is no file). A
    /// read-only file can be queried if its schema is current.
    pub fn open_existing(path: &Path) -> Result<Db> {
        if !path.exists() {
            return Err(Error::Missing {
                path: path.to_path_buf(),
            });
        }
        Db::open_with(path, false)
    }

    fn open_with(path: &Path, create: bool) -> Result<Db> {
        let err = |e| Error::from_sqlite(path, e);
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let mut conn = Connection::open_with_flags(path, flags).map_err(err)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(err)?;
        // Nothing is written before the version is known to be ours.
        let found = schema::version(&conn).map_err(err)?;
        if found > LATEST {
            return Err(Error::NewerSchema {
                path: path.to_path_buf(),
                found,
                supported: LATEST,
            });
        }
        let read_only = conn.is_readonly(rusqlite::MAIN_DB).map_err(err)?;
        if found < LATEST && read_only {
            return Err(Error::ReadOnly {
                path: path.to_path_buf(),
            });
        }
        if !read_only {
            conn.pragma_update(None, "journal_mode", "wal")
                .map_err(err)?;
        }
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(err)?;
        schema::migrate(&mut conn).map_err(|failed| {
            match Error::from_sqlite(path, failed.source) {
                Error::Sqlite { source, .. } => Error::Migration {
                    path: path.to_path_buf(),
                    to: failed.to,
                    detail: source.to_string(),
                },
                other => other,
            }
        })?;
        Ok(Db {
            conn,
            path: path.to_path_buf(),
            read_only,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records a run in one transaction and returns its id. `recorded_at` is in seconds since
    /// the Unix epoch.
    pub fn record(
        &mut self,
        report: &Report,
        provenance: &Provenance,
        recorded_at: i64,
    ) -> Result<i64> {
        self.stage(report, provenance, recorded_at)?.commit()
    }

    /// Writes a run inside an open transaction without committing it: other connections do
    /// not see it, and dropping the [`Staged`] run (or the process dying) leaves the database
    /// as it was. [`Db::record`] is `stage` then [`Staged::commit`].
    pub fn stage(
        &mut self,
        report: &Report,
        provenance: &Provenance,
        recorded_at: i64,
    ) -> Result<Staged<'_>> {
        if self.read_only {
            return Err(Error::ReadOnly {
                path: self.path.clone(),
            });
        }
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| Error::from_sqlite(&path, e))?;
        let id = insert_run(&tx, report, provenance, recorded_at)
            .map_err(|e| Error::from_sqlite(&path, e))?;
        let body = encode(report).map_err(|detail| Error::BadReport {
            path: path.clone(),
            id,
            detail,
        })?;
        tx.execute(
            "INSERT INTO reports (run_id, encoding, body) VALUES (?1, ?2, ?3)",
            params![id, REPORT_ENCODING, body],
        )
        .map_err(|e| Error::from_sqlite(&path, e))?;
        Ok(Staged { tx, id, path })
    }
}

/// A run written in a transaction that is not committed yet.
pub struct Staged<'db> {
    tx: Transaction<'db>,
    id: i64,
    path: PathBuf,
}

impl Staged<'_> {
    /// The id the run will have.
    pub fn id(&self) -> i64 {
        self.id
    }

    /// Commits the run and returns its id.
    pub fn commit(self) -> Result<i64> {
        let path = self.path;
        self.tx.commit().map_err(|e| Error::from_sqlite(&path, e))?;
        Ok(self.id)
    }
}

/// The report as stored: its JSON, zlib-compressed.
fn encode(report: &Report) -> std::result::Result<Vec<u8>, String> {
    let json = serde_json::to_vec(report).map_err(|e| e.to_string())?;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&json).map_err(|e| e.to_string())?;
    z.finish().map_err(|e| e.to_string())
}

/// Sums of the error-site counts of a report's functions.
fn site_totals(report: &Report) -> (u64, u64, u64) {
    report.functions.iter().fold((0, 0, 0), |(s, e, c), f| {
        (
            s + f.error_sites,
            e + f.error_sites_executed,
            c + f.error_sites_checked,
        )
    })
}

/// Inserts the run row and its per-file, per-package, per-function and per-test rows.
fn insert_run(
    tx: &Transaction<'_>,
    report: &Report,
    provenance: &Provenance,
    recorded_at: i64,
) -> rusqlite::Result<i64> {
    let s = &report.summary;
    let c = &s.tests;
    let (sites, executed, checked) = site_totals(report);
    tx.execute(
        "INSERT INTO runs (recorded_at, workspace, tool_version, report_schema_version,
             git_commit, git_branch, git_dirty, toolchain, config_hash,
             raw_line_coverage, meaningful_line_coverage, truth_ratio, error_path_check_rate,
             lines_coverable, lines_raw, lines_meaningful,
             error_sites, error_sites_executed, error_sites_checked,
             tests_total, tests_meaningful, tests_smoke, tests_tautological,
             tests_assertion_free, tests_ignored, tests_failed, lines_proven,
             proven_line_coverage, tests_not_built, tests_unknown)
         VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', ?1, 'unixepoch'), ?2, ?3, ?4, ?5, ?6, ?7, ?8,
             ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24,
             ?25, ?26, ?27, ?28, ?29, ?30)",
        params![
            recorded_at,
            report.workspace,
            report.tool_version,
            report.schema_version,
            provenance.git_commit,
            provenance.git_branch,
            provenance.git_dirty,
            provenance.toolchain,
            provenance.config_hash,
            s.raw_line_coverage,
            s.meaningful_line_coverage,
            s.truth_ratio,
            s.error_path_check_rate,
            s.lines_coverable,
            s.lines_raw,
            s.lines_meaningful,
            sites,
            executed,
            checked,
            c.total,
            c.meaningful,
            c.smoke,
            c.tautological,
            c.assertion_free,
            c.ignored,
            c.failed,
            s.lines_proven,
            s.proven_line_coverage,
            c.not_built,
            c.unknown,
        ],
    )?;
    let id = tx.last_insert_rowid();
    let mut file = tx.prepare(
        "INSERT INTO files (run_id, package, path, lines_coverable, lines_raw,
             lines_meaningful, error_sites, error_sites_executed, error_sites_checked,
             raw_line_coverage, meaningful_line_coverage, truth_ratio, lines_proven,
             proven_line_coverage)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?;
    for f in &report.files {
        let g: &Figures = &f.figures;
        file.execute(params![
            id,
            f.package,
            f.file,
            g.lines_coverable,
            g.lines_raw,
            g.lines_meaningful,
            g.error_sites,
            g.error_sites_executed,
            g.error_sites_checked,
            f.raw_line_coverage,
            f.meaningful_line_coverage,
            f.truth_ratio,
            g.lines_proven,
            f.proven_line_coverage,
        ])?;
    }
    let mut package = tx.prepare(
        "INSERT INTO packages (run_id, name, version, lines_coverable, lines_raw,
             lines_meaningful, error_sites, error_sites_executed, error_sites_checked,
             raw_line_coverage, meaningful_line_coverage, truth_ratio, error_path_check_rate,
             lines_proven, proven_line_coverage)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?;
    for p in &report.packages {
        let g = &p.figures;
        package.execute(params![
            id,
            p.name,
            p.version,
            g.lines_coverable,
            g.lines_raw,
            g.lines_meaningful,
            g.error_sites,
            g.error_sites_executed,
            g.error_sites_checked,
            p.raw_line_coverage,
            p.meaningful_line_coverage,
            p.truth_ratio,
            p.error_path_check_rate,
            g.lines_proven,
            p.proven_line_coverage,
        ])?;
    }
    let mut function = tx.prepare(
        "INSERT INTO functions (run_id, package, name, file, line, class, lines_coverable,
             lines_raw, lines_meaningful, error_sites, error_sites_executed,
             error_sites_checked, tests_executing, lines_proven)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?;
    for f in &report.functions {
        function.execute(params![
            id,
            f.package,
            f.name,
            f.file,
            f.line,
            f.class.as_str(),
            f.lines_coverable,
            f.lines_raw,
            f.lines_meaningful,
            f.error_sites,
            f.error_sites_executed,
            f.error_sites_checked,
            f.executed_by.len(),
            f.lines_proven,
        ])?;
    }
    let mut test = tx.prepare(
        "INSERT INTO tests (run_id, package, target, name, file, line, verdict, ignored,
             outcome, duration_ms, observes_errors, findings)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    for t in &report.tests {
        let findings = serde_json::to_string(&t.findings)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        test.execute(params![
            id,
            t.package,
            t.target,
            t.name,
            t.file,
            t.line,
            t.verdict.as_str(),
            t.ignored,
            t.outcome.map(TestOutcome::as_str),
            t.duration_ms,
            t.observes_errors,
            findings,
        ])?;
    }
    Ok(id)
}
