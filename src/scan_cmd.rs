//! `cargo truecov scan`: the static scan, rendered, with its `--deny` gate.

use crate::cli::{Format, Global, ScanArgs};
use crate::Outcome;
use truecov_model::{Selection, Verdict, Workspace};
use truecov_render as render;

/// The selection of packages the global options make.
pub fn selection(global: &Global) -> Selection {
    Selection {
        manifest_path: global.manifest_path.clone(),
        packages: global.packages.clone(),
        workspace: global.workspace,
        ..Selection::default()
    }
}

/// The workspace and the packages the global options select (one `cargo metadata`).
pub fn workspace(global: &Global) -> anyhow::Result<Workspace> {
    Ok(truecov_coverage::workspace::load(&selection(global))?)
}

/// Runs the scan and prints it.
pub fn run(global: &Global, args: &ScanArgs) -> anyhow::Result<Outcome> {
    let scan = truecov_analyzer::scan(&workspace(global)?);
    if !global.quiet {
        for w in &scan.warnings {
            eprintln!("warning: {w}");
        }
    }
    let report = truecov_scoring::scan_report(&scan, env!("CARGO_PKG_VERSION"));
    match global.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        Format::Table => print!(
            "{}",
            render::scan::render(&report, &global.color.style(), global.verbose)
        ),
        _ => crate::report_cmd::emit(global, &report, &Default::default())?,
    }
    let denied: Vec<Verdict> = args
        .deny
        .iter()
        .copied()
        .filter(|v| report.tests.iter().any(|t| !t.ignored && t.verdict == *v))
        .collect();
    if denied.is_empty() {
        return Ok(Outcome::Success);
    }
    let counts: Vec<String> = denied
        .iter()
        .map(|v| format!("{} {}", report.summary.tests.get(*v), v))
        .collect();
    eprintln!("error: denied verdicts found: {}", counts.join(", "));
    Ok(Outcome::GateFailed)
}
