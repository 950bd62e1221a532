//! The page of one source file: every library line in one of its states (not executed,
//! executed only by tests that check nothing, executed by a meaningful test, and after `prove`
//! executed by a meaningful test but with a surviving mutant, shown on the line), error-path
//! sites marked, and the tests that ran each line (in the line's hover title and, on click, in a panel
//! with their verdicts).

use super::page::{self, esc, split_bar, Frame, Nav, Split};
use crate::fmt;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use truecov_compare::survivors::{survivors, SurvivingMutant};
use truecov_model::{FileEntry, Report, SiteEntry};

/// At most this many test names in a line's hover title; the panel lists them all.
const TITLE_NAMES: usize = 8;

/// The state of a coverable line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    NotExecuted,
    OnlyUnchecked,
    Meaningful,
    Survived,
}

impl State {
    /// The state of `line`; `survived`: a mutant on it survived.
    fn of(entry: &FileEntry, line: u32, survived: bool) -> Option<State> {
        if entry.meaningful.binary_search(&line).is_ok() {
            Some(if survived {
                State::Survived
            } else {
                State::Meaningful
            })
        } else if entry.executed.binary_search(&line).is_ok() {
            Some(State::OnlyUnchecked)
        } else if entry.coverable.binary_search(&line).is_ok() {
            Some(State::NotExecuted)
        } else {
            None
        }
    }

    /// CSS class, marker and words.
    fn look(self) -> (&'static str, &'static str, &'static str) {
        match self {
            State::NotExecuted => ("st-n", "✕", "not executed"),
            State::OnlyUnchecked => ("st-w", "!", "executed only by tests that check nothing"),
            State::Meaningful => ("st-m", "✓", "executed by a meaningful test"),
            State::Survived => (
                "st-s",
                "≠",
                "executed by a meaningful test, but a mutant here survived",
            ),
        }
    }
}

/// Whether an error site was checked, executed without a check, or never executed.
fn site_state(s: &SiteEntry) -> (&'static str, &'static str, &'static str) {
    if !s.checked_by.is_empty() {
        ("site-checked", "●", "checked")
    } else if !s.executed_by.is_empty() {
        ("site-unchecked", "◐", "executed, not checked")
    } else {
        ("site-never", "○", "never executed")
    }
}

/// The page of `path`; `text` is its source, `None` when it could not be read.
pub(super) fn render(report: &Report, project: &str, path: &str, text: Option<&str>) -> String {
    let root = page::root_of_file_page(path);
    let entry = report.files.iter().find(|f| f.file == path);
    let mut sites: BTreeMap<u32, Vec<&SiteEntry>> = BTreeMap::new();
    for f in report.functions.iter().filter(|f| f.file == path) {
        for s in &f.sites {
            sites.entry(s.line).or_default().push(s);
        }
    }
    let mut survived: BTreeMap<u32, Vec<SurvivingMutant>> = BTreeMap::new();
    for s in survivors(report).into_iter().filter(|s| s.file == path) {
        survived.entry(s.line).or_default().push(s);
    }
    let mut body = format!("<h1>{}</h1>", esc(path));
    match entry {
        Some(e) => body.push_str(&figures(e)),
        None => {
            body.push_str("<p class=\"muted\">Not library code: no line states on this page.</p>")
        }
    }
    body.push_str(&functions(report, path));
    body.push_str(&tests_here(report, path, &root));
    let source_lines: Vec<&str> = text.map(|t| t.lines().collect()).unwrap_or_default();
    let last = entry
        .and_then(|e| e.coverable.last().copied())
        .unwrap_or(0)
        .max(source_lines.len() as u32);
    if text.is_none() {
        body.push_str("<p class=\"muted\">The source of this file could not be read: lines are shown without their text.</p>");
    }
    let mut used_tests = BTreeSet::new();
    body.push_str("<table class=\"src\" aria-label=\"Source with line states\"><tbody>");
    for n in 1..=last {
        let code = source_lines.get(n as usize - 1).copied().unwrap_or("");
        let ran = entry
            .and_then(|e| e.tests_by_line.get(&n))
            .map_or(&[][..], Vec::as_slice);
        used_tests.extend(ran.iter().copied());
        let line_sites = sites.get(&n).map_or(&[][..], Vec::as_slice);
        for s in line_sites {
            used_tests.extend(s.checked_by.iter().copied());
        }
        let mutants = survived.get(&n).map_or(&[][..], Vec::as_slice);
        body.push_str(&row(
            report,
            entry.and_then(|e| State::of(e, n, !mutants.is_empty())),
            n,
            code,
            ran,
            line_sites,
            mutants,
        ));
    }
    body.push_str("</tbody></table>");
    body.push_str("<aside id=\"line-panel\" class=\"panel\" hidden aria-live=\"polite\" aria-label=\"Tests of the selected line\"><button type=\"button\" class=\"close\" aria-label=\"Close\">✕</button><div class=\"body\"></div></aside>");
    let _ = write!(
        body,
        "<script type=\"application/json\" id=\"line-data\">{}</script>",
        line_data(report, &used_tests, &sites, &root)
    );
    page::page(
        &Frame {
            title: path,
            root: &root,
            nav: Nav::Summary,
            project,
            tool_version: &report.tool_version,
        },
        &body,
    )
}

fn figures(e: &FileEntry) -> String {
    let g = &e.figures;
    format!(
        "<div class=\"fig\"><span>meaningful <strong>{}</strong></span><span>raw <strong>{}</strong></span><span>truth ratio <strong>{}</strong></span><span>error sites checked <strong>{} / {}</strong></span>{}</div>{}",
        fmt::pct(g.meaningful()),
        fmt::pct(g.raw()),
        fmt::ratio(g.truth()),
        g.error_sites_checked,
        g.error_sites,
        split_bar(Split {
            coverable: g.lines_coverable,
            raw: g.lines_raw,
            meaningful: g.lines_meaningful
        }),
        page::legend()
    )
}

fn functions(report: &Report, path: &str) -> String {
    let proved = report.prove.is_some();
    let mut out = String::new();
    for f in report.functions.iter().filter(|f| f.file == path) {
        let _ = write!(
            out,
            "<tr><td><a href=\"#{}\">{}</a></td><td>{}</td><td>{}</td><td class=\"num\">{} / {}</td>",
            page::line_anchor(f.line),
            esc(&f.name),
            esc(&f.class.as_str().replace('_', " ")),
            split_bar(Split {
                coverable: f.lines_coverable,
                raw: f.lines_raw,
                meaningful: f.lines_meaningful
            }),
            f.error_sites_checked,
            f.error_sites
        );
        if proved {
            let _ = write!(out, "<td>{}</td>", page::prove_badge(f));
        }
        out.push_str("</tr>");
    }
    if out.is_empty() {
        return out;
    }
    let prove_head = if proved {
        "<th scope=\"col\">Prove</th>"
    } else {
        ""
    };
    format!("<table class=\"data functions\" aria-label=\"Functions of this file\"><thead><tr><th scope=\"col\">Function</th><th scope=\"col\">Class</th><th scope=\"col\">Line states</th><th scope=\"col\" class=\"num\">Error sites checked</th>{prove_head}</tr></thead><tbody>{out}</tbody></table>")
}

fn tests_here(report: &Report, path: &str, root: &str) -> String {
    let items: Vec<String> = report
        .tests
        .iter()
        .enumerate()
        .filter(|(_, t)| t.file == path)
        .map(|(i, t)| {
            format!(
                "<li><a href=\"#{}\">:{}</a> <a href=\"{root}tests.html#t-{i}\">{}</a> {}</li>",
                page::line_anchor(t.line),
                t.line,
                esc(&t.name),
                page::verdict_badge(t.verdict)
            )
        })
        .collect();
    if items.is_empty() {
        return String::new();
    }
    format!(
        "<details class=\"tests-here\"><summary>{} tests defined in this file</summary><ul>{}</ul></details>",
        items.len(),
        items.concat()
    )
}

fn row(
    report: &Report,
    state: Option<State>,
    n: u32,
    code: &str,
    ran: &[usize],
    sites: &[&SiteEntry],
    survived: &[SurvivingMutant],
) -> String {
    let anchor = page::line_anchor(n);
    let (class, mark, words) = state.map_or(("", "", ""), State::look);
    let mut classes = class.to_string();
    if !ran.is_empty() {
        classes.push_str(" has-tests");
    }
    let mut attrs = String::new();
    if !classes.is_empty() {
        let _ = write!(attrs, " class=\"{}\"", classes.trim());
    }
    if !ran.is_empty() {
        let ids: Vec<String> = ran.iter().map(usize::to_string).collect();
        let _ = write!(attrs, " data-t=\"{}\"", ids.join(" "));
    }
    if let Some(s) = state {
        let _ = write!(
            attrs,
            " data-state=\"{words}\" title=\"{}\"",
            esc(&hover(report, s, ran))
        );
    }
    let markers: String = sites
        .iter()
        .map(|s| {
            let (class, symbol, state) = site_state(s);
            format!(
                "<span class=\"site {class}\" title=\"error site `{}` ({}): {state}\">{symbol}</span>",
                esc(&s.text),
                esc(s.kind.as_str())
            )
        })
        .collect();
    let mutants: String = survived
        .iter()
        .map(|s| {
            format!(
                "<span class=\"mutant\">{} survived: {}</span>",
                esc(&s.change()),
                esc(s.reason())
            )
        })
        .collect();
    format!(
        "<tr id=\"{anchor}\"{attrs}><td class=\"ln\"><a href=\"#{anchor}\">{n}</a></td><td class=\"mk\">{mark}</td><td class=\"es\">{markers}</td><td class=\"code\">{}{mutants}</td></tr>",
        esc(code)
    )
}

/// The hover text of a coverable line: its state and the first tests that ran it.
fn hover(report: &Report, state: State, ran: &[usize]) -> String {
    let words = state.look().2;
    if ran.is_empty() {
        return words.to_string();
    }
    let names: Vec<String> = ran
        .iter()
        .take(TITLE_NAMES)
        .filter_map(|&i| report.tests.get(i))
        .map(|t| format!("{} ({})", t.name, t.verdict.as_str()))
        .collect();
    let more = ran.len().saturating_sub(TITLE_NAMES);
    let tail = if more > 0 {
        format!(", and {more} more (click the line for all)")
    } else {
        String::new()
    };
    format!("{words}; run by {}{tail}", names.join(", "))
}

/// The data the panel shows: the page's tests by index and the error sites by line. `<` is
/// escaped so the JSON cannot close its `<script>` element.
fn line_data(
    report: &Report,
    tests: &BTreeSet<usize>,
    sites: &BTreeMap<u32, Vec<&SiteEntry>>,
    root: &str,
) -> String {
    let tests: Map<String, Value> = tests
        .iter()
        .filter_map(|&i| report.tests.get(i).map(|t| (i, t)))
        .map(|(i, t)| {
            (
                i.to_string(),
                json!({"name": t.name, "verdict": t.verdict.as_str(), "outcome": t.outcome,
                       "href": format!("{root}tests.html#t-{i}")}),
            )
        })
        .collect();
    let sites: Map<String, Value> = sites
        .iter()
        .map(|(line, list)| {
            let list: Vec<Value> = list
                .iter()
                .map(|s| {
                    json!({"kind": s.kind, "text": s.text, "state": site_state(s).2,
                                "checked_by": s.checked_by})
                })
                .collect();
            (line.to_string(), Value::from(list))
        })
        .collect();
    json!({"tests": tests, "sites": sites})
        .to_string()
        .replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_data_cannot_close_its_script_and_unreadable_sources_still_show_states() {
        let report: Report = serde_json::from_value(json!({
            "schema_version": 1, "tool_version": "0", "workspace": "/w", "summary": {
                "raw_line_coverage": 1.0, "meaningful_line_coverage": 0.0, "truth_ratio": 0.0,
                "error_path_check_rate": null, "lines_coverable": 2, "lines_raw": 1,
                "lines_meaningful": 0, "tests": {"total": 1, "meaningful": 0, "smoke": 1,
                "tautological": 0, "assertion_free": 0, "ignored": 0, "failed": 0}},
            "tests": [{"package": "p", "target": "lib", "name": "t</script><b>", "file": "src/lib.rs",
                       "line": 9, "verdict": "smoke", "ignored": false, "outcome": "passed",
                       "findings": []}],
            "functions": [],
            "files": [{"package": "p", "file": "src/lib.rs", "lines_coverable": 2, "lines_raw": 1,
                       "lines_meaningful": 0, "error_sites": 0, "error_sites_executed": 0,
                       "error_sites_checked": 0, "raw_line_coverage": 0.5,
                       "meaningful_line_coverage": 0.0, "truth_ratio": 0.0, "coverable": [2, 3],
                       "executed": [2], "meaningful": [], "tests_by_line": {"2": [0]}}]
        }))
        .unwrap();
        let html = render(&report, "p", "src/lib.rs", None);
        assert_eq!(
            html.matches("</script>").count(),
            2,
            "the app's and the data's own"
        );
        assert!(html.contains("t\\u003c/script>\\u003cb>"), "{html}");
        assert!(html.contains("could not be read"));
        assert!(html.contains("<tr id=\"L2\" class=\"st-w has-tests\" data-t=\"0\""));
        assert!(html.contains("<tr id=\"L3\" class=\"st-n\""));
        assert!(
            !html.contains("id=\"L4\""),
            "no lines past the last coverable one"
        );
    }
}
