//! `cargo truecov explain <name>`: why a test has its verdict (the oracles and tautologies the
//! scan found, what the test ran) or a function its class (the tests that ran it and the error
//! sites each reached).

use crate::cli::{BuildArgs, ExplainArgs, Global};
use crate::outcome::Outcome;
use crate::workspace::workspace;
use anyhow::{bail, Context};
use std::fmt::Write;
use truecov_model::{name_matches, FunctionEntry, Report, TestCase};
use truecov_render::explain;

/// Explains a test or a function.
pub fn run(global: &Global, args: &ExplainArgs) -> anyhow::Result<Outcome> {
    let scan = truecov_analyzer::scan(&workspace(global)?);
    let build = BuildArgs {
        target_dir: args.target_dir.clone(),
        ..BuildArgs::default()
    };
    let path = crate::paths::last_report_path(&scan.workspace_root, &build);
    let report: Option<Report> = match std::fs::read_to_string(&path) {
        Ok(text) => Some(
            serde_json::from_str(&text)
                .with_context(|| format!("{}: not a truecov report", path.display()))?,
        ),
        Err(_) => None,
    };
    let tests: Vec<&TestCase> = scan
        .tests
        .iter()
        .filter(|t| name_matches(&t.name, &args.name))
        .collect();
    let functions: Vec<&FunctionEntry> = report
        .iter()
        .flat_map(|r| &r.functions)
        .filter(|f| name_matches(&f.name, &args.name))
        .collect();
    let found = tests.len() + functions.len();
    if found == 0 {
        let hint = if report.is_none() {
            " (functions are explained from the last run's report: run `cargo truecov` first)"
        } else {
            ""
        };
        bail!("no test or function named `{}`{hint}", args.name);
    }
    if found > 1
        && !(tests.len() > 1
            && tests
                .iter()
                .all(|t| t.file == tests[0].file && t.line == tests[0].line))
    {
        let mut msg = format!("`{}` is ambiguous; say which:\n", args.name);
        for t in &tests {
            let _ = writeln!(msg, "  test      {} ({})", t.name, t.target);
        }
        for f in &functions {
            let _ = writeln!(msg, "  function  {} ({}:{})", f.name, f.file, f.line);
        }
        bail!(msg.trim_end().to_string());
    }
    let text = match (tests.first(), functions.first()) {
        (Some(t), _) => explain::test(t, report.as_ref()),
        (None, Some(f)) => explain::function(
            f,
            report.as_ref().expect("functions come from a report"),
            &scan,
        ),
        (None, None) => unreachable!("found > 0"),
    };
    print!("{text}");
    Ok(Outcome::Success)
}
