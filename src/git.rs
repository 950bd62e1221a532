//! The few git questions the history asks: which commit and branch a run measured, whether the
//! tree was dirty, where a base ref is, and what a change touched. Outside a repository (or
//! without git) the answers are `None`.

use anyhow::{bail, Context};
use std::path::Path;
use std::process::Command;

/// `git <args>` in `dir`: its trimmed stdout when it succeeds.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The full hash of the commit `rev` names.
pub fn resolve(dir: &Path, rev: &str) -> Option<String> {
    git(
        dir,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .filter(|s| !s.is_empty())
}

/// The best common ancestor of two commits.
pub fn merge_base(dir: &Path, a: &str, b: &str) -> Option<String> {
    git(dir, &["merge-base", a, b]).filter(|s| !s.is_empty())
}

/// The checked-out branch; on a detached HEAD in GitHub Actions, the branch the workflow
/// runs for (`GITHUB_HEAD_REF` of a pull request, else `GITHUB_REF_NAME` of a branch push).
pub fn branch(dir: &Path) -> Option<String> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    git(dir, &["symbolic-ref", "--short", "--quiet", "HEAD"])
        .filter(|s| !s.is_empty())
        .or_else(|| {
            resolve(dir, "HEAD")?;
            env("GITHUB_HEAD_REF").or_else(|| {
                (env("GITHUB_REF_TYPE").as_deref() == Some("branch"))
                    .then(|| env("GITHUB_REF_NAME"))
                    .flatten()
            })
        })
}

/// Whether tracked or untracked (not ignored) files differ from HEAD.
pub fn dirty(dir: &Path) -> Option<bool> {
    git(dir, &["status", "--porcelain"]).map(|s| !s.is_empty())
}

/// `git diff --unified=0` of `range` (`base...HEAD`, or one commit for the working tree),
/// with paths relative to `dir` and only the files under it.
pub fn diff(dir: &Path, range: &str) -> anyhow::Result<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "core.quotePath=false",
            "diff",
            "--no-color",
            "--no-ext-diff",
            "--unified=0",
            "--relative",
            "--find-renames",
            "--src-prefix=a/",
            "--dst-prefix=b/",
            range,
            "--",
        ])
        .output()
        .context("cannot run git")?;
    if !out.status.success() {
        bail!(
            "git diff {range} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
