//! The table of a full run: the headline, the files with the biggest gap between raw and
//! meaningful coverage, the functions whose error paths nobody checks, the tests that cannot
//! fail.

use super::fmt::{count, pct, ratio};
use super::scan::{states_note, weak_tests, weak_tests_table};
use super::style::Style;
use super::survived;
use comfy_table::Cell;
use truecov_compare::survivors::survivors;
use truecov_model::{FileEntry, FunctionClass, FunctionEntry, Report, TestEntry};

/// How many entries each list shows (all with `--verbose`).
const LIST_LEN: usize = 8;

/// The headline table.
pub fn headline(report: &Report, style: &Style) -> String {
    let s = &report.summary;
    let c = &s.tests;
    let sites: u64 = report.functions.iter().map(|f| f.error_sites).sum();
    let checked: u64 = report.functions.iter().map(|f| f.error_sites_checked).sum();
    let mut table = style.table();
    let untruth = s.truth_ratio.map_or_else(
        || "nothing ran".to_string(),
        |t| format!("{:.0} % of the green checks nothing", (1.0 - t) * 100.0),
    );
    let mut tests = format!(
        "{} meaningful · {} smoke · {} tautological · {} assertion-free",
        c.meaningful, c.smoke, c.tautological, c.assertion_free
    );
    if c.ignored > 0 {
        tests.push_str(&format!(" · {} ignored", c.ignored));
    }
    if c.failed > 0 {
        tests.push_str(&format!(" · {} failed", c.failed));
    }
    for part in states_note(c) {
        tests.push_str(&format!(" · {part}"));
    }
    let mut rows = vec![
        (
            "raw line coverage",
            pct(s.raw_line_coverage),
            format!(
                "{} / {} library lines",
                count(s.lines_raw.unwrap_or(0)),
                count(s.lines_coverable.unwrap_or(0))
            ),
        ),
        (
            "meaningful coverage",
            pct(s.meaningful_line_coverage),
            format!(
                "{} lines run by tests that can fail",
                count(s.lines_meaningful.unwrap_or(0))
            ),
        ),
        ("truth ratio", ratio(s.truth_ratio), untruth),
        (
            "error-path checks",
            pct(s.error_path_check_rate),
            format!("{checked} / {sites} error sites checked"),
        ),
        ("tests", count(c.total), tests),
    ];
    if let Some(proven) = s.lines_proven {
        let row = (
            "proven coverage",
            pct(s.proven_line_coverage),
            format!(
                "{} lines checked closely enough that no mutant survived",
                count(proven)
            ),
        );
        rows.insert(2, row);
    }
    for (name, value, note) in rows {
        table.add_row(vec![Cell::new(name), Cell::new(value), Cell::new(note)]);
    }
    table.to_string()
}

fn gap(f: &FileEntry) -> u64 {
    f.figures.lines_raw - f.figures.lines_meaningful
}

/// Files where most green lines are not checked, with the functions that explain it.
pub fn biggest_gaps(report: &Report, limit: usize) -> Vec<String> {
    let mut files: Vec<&FileEntry> = report.files.iter().filter(|f| gap(f) > 0).collect();
    files.sort_by(|a, b| gap(b).cmp(&gap(a)).then(a.file.cmp(&b.file)));
    files
        .into_iter()
        .take(limit)
        .map(|f| {
            let weak: Vec<String> = report
                .functions
                .iter()
                .filter(|g| g.file == f.file && g.lines_raw > 0 && g.lines_meaningful == 0)
                .map(|g| short_name(&g.name).to_string())
                .take(3)
                .collect();
            let mut line = format!(
                "  {:<36} {:>7} → {:<7}",
                f.file,
                pct(f.raw_line_coverage),
                pct(f.meaningful_line_coverage)
            );
            if !weak.is_empty() {
                line.push_str(&format!("  only weak tests reach {}", weak.join(", ")));
            }
            line
        })
        .collect()
}

pub use truecov_model::short_name;

/// Functions whose error paths run unchecked or never run, unchecked ones first.
pub fn unchecked_functions(report: &Report, limit: usize) -> Vec<String> {
    let mut fns: Vec<&FunctionEntry> = report
        .functions
        .iter()
        .filter(|f| f.class.has_weak_error_paths())
        .collect();
    fns.sort_by(|a, b| {
        (a.class != FunctionClass::Unchecked, &a.file, a.line).cmp(&(
            b.class != FunctionClass::Unchecked,
            &b.file,
            b.line,
        ))
    });
    fns.into_iter()
        .take(limit)
        .map(|f| {
            let what = if f.class == FunctionClass::Unchecked {
                let n = f.error_sites_executed;
                let s = if n == 1 { "" } else { "s" };
                format!("{n} error site{s} executed, none checked")
            } else {
                let first = f
                    .sites
                    .first()
                    .map(|s| format!("`{}` at :{} never taken", s.text, s.line));
                first.unwrap_or_else(|| "error sites never taken".into())
            };
            format!(
                "  {:<28} {:<28} {what}   ({})",
                format!("{}:{}", f.file, f.line),
                short_name(&f.name),
                f.class
            )
        })
        .collect()
}

/// The whole run output.
pub fn render(report: &Report, style: &Style, verbose: bool) -> String {
    let limit = if verbose { usize::MAX } else { LIST_LEN };
    let mut out = String::new();
    out.push_str(&style.bold(&format!(" truecov  {}", report.workspace)));
    out.push('\n');
    out.push_str(&headline(report, style));
    out.push('\n');
    let gaps = biggest_gaps(report, limit);
    if !gaps.is_empty() {
        out.push_str(&style.bold(" Biggest gaps (raw → meaningful)"));
        out.push('\n');
        for l in gaps {
            out.push_str(&l);
            out.push('\n');
        }
    }
    let unchecked = unchecked_functions(report, limit);
    if !unchecked.is_empty() {
        out.push_str(&style.bold(" Error paths never checked"));
        out.push('\n');
        for l in unchecked {
            out.push_str(&l);
            out.push('\n');
        }
    }
    let survivors = survivors(report);
    if !survivors.is_empty() {
        out.push_str(&style.bold(&format!(
            " Mutants that survived ({}): lines run by tests that do not check them",
            survivors.len()
        )));
        out.push('\n');
        for l in survived::lines(&survivors, limit) {
            out.push_str(&l);
            out.push('\n');
        }
    }
    let weak = weak_tests(report);
    if !weak.is_empty() {
        out.push_str(&style.bold(&format!(" Tests that cannot fail ({})", weak.len())));
        out.push('\n');
        let shown: Vec<&TestEntry> = weak.into_iter().take(limit).collect();
        out.push_str(&weak_tests_table(&shown, style, verbose));
        out.push('\n');
    }
    let failed: Vec<&TestEntry> = report.tests.iter().filter(|t| t.failed()).collect();
    if !failed.is_empty() {
        out.push_str(&style.bold(&format!(
            " Tests that did not pass ({}): their lines count as raw coverage only",
            failed.len()
        )));
        out.push('\n');
        let shown: Vec<&TestEntry> = failed.into_iter().take(limit).collect();
        out.push_str(&failed_tests_table(&shown, style));
        out.push('\n');
    }
    out.push_str(" Run `cargo truecov explain <name>` for why; `--format json` for the report.\n");
    out
}

/// Tests that ran and did not pass, with how each ended and the gist of what it printed.
fn failed_tests_table(tests: &[&TestEntry], style: &Style) -> String {
    let mut table = style.table();
    table.set_header(["location", "test", "outcome", "what it printed"]);
    for t in tests {
        let location = if t.file.is_empty() {
            t.target.clone()
        } else {
            format!("{}:{}", t.file, t.line)
        };
        table.add_row(vec![
            Cell::new(location),
            Cell::new(&t.name),
            Cell::new(t.outcome.map(|o| o.to_string()).unwrap_or_default()),
            Cell::new(t.failure.as_deref().map(gist).unwrap_or_default()),
        ]);
    }
    table.to_string()
}

/// Longest gist of a failure shown in the table; `explain` prints all of it.
const GIST_LEN: usize = 160;

/// The line of a test's output that says why it failed: from `panicked at` on, with the
/// panic message that follows it, else the first line printed; cut to [`GIST_LEN`].
fn gist(printed: &str) -> String {
    let lines: Vec<&str> = printed.lines().map(str::trim).collect();
    let panic = lines.iter().enumerate().find_map(|(at, l)| {
        let place = &l[l.find("panicked at ")?..];
        Some(match lines.get(at + 1).filter(|m| !m.is_empty()) {
            Some(message) => format!("{place} {message}"),
            None => place.to_string(),
        })
    });
    let text = panic.unwrap_or_else(|| {
        let first = lines.iter().find(|l| !l.is_empty());
        first.copied().unwrap_or_default().to_string()
    });
    match text.char_indices().nth(GIST_LEN) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::gist;

    #[test]
    fn the_gist_of_a_panic_is_its_place_and_message() {
        let printed = "setting up\nthread 't::a' (7) panicked at src/lib.rs:3:9:\n\
                       assertion failed: ok\nnote: run with `RUST_BACKTRACE=1`";
        assert_eq!(
            gist(printed),
            "panicked at src/lib.rs:3:9: assertion failed: ok"
        );
    }

    #[test]
    fn without_a_panic_the_gist_is_the_first_line_cut_short() {
        assert_eq!(gist("\n  killed by signal 9\nmore"), "killed by signal 9");
        let long = "x".repeat(200);
        assert_eq!(gist(&long).chars().count(), super::GIST_LEN + 1);
        assert_eq!(gist(""), "");
    }
}
