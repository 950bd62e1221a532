//! The pipeline `run` and `prove` share: measure, score, then save, print, gate and record.

use crate::cli::{Global, ReportArgs, RunArgs};
use crate::emit::{emit, Table};
use crate::measure_cmd::{self, Measured};
use crate::outcome::Outcome;
use crate::paths::{last_report_path, write_atomically};
use anyhow::Context;
use truecov_db::Provenance;
use truecov_model::{Report, Workspace};

/// Scans, measures and scores the selected packages.
pub fn measure_and_score(global: &Global, args: &RunArgs) -> anyhow::Result<(Measured, Report)> {
    let measured = measure_cmd::run(global, &args.build)?;
    let report = truecov_scoring::score(
        &measured.scan,
        &measured.coverage,
        env!("CARGO_PKG_VERSION"),
    );
    Ok((measured, report))
}

/// Saves the report (for `explain` and `report`, and to `--output`), prints it, checks the
/// gates (those of `args` and the `failed` reasons the command adds) and records the run
/// with the provenance of its code.
pub fn deliver(
    global: &Global,
    args: &RunArgs,
    ws: &Workspace,
    report: &Report,
    provenance: &Provenance,
    table: Table,
    mut failed: Vec<String>,
) -> anyhow::Result<Outcome> {
    let json = serde_json::to_string_pretty(report)?;
    let last = last_report_path(&ws.root, &args.build);
    if let Some(dir) = last.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    write_atomically(&last, &json)?;
    if let Some(path) = &args.output {
        std::fs::write(path, &json).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let options = ReportArgs {
        target_dir: args.build.target_dir.clone(),
        ..Default::default()
    };
    emit(global, report, table, &options)?;
    failed.splice(0..0, gates(report, args));
    for reason in &failed {
        eprintln!("error: {reason}");
    }
    crate::history::record_run(global, args, ws, report, provenance)?;
    Ok(if failed.is_empty() {
        Outcome::Success
    } else {
        Outcome::GateFailed
    })
}

/// The gates the user asked for that the report does not pass, each as a one-line reason.
/// A figure that is not available (nothing to divide by) fails its gate.
fn gates(report: &Report, args: &RunArgs) -> Vec<String> {
    let s = &report.summary;
    let checks = [
        (
            "meaningful coverage",
            s.meaningful_line_coverage,
            args.gates.fail_under_meaningful,
        ),
        ("truth ratio", s.truth_ratio, args.gates.fail_under_truth),
        (
            "error-path check rate",
            s.error_path_check_rate,
            args.gates.fail_under_error_checks,
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
