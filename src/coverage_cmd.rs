//! `cargo truecov coverage`: per-test coverage of library code, without verdicts.

use crate::cli::{CoverageArgs, Format, Global};
use crate::measure_cmd;
use crate::outcome::Outcome;
use anyhow::{bail, Context};
use comfy_table::Cell;
use std::path::Path;
use truecov_coverage::read::import;
use truecov_model::{CoverageRun, FileCoverage, TestCoverage};
use truecov_render::{fmt::pct, style::Style};

/// Measures and prints per-test coverage, or the tests of one line.
pub fn run(global: &Global, args: &CoverageArgs) -> anyhow::Result<Outcome> {
    if !matches!(global.format, Format::Table | Format::Json) {
        bail!("`coverage` prints --format table or json; the report formats come from `cargo truecov` or `cargo truecov report`");
    }
    let mut run = match &args.import {
        Some(path) => imported(global, path)?,
        None => {
            let measured = measure_cmd::run(global, &args.build)?;
            truecov_scoring::library_only(&measured.coverage, &measured.scan)
        }
    };
    for t in &mut run.tests {
        t.regions.clear();
        t.repeated.clear();
    }
    for f in run.files.values_mut() {
        f.regions.clear();
    }
    if let Some(spec) = &args.tests_for {
        return tests_for(&run, spec, global.format);
    }
    match global.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&run)?),
        _ => print!("{}", table(&run, &global.color.style())),
    }
    Ok(Outcome::Success)
}

/// Aggregate coverage of the library files from another tool's export.
fn imported(global: &Global, path: &Path) -> anyhow::Result<CoverageRun> {
    let scan = truecov_analyzer::scan(&crate::workspace::workspace(global)?);
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let evaluated = if text.trim_start().starts_with('{') {
        import::llvm_cov_json(&text)
    } else {
        import::lcov(&text)
    }
    .with_context(|| format!("{}: not an llvm-cov export or lcov file", path.display()))?;
    let library = measure_cmd::library_paths(&scan);
    let mut run = CoverageRun {
        schema_version: truecov_model::coverage::SCHEMA_VERSION,
        ..CoverageRun::default()
    };
    for (recorded, counts) in &evaluated.files {
        let absolute = scan.workspace_root.join(recorded).display().to_string();
        let Some(rel) = library.get(recorded).or_else(|| library.get(&absolute)) else {
            continue;
        };
        run.files.insert(
            rel.clone(),
            FileCoverage {
                coverable: counts.lines.iter().map(|l| l.line).collect(),
                executed: counts.executed_lines().collect(),
                regions: Vec::new(),
            },
        );
    }
    Ok(truecov_scoring::library_only(&run, &scan))
}

fn table(run: &CoverageRun, style: &Style) -> String {
    let mut t = style.table();
    t.set_header(["file", "coverable", "executed", "line coverage", "tests"]);
    for (file, f) in &run.files {
        let tests = run
            .tests
            .iter()
            .filter(|x| x.lines.get(file).is_some_and(|l| !l.is_empty()))
            .count();
        let cov =
            (!f.coverable.is_empty()).then(|| f.executed.len() as f64 / f.coverable.len() as f64);
        t.add_row(vec![
            Cell::new(file),
            Cell::new(f.coverable.len()),
            Cell::new(f.executed.len()),
            Cell::new(pct(cov)),
            Cell::new(tests),
        ]);
    }
    format!("{t}\n {} tests run one by one\n", run.tests.len())
}

/// The tests that executed `file:line` (the question cargo-llvm-cov#357 asks).
fn tests_for(run: &CoverageRun, spec: &str, format: Format) -> anyhow::Result<Outcome> {
    let Some((file, line)) = spec.rsplit_once(':') else {
        bail!("--tests-for takes FILE:LINE, got `{spec}`");
    };
    let Ok(line) = line.parse::<u32>() else {
        bail!("--tests-for: `{line}` is not a line number");
    };
    let file = file.trim_start_matches("./");
    let Some(f) = run.files.get(file) else {
        bail!("--tests-for: `{file}` is not a library file of this workspace (paths are relative to the workspace root)");
    };
    if !f.coverable.contains(&line) {
        eprintln!("note: {file}:{line} holds no coverable code");
    }
    let tests: Vec<&TestCoverage> = run
        .tests
        .iter()
        .filter(|t| {
            t.lines
                .get(file)
                .is_some_and(|l| l.binary_search(&line).is_ok())
        })
        .collect();
    match format {
        Format::Json => {
            let names: Vec<serde_json::Value> = tests
                .iter()
                .map(|t| serde_json::json!({"package": t.package, "target": t.target, "name": t.name, "outcome": t.outcome}))
                .collect();
            println!("{}", serde_json::to_string_pretty(&names)?);
        }
        _ => {
            println!(" {} tests executed {file}:{line}", tests.len());
            for t in tests {
                println!("  {:<12} {}", t.target, t.name);
            }
        }
    }
    Ok(Outcome::Success)
}
