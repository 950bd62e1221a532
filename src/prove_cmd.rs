//! `cargo truecov prove`: mutation of the functions tests execute, after the full run, printed
//! with `prove`'s table (`cargo truecov --prove` is the same pipeline with the run's table).

use crate::cli::{Format, Global, ProveArgs};
use crate::emit::Table;
use crate::outcome::Outcome;
use crate::proving;
use crate::workspace::workspace;

/// Measures, mutates the selected functions, prints the report with its `prove` objects.
pub fn run(global: &Global, args: &ProveArgs) -> anyhow::Result<Outcome> {
    if args.list {
        return list(global);
    }
    proving::run(global, &args.run, &args.mutants, Table::Prove)
}

/// `--list`: the mutant set, as `cargo mutants --list` (or `--list --json`) prints it.
fn list(global: &Global) -> anyhow::Result<Outcome> {
    let ws = workspace(global)?;
    let scan = truecov_analyzer::scan(&ws);
    let (mutants, warnings) = truecov_analyzer::list_mutants(&ws, &scan.functions);
    if !global.quiet {
        for w in &warnings {
            eprintln!("warning: {w}");
        }
    }
    if global.format == Format::Json {
        let rows: Vec<serde_json::Value> = mutants
            .iter()
            .map(|m| {
                serde_json::json!({
                    "name": m.name,
                    "package": m.package,
                    "file": m.file,
                    "function": m.function,
                    "line": m.line,
                    "column": m.column,
                    "start": m.start,
                    "end": m.end,
                    "replacement": m.replacement,
                    "genre": m.genre.as_str(),
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        for m in &mutants {
            println!("{}", m.name);
        }
    }
    Ok(Outcome::Success)
}
