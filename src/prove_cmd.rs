//! `cargo truecov prove`: mutation of the functions tests execute, after the full run, printed
//! with `prove`'s table (`cargo truecov --prove` is the same pipeline with the run's table).

use crate::cli::{Global, ProveArgs};
use crate::emit::Table;
use crate::outcome::Outcome;
use crate::proving;

/// Measures, mutates the selected functions, prints the report with its `prove` objects.
pub fn run(global: &Global, args: &ProveArgs) -> anyhow::Result<Outcome> {
    if args.run.build.partition.is_some() {
        anyhow::bail!("`prove --partition` is not supported yet: run `prove` whole, or partition `cargo truecov` and `merge` the parts");
    }
    proving::run(global, &args.run, &args.mutants, Table::Prove)
}
