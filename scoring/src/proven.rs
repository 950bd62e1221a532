//! Proven coverage (docs/scores.md#proven-coverage), from a report whose functions carry what
//! `prove` found. A library line is proven when a meaningful test executes it, no viable
//! mutant on that line survived, and its function was tried by `prove` with none of its
//! function-value mutants surviving. Pure: the figures are derived from the report alone.

use crate::score::own_lines;
use std::collections::{BTreeMap, BTreeSet};
use truecov_model::{FileEntry, FunctionEntry, MutantGenre, Report};

/// Sets the proven lines and figures of every function, file, package and of the workspace.
/// Functions `prove` did not try prove none of their lines.
pub fn apply(report: &mut Report) {
    let mut per_package: BTreeMap<String, u64> = BTreeMap::new();
    let mut total = 0u64;
    for file in &mut report.files {
        let functions: Vec<&mut FunctionEntry> = report
            .functions
            .iter_mut()
            .filter(|f| f.file == file.file)
            .collect();
        let proven = prove_file(file, functions);
        let n = proven.len() as u64;
        file.proven = Some(proven);
        file.figures.lines_proven = Some(n);
        file.proven_line_coverage = file.figures.proven();
        *per_package.entry(file.package.clone()).or_default() += n;
        total += n;
    }
    for f in report
        .functions
        .iter_mut()
        .filter(|f| f.lines_proven.is_none())
    {
        // A function of a file no test binary compiled.
        f.lines_proven = Some(0);
    }
    for p in &mut report.packages {
        p.figures.lines_proven = Some(per_package.get(&p.name).copied().unwrap_or(0));
        p.proven_line_coverage = p.figures.proven();
    }
    let s = &mut report.summary;
    s.lines_proven = Some(total);
    s.proven_line_coverage = s
        .lines_coverable
        .and_then(|coverable| truecov_model::ratio(total, coverable));
}

/// The proven lines of one file, sorted; sets each of its functions' `lines_proven`.
fn prove_file(file: &FileEntry, mut functions: Vec<&mut FunctionEntry>) -> Vec<u32> {
    let meaningful: BTreeSet<u32> = file.meaningful.iter().copied().collect();
    let survived = survived_lines(functions.iter().map(|f| &**f));
    let spans: Vec<(u32, u32)> = functions.iter().map(|f| (f.line, f.end_line)).collect();
    let mut proven = BTreeSet::new();
    for f in functions.iter_mut() {
        let own = own_lines((f.line, f.end_line), spans.iter().copied(), &file.coverable);
        let lines = proven_lines(f, &own, &meaningful, &survived);
        f.lines_proven = Some(lines.len() as u64);
        proven.extend(lines);
    }
    proven.into_iter().collect()
}

/// The lines that hold a surviving mutant other than a function value (those unprove their
/// whole function instead).
fn survived_lines<'a>(functions: impl Iterator<Item = &'a FunctionEntry>) -> BTreeSet<u32> {
    functions
        .filter_map(|f| f.prove.as_ref())
        .flat_map(|p| p.survivors())
        .filter(|m| m.genre != MutantGenre::FnValue && m.line > 0)
        .map(|m| m.line)
        .collect()
}

/// The lines of `own` (the function's coverable lines) that `f` proves: none when `prove` did
/// not try it or a function-value mutant of it survived; else those a meaningful test ran
/// that hold no surviving mutant.
fn proven_lines(
    f: &FunctionEntry,
    own: &[u32],
    meaningful: &BTreeSet<u32>,
    survived: &BTreeSet<u32>,
) -> Vec<u32> {
    let Some(p) = &f.prove else {
        return Vec::new();
    };
    if p.survivors().any(|m| m.genre == MutantGenre::FnValue) {
        return Vec::new();
    }
    own.iter()
        .copied()
        .filter(|l| meaningful.contains(l) && !survived.contains(l))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use truecov_model::{MutantEntry, MutantOutcome, ProveStatus};

    fn mutant(genre: MutantGenre, line: u32, outcome: MutantOutcome) -> MutantEntry {
        MutantEntry {
            name: String::new(),
            file: "src/lib.rs".into(),
            line,
            column: 5,
            genre,
            replacement: "x".into(),
            outcome,
            caught_by: None,
            tests_run: Vec::new(),
            duration_ms: 1,
            error: None,
        }
    }

    /// A function of `src/lib.rs` spanning `lines`, tried by `prove` with `mutants` (or not
    /// tried, for `None`).
    fn function(name: &str, lines: (u32, u32), mutants: Option<Vec<MutantEntry>>) -> FunctionEntry {
        let mut f: FunctionEntry = serde_json::from_value(serde_json::json!({
            "package": "p", "name": name, "file": "src/lib.rs", "line": lines.0,
            "end_line": lines.1, "class": "no_error_paths", "lines_coverable": 0,
            "lines_raw": 0, "lines_meaningful": 0, "error_sites": 0,
            "error_sites_executed": 0, "error_sites_checked": 0
        }))
        .unwrap();
        f.prove = mutants.map(|m| crate::prove::entry(true, None, m));
        f
    }

    /// A report of one file `src/lib.rs` of package `p` with `coverable` and `meaningful`
    /// lines, and `functions`.
    fn report(coverable: &[u32], meaningful: &[u32], functions: Vec<FunctionEntry>) -> Report {
        let mut r: Report = serde_json::from_value(serde_json::json!({
            "schema_version": 1, "tool_version": "0", "workspace": "/w",
            "summary": {"raw_line_coverage": null, "meaningful_line_coverage": null,
                "truth_ratio": null, "error_path_check_rate": null,
                "lines_coverable": coverable.len(), "lines_raw": null, "lines_meaningful": null,
                "tests": {"total": 0, "meaningful": 0, "smoke": 0, "tautological": 0,
                    "assertion_free": 0, "ignored": 0, "failed": 0}},
            "tests": [], "functions": [],
            "files": [{"package": "p", "file": "src/lib.rs",
                "lines_coverable": coverable.len(), "lines_raw": meaningful.len(),
                "lines_meaningful": meaningful.len(), "error_sites": 0,
                "error_sites_executed": 0, "error_sites_checked": 0,
                "raw_line_coverage": null, "meaningful_line_coverage": null,
                "truth_ratio": null, "coverable": coverable, "executed": meaningful,
                "meaningful": meaningful}],
            "packages": [
                {"name": "p", "version": "1.0.0", "lines_coverable": coverable.len(),
                 "lines_raw": 0, "lines_meaningful": 0, "error_sites": 0,
                 "error_sites_executed": 0, "error_sites_checked": 0,
                 "raw_line_coverage": null, "meaningful_line_coverage": null,
                 "truth_ratio": null, "error_path_check_rate": null},
                {"name": "q", "version": "1.0.0", "lines_coverable": 0,
                 "lines_raw": 0, "lines_meaningful": 0, "error_sites": 0,
                 "error_sites_executed": 0, "error_sites_checked": 0,
                 "raw_line_coverage": null, "meaningful_line_coverage": null,
                 "truth_ratio": null, "error_path_check_rate": null}]
        }))
        .unwrap();
        r.functions = functions;
        r
    }

    fn proven_of(r: &Report) -> Vec<u32> {
        r.files[0].proven.clone().unwrap()
    }

    use MutantGenre::{BinaryOperator, FnValue};
    use MutantOutcome::{Caught, Missed, Unviable};

    #[test]
    fn a_line_is_proven_only_when_a_meaningful_test_runs_it() {
        let f = function("f", (1, 4), Some(vec![mutant(FnValue, 1, Caught)]));
        let mut r = report(&[1, 2, 3, 4], &[1, 2, 4], vec![f]);
        apply(&mut r);
        assert_eq!(
            proven_of(&r),
            [1, 2, 4],
            "line 3 runs under no meaningful test"
        );
        assert_eq!(r.functions[0].lines_proven, Some(3));
    }

    #[test]
    fn a_surviving_mutant_unproves_its_own_line_only() {
        let mutants = vec![
            mutant(FnValue, 1, Caught),
            mutant(BinaryOperator, 2, Missed),
            mutant(BinaryOperator, 3, Caught),
        ];
        let mut r = report(
            &[1, 2, 3],
            &[1, 2, 3],
            vec![function("f", (1, 3), Some(mutants))],
        );
        apply(&mut r);
        assert_eq!(proven_of(&r), [1, 3]);
    }

    #[test]
    fn a_missed_function_value_unproves_every_line_of_its_function() {
        let missed = vec![mutant(FnValue, 1, Caught), mutant(FnValue, 1, Missed)];
        let caught = vec![mutant(FnValue, 5, Caught), mutant(FnValue, 5, Unviable)];
        let fs = vec![
            function("f", (1, 3), Some(missed)),
            function("g", (5, 6), Some(caught)),
        ];
        let mut r = report(&[1, 2, 3, 5, 6], &[1, 2, 3, 5, 6], fs);
        apply(&mut r);
        assert_eq!(proven_of(&r), [5, 6], "an unviable mutant does not count");
        assert_eq!(r.functions[0].lines_proven, Some(0));
    }

    #[test]
    fn lines_of_functions_prove_did_not_try_are_not_proven() {
        let fs = vec![
            function("tried", (1, 2), Some(Vec::new())),
            function("not_selected", (4, 5), None),
        ];
        let mut r = report(&[1, 2, 4, 5, 7], &[1, 2, 4, 5, 7], fs);
        apply(&mut r);
        assert_eq!(
            proven_of(&r),
            [1, 2],
            "a skipped function (no mutant) proves its lines; line 7 is in no function"
        );
        assert_eq!(r.functions[1].lines_proven, Some(0));
        assert_eq!(
            r.functions[0].prove.as_ref().unwrap().status,
            ProveStatus::Skipped
        );
    }

    #[test]
    fn a_nested_function_answers_for_its_own_lines() {
        let outer = function("outer", (1, 6), Some(vec![mutant(FnValue, 1, Caught)]));
        let inner = function("inner", (2, 4), Some(vec![mutant(FnValue, 2, Missed)]));
        let mut r = report(&[1, 2, 3, 4, 5, 6], &[1, 2, 3, 4, 5, 6], vec![outer, inner]);
        apply(&mut r);
        assert_eq!(proven_of(&r), [1, 5, 6]);
        assert_eq!(r.functions[0].lines_proven, Some(3));
        assert_eq!(r.functions[1].lines_proven, Some(0));
    }

    #[test]
    fn files_roll_up_into_packages_and_the_workspace() {
        let f = function("f", (1, 4), Some(vec![mutant(BinaryOperator, 4, Missed)]));
        let mut r = report(&[1, 2, 3, 4], &[1, 2, 3, 4], vec![f]);
        apply(&mut r);
        let file = &r.files[0];
        assert_eq!(file.figures.lines_proven, Some(3));
        assert_eq!(file.proven_line_coverage, Some(0.75));
        assert_eq!(r.packages[0].figures.lines_proven, Some(3));
        assert_eq!(r.packages[0].proven_line_coverage, Some(0.75));
        assert_eq!(r.packages[1].figures.lines_proven, Some(0));
        assert_eq!(
            r.packages[1].proven_line_coverage, None,
            "no coverable line"
        );
        assert_eq!(r.summary.lines_proven, Some(3));
        assert_eq!(r.summary.proven_line_coverage, Some(0.75));
    }

    #[test]
    fn a_function_outside_every_covered_file_proves_nothing() {
        let mut f = function("elsewhere", (1, 2), Some(Vec::new()));
        f.file = "src/other.rs".into();
        let mut r = report(&[1], &[1], vec![f]);
        apply(&mut r);
        assert_eq!(r.functions[0].lines_proven, Some(0));
        assert!(proven_of(&r).is_empty());
    }

    #[test]
    fn proven_lines_serialize_only_when_prove_ran() {
        let r = report(&[1], &[1], Vec::new());
        let json = serde_json::to_value(&r).unwrap();
        assert!(json["files"][0].get("proven").is_none());
        assert!(json["summary"].get("proven_line_coverage").is_none());
        let mut r = r;
        apply(&mut r);
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["files"][0]["proven"], serde_json::json!([]));
        assert_eq!(json["files"][0]["lines_proven"], 0);
        assert_eq!(json["summary"]["proven_line_coverage"], 0.0);
    }
}
