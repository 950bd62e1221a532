//! `cargo truecov` / `cargo truecov run`: measure, score, print, save, gate.

use crate::cli::{Format, Global, RunArgs};
use crate::measure_cmd;
use crate::outcome::Outcome;
use crate::paths::{last_report_path, write_atomically};
use crate::pipeline::gates;
use anyhow::Context;
use truecov_render as render;

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
        _ => crate::emit::emit(
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
