//! The history for people and spreadsheets: the runs table and CSV, the trend with its
//! sparkline.

use super::delta;
use super::fmt::{pct, ratio};
use super::scan::states_note;
use super::style::Style;
use comfy_table::{Cell, CellAlignment};
use std::path::Path;
use truecov_compare::history::HistoryRow;
use truecov_compare::history::Trend;
use truecov_compare::Change;
use truecov_db::Metric;
use truecov_model::TestCounts;

/// Below this (in percentage points) a change between two runs rounds to nothing.
const DISPLAY_PRECISION_PP: f64 = 0.05;

/// `2024-05-01 12:00` from `2024-05-01T12:00:00Z`.
fn when(recorded_at: &str) -> String {
    recorded_at.replace('T', " ").chars().take(16).collect()
}

/// The first 7 characters of a commit hash, as git abbreviates it.
pub fn short_commit(commit: &str) -> String {
    commit.chars().take(7).collect()
}

/// `4f2a9c1` (with `*` when the tree was dirty), or `-`.
fn commit(commit: Option<&str>, dirty: Option<bool>) -> String {
    match commit {
        Some(c) => format!(
            "{}{}",
            short_commit(c),
            if dirty == Some(true) { "*" } else { "" }
        ),
        None => "-".to_string(),
    }
}

fn right(text: String) -> Cell {
    Cell::new(text).set_alignment(CellAlignment::Right)
}

/// The runs as a table, newest first.
pub fn runs_table(rows: &[HistoryRow], db: &Path, style: &Style) -> String {
    if rows.is_empty() {
        return format!(" No recorded run to show in {}.\n", db.display());
    }
    let mut table = style.table();
    table.set_header([
        "run",
        "recorded (UTC)",
        "commit",
        "branch",
        "meaningful",
        "Δ",
        "raw",
        "Δ",
        "truth",
        "error checks",
        "tests (meaningful / all)",
    ]);
    for row in rows {
        let r = &row.run;
        let s = &r.summary;
        let d = row.delta.clone().unwrap_or_default();
        let pp = |v| delta::pp(Change::of(v, DISPLAY_PRECISION_PP), v);
        let (dm, dr) = match row.delta {
            Some(_) => (pp(d.meaningful_line_coverage), pp(d.raw_line_coverage)),
            None => (String::new(), String::new()),
        };
        table.add_row(vec![
            right(r.id.to_string()),
            Cell::new(when(&r.recorded_at)),
            Cell::new(commit(
                r.provenance.git_commit.as_deref(),
                r.provenance.git_dirty,
            )),
            Cell::new(r.provenance.git_branch.as_deref().unwrap_or("-")),
            right(pct(s.meaningful_line_coverage)),
            right(dm),
            right(pct(s.raw_line_coverage)),
            right(dr),
            right(ratio(s.truth_ratio)),
            right(pct(s.error_path_check_rate)),
            right(tests_cell(&s.tests)),
        ]);
    }
    format!(
        " truecov history  {}  (* = uncommitted changes)\n{table}\n",
        db.display()
    )
}

/// `40 / 45`, then the tests in no verdict when there are any: `40 / 45 (2 not scanned · 1
/// not built)`.
fn tests_cell(c: &TestCounts) -> String {
    let states = states_note(c);
    let counts = format!("{} / {}", c.meaningful, c.total);
    if states.is_empty() {
        counts
    } else {
        format!("{counts} ({})", states.join(" · "))
    }
}

/// One CSV record (RFC 4180 quoting).
fn csv_record(fields: &[String]) -> String {
    let quoted: Vec<String> = fields
        .iter()
        .map(|f| {
            if f.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f.clone()
            }
        })
        .collect();
    format!("{}\n", quoted.join(","))
}

fn num(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.6}")).unwrap_or_default()
}

/// The runs as CSV, newest first, fractions with six decimals.
pub fn runs_csv(rows: &[HistoryRow]) -> String {
    let mut out = csv_record(
        &[
            "id",
            "recorded_at",
            "git_commit",
            "git_branch",
            "git_dirty",
            "tool_version",
            "meaningful_line_coverage",
            "meaningful_delta",
            "raw_line_coverage",
            "raw_delta",
            "truth_ratio",
            "error_path_check_rate",
            "tests_total",
            "tests_meaningful",
            "tests_not_built",
            "tests_unknown",
        ]
        .map(String::from),
    );
    for row in rows {
        let r = &row.run;
        let s = &r.summary;
        let p = &r.provenance;
        let d = row.delta.clone().unwrap_or_default();
        out.push_str(&csv_record(&[
            r.id.to_string(),
            r.recorded_at.clone(),
            p.git_commit.clone().unwrap_or_default(),
            p.git_branch.clone().unwrap_or_default(),
            p.git_dirty.map(|d| d.to_string()).unwrap_or_default(),
            r.tool_version.clone(),
            num(s.meaningful_line_coverage),
            num(d.meaningful_line_coverage),
            num(s.raw_line_coverage),
            num(d.raw_line_coverage),
            num(s.truth_ratio),
            num(s.error_path_check_rate),
            s.tests.total.to_string(),
            s.tests.meaningful.to_string(),
            s.tests.not_built.to_string(),
            s.tests.unknown.to_string(),
        ]));
    }
    out
}

/// Eight-level bars from the lowest to the highest value; a gap where a value is missing.
pub fn sparkline(values: &[Option<f64>]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let known = values.iter().flatten();
    let lo = known.clone().copied().fold(f64::INFINITY, f64::min);
    let hi = known.copied().fold(f64::NEG_INFINITY, f64::max);
    values
        .iter()
        .map(|v| match v {
            None => ' ',
            Some(_) if hi - lo < 1e-12 => BARS[3],
            Some(x) => BARS[(((x - lo) / (hi - lo)) * 7.0).round() as usize],
        })
        .collect()
}

fn metric_name(m: Metric) -> &'static str {
    match m {
        Metric::Meaningful => "meaningful coverage",
        Metric::Raw => "raw coverage",
        Metric::Truth => "truth ratio",
        Metric::ErrorChecks => "error-path checks",
        Metric::Proven => "proven coverage",
    }
}

fn metric_value(m: Metric, v: Option<f64>) -> String {
    match m {
        Metric::Truth => ratio(v),
        _ => pct(v),
    }
}

/// The series: a headline with the sparkline, first and last value, then one row per run.
pub fn trend_table(trend: &Trend, style: &Style) -> String {
    let name = metric_name(trend.metric);
    let mut out = style.bold(&format!(" truecov trend  {name} of {}", trend.subject));
    out.push('\n');
    let values: Vec<Option<f64>> = trend.points.iter().map(|p| p.value).collect();
    let (Some(first), Some(last)) = (values.first(), values.last()) else {
        out.push_str(" No recorded run has it.\n");
        return out;
    };
    let d = truecov_compare::delta(*first, *last);
    let change = match trend.metric {
        Metric::Truth => delta::ratio(Change::of(d, DISPLAY_PRECISION_PP), d),
        _ => delta::pp(Change::of(d, DISPLAY_PRECISION_PP), d),
    };
    out.push_str(&format!(
        " {}  {} → {} ({change}) over {} runs\n",
        sparkline(&values),
        metric_value(trend.metric, *first),
        metric_value(trend.metric, *last),
        values.len()
    ));
    let mut table = style.table();
    table.set_header(["run", "recorded (UTC)", "commit", name]);
    for p in &trend.points {
        table.add_row(vec![
            right(p.run_id.to_string()),
            Cell::new(when(&p.recorded_at)),
            Cell::new(commit(p.git_commit.as_deref(), None)),
            right(metric_value(trend.metric, p.value)),
        ]);
    }
    out.push_str(&format!("{table}\n"));
    out
}

/// The series as CSV.
pub fn trend_csv(trend: &Trend) -> String {
    let mut out = csv_record(&["run_id", "recorded_at", "git_commit", "value"].map(String::from));
    for p in &trend.points {
        out.push_str(&csv_record(&[
            p.run_id.to_string(),
            p.recorded_at.clone(),
            p.git_commit.clone().unwrap_or_default(),
            num(p.value),
        ]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_spans_lowest_to_highest_with_gaps() {
        assert_eq!(
            sparkline(&[Some(0.2), Some(0.6), None, Some(0.4), Some(0.2)]),
            "▁█ ▅▁"
        );
        assert_eq!(sparkline(&[Some(0.5), Some(0.5)]), "▄▄");
        assert_eq!(sparkline(&[None]), " ");
        assert_eq!(sparkline(&[]), "");
    }

    #[test]
    fn the_tests_cell_says_the_tests_in_no_verdict_apart() {
        let mut c = TestCounts {
            total: 45,
            meaningful: 40,
            ..TestCounts::default()
        };
        assert_eq!(tests_cell(&c), "40 / 45");
        c.unknown = 2;
        c.not_built = 1;
        assert_eq!(tests_cell(&c), "40 / 45 (2 not scanned · 1 not built)");
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let record = csv_record(&["a,b".into(), "say \"hi\"".into(), "plain".into()]);
        assert_eq!(record, "\"a,b\",\"say \"\"hi\"\"\",plain\n");
    }
}
