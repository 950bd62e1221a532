//! `cargo truecov` / `cargo truecov run`: measure, score, print, save, gate.

use crate::cli::{BuildArgs, Format, Global, RunArgs};
use crate::measure_cmd::{self, truecov_dir};
use crate::Outcome;
use anyhow::Context;
use std::path::PathBuf;
use truecov_model::Report;
use truecov_render as render;

/// A name for the workspace at `root`, one per path: what the tool keeps in a target directory
/// is per workspace, as a target directory may be shared by several (`CARGO_TARGET_DIR`).
pub fn workspace_key(root: &std::path::Path) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    root.hash(&mut h);
    format!("{:016x}", h.finish())
}

/// Where the last report of a workspace is kept for `explain`.
pub fn last_report_path(root: &std::path::Path, build: &BuildArgs) -> PathBuf {
    truecov_dir(root, build).join(format!("report-{}.json", workspace_key(root)))
}

/// Writes a file whole or not at all (a reader never sees half of it).
pub fn write_atomically(path: &std::path::Path, text: &str) -> anyhow::Result<()> {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, text).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
}

/// Runs the whole measurement and prints the report.
pub fn run(global: &Global, args: &RunArgs) -> anyhow::Result<Outcome> {
    let measured = measure_cmd::run(global, &args.build)?;
    let report = truecov_scoring::score(
        &measured.scan,
        &measured.coverage,
        env!("CARGO_PKG_VERSION"),
    );
    let json = serde_json::to_string_pretty(&report)?;
    let last = last_report_path(&measured.scan.workspace_root, &args.build);
    if let Some(dir) = last.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    write_atomically(&last, &json)?;
    if let Some(path) = &args.output {
        std::fs::write(path, &json).with_context(|| format!("cannot write {}", path.display()))?;
    }
    match global.format {
        Format::Json => println!("{json}"),
        Format::Table => print!(
            "{}",
            render::run::render(&report, &global.color.style(), global.verbose)
        ),
        _ => crate::report_cmd::emit(
            global,
            &report,
            &crate::cli::ReportArgs {
                target_dir: args.build.target_dir.clone(),
                ..Default::default()
            },
        )?,
    }
    let failed = gates(&report, args);
    for reason in &failed {
        eprintln!("error: {reason}");
    }
    crate::history::record_run(global, args, &measured.workspace, &report)?;
    Ok(if failed.is_empty() {
        Outcome::Success
    } else {
        Outcome::GateFailed
    })
}

/// The gates the user asked for that the report does not pass, each as a one-line reason.
/// A figure that is not available (nothing to divide by) fails its gate.
pub fn gates(report: &Report, args: &RunArgs) -> Vec<String> {
    let s = &report.summary;
    let checks = [
        (
            "meaningful coverage",
            s.meaningful_line_coverage,
            args.fail_under_meaningful,
        ),
        ("truth ratio", s.truth_ratio, args.fail_under_truth),
        (
            "error-path check rate",
            s.error_path_check_rate,
            args.fail_under_error_checks,
        ),
    ];
    checks
        .iter()
        .filter_map(|(name, value, min)| {
            let min = (*min)?;
            match value {
                Some(v) if v * 100.0 + 1e-9 >= min => None,
                Some(v) => Some(format!("{name} {:.1} % is below --fail-under {min} %", v * 100.0)),
                None => Some(format!("{name} is not available (nothing to measure) and a minimum of {min} % was asked")),
            }
        })
        .collect()
}
