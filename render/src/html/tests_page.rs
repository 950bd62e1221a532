//! The tests page: every test with its verdict, outcome and findings, linked to its source line.

use super::page::{self, esc, Frame, Nav};
use std::fmt::Write;
use truecov_model::{Report, TestEntry, Verdict};

/// The tests page.
pub(super) fn render(report: &Report, project: &str) -> String {
    let counts = &report.summary.tests;
    let mut body = format!(
        "<h1>Tests</h1><p>{} tests: {}.</p>",
        counts.total,
        Verdict::ALL
            .iter()
            .map(|&v| format!("{} {}", counts.get(v), page::verdict_badge(v)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    body.push_str("<p class=\"filter\"><label for=\"verdict-filter\">Show </label><select id=\"verdict-filter\"><option value=\"\">all verdicts</option>");
    for v in Verdict::ALL {
        let _ = write!(body, "<option value=\"{0}\">{0}</option>", v.as_str());
    }
    body.push_str("</select></p>");
    body.push_str("<table class=\"data sortable\" id=\"tests\" aria-label=\"Tests\"><thead><tr><th scope=\"col\"><button type=\"button\">Test</button></th><th scope=\"col\"><button type=\"button\">Target</button></th><th scope=\"col\" data-type=\"num\"><button type=\"button\">Verdict</button></th><th scope=\"col\"><button type=\"button\">Outcome</button></th><th scope=\"col\">Findings</th></tr></thead><tbody>");
    for (i, t) in report.tests.iter().enumerate() {
        body.push_str(&row(i, t));
    }
    body.push_str("</tbody></table>");
    page::page(
        &Frame {
            title: "Tests",
            root: "",
            nav: Nav::Tests,
            project,
            tool_version: &report.tool_version,
        },
        &body,
    )
}

/// Weakest first, so an ascending sort puts the tests to fix on top.
fn strength(v: Verdict) -> usize {
    Verdict::ALL.len() - Verdict::ALL.iter().position(|&x| x == v).unwrap_or(0)
}

fn row(i: usize, t: &TestEntry) -> String {
    let href = page::file_href(&t.file);
    let findings: String = t
        .findings
        .iter()
        .map(|f| {
            format!(
                "<li><code>{}</code> <a href=\"{href}#{}\">:{}</a> {}</li>",
                esc(&f.rule),
                page::line_anchor(f.line),
                f.line,
                esc(&f.message)
            )
        })
        .collect();
    let outcome = match (&t.outcome, t.ignored) {
        (Some(o), _) => esc(o.as_str()),
        (None, true) => "ignored".to_string(),
        (None, false) => "not run".to_string(),
    };
    format!(
        "<tr id=\"t-{i}\" data-verdict=\"{}\"><td><a href=\"{href}#{}\">{}</a> <span class=\"muted\">{}:{}</span></td><td>{} <span class=\"muted\">{}</span></td><td data-value=\"{}\">{}</td><td>{outcome}</td><td>{}</td></tr>",
        t.verdict.as_str(),
        page::line_anchor(t.line),
        esc(&t.name),
        esc(&t.file),
        t.line,
        esc(&t.target),
        esc(&t.package),
        strength(t.verdict),
        page::verdict_badge(t.verdict),
        if findings.is_empty() { String::new() } else { format!("<ul class=\"findings\">{findings}</ul>") }
    )
}
