//! The index: the headline, the trend when there is history, then every file and every
//! function with its three line states.

use super::page::{self, esc, pct_bar, sort_value, split_bar, Frame, Nav, Split};
use super::trend::{self, TrendPoint};
use crate::fmt;
use std::fmt::Write;
use truecov_compare::ProveFindings;
use truecov_model::{ProveStatus, Report, Verdict};

/// The index page.
pub(super) fn render(report: &Report, project: &str, trend: &[TrendPoint]) -> String {
    let mut body = String::new();
    let _ = write!(body, "<h1>Meaningful coverage of {}</h1>", esc(project));
    let prove = ProveFindings::of(None, report);
    body.push_str(&headline(report, prove.as_ref()));
    body.push_str(page::legend());
    if trend.len() > 1 {
        body.push_str("<h2>Trend</h2>");
        body.push_str(&trend::chart(trend));
    }
    if report.files.is_empty() {
        body.push_str("<p class=\"muted\">This report has no coverage (a static scan): see the tests page for verdicts.</p>");
    } else {
        body.push_str(&files_table(report));
        body.push_str(&doubted_table(prove.as_ref()));
        body.push_str(&functions_table(report));
    }
    page::page(
        &Frame {
            title: project,
            root: "",
            nav: Nav::Summary,
            project,
            tool_version: &report.tool_version,
        },
        &body,
    )
}

fn headline(report: &Report, prove: Option<&ProveFindings>) -> String {
    let s = &report.summary;
    let lines = |n: Option<u64>| n.map_or_else(|| "n/a".to_string(), fmt::count);
    let unchecked = s.truth_ratio.map_or_else(String::new, |t| {
        format!(
            "{:.0} % of the executed lines are checked by nothing",
            (1.0 - t) * 100.0
        )
    });
    let sites: (u64, u64) = report.functions.iter().fold((0, 0), |(c, a), f| {
        (c + f.error_sites_checked, a + f.error_sites)
    });
    let counts = &s.tests;
    let verdicts: Vec<String> = Verdict::ALL
        .iter()
        .map(|&v| format!("{} {}", counts.get(v), page::verdict_badge(v)))
        .collect();
    let mut out = String::from("<section class=\"cards\" aria-label=\"Headline\">");
    let _ = write!(
        out,
        "<div class=\"card main\"><h2>Meaningful coverage</h2><p class=\"big\">{}</p><p>{} of {} library lines run by tests that can fail</p></div>",
        fmt::pct(s.meaningful_line_coverage),
        lines(s.lines_meaningful),
        lines(s.lines_coverable)
    );
    let _ = write!(
        out,
        "<div class=\"card\"><h2>Raw coverage</h2><p class=\"big\">{}</p><p>{} of {} lines executed by any test</p></div>",
        fmt::pct(s.raw_line_coverage),
        lines(s.lines_raw),
        lines(s.lines_coverable)
    );
    let _ = write!(
        out,
        "<div class=\"card\"><h2>Truth ratio</h2><p class=\"big\">{}</p><p>{unchecked}</p></div>",
        fmt::ratio(s.truth_ratio)
    );
    let _ = write!(
        out,
        "<div class=\"card\"><h2>Error-path checks</h2><p class=\"big\">{}</p><p>{} of {} error sites checked</p></div>",
        fmt::pct(s.error_path_check_rate),
        sites.0,
        sites.1
    );
    if let Some(p) = prove {
        let _ = write!(
            out,
            "<div class=\"card\"><h2>Pseudo-tested</h2><p class=\"big\">{}</p><p>prove: {}</p></div>",
            p.summary.count(ProveStatus::PseudoTested),
            esc(&p.headline())
        );
    }
    let _ = write!(
        out,
        "<div class=\"card\"><h2>Tests</h2><p class=\"big\">{}</p><p>{}</p></div></section>",
        counts.total,
        verdicts.join(" ")
    );
    if let (Some(coverable), Some(raw), Some(meaningful)) =
        (s.lines_coverable, s.lines_raw, s.lines_meaningful)
    {
        let _ = write!(
            out,
            "<div class=\"overall\">{}</div>",
            split_bar(Split {
                coverable,
                raw,
                meaningful
            })
        );
    }
    out
}

/// A sortable table's head: `(label, numeric)` per column.
fn head(id: &str, caption: &str, columns: &[(&str, bool)]) -> String {
    let mut out = format!("<h2 id=\"{id}-title\">{caption}</h2><table class=\"data sortable\" id=\"{id}\" aria-labelledby=\"{id}-title\"><thead><tr>");
    for (label, numeric) in columns {
        let class = if *numeric {
            " class=\"num\" data-type=\"num\""
        } else {
            ""
        };
        let _ = write!(
            out,
            "<th scope=\"col\"{class}><button type=\"button\">{label}</button></th>"
        );
    }
    out.push_str("</tr></thead><tbody>");
    out
}

fn files_table(report: &Report) -> String {
    let mut out = head(
        "files",
        "Files",
        &[
            ("File", false),
            ("Lines", true),
            ("Line states", true),
            ("Raw", true),
            ("Meaningful", true),
            ("Truth", true),
            ("Error sites checked", true),
        ],
    );
    for f in &report.files {
        let g = &f.figures;
        let _ = write!(
            out,
            "<tr><td><a href=\"{}\">{}</a></td><td class=\"num\">{}</td><td data-value=\"{}\">{}</td><td class=\"num\" data-value=\"{}\">{}</td><td class=\"num\" data-value=\"{}\">{}</td><td class=\"num\" data-value=\"{}\">{}</td><td class=\"num\" data-value=\"{}\">{} / {}</td></tr>",
            page::file_href(&f.file),
            esc(&f.file),
            g.lines_coverable,
            sort_value(g.meaningful()),
            split_bar(Split { coverable: g.lines_coverable, raw: g.lines_raw, meaningful: g.lines_meaningful }),
            sort_value(f.raw_line_coverage),
            pct_bar(f.raw_line_coverage, "raw"),
            sort_value(f.meaningful_line_coverage),
            pct_bar(f.meaningful_line_coverage, "meaningful"),
            sort_value(f.truth_ratio),
            fmt::ratio(f.truth_ratio),
            sort_value(g.error_checks()),
            g.error_sites_checked,
            g.error_sites
        );
    }
    out.push_str("</tbody></table>");
    out
}

/// A function's name, linked to its line, and where it is.
fn function_cell(name: &str, file: &str, line: u32) -> String {
    format!(
        "<td><a href=\"{}#{}\">{}</a> <span class=\"muted\">{}:{line}</span></td>",
        page::file_href(file),
        page::line_anchor(line),
        esc(name),
        esc(file)
    )
}

/// The functions `prove` found their tests let a mutant through, with the values missed.
fn doubted_table(prove: Option<&ProveFindings>) -> String {
    let Some(p) = prove.filter(|p| !p.doubted.is_empty()) else {
        return String::new();
    };
    let mut out = head(
        "doubted",
        "Functions whose tests let a mutant through",
        &[
            ("Function", false),
            ("Prove", false),
            ("Values no test noticed", false),
            ("Tests that run it", true),
        ],
    );
    for d in &p.doubted {
        let missed: Vec<String> = d
            .missed
            .iter()
            .map(|v| format!("<code>{}</code>", esc(v)))
            .collect();
        let _ = write!(
            out,
            "<tr>{}<td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
            function_cell(&d.name, &d.file, d.line),
            page::status_badge(d.status),
            missed.join(", "),
            d.tests
        );
    }
    out.push_str("</tbody></table>");
    out
}

fn functions_table(report: &Report) -> String {
    let proved = report.prove.is_some();
    let mut columns = vec![
        ("Function", false),
        ("Class", false),
        ("Line states", true),
        ("Lines", true),
        ("Error sites checked", true),
    ];
    if proved {
        columns.push(("Prove", false));
    }
    let mut out = head("functions", "Functions", &columns);
    for f in &report.functions {
        let split = Split {
            coverable: f.lines_coverable,
            raw: f.lines_raw,
            meaningful: f.lines_meaningful,
        };
        let _ = write!(
            out,
            "<tr>{}<td>{}</td><td data-value=\"{}\">{}</td><td class=\"num\">{}</td><td class=\"num\" data-value=\"{}\">{} / {}</td>",
            function_cell(&f.name, &f.file, f.line),
            esc(&f.class.as_str().replace('_', " ")),
            sort_value(truecov_model::ratio(f.lines_meaningful, f.lines_coverable)),
            split_bar(split),
            f.lines_coverable,
            sort_value(truecov_model::ratio(f.error_sites_checked, f.error_sites)),
            f.error_sites_checked,
            f.error_sites
        );
        if proved {
            let _ = write!(out, "<td>{}</td>", page::prove_badge(f));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}
