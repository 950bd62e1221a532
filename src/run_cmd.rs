//! `cargo truecov` / `cargo truecov run`: measure, score, print, save, gate; with `--prove`,
//! mutate between scoring and printing, on the same build, for proven coverage; with
//! `--partition`, measure one part (with `--prove`, try one part of the mutants) and write it
//! for `merge`.

use crate::cli::{Global, RunCmdArgs};
use crate::emit::Table;
use crate::outcome::Outcome;
use crate::{pipeline, proving};

/// Runs the whole measurement (and `prove`, with `--prove`) and prints the report, or writes
/// one part of it.
pub fn run(global: &Global, args: &RunCmdArgs) -> anyhow::Result<Outcome> {
    if args.prove {
        return proving::run(global, &args.run, &args.mutants, Table::Run);
    }
    if let Some(partition) = args.run.build.partition {
        crate::shard_file::output_of(&args.run)?;
        let measured = crate::measure_cmd::run(global, &args.run.build)?;
        return crate::shard_file::deliver(global, &args.run, &measured, partition, None);
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
        &measured.provenance,
        Table::Run,
        Vec::new(),
    )
}
