//! Shard files (docs/shards.md): what a partitioned run or `prove` writes (`--partition K/N
//! --output FILE`) and `merge` reads back, with the fingerprint that tells the parts of one
//! build.

use crate::cli::{Global, RunArgs};
use crate::measure_cmd::Measured;
use crate::outcome::Outcome;
use anyhow::{bail, Context};
use std::path::Path;
use truecov_model::{
    CoverageRun, Partition, ProvePart, Shard, TestId, SHARD_FORMAT, SHARD_VERSION,
};

/// The file a partitioned run writes to: `--output`, which it must have.
pub fn output_of(args: &RunArgs) -> anyhow::Result<&Path> {
    match &args.output {
        Some(path) => Ok(path),
        None => bail!("--partition writes its part to a file for `cargo truecov merge`: add `--output shard-K.json`"),
    }
}

/// Writes the part `measured` holds (with `prove`, the part of `prove`'s mutants tried on the
/// whole run `measured` holds) to `--output` and says so on stderr. Gates and the history wait
/// for `merge`, which sees the whole run.
pub fn deliver(
    global: &Global,
    args: &RunArgs,
    measured: &Measured,
    partition: Partition,
    prove: Option<ProvePart>,
) -> anyhow::Result<Outcome> {
    let path = output_of(args)?;
    let provenance = measured.provenance.clone();
    let shard = Shard {
        format: SHARD_FORMAT.to_owned(),
        version: SHARD_VERSION,
        partition,
        commit: provenance.git_commit,
        dirty: provenance.git_dirty,
        config_hash: provenance.config_hash,
        toolchain: provenance.toolchain,
        fingerprint: fingerprint(&measured.coverage, &measured.tests),
        tests: measured.tests.clone(),
        scan: measured.scan.clone(),
        coverage: measured.coverage.clone(),
        prove,
    };
    let json = serde_json::to_string(&shard)?;
    std::fs::write(path, json).with_context(|| format!("cannot write {}", path.display()))?;
    if !global.quiet {
        let (part, whole, what) = match &shard.prove {
            Some(p) => {
                let tried = p.functions.iter().map(|f| f.mutants.len()).sum();
                (tried, p.planned, "mutants")
            }
            None => (shard.coverage.tests.len(), shard.tests.len(), "tests"),
        };
        eprintln!(
            "    Wrote part {partition} ({part} of {whole} {what}) to {}",
            path.display()
        );
    }
    Ok(Outcome::Success)
}

/// What every part of one build shares: the test binaries' file names (cargo's hash of the
/// package, profile and features is in them), every library file's coverable lines and
/// regions (the build's coverage mappings) and the whole run's test list, hashed (FNV-1a).
pub fn fingerprint(coverage: &CoverageRun, tests: &[TestId]) -> String {
    let mut text = String::new();
    for binary in &coverage.binaries {
        let name = Path::new(binary)
            .file_name()
            .map_or(binary.clone(), |n| n.to_string_lossy().into_owned());
        text.push_str(&format!("binary {name}\n"));
    }
    for (file, f) in &coverage.files {
        text.push_str(&format!("file {file} {:?} {:?}\n", f.coverable, f.regions));
    }
    for t in tests {
        text.push_str(&format!("test {}\t{}\t{}\n", t.package, t.target, t.name));
    }
    format!("{:016x}", crate::provenance::fnv1a(text.as_bytes()))
}

/// Reads a shard file; an error names the file and what is wrong with it.
pub fn read(path: &Path) -> anyhow::Result<Shard> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a JSON file", path.display()))?;
    if value.get("format").and_then(|f| f.as_str()) != Some(SHARD_FORMAT) {
        bail!(
            "{}: not a truecov shard file (write one with `cargo truecov --partition K/N --output FILE`)",
            path.display()
        );
    }
    let version = value.get("version").and_then(|v| v.as_u64());
    if !version.is_some_and(|v| (1..=u64::from(SHARD_VERSION)).contains(&v)) {
        bail!(
            "{}: shard file version {} is not one this cargo-truecov reads (1 to {SHARD_VERSION})",
            path.display(),
            version.map_or("(none)".to_owned(), |v| v.to_string())
        );
    }
    serde_json::from_value(value)
        .with_context(|| format!("{}: malformed shard file", path.display()))
}
