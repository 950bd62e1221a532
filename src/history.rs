//! Where the history database is (`--db`, `TRUECOV_DB`, else `.truecov/history.db` at the
//! workspace root) and how the commands open it.

use crate::cli::{DbArgs, Global, RunArgs};
use crate::workspace::workspace;
use anyhow::Context;
use std::path::{Path, PathBuf};
use truecov_db::{Db, Error, Provenance};
use truecov_model::{Report, Workspace};

/// The default location, relative to the workspace root.
pub const DEFAULT_PATH: &str = ".truecov/history.db";

/// The database path: `--db` (or `TRUECOV_DB`), else the default under `root`.
pub fn path(args: &DbArgs, root: &Path) -> PathBuf {
    args.db.clone().unwrap_or_else(|| root.join(DEFAULT_PATH))
}

/// The database path of the selected workspace (found with `cargo metadata` only when no path
/// was given).
pub fn path_of_workspace(args: &DbArgs, global: &Global) -> anyhow::Result<PathBuf> {
    match &args.db {
        Some(p) => Ok(p.clone()),
        None => {
            let root = workspace(global)?.root;
            Ok(path(args, &root))
        }
    }
}

/// Opens the history to record a run. At the default location, `.truecov/` is created with a
/// `.gitignore` that keeps it out of git.
pub fn open_for_recording(path: &Path, default: bool) -> anyhow::Result<Db> {
    if default {
        if let Some(dir) = path.parent().filter(|d| !d.exists()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            std::fs::write(dir.join(".gitignore"), "# cargo-truecov's history\n*\n")
                .with_context(|| format!("cannot write {}", dir.display()))?;
        }
    }
    Ok(Db::open(path)?)
}

/// Opens an existing history for queries, with a hint when there is none.
pub fn open_for_queries(args: &DbArgs, global: &Global) -> anyhow::Result<Db> {
    let path = path_of_workspace(args, global)?;
    Db::open_existing(&path).map_err(|e| match e {
        Error::Missing { .. } => {
            anyhow::anyhow!("{e}: run `cargo truecov` first to record a run (or pass --db PATH)")
        }
        other => other.into(),
    })
}

/// The run `spec` names: `latest` or an id.
pub fn stored_run(db: &Db, spec: &str) -> anyhow::Result<truecov_db::Run> {
    if spec == "latest" {
        return db.latest()?.ok_or_else(|| {
            anyhow::anyhow!(
                "{}: no run recorded yet: run `cargo truecov` first",
                db.path().display()
            )
        });
    }
    match spec.parse::<i64>() {
        Ok(id) => Ok(db.run(id)?),
        Err(_) => anyhow::bail!("`{spec}`: expected a run id or `latest`"),
    }
}

/// Records a run of `ws` made from `provenance` (unless `--no-record`), and says where on
/// stderr.
pub fn record_run(
    global: &Global,
    args: &RunArgs,
    ws: &Workspace,
    report: &Report,
    provenance: &Provenance,
) -> anyhow::Result<()> {
    if args.no_record {
        return Ok(());
    }
    let path = path(&args.history, &ws.root);
    let recorded = (|| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        let mut db = open_for_recording(&path, args.history.db.is_none())?;
        Ok::<_, anyhow::Error>(db.record(report, provenance, now)?)
    })();
    let id =
        recorded.context("this run was not recorded in the history (`--no-record` skips it)")?;
    if !global.quiet {
        eprintln!("    Recorded run {id} in {}", path.display());
    }
    Ok(())
}
