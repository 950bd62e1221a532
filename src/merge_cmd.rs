//! `cargo truecov merge shard-*.json`: the parts of a partitioned run (or `prove`) checked,
//! joined and scored into the report of the whole run, then delivered as `cargo truecov`
//! delivers it (printed in any `--format`, saved, gated, recorded once in the history).

use crate::cli::{Global, MergeArgs};
use crate::emit::Table;
use crate::outcome::Outcome;
use crate::{merge, pipeline, proving, shard_file};
use truecov_db::Provenance;

/// Reads, checks and joins the parts, then scores and delivers the whole run.
pub fn run(global: &Global, args: &MergeArgs) -> anyhow::Result<Outcome> {
    let shards = args
        .shards
        .iter()
        .map(|path| Ok((path.clone(), shard_file::read(path)?)))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let merged = merge::merge(shards)?;
    let mut report =
        truecov_scoring::score(&merged.scan, &merged.coverage, env!("CARGO_PKG_VERSION"));
    let table = match &merged.prove {
        Some(parts) => {
            truecov_prove::join(&mut report, parts);
            Table::Prove
        }
        None => Table::Run,
    };
    let ws = crate::workspace::workspace(global)?;
    let first = merged.first;
    let provenance = Provenance {
        git_commit: first.commit,
        git_branch: crate::git::branch(&ws.root),
        git_dirty: first.dirty,
        toolchain: first.toolchain,
        config_hash: first.config_hash,
    };
    pipeline::deliver(
        global,
        &args.as_run(),
        &ws,
        &report,
        &provenance,
        table,
        proving::pseudo_gate(args.fail_on_pseudo, &report),
    )
}
