//! Per-line and per-function hit counts of raw, meaningful or proven coverage, for the coverage
//! exports (lcov, cobertura). A hit count is the number of tests that ran the line (raw), or of
//! those that count as meaningful (meaningful; proven: on a proven line, else 0): the report
//! keeps which tests ran a line, not how often.

use crate::CoverageKind;
use truecov_model::{FileEntry, FunctionEntry, Report};

/// `(line, hits)` pairs, by line.
pub type LineHits = Vec<(u32, u64)>;

/// How many of `tests` count for `kind`.
fn count(report: &Report, tests: &[usize], kind: CoverageKind) -> u64 {
    match kind {
        CoverageKind::Raw => tests.len() as u64,
        CoverageKind::Meaningful | CoverageKind::Proven => tests
            .iter()
            .filter(|&&i| {
                report
                    .tests
                    .get(i)
                    .is_some_and(|t| t.counts_as_meaningful())
            })
            .count() as u64,
    }
}

/// Every coverable line of `file` with its hit count, by line (for proven coverage, 0 on a
/// line that is not proven, and on every line of a report without `prove`).
pub fn lines(report: &Report, file: &FileEntry, kind: CoverageKind) -> LineHits {
    let proven = file.proven.as_deref().unwrap_or(&[]);
    file.coverable
        .iter()
        .map(|&line| {
            let tests = file.tests_by_line.get(&line).map_or(&[][..], Vec::as_slice);
            let counted = kind != CoverageKind::Proven || proven.binary_search(&line).is_ok();
            (
                line,
                if counted {
                    count(report, tests, kind)
                } else {
                    0
                },
            )
        })
        .collect()
}

/// The hit count of a function: the tests that executed any of its lines (for proven
/// coverage, 0 when none of its lines is proven).
pub fn function(report: &Report, f: &FunctionEntry, kind: CoverageKind) -> u64 {
    if kind == CoverageKind::Proven && f.lines_proven.unwrap_or(0) == 0 {
        return 0;
    }
    count(report, &f.executed_by, kind)
}

/// Covered lines over coverable lines of `lines`, 0 without lines (as coverage tools write it).
pub fn rate(lines: &[(u32, u64)]) -> f64 {
    let covered = lines.iter().filter(|l| l.1 > 0).count();
    if lines.is_empty() {
        0.0
    } else {
        covered as f64 / lines.len() as f64
    }
}
