//! The table of `prove`: functions per status, mutants per outcome, then the functions whose
//! tests let mutants through, with the values they missed.

use super::fmt::count;
use super::fmt::pct;
use super::run::short_name;
use super::style::Style;
use super::survived;
use comfy_table::Cell;
use truecov_compare::survivors::survivors;
use truecov_model::{FunctionEntry, MutantOutcome, ProveEntry, ProveStatus, ProveSummary, Report};

/// How many functions each list shows (all with `--verbose`).
const LIST_LEN: usize = 12;

/// The headline: proven coverage, functions per status and mutants per outcome.
fn headline(report: &Report, p: &ProveSummary, style: &Style) -> String {
    let mut table = style.table();
    let s = &report.summary;
    if let Some(proven) = s.lines_proven {
        table.add_row(vec![
            Cell::new("proven coverage"),
            Cell::new(pct(s.proven_line_coverage)),
            Cell::new(format!(
                "{} lines · meaningful {} · raw {}",
                count(proven),
                pct(s.meaningful_line_coverage),
                pct(s.raw_line_coverage)
            )),
        ]);
    }
    let rows = [
        (
            ProveStatus::Tested,
            "tested",
            "every mutant that compiled was caught",
        ),
        (
            ProveStatus::PartiallyTested,
            "partially tested",
            "tests caught some mutants, missed others",
        ),
        (
            ProveStatus::PseudoTested,
            "pseudo-tested",
            "tests run them and catch no mutant",
        ),
        (ProveStatus::NotCovered, "not covered", "no test runs them"),
        (ProveStatus::Unviable, "unviable", "no mutant compiles"),
        (ProveStatus::Skipped, "skipped", "no mutant to try"),
    ];
    for (key, name, note) in rows {
        let n = p.count(key);
        if n > 0 || matches!(key, ProveStatus::Tested | ProveStatus::PseudoTested) {
            table.add_row(vec![Cell::new(name), Cell::new(count(n)), Cell::new(note)]);
        }
    }
    let m = |o| p.mutants_with(o);
    let total: u64 = p.mutants.values().sum();
    let builds = p.builds;
    table.add_row(vec![
        Cell::new("mutants"),
        Cell::new(count(total)),
        Cell::new(format!(
            "{} caught · {} missed · {} unviable · {} timeout · {} not covered; {builds} build{}, {:.1} s",
            m(MutantOutcome::Caught),
            m(MutantOutcome::Missed),
            m(MutantOutcome::Unviable),
            m(MutantOutcome::Timeout),
            m(MutantOutcome::NotCovered),
            if builds == 1 { "" } else { "s" },
            p.duration_ms as f64 / 1000.0
        )),
    ]);
    table.to_string()
}

/// One line per function of `wanted` status: where, which values its tests missed, how many
/// tests ran it.
fn missed_lines(report: &Report, wanted: ProveStatus, limit: usize) -> Vec<String> {
    let fns: Vec<&FunctionEntry> = report
        .functions
        .iter()
        .filter(|f| f.prove.as_ref().is_some_and(|p| p.status == wanted))
        .collect();
    fns.into_iter()
        .take(limit)
        .map(|f| {
            let missed = f
                .prove
                .as_ref()
                .map_or_else(Vec::new, |p| p.missed_values());
            let tests = f.executed_by.len();
            format!(
                "  {:<28} {:<28} missed {}   ({tests} test{} ran it)",
                format!("{}:{}", f.file, f.line),
                short_name(&f.name),
                missed.join(", "),
                if tests == 1 { "" } else { "s" }
            )
        })
        .collect()
}

/// The whole `prove` output.
pub fn render(report: &Report, style: &Style, verbose: bool) -> String {
    let limit = if verbose { usize::MAX } else { LIST_LEN };
    let mut out = String::new();
    out.push_str(&style.bold(&format!(" truecov prove  {}", report.workspace)));
    out.push('\n');
    let Some(summary) = &report.prove else {
        return out;
    };
    out.push_str(&headline(report, summary, style));
    out.push('\n');
    let lists = [
        (
            ProveStatus::PseudoTested,
            " Pseudo-tested: tests run these and notice no wrong result",
        ),
        (ProveStatus::PartiallyTested, " Partially tested"),
    ];
    for (wanted, title) in lists {
        let lines = missed_lines(report, wanted, limit);
        if !lines.is_empty() {
            out.push_str(&style.bold(title));
            out.push('\n');
            for l in lines {
                out.push_str(&l);
                out.push('\n');
            }
        }
    }
    let survivors = survivors(report);
    if !survivors.is_empty() {
        out.push_str(&style.bold(&format!(" Mutants that survived ({})", survivors.len())));
        out.push('\n');
        for l in survived::lines(&survivors, limit) {
            out.push_str(&l);
            out.push('\n');
        }
    }
    out.push_str(" Run `cargo truecov explain <function>` for each mutant; `--format json` for the report.\n");
    out
}

/// What `explain` says about a function's mutants: its status, then each mutant, the test
/// that caught it or those that ran and missed it.
pub fn explain(p: &ProveEntry, report: &Report) -> String {
    let name = |i: &usize| report.tests.get(*i).map_or("?", |t| t.name.as_str());
    let mut out = format!(
        "  prove: {}{} ({} caught, {} missed, {} unviable, {} timeout)\n",
        p.status,
        p.skipped
            .as_ref()
            .map_or(String::new(), |s| format!(", {s}")),
        p.caught,
        p.missed,
        p.unviable,
        p.timeout
    );
    for m in &p.mutants {
        let what = match (m.outcome, m.caught_by) {
            (MutantOutcome::Caught | MutantOutcome::Timeout, Some(t)) => {
                format!("{} by {}", m.outcome, name(&t))
            }
            (MutantOutcome::Unviable, _) => {
                format!("unviable: {}", m.error.as_deref().unwrap_or(""))
            }
            (o, _) => {
                let ran: Vec<&str> = m.tests_run.iter().map(name).collect();
                format!(
                    "{o}; ran {}",
                    if ran.is_empty() {
                        "no test".into()
                    } else {
                        ran.join(", ")
                    }
                )
            }
        };
        out.push_str(&format!("    {:<28} {what}\n", m.replacement));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn function(name: &str, outcomes: &[&str]) -> FunctionEntry {
        serde_json::from_value(truecov_compare::sample::proved(name, 3, outcomes)).unwrap()
    }

    /// A report with `tests` and no functions, whose summary counts nothing.
    fn report_of_tests(tests: serde_json::Value) -> Report {
        serde_json::from_value(serde_json::json!({
            "schema_version": 1, "tool_version": "0", "workspace": "/w",
            "summary": {"raw_line_coverage": null, "meaningful_line_coverage": null,
                "truth_ratio": null, "error_path_check_rate": null, "lines_coverable": null,
                "lines_raw": null, "lines_meaningful": null,
                "tests": {"total": 0, "meaningful": 0, "smoke": 0, "tautological": 0,
                          "assertion_free": 0, "ignored": 0, "failed": 0}},
            "tests": tests, "functions": []
        }))
        .unwrap()
    }

    #[test]
    fn lists_missed_values_of_pseudo_and_partially_tested_functions() {
        let mut report = report_of_tests(serde_json::json!([]));
        report.functions = vec![
            function("m::describe", &["missed", "missed"]),
            function("m::is_even", &["caught", "missed", "not_covered"]),
            function("m::add", &["caught", "unviable"]),
        ];
        report.prove = Some(truecov_scoring::prove::summary(&report, 1, 2500));
        let text = render(&report, &Style { color: false }, false);
        assert!(text.contains("pseudo-tested    ┆ 1"), "{text}");
        assert!(text.contains(
            "2 caught · 3 missed · 1 unviable · 0 timeout · 1 not covered; 1 build, 2.5 s"
        ));
        let pseudo = text.find("Pseudo-tested:").unwrap();
        let partial = text.find("Partially tested").unwrap();
        assert!(
            text[pseudo..partial]
                .contains("describe                     missed v0, v1   (2 tests ran it)"),
            "{text}"
        );
        assert!(text[partial..].contains("is_even                      missed v1"));
        assert!(!text.contains("add "));
    }

    #[test]
    fn explain_names_the_catching_test_and_the_tests_that_missed() {
        let mut report = report_of_tests(serde_json::json!([
            {"package": "p", "target": "lib", "name": "tests::a", "file": "src/lib.rs",
             "line": 9, "verdict": "meaningful", "ignored": false, "outcome": "passed",
             "findings": []}
        ]));
        let mut f = function("m::is_even", &["caught", "missed", "unviable"]);
        let p = f.prove.as_mut().unwrap();
        p.mutants[0].caught_by = Some(0);
        p.mutants[2].error = Some("E0277: no Default".into());
        report.functions = vec![f.clone()];
        let text = explain(f.prove.as_ref().unwrap(), &report);
        assert_eq!(
            text,
            "  prove: partially_tested (1 caught, 1 missed, 1 unviable, 0 timeout)\n    \
             v0                           caught by tests::a\n    \
             v1                           missed; ran tests::a\n    \
             v2                           unviable: E0277: no Default\n"
        );
    }
}
