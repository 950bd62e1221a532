//! lcov tracefile of raw, meaningful or proven coverage, for dashboards and editor gutters: one record
//! per library file with its functions (`FN`/`FNDA`) and lines (`DA`), paths relative to the
//! repository root. Hit counts are numbers of tests (see [`super::hits`]).

use super::hits;
use crate::CoverageKind;
use std::fmt::Write;
use truecov_model::Report;

/// The tracefile; `prefix` is the workspace's path relative to the repository root (`""` or
/// ending in `/`).
pub fn render(report: &Report, kind: CoverageKind, prefix: &str) -> String {
    let mut out = String::new();
    for file in &report.files {
        let _ = writeln!(out, "TN:{}", kind.as_str());
        let _ = writeln!(out, "SF:{prefix}{}", file.file);
        let functions: Vec<_> = report
            .functions
            .iter()
            .filter(|f| f.file == file.file)
            .collect();
        for f in &functions {
            let _ = writeln!(out, "FN:{},{}", f.line, name(&f.name));
        }
        let mut hit = 0;
        for f in &functions {
            let n = hits::function(report, f, kind);
            hit += usize::from(n > 0);
            let _ = writeln!(out, "FNDA:{n},{}", name(&f.name));
        }
        let _ = writeln!(out, "FNF:{}\nFNH:{hit}", functions.len());
        let lines = hits::lines(report, file, kind);
        for (line, n) in &lines {
            let _ = writeln!(out, "DA:{line},{n}");
        }
        let covered = lines.iter().filter(|l| l.1 > 0).count();
        let _ = writeln!(out, "LF:{}\nLH:{covered}\nend_of_record", lines.len());
    }
    out
}

/// A function name as lcov can hold it (no commas, no line breaks).
fn name(n: &str) -> String {
    n.replace(',', ";").replace(['\n', '\r'], " ")
}
