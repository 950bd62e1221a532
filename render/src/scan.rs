//! The table of a static scan: counts per verdict, then every test that cannot fail properly.

use super::style::Style;
use comfy_table::Cell;
use truecov_model::{rules, Report, TestCounts, TestEntry, Verdict};

/// One line with the count of tests per verdict.
pub fn counts_line(report: &Report) -> String {
    let c = &report.summary.tests;
    let mut parts: Vec<String> = Verdict::ALL
        .iter()
        .map(|v| format!("{} {}", c.get(*v), v.as_str().replace('_', "-")))
        .collect();
    if c.ignored > 0 {
        parts.push(format!("{} ignored", c.ignored));
    }
    parts.extend(states_note(c));
    format!("{} tests: {}", c.total, parts.join(" · "))
}

/// The tests in no verdict count, said apart: "3 not scanned" (in the total), "2 not built"
/// (not in it: no binary contains them).
pub fn states_note(c: &TestCounts) -> Vec<String> {
    let mut parts = Vec::new();
    if c.unknown > 0 {
        parts.push(format!("{} not scanned", c.unknown));
    }
    if c.not_built > 0 {
        parts.push(format!("{} not built", c.not_built));
    }
    parts
}

/// The tests that are not meaningful, worst first, with file:line, verdict and why.
pub fn weak_tests_table(tests: &[&TestEntry], style: &Style, all_findings: bool) -> String {
    let mut table = style.table();
    table.set_header(["location", "test", "verdict", "why"]);
    for t in tests {
        let why: Vec<String> = t
            .findings
            .iter()
            .filter(|f| f.rule != rules::IGNORED || t.findings.len() == 1)
            .map(|f| format!("{} [{}]", f.message, f.rule))
            .collect();
        let why = if all_findings {
            why.join("\n")
        } else {
            why.into_iter().next().unwrap_or_default()
        };
        table.add_row(vec![
            Cell::new(format!("{}:{}", t.file, t.line)),
            Cell::new(&t.name),
            style.verdict_cell(t.verdict),
            Cell::new(why),
        ]);
    }
    table.to_string()
}

/// The tests that cannot fail properly ([`Verdict::is_weak`]), weakest first, then by place.
pub fn weak_tests(report: &Report) -> Vec<&TestEntry> {
    let mut weak: Vec<&TestEntry> = report
        .tests
        .iter()
        .filter(|t| t.verdict.is_weak())
        .collect();
    weak.sort_by(|a, b| (a.verdict, &a.file, a.line).cmp(&(b.verdict, &b.file, b.line)));
    weak
}

/// The whole scan output.
pub fn render(report: &Report, style: &Style, verbose: bool) -> String {
    let mut out = String::new();
    out.push_str(&style.bold(&format!(" truecov scan  {}", report.workspace)));
    out.push('\n');
    out.push_str(&format!(" {}\n", counts_line(report)));
    let weak = weak_tests(report);
    if weak.is_empty() {
        out.push_str(" Every test has a meaningful oracle.\n");
        return out;
    }
    out.push_str(&format!(
        " Tests that cannot fail properly ({})\n",
        weak.len()
    ));
    out.push_str(&weak_tests_table(&weak, style, verbose));
    out.push('\n');
    out
}
