//! `cargo truecov` / `cargo truecov run`: measure, score, print, save, gate.

use crate::cli::{Global, RunArgs};
use crate::emit::Table;
use crate::outcome::Outcome;
use crate::pipeline;

/// Runs the whole measurement and prints the report.
pub fn run(global: &Global, args: &RunArgs) -> anyhow::Result<Outcome> {
    let (measured, report) = pipeline::measure_and_score(global, args)?;
    pipeline::deliver(
        global,
        args,
        &measured.workspace,
        &report,
        Table::Run,
        Vec::new(),
    )
}
