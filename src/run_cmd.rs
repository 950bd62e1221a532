//! `cargo truecov` / `cargo truecov run`: measure, score, print, save, gate; with
//! `--partition`, measure one part and write it for `merge`.

use crate::cli::{Global, RunArgs};
use crate::emit::Table;
use crate::outcome::Outcome;
use crate::pipeline;

/// Runs the whole measurement and prints the report, or writes one part of it.
pub fn run(global: &Global, args: &RunArgs) -> anyhow::Result<Outcome> {
    if let Some(partition) = args.build.partition {
        crate::shard_file::output_of(args)?;
        let measured = crate::measure_cmd::run(global, &args.build)?;
        return crate::shard_file::deliver(global, args, &measured, partition);
    }
    let (measured, report) = pipeline::measure_and_score(global, args)?;
    pipeline::deliver(
        global,
        args,
        &measured.workspace,
        &report,
        &measured.provenance,
        Table::Run,
        Vec::new(),
    )
}
