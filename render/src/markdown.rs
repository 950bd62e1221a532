//! The pull-request comment (`diff --format markdown`, and `--format markdown` of one run): the
//! headline with its deltas first, then what to act on, long lists folded in `<details>`. It
//! starts with a hidden marker so a workflow can find and update its own comment.

use super::delta;
use super::fmt::{pct, ratio};
use super::history::short_commit;
use super::run::short_name;
use super::survived;
use std::fmt::Write;
use truecov_compare::patch::Patch;
use truecov_compare::survivors::SurvivingMutant;
use truecov_compare::{Comparison, MetricDelta, Side, TestChange};
use truecov_model::Report;

/// The noise threshold of a comment without `--min-delta` (the default of `diff`).
pub const DEFAULT_MIN_DELTA_PP: f64 = 0.1;

/// The hidden first line of every comment.
pub const MARKER: &str = "<!-- truecov-comment -->";

/// Rows shown per list (GitHub caps a comment at 65,536 characters).
const LIST_MAX: usize = 25;

/// Inline code, safe for any content.
fn code(s: &str) -> String {
    let fence = if s.contains('`') { "``" } else { "`" };
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// Text for a table cell: one line, pipes escaped, and outside code spans no HTML.
fn cell(s: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for ch in s.chars() {
        match ch {
            '`' => {
                in_code = !in_code;
                out.push(ch);
            }
            '|' => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            '<' if !in_code => out.push_str("&lt;"),
            '>' if !in_code => out.push_str("&gt;"),
            _ => out.push(ch),
        }
    }
    out
}

fn value(m: &MetricDelta, v: Option<f64>) -> String {
    if m.is_percentage() {
        pct(v)
    } else {
        ratio(v)
    }
}

fn header(out: &mut String, c: &Comparison) {
    let part = |m: &MetricDelta, name: &str| match c.base {
        Some(_) => format!("{name} {} ({})", value(m, m.head), delta::of(m)),
        None => format!("{name} {}", value(m, m.head)),
    };
    let proven = c
        .proven()
        .map_or(String::new(), |m| format!(" · {}", part(m, "proven")));
    let _ = writeln!(
        out,
        "### truecov: {} · {}{proven}\n",
        part(c.meaningful(), "meaningful coverage"),
        part(c.raw(), "raw")
    );
}

fn figures(out: &mut String, c: &Comparison) {
    if c.base.is_some() {
        out.push_str("| | base | head | Δ |\n|---|---:|---:|---:|\n");
    } else {
        out.push_str("| | |\n|---|---:|\n");
    }
    for m in &c.metrics {
        match c.base {
            Some(_) => {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    m.label,
                    value(m, m.base),
                    value(m, m.head),
                    delta::of(m)
                );
            }
            None => {
                let _ = writeln!(out, "| {} | {} |", m.label, value(m, m.head));
            }
        }
    }
    out.push('\n');
}

/// `run 12 · \`4f2a9c1\` on main, dirty`.
fn side(s: &Side) -> String {
    let mut text = match &s.run {
        Some(run) if s.label == format!("run {}", run.id) => s.label.clone(),
        Some(_) | None => code(&s.label),
    };
    if let Some(run) = &s.run {
        let p = &run.provenance;
        if let Some(commit) = &p.git_commit {
            let _ = write!(text, " · {}", code(&short_commit(commit)));
        }
        if let Some(branch) = &p.git_branch {
            let _ = write!(text, " on {}", cell(branch));
        }
        if p.git_dirty == Some(true) {
            text.push_str(", dirty");
        }
    }
    text
}

fn sides(out: &mut String, c: &Comparison) {
    match &c.base {
        Some(base) => {
            let _ = writeln!(
                out,
                "**Base:** {} — **head:** {}\n",
                side(base),
                side(&c.head)
            );
        }
        None => {
            let _ = writeln!(out, "**Run:** {}\n", side(&c.head));
            out.push_str(
                "_No base to compare with yet: deltas appear once the base branch has a \
                 recorded run or a baseline (`--base`)._\n\n",
            );
        }
    }
    if c.unchanged() {
        let _ = writeln!(
            out,
            "No change beyond the noise threshold ({} pp).\n",
            c.min_delta_pp
        );
    }
}

fn gate(out: &mut String, c: &Comparison) {
    if let Some(g) = c.gate.as_ref().filter(|g| g.failed) {
        let _ = writeln!(
            out,
            "> [!CAUTION]\n> Meaningful coverage dropped by {:.1} pp, more than the {} pp allowed.\n",
            g.drop_pp, g.max_drop_pp
        );
    }
}

fn patch(out: &mut String, p: &Patch) {
    if p.lines == 0 {
        let _ = writeln!(
            out,
            "**This change** ({}): no library lines added or changed.\n",
            code(&p.range)
        );
        return;
    }
    let proven = p.proven.map_or(String::new(), |n| {
        format!(" · {n} proven ({:.0} %)", n as f64 * 100.0 / p.lines as f64)
    });
    let _ = writeln!(
        out,
        "**This change** ({}): {} library lines added or changed · {} executed · {} meaningfully ({:.0} %){proven}",
        code(&p.range),
        p.lines,
        p.executed,
        p.meaningful,
        p.meaningful as f64 * 100.0 / p.lines as f64
    );
    for f in p.functions.iter().take(LIST_MAX) {
        let mut line = format!(
            "- {} {} — {}{} · {} changed lines: {} executed, {} meaningfully",
            code(&format!("{}:{}", f.file, f.line)),
            code(short_name(&f.name)),
            if f.new { "new, " } else { "" },
            f.class,
            f.lines,
            f.executed,
            f.meaningful
        );
        if f.executed == 0 && f.reached_only_by.is_empty() {
            line.push_str(" · not executed by any test");
        } else if !f.reached_only_by.is_empty() {
            let tests: Vec<String> = f
                .reached_only_by
                .iter()
                .take(3)
                .map(|t| format!("{} ({})", code(&t.name), t.verdict))
                .collect();
            let _ = write!(line, " · executed only by {}", tests.join(", "));
        }
        let _ = writeln!(out, "{}", cell(&line));
    }
    more(out, p.functions.len(), "- …");
    out.push('\n');
    survivors(
        out,
        "Mutants that survived on changed lines",
        "the change's behaviour that no test checks",
        &p.survivors,
    );
}

/// "… and N more" after a list cut at [`LIST_MAX`].
fn more(out: &mut String, total: usize, prefix: &str) {
    if total > LIST_MAX {
        let _ = writeln!(out, "{prefix} and {} more", total - LIST_MAX);
    }
}

fn test_cell(t: &TestChange) -> String {
    format!(
        "{} {}",
        code(&format!("{}:{}", t.file, t.line)),
        code(&t.name)
    )
}

fn weakened(out: &mut String, tests: &[TestChange]) {
    if tests.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "**Tests that got weaker ({})**\n\n| test | was | now | why |\n|---|---|---|---|",
        tests.len()
    );
    for t in tests.iter().take(LIST_MAX) {
        let was = t.was.map(|v| v.as_str()).unwrap_or("");
        let _ = writeln!(
            out,
            "| {} | {was} | {} | {} |",
            test_cell(t),
            t.verdict,
            cell(&t.why)
        );
    }
    more(out, tests.len(), "| …");
    out.push('\n');
}

/// A folded section with a table (`head` is its header and alignment rows).
fn details(out: &mut String, summary: &str, head: &str, rows: Vec<String>) {
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(out, "<details><summary>{summary}</summary>\n\n{head}");
    for r in rows.iter().take(LIST_MAX) {
        let _ = writeln!(out, "{r}");
    }
    more(out, rows.len(), "| …");
    out.push_str("\n</details>\n");
}

/// What `prove` found, when the run was proved: the totals, then the functions whose tests let
/// a mutant through.
fn prove(out: &mut String, c: &Comparison) {
    let Some(p) = &c.prove else {
        return;
    };
    let _ = writeln!(out, "**prove:** {}\n", p.headline());
    match &c.patch {
        Some(patch) => {
            let elsewhere: Vec<SurvivingMutant> = p
                .survivors
                .iter()
                .filter(|s| !patch.survivors.contains(s))
                .cloned()
                .collect();
            survivors(
                out,
                "Mutants that survived outside the change",
                "the tests run these lines but do not check them",
                &elsewhere,
            );
        }
        None => survivors(
            out,
            "Mutants that survived",
            "the tests run these lines but do not check them",
            &p.survivors,
        ),
    }
    let rows: Vec<String> = p
        .doubted
        .iter()
        .map(|d| {
            let missed: Vec<String> = d.missed.iter().map(|v| code(v)).collect();
            format!(
                "| {} {} | {} | {} | {} |",
                code(&format!("{}:{}", d.file, d.line)),
                code(short_name(&d.name)),
                d.status_text(),
                cell(&missed.join(", ")),
                d.tests
            )
        })
        .collect();
    details(
        out,
        &format!(
            "Functions whose tests let a mutant through ({})",
            rows.len()
        ),
        "| function | prove | values no test noticed | tests that run it |\n|---|---|---|---:|",
        rows,
    );
}

/// Each surviving mutant, worded for a reviewer, with the tests that ran it (`title` and what
/// they mean, `about`): what a change's new behaviour lacks a check for.
fn survivors(out: &mut String, title: &str, about: &str, survivors: &[SurvivingMutant]) {
    if survivors.is_empty() {
        return;
    }
    let _ = writeln!(out, "**{title} ({})**: {about}\n", survivors.len());
    for s in survivors.iter().take(LIST_MAX) {
        let tests: Vec<String> = s.tests.iter().take(3).map(|t| code(t)).collect();
        let ran = match tests.len() {
            0 => String::new(),
            _ if s.tests.len() > 3 => format!(
                " (ran: {} and {} more)",
                tests.join(", "),
                s.tests.len() - 3
            ),
            _ => format!(" (ran: {})", tests.join(", ")),
        };
        let _ = writeln!(
            out,
            "- {} {}{ran}",
            code(&format!("{}:{}", s.file, s.line)),
            cell(&survived::what(s))
        );
    }
    more(out, survivors.len(), "- …");
    out.push('\n');
}

fn lists(out: &mut String, c: &Comparison) {
    let weak_new: Vec<String> = c
        .weak_new_tests
        .iter()
        .map(|t| format!("| {} | {} | {} |", test_cell(t), t.verdict, cell(&t.why)))
        .collect();
    let title = if c.base.is_some() {
        "New tests that cannot fail"
    } else {
        "Tests that cannot fail"
    };
    details(
        out,
        &format!("{title} ({})", weak_new.len()),
        "| test | verdict | why |\n|---|---|---|",
        weak_new,
    );
    let functions: Vec<String> = c
        .functions
        .iter()
        .map(|f| {
            let location = code(&format!("{}:{}", f.file, f.line));
            let name = code(short_name(&f.name));
            match &f.was {
                Some(was) => format!("| {location} {name} | {was} | {} |", f.class),
                None => format!("| {location} {name} | {} |", f.class),
            }
        })
        .collect();
    let (title, head) = if c.base.is_some() {
        (
            "Functions whose class got worse",
            "| function | was | now |\n|---|---|---|",
        )
    } else {
        ("Error paths not checked", "| function | class |\n|---|---|")
    };
    details(
        out,
        &format!("{title} ({})", functions.len()),
        head,
        functions,
    );
    let files: Vec<String> = c
        .files
        .iter()
        .map(|f| {
            format!(
                "| {} | {} | {} | {} |",
                code(&f.file),
                pct(f.base),
                pct(f.head),
                delta::pp(f.change, f.delta)
            )
        })
        .collect();
    details(
        out,
        &format!("Files ({} changed)", files.len()),
        "| file | base | head | Δ |\n|---|---:|---:|---:|",
        files,
    );
}

/// The whole comment.
pub fn render(c: &Comparison) -> String {
    let mut out = format!("{MARKER}\n");
    header(&mut out, c);
    figures(&mut out, c);
    sides(&mut out, c);
    gate(&mut out, c);
    if let Some(p) = &c.patch {
        patch(&mut out, p);
    }
    weakened(&mut out, &c.weakened_tests);
    prove(&mut out, c);
    lists(&mut out, c);
    if !out.ends_with("\n\n") {
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "<sub>cargo-truecov {} · meaningful = run by tests that can fail · changes under {} pp show as =</sub>",
        c.tool_version, c.min_delta_pp
    );
    out
}

/// The comment of one run without a base.
pub fn single(report: &Report, side: Side) -> String {
    render(&Comparison::new(
        None,
        (side, report),
        DEFAULT_MIN_DELTA_PP,
        None,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_stay_in_their_column_and_code_stays_code() {
        assert_eq!(
            cell("a | b `x || y` <T>\nnext"),
            "a \\| b `x \\|\\| y` &lt;T&gt; next"
        );
        assert_eq!(cell("`Vec<u8>` ok"), "`Vec<u8>` ok");
        assert_eq!(code("plain"), "`plain`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`edge"), "`` `edge ``");
    }
}
