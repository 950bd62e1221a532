//! The one format dispatcher: a report in the `--format` asked for, printed on stdout (the
//! HTML site written to its directory).

use crate::cli::{BuildArgs, DbArgs, Format, Global, ReportArgs};
use crate::paths::truecov_dir;
use anyhow::Context;
use std::path::{Path, PathBuf};
use truecov_db::RunFilter;
use truecov_model::Report;
use truecov_render::{self as render, html};

/// The build options of a stored report's run: only its target directory matters.
pub fn build_args(args: &ReportArgs) -> BuildArgs {
    BuildArgs {
        target_dir: args.target_dir.clone(),
        ..BuildArgs::default()
    }
}

/// Which table `--format table` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
    /// A static scan's.
    Scan,
    /// A full run's.
    Run,
    /// `prove`'s.
    Prove,
}

impl Table {
    /// The table a stored report calls for: a scan's when it has no coverage, `prove`'s when
    /// it was proved, else a run's.
    pub fn of(report: &Report) -> Table {
        if report.files.is_empty() && report.functions.is_empty() {
            Table::Scan
        } else if report.prove.is_some() {
            Table::Prove
        } else {
            Table::Run
        }
    }
}

/// Prints `report` in the chosen format on stdout (`table` says which table); for HTML,
/// writes the site and prints the path of its index.
pub fn emit(
    global: &Global,
    report: &Report,
    table: Table,
    args: &ReportArgs,
) -> anyhow::Result<()> {
    let workspace = Path::new(&report.workspace);
    let (repo_root, prefix) = repo_root(workspace);
    let export = matches!(global.format, Format::Lcov | Format::Cobertura);
    if export && report.files.is_empty() && !global.quiet {
        eprintln!("warning: this report has no coverage (a static scan?): the export is empty");
    }
    match global.format {
        Format::Table => {
            let style = global.color.style();
            let text = match table {
                Table::Scan => render::scan::render(report, &style, global.verbose),
                Table::Prove => render::prove::render(report, &style, global.verbose),
                Table::Run => render::run::render(report, &style, global.verbose),
            };
            print!("{text}");
        }
        Format::Json => println!("{}", serde_json::to_string_pretty(report)?),
        Format::Html => {
            let dir = args
                .output_dir
                .clone()
                .unwrap_or_else(|| truecov_dir(workspace, &build_args(args)).join("html"));
            let sources = |rel: &str| std::fs::read_to_string(workspace.join(rel)).ok();
            let trend = trend(report, &args.history);
            let site = html::render(&html::Inputs {
                report,
                sources: &sources,
                trend: &trend,
            });
            let index = write_site(&dir, &site)
                .with_context(|| format!("cannot write the HTML report to {}", dir.display()))?;
            println!("{}", index.display());
            if args.open {
                open(&index);
            }
        }
        Format::Markdown => {
            let label = workspace.file_name().map_or_else(
                || report.workspace.clone(),
                |n| n.to_string_lossy().into_owned(),
            );
            let side = truecov_compare::Side { label, run: None };
            print!("{}", render::markdown::single(report, side));
        }
        Format::Csv => anyhow::bail!("`--format csv` is for `history` and `trend`"),
        Format::Sarif => println!(
            "{}",
            serde_json::to_string_pretty(&render::sarif::render(report, &prefix))?
        ),
        Format::Lcov => print!(
            "{}",
            render::lcov::render(report, args.coverage.into(), &prefix)
        ),
        Format::Cobertura => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            let root = repo_root.display().to_string();
            print!(
                "{}",
                render::cobertura::render(report, args.coverage.into(), &root, &prefix, now)
            );
        }
    }
    Ok(())
}

/// Writes the site into `dir` (created if needed; other files in it are left alone) and returns
/// the path of its index.
fn write_site(dir: &Path, site: &[html::SiteFile]) -> std::io::Result<PathBuf> {
    for f in site {
        let path = dir.join(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, &f.content)?;
    }
    Ok(dir.join("index.html"))
}

/// At most this many recorded runs in the HTML report's trend.
const TREND_RUNS: usize = 60;

/// The headline of the workspace's recorded runs, oldest first, for the HTML report's trend;
/// empty without a history. A history that cannot be read is a warning: the report is still
/// written, without the trend.
fn trend(report: &Report, history: &DbArgs) -> Vec<html::TrendPoint> {
    let path = crate::history::path(history, Path::new(&report.workspace));
    if !path.exists() {
        return Vec::new();
    }
    let filter = RunFilter {
        branch: None,
        limit: Some(TREND_RUNS),
    };
    match truecov_db::Db::open_existing(&path).and_then(|db| db.runs(&filter)) {
        Ok(runs) => runs
            .into_iter()
            .rev()
            .filter(|r| r.workspace == report.workspace)
            .map(|r| html::TrendPoint {
                label: run_label(&r),
                raw: r.summary.raw_line_coverage,
                meaningful: r.summary.meaningful_line_coverage,
            })
            .collect(),
        Err(e) => {
            eprintln!("warning: the HTML report has no trend: {e}");
            Vec::new()
        }
    }
}

/// `run 12 · 2024-05-01 · 4f2a9c1`.
fn run_label(r: &truecov_db::Run) -> String {
    let mut label = format!(
        "run {} · {}",
        r.id,
        r.recorded_at.get(..10).unwrap_or(&r.recorded_at)
    );
    if let Some(commit) = &r.provenance.git_commit {
        label.push_str(&format!(" · {}", commit.get(..7).unwrap_or(commit)));
    }
    label
}

/// The repository holding `workspace` (the nearest ancestor with `.git`, else the workspace
/// itself) and the workspace's path inside it, `""` or ending in `/`.
fn repo_root(workspace: &Path) -> (PathBuf, String) {
    for dir in workspace.ancestors() {
        if dir.join(".git").exists() {
            let inside: Vec<String> = workspace
                .strip_prefix(dir)
                .unwrap_or(Path::new(""))
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let prefix = inside.iter().map(|c| format!("{c}/")).collect();
            return (dir.to_path_buf(), prefix);
        }
    }
    (workspace.to_path_buf(), String::new())
}

/// Opens `path` with the desktop's browser; a failure is a warning, the report is written.
fn open(path: &Path) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(path).spawn() {
        eprintln!("warning: cannot open {} with {opener}: {e}", path.display());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_made_relative_to_the_enclosing_repository() {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path().join("examples/demo");
        std::fs::create_dir_all(&ws).unwrap();
        assert_eq!(repo_root(&ws), (ws.clone(), String::new()), "no repository");
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        assert_eq!(
            repo_root(&ws),
            (dir.path().to_path_buf(), "examples/demo/".to_string())
        );
        assert_eq!(
            repo_root(dir.path()),
            (dir.path().to_path_buf(), String::new())
        );
    }
}
