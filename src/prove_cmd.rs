//! `cargo truecov prove`: mutation of the functions tests execute, after the full run, printed
//! with `prove`'s table (`cargo truecov --prove` is the same pipeline with the run's table).

use crate::cli::{Global, ProveArgs};
use crate::emit::Table;
use crate::outcome::Outcome;
use crate::proving;

/// Measures, mutates the selected functions, prints the report with its `prove` objects.
pub fn run(global: &Global, args: &ProveArgs) -> anyhow::Result<Outcome> {
    proving::run(global, &args.run, &args.mutants, Table::Prove)
}
