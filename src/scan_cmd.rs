//! `cargo truecov scan`: the static scan, rendered, with its `--deny` gate.

use crate::cli::{Global, ScanArgs};
use crate::emit::{emit, Table};
use crate::outcome::Outcome;
use crate::workspace::workspace;
use truecov_model::Verdict;

/// Runs the scan and prints it.
pub fn run(global: &Global, args: &ScanArgs) -> anyhow::Result<Outcome> {
    let scan = truecov_analyzer::scan(&workspace(global)?);
    if !global.quiet {
        for w in &scan.warnings {
            eprintln!("warning: {w}");
        }
    }
    let report = truecov_scoring::scan_report(&scan, env!("CARGO_PKG_VERSION"));
    emit(global, &report, Table::Scan, &Default::default())?;
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
