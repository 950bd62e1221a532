//! `cargo truecov` / `cargo truecov run`: measure, score, print, save, gate; with `--prove`,
//! mutate between scoring and printing, on the same build, for proven coverage.

use crate::cli::{Global, RunCmdArgs};
use crate::emit::Table;
use crate::outcome::Outcome;
use crate::{pipeline, proving};

/// Runs the whole measurement (and `prove`, with `--prove`) and prints the report.
pub fn run(global: &Global, args: &RunCmdArgs) -> anyhow::Result<Outcome> {
    if args.prove {
        return proving::run(global, &args.run, &args.mutants, Table::Run);
    }
    if let Some(option) = args.mutants.first_given() {
        anyhow::bail!("`{option}` chooses what `--prove` mutates: add `--prove`");
    }
    let (measured, report) = pipeline::measure_and_score(global, &args.run)?;
    pipeline::deliver(
        global,
        &args.run,
        &measured.workspace,
        &report,
        Table::Run,
        Vec::new(),
    )
}
