//! `diff --format table`: the comparison for a terminal, same sections as the comment.

use super::delta;
use super::fmt::{pct, ratio};
use super::run::short_name;
use super::style::Style;
use comfy_table::{Cell, CellAlignment};
use std::fmt::Write;
use truecov_compare::{Comparison, MetricDelta};

fn value(m: &MetricDelta, v: Option<f64>) -> String {
    if m.is_percentage() {
        pct(v)
    } else {
        ratio(v)
    }
}

fn section(out: &mut String, style: &Style, title: &str, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "{}",
        style.bold(&format!(" {title} ({})", lines.len()))
    );
    for l in lines {
        let _ = writeln!(out, "  {l}");
    }
}

/// The whole comparison.
pub fn render(c: &Comparison, style: &Style) -> String {
    let mut out = String::new();
    let title = match &c.base {
        Some(b) => format!(" truecov diff  {} → {}", b.label, c.head.label),
        None => format!(" truecov  {} (no base)", c.head.label),
    };
    let _ = writeln!(out, "{}", style.bold(&title));
    let mut table = style.table();
    table.set_header(["", "base", "head", "Δ"]);
    for m in &c.metrics {
        table.add_row(vec![
            Cell::new(m.label),
            Cell::new(value(m, m.base)).set_alignment(CellAlignment::Right),
            Cell::new(value(m, m.head)).set_alignment(CellAlignment::Right),
            Cell::new(delta::of(m)).set_alignment(CellAlignment::Right),
        ]);
    }
    let _ = writeln!(out, "{table}");
    if c.unchanged() {
        let _ = writeln!(
            out,
            " No change beyond the noise threshold ({} pp).",
            c.min_delta_pp
        );
    }
    if let Some(p) = &c.patch {
        let _ = writeln!(
            out,
            "{}",
            style.bold(&format!(
                " This change ({}): {} library lines added or changed · {} executed · {} meaningfully",
                p.range, p.lines, p.executed, p.meaningful
            ))
        );
        for f in &p.functions {
            let _ = writeln!(
                out,
                "  {}:{}  {}  {} · {} changed lines: {} executed, {} meaningfully",
                f.file,
                f.line,
                short_name(&f.name),
                f.class,
                f.lines,
                f.executed,
                f.meaningful
            );
        }
    }
    let tests = |list: &[truecov_compare::TestChange]| -> Vec<String> {
        list.iter()
            .map(|t| {
                let was = t.was.map(|v| format!("{v} → ")).unwrap_or_default();
                format!(
                    "{}:{}  {}  {was}{}  {}",
                    t.file, t.line, t.name, t.verdict, t.why
                )
            })
            .collect()
    };
    section(
        &mut out,
        style,
        "Tests that got weaker",
        &tests(&c.weakened_tests),
    );
    let new_title = if c.base.is_some() {
        "New tests that cannot fail"
    } else {
        "Tests that cannot fail"
    };
    section(&mut out, style, new_title, &tests(&c.weak_new_tests));
    let functions: Vec<String> = c
        .functions
        .iter()
        .map(|f| {
            let was = f
                .was
                .as_ref()
                .map(|w| format!("{w} → "))
                .unwrap_or_default();
            format!(
                "{}:{}  {}  {was}{}",
                f.file,
                f.line,
                short_name(&f.name),
                f.class
            )
        })
        .collect();
    let fn_title = if c.base.is_some() {
        "Functions whose class got worse"
    } else {
        "Error paths not checked"
    };
    section(&mut out, style, fn_title, &functions);
    if let Some(p) = &c.prove {
        let _ = writeln!(out, "{}", style.bold(&format!(" prove: {}", p.headline())));
        let doubted: Vec<String> = p
            .doubted
            .iter()
            .map(|d| {
                format!(
                    "{}:{}  {}  {}  missed {}",
                    d.file,
                    d.line,
                    short_name(&d.name),
                    d.status_text(),
                    d.missed.join(", ")
                )
            })
            .collect();
        section(
            &mut out,
            style,
            "Functions whose tests let a mutant through",
            &doubted,
        );
    }
    let files: Vec<String> = c
        .files
        .iter()
        .map(|f| {
            format!(
                "{:<40} {:>8} → {:<8} {}",
                f.file,
                pct(f.base),
                pct(f.head),
                delta::pp(f.change, f.delta)
            )
        })
        .collect();
    section(
        &mut out,
        style,
        "Files whose meaningful coverage changed",
        &files,
    );
    out
}
