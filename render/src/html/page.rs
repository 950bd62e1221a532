//! The frame every page shares (head, navigation, assets) and the small HTML pieces pages are
//! made of: escaping, verdict badges, coverage bars, links between pages.

use crate::fmt;
use truecov_model::{FunctionEntry, ProveStatus, Verdict};

const LAYOUT: &str = include_str!("assets/layout.html");

/// Which entry of the navigation a page belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Nav {
    /// The index and the file pages.
    Summary,
    /// The tests page.
    Tests,
}

/// What the frame of one page needs.
pub(super) struct Frame<'a> {
    /// Title of the page (before " · truecov").
    pub title: &'a str,
    /// Relative path from the page to the site's root (`""` or `"../../"`).
    pub root: &'a str,
    /// The navigation entry to highlight.
    pub nav: Nav,
    /// The workspace the report is about.
    pub project: &'a str,
    /// Version of the tool that wrote the report.
    pub tool_version: &'a str,
}

/// A whole page: the layout template with the frame's fields and `body` filled in.
pub(super) fn page(frame: &Frame<'_>, body: &str) -> String {
    let current = |nav: Nav| {
        if frame.nav == nav {
            " aria-current=\"page\""
        } else {
            ""
        }
    };
    fill(
        LAYOUT,
        &[
            ("title", &esc(frame.title)),
            ("root", frame.root),
            ("project", &esc(frame.project)),
            ("tool_version", &esc(frame.tool_version)),
            ("summary_current", current(Nav::Summary)),
            ("tests_current", current(Nav::Tests)),
            ("body", body),
        ],
    )
}

/// Replaces each `{{key}}` of `template` by its value. Values are inserted as they are and never
/// scanned for placeholders themselves; unknown placeholders are left untouched.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out =
        String::with_capacity(template.len() + values.iter().map(|v| v.1.len()).sum::<usize>());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let value = after.find("}}").and_then(|end| {
            let key = &after[..end];
            values
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (*v, end + 2))
        });
        match value {
            Some((v, used)) => {
                out.push_str(v);
                rest = &after[used..];
            }
            None => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Escapes text for HTML element content and double-quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A verdict as a badge: its name always written out, its colour and marker from the CSS class.
pub(super) fn verdict_badge(v: Verdict) -> String {
    format!(
        "<span class=\"badge v-{}\">{}</span>",
        v.as_str(),
        v.as_str().replace('_', "-")
    )
}

/// What `prove` found about a function, as a badge (an empty string when it was not proved).
pub(super) fn prove_badge(f: &FunctionEntry) -> String {
    f.prove
        .as_ref()
        .map_or_else(String::new, |p| status_badge(p.status))
}

/// A `prove` status as a badge: its name written out, its colour and marker from the CSS class.
pub(super) fn status_badge(status: ProveStatus) -> String {
    let name = status.as_str();
    format!(
        "<span class=\"badge p-{}\">{}</span>",
        esc(name),
        esc(&name.replace('_', "-"))
    )
}

/// Where the page of a source file is written, relative to the site's root.
pub(super) fn file_page_path(path: &str) -> String {
    format!("files/{path}.html")
}

/// The link to the page of a source file, relative to the site's root.
pub(super) fn file_href(path: &str) -> String {
    format!("files/{}.html", url_path(path))
}

/// The relative path from a file page back to the site's root.
pub(super) fn root_of_file_page(path: &str) -> String {
    "../".repeat(1 + path.matches('/').count())
}

/// Escapes the characters of a workspace path that are not safe in a relative URL.
fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'.' | b'-' | b'_' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The line anchor inside a source page.
pub(super) fn line_anchor(line: u32) -> String {
    format!("L{line}")
}

/// Lines of one file, a function or the workspace split into the three states.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Split {
    /// Coverable lines.
    pub coverable: u64,
    /// Lines executed by any test.
    pub raw: u64,
    /// Lines executed by a meaningful test.
    pub meaningful: u64,
}

/// A stacked bar of the three line states (meaningful, executed only, not executed), with a
/// text alternative for screen readers.
pub(super) fn split_bar(s: Split) -> String {
    if s.coverable == 0 {
        return "<span class=\"na\">no coverable lines</span>".to_string();
    }
    let weak = s.raw.saturating_sub(s.meaningful);
    let none = s.coverable.saturating_sub(s.raw);
    let width = |n: u64| n as f64 * 100.0 / s.coverable as f64;
    let label = format!(
        "{} meaningful, {} executed only by tests that check nothing, {} not executed",
        s.meaningful, weak, none
    );
    let mut out =
        format!("<span class=\"split\" role=\"img\" aria-label=\"{label}\" title=\"{label}\">");
    for (n, class) in [(s.meaningful, "st-m"), (weak, "st-w"), (none, "st-n")] {
        if n > 0 {
            out.push_str(&format!(
                "<span class=\"seg {class}\" style=\"width:{:.2}%\"></span>",
                width(n)
            ));
        }
    }
    out.push_str("</span>");
    out
}

/// A single percentage bar (raw or meaningful coverage) with the number beside it.
pub(super) fn pct_bar(value: Option<f64>, class: &str) -> String {
    match value {
        None => "<span class=\"na\">n/a</span>".to_string(),
        Some(v) => format!(
            "<span class=\"pct\"><span class=\"bar {class}\" aria-hidden=\"true\"><span style=\"width:{:.2}%\"></span></span>{}</span>",
            (v * 100.0).clamp(0.0, 100.0),
            fmt::pct(Some(v))
        ),
    }
}

/// The value a sortable cell sorts by: the number, or -1 for "n/a" so it sorts first.
pub(super) fn sort_value(value: Option<f64>) -> String {
    format!("{:.6}", value.unwrap_or(-1.0))
}

/// The legend of the three line states and the error-site markers.
pub(super) fn legend() -> &'static str {
    include_str!("assets/legend.html")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_does_not_rescan_inserted_values() {
        let out = fill(
            "<h1>{{a}}</h1>{{b}}{{unknown}}{{",
            &[("a", "{{b}}"), ("b", "x")],
        );
        assert_eq!(out, "<h1>{{b}}</h1>x{{unknown}}{{");
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn file_pages_mirror_paths_and_find_their_way_back() {
        assert_eq!(file_href("src/a b.rs"), "files/src/a%20b.rs.html");
        assert_eq!(file_page_path("src/a b.rs"), "files/src/a b.rs.html");
        assert_eq!(root_of_file_page("src/a.rs"), "../../");
        assert_eq!(root_of_file_page("lib.rs"), "../");
    }

    #[test]
    fn split_bar_widths_and_text_add_up() {
        let bar = split_bar(Split {
            coverable: 4,
            raw: 3,
            meaningful: 1,
        });
        assert!(bar
            .contains("1 meaningful, 2 executed only by tests that check nothing, 1 not executed"));
        assert!(bar.contains("st-m\" style=\"width:25.00%"));
        assert!(bar.contains("st-w\" style=\"width:50.00%"));
        assert!(bar.contains("st-n\" style=\"width:25.00%"));
        assert!(split_bar(Split {
            coverable: 0,
            raw: 0,
            meaningful: 0
        })
        .contains("no coverable"));
    }
}
