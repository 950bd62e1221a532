//! `cargo truecov diff`: compares a run (the latest recorded one by default) with a base — a
//! git ref (the run recorded at it), a run id, or a baseline/report JSON file — and prints the
//! deltas as a table, JSON or the pull-request comment; `--fail-on-drop` gates,
//! `--export-baseline` saves the run for later `--base`, and under GitHub Actions the comment
//! also goes to the job summary.

use crate::cli::{DiffArgs, Format, Global};
use crate::git;
use crate::outcome::Outcome;
use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use truecov_compare::patch;
use truecov_compare::{Comparison, Side};
use truecov_db::{Db, Run};
use truecov_model::Report;
use truecov_render as render;

/// A run saved to a file by `--export-baseline`, for `--base` where no shared history exists.
#[derive(Debug, Serialize, Deserialize)]
pub struct Baseline {
    /// Version of this file's shape.
    pub truecov_baseline: u32,
    /// The run's provenance and figures, when it came from the history.
    pub run: Option<Run>,
    /// The full report.
    pub report: Report,
}

/// A run to compare, with where it came from.
struct Loaded {
    side: Side,
    report: Report,
}

/// The history, opened on first use.
struct History<'a> {
    global: &'a Global,
    args: &'a DiffArgs,
    db: Option<Db>,
}

impl History<'_> {
    fn db(&mut self) -> anyhow::Result<&Db> {
        let db = match self.db.take() {
            Some(db) => db,
            None => crate::history::open_for_queries(&self.args.db, self.global)?,
        };
        Ok(self.db.insert(db))
    }

    fn stored(&mut self, run: Run) -> anyhow::Result<Loaded> {
        let report = self.db()?.report(run.id)?;
        Ok(Loaded {
            side: Side {
                label: format!("run {}", run.id),
                run: Some(run),
            },
            report,
        })
    }

    /// `latest` or a run id.
    fn named(&mut self, spec: &str) -> anyhow::Result<Loaded> {
        let run = crate::history::stored_run(self.db()?, spec)?;
        self.stored(run)
    }
}

/// A baseline or report JSON file.
fn load_file(path: &Path) -> anyhow::Result<Loaded> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{}: not JSON", path.display()))?;
    let (run, report) = if value.get("truecov_baseline").is_some() {
        let b: Baseline = serde_json::from_value(value)
            .with_context(|| format!("{}: not a truecov baseline", path.display()))?;
        (b.run, b.report)
    } else {
        let r: Report = serde_json::from_value(value)
            .with_context(|| format!("{}: not a truecov report", path.display()))?;
        (None, r)
    };
    Ok(Loaded {
        side: Side {
            label: path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into(),
            ),
            run,
        },
        report,
    })
}

/// `latest`, a run id, or a file.
fn load_head(spec: &str, history: &mut History<'_>) -> anyhow::Result<Loaded> {
    if spec == "latest" || spec.parse::<i64>().is_ok() {
        return history.named(spec);
    }
    load_file(Path::new(spec))
}

/// A base and the git revision its change starts from (for the patch).
struct Base {
    loaded: Loaded,
    revision: Option<String>,
}

/// An existing file, `latest`, a run id, or a git ref (the newest clean run recorded at its
/// merge base with the head, else at the ref itself).
fn load_base(spec: &str, repo: &Path, history: &mut History<'_>) -> anyhow::Result<Base> {
    let path = PathBuf::from(spec);
    let loaded = if path.is_file() {
        load_file(&path)?
    } else if spec == "latest" || spec.parse::<i64>().is_ok() {
        history.named(spec)?
    } else {
        let Some(commit) = git::resolve(repo, spec) else {
            bail!("--base `{spec}` is neither a file, a run id nor a git revision");
        };
        let mut commits: Vec<String> = git::merge_base(repo, spec, "HEAD").into_iter().collect();
        commits.push(commit.clone());
        commits.dedup();
        let Some(run) = history.db()?.run_at_commits(&commits)? else {
            bail!(
                "no run recorded at `{spec}` ({}): run `cargo truecov` on it first, or pass \
                 --base with a baseline file (`--export-baseline`)",
                short(&commit)
            );
        };
        return Ok(Base {
            loaded: history.stored(run)?,
            revision: Some(spec.to_string()),
        });
    };
    let revision = loaded
        .side
        .run
        .as_ref()
        .and_then(|r| r.provenance.git_commit.clone())
        .filter(|c| git::resolve(repo, c).is_some());
    Ok(Base { loaded, revision })
}

/// A revision for people: a full commit hash cut to 12 digits, anything else as it is.
fn short(rev: &str) -> &str {
    if rev.len() == 40 && rev.bytes().all(|b| b.is_ascii_hexdigit()) {
        &rev[..12]
    } else {
        rev
    }
}

/// Why the newest run cannot stand for the checked-out commit, if it cannot: it was recorded at
/// another commit (or at none), which is what a failed `cargo truecov` at HEAD leaves behind. A
/// comment about that run would speak of another commit as if it were this one.
fn stale_head(label: &str, recorded_at: Option<&str>, checked_out: &str) -> Option<String> {
    if recorded_at == Some(checked_out) {
        return None;
    }
    let at = recorded_at.map_or_else(
        || "at no commit".to_string(),
        |c| format!("at {}", short(c)),
    );
    Some(format!(
        "the newest run ({label}, {at}) is not a run of HEAD ({}): no run of this commit is \
         recorded (did `cargo truecov` fail on it?), so there is nothing to compare; run \
         `cargo truecov` first, or pass --head <run id|file> to compare another run",
        short(checked_out)
    ))
}

/// Where git runs: the head's workspace when it exists here, else the current directory.
fn repository(head: &Report) -> PathBuf {
    let ws = PathBuf::from(&head.workspace);
    if ws.is_dir() {
        ws
    } else {
        PathBuf::from(".")
    }
}

/// The patch from `base` to the head: `git diff base...<head commit>`, or, when the head run
/// measured uncommitted changes of the checked-out commit, the working tree against the merge
/// base.
fn patch_of(base: &Base, head: &Loaded, repo: &Path) -> anyhow::Result<Option<patch::Patch>> {
    let Some(revision) = &base.revision else {
        return Ok(None);
    };
    let checked_out = git::resolve(repo, "HEAD");
    let provenance = head.side.run.as_ref().map(|r| &r.provenance);
    let head_commit = provenance
        .and_then(|p| p.git_commit.clone())
        .or(checked_out.clone());
    let Some(head_commit) = head_commit else {
        return Ok(None);
    };
    let at_head = checked_out.as_deref() == Some(head_commit.as_str());
    let dirty_here = at_head && provenance.is_some_and(|p| p.git_dirty == Some(true));
    let (range, label) = if dirty_here {
        let Some(merge_base) = git::merge_base(repo, revision, "HEAD") else {
            return Ok(None);
        };
        (
            merge_base,
            format!("{}...HEAD with uncommitted changes", short(revision)),
        )
    } else {
        let to = if at_head { "HEAD" } else { short(&head_commit) };
        (
            format!("{revision}...{head_commit}"),
            format!("{}...{to}", short(revision)),
        )
    };
    let changed = patch::changed_lines(&git::diff(repo, &range)?);
    Ok(Some(patch::truth(
        label,
        &changed,
        &head.report,
        Some(&base.loaded.report),
    )))
}

/// Appends the comment to the GitHub Actions job summary when there is one.
fn step_summary(markdown: &str) {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return;
    };
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut f| writeln!(f, "{markdown}"));
    if let Err(e) = written {
        eprintln!(
            "warning: cannot write the job summary {}: {e}",
            Path::new(&path).display()
        );
    }
}

/// Compares and prints.
pub fn run(global: &Global, args: &DiffArgs) -> anyhow::Result<Outcome> {
    if !matches!(
        global.format,
        Format::Table | Format::Json | Format::Markdown
    ) {
        bail!("`diff` prints --format table, json or markdown");
    }
    let mut history = History {
        global,
        args,
        db: None,
    };
    let head = load_head(&args.head, &mut history)?;
    let repo = repository(&head.report);
    if args.head == "latest" {
        if let Some(checked_out) = git::resolve(&repo, "HEAD") {
            let recorded_at = head.side.run.as_ref();
            let recorded_at = recorded_at.and_then(|r| r.provenance.git_commit.as_deref());
            if let Some(why) = stale_head(&head.side.label, recorded_at, &checked_out) {
                bail!(why);
            }
        }
    }
    let base = match &args.base {
        Some(spec) => Some(load_base(spec, &repo, &mut history)?),
        None => None,
    };
    if let Some(path) = &args.export_baseline {
        let baseline = Baseline {
            truecov_baseline: 1,
            run: head.side.run.clone(),
            report: head.report.clone(),
        };
        std::fs::write(path, serde_json::to_string_pretty(&baseline)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let patch = match &base {
        Some(b) => patch_of(b, &head, &repo)?,
        None => None,
    };
    let mut comparison = Comparison::new(
        base.as_ref()
            .map(|b| (b.loaded.side.clone(), &b.loaded.report)),
        (head.side.clone(), &head.report),
        args.min_delta,
        args.fail_on_drop,
    );
    comparison.patch = patch;
    let markdown = render::markdown::render(&comparison);
    match global.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&comparison)?),
        Format::Markdown => print!("{markdown}"),
        _ => print!(
            "{}",
            render::diff::render(&comparison, &global.color.style())
        ),
    }
    step_summary(&markdown);
    match &comparison.gate {
        Some(g) if g.failed => {
            eprintln!(
                "error: meaningful coverage dropped by {:.1} pp, more than --fail-on-drop {} pp",
                g.drop_pp, g.max_drop_pp
            );
            Ok(Outcome::GateFailed)
        }
        _ => Ok(Outcome::Success),
    }
}

#[cfg(test)]
mod tests {
    use super::stale_head;

    const HEAD: &str = "9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c";
    const OLD: &str = "825a3d9000000000000000000000000000000000";

    #[test]
    fn the_newest_run_stands_for_head_only_when_it_was_recorded_at_it() {
        assert_eq!(stale_head("run 2", Some(HEAD), HEAD), None);
        let other = stale_head("run 1", Some(OLD), HEAD).expect("another commit");
        assert!(
            other.starts_with(
                "the newest run (run 1, at 825a3d900000) is not a run of HEAD (9f8e7d6c5b4a)"
            ),
            "{other}"
        );
        assert!(other.contains("--head"), "{other}");
        let none = stale_head("run 3", None, HEAD).expect("no commit");
        assert!(none.contains("(run 3, at no commit)"), "{none}");
    }
}
