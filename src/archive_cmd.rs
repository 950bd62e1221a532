//! `cargo truecov archive --output FILE`: build once with coverage and pack what running the
//! tests takes (docs/shards.md), so that shards run on machines without the build.

use crate::cli::{ArchiveArgs, Global};
use crate::measure_cmd;
use crate::outcome::Outcome;

/// Scans, builds and writes the archive.
pub fn run(global: &Global, args: &ArchiveArgs) -> anyhow::Result<Outcome> {
    if args.build.archive.is_some() || args.build.partition.is_some() {
        anyhow::bail!(
            "`archive` builds: --archive and --partition are for the runs of its archive"
        );
    }
    let (ws, scan, built) = measure_cmd::build_only(global, &args.build)?;
    let provenance = crate::provenance::of(&ws, &args.build);
    measure_cmd::pack(&args.output, &ws, &scan, &built, &provenance)?;
    if !global.quiet {
        eprintln!(
            "    Archived {} test binaries to {}",
            built.executables.len(),
            args.output.display()
        );
    }
    Ok(Outcome::Success)
}
