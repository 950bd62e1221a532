//! Which library functions are proved, in which order.

use crate::error::ProveError;
use crate::request::Request;
use std::collections::HashMap;
use truecov_model::{name_matches, FunctionEntry, LibFunction, Report, Scan};

/// A function the user's selection keeps: its report entry and its scan entry.
pub(crate) struct Chosen<'a> {
    pub(crate) function: usize,
    pub(crate) lib: &'a LibFunction,
}

/// The functions the request's names, files and changed lines keep (all of them by default), the ones
/// with the weakest tests first: least meaningful share of the lines tests run, then file and
/// line order.
pub(crate) fn select<'a>(
    report: &Report,
    scan: &'a Scan,
    args: &Request,
) -> Result<Vec<Chosen<'a>>, ProveError> {
    let lib: HashMap<(&str, u32, &str), &LibFunction> = scan
        .functions
        .iter()
        .map(|f| ((f.file.as_str(), f.line, f.name.as_str()), f))
        .collect();
    let changed = args.changed.as_ref();
    let mut chosen: Vec<Chosen<'a>> = Vec::new();
    for (i, f) in report.functions.iter().enumerate() {
        let Some(&lf) = lib.get(&(f.file.as_str(), f.line, f.name.as_str())) else {
            continue;
        };
        let named =
            args.functions.is_empty() || args.functions.iter().any(|q| name_matches(&f.name, q));
        let in_file = args.files.is_empty()
            || args.files.iter().any(|p| {
                let p = p.trim_start_matches("./").trim_end_matches('/');
                f.file == p || f.file.starts_with(&format!("{p}/"))
            });
        let touched = changed.is_none_or(|c| {
            c.get(&f.file)
                .is_some_and(|lines| lines.range(lf.line..=lf.end_line).next().is_some())
        });
        if named && in_file && touched {
            chosen.push(Chosen {
                function: i,
                lib: lf,
            });
        }
    }
    if chosen.is_empty() && !(args.functions.is_empty() && args.files.is_empty()) {
        return Err(ProveError::NoMatch);
    }
    let doubt = |f: &FunctionEntry| {
        let unexecuted = f.lines_raw == 0;
        (unexecuted, f.lines_meaningful * 1000 / f.lines_raw.max(1))
    };
    chosen.sort_by_key(|c| {
        let f = &report.functions[c.function];
        (doubt(f), f.file.clone(), f.line)
    });
    Ok(chosen)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::request::ChangedLines;
    use std::collections::BTreeSet;
    use truecov_model::{FunctionClass, Pos, Summary};

    /// `(name, file, line, lines_raw, lines_meaningful)`, each spanning lines `line..=line + 2`.
    pub(crate) type Row<'a> = (&'a str, &'a str, u32, u64, u64);

    fn entry(&(name, file, line, raw, meaningful): &Row<'_>) -> FunctionEntry {
        FunctionEntry {
            package: "p".into(),
            name: name.into(),
            file: file.into(),
            line,
            end_line: line + 2,
            class: FunctionClass::NoErrorPaths,
            lines_coverable: 3,
            lines_raw: raw,
            lines_meaningful: meaningful,
            lines_proven: None,
            error_sites: 0,
            error_sites_executed: 0,
            error_sites_checked: 0,
            executed_by: Vec::new(),
            sites: Vec::new(),
            prove: None,
        }
    }

    fn lib(&(name, file, line, ..): &Row<'_>) -> LibFunction {
        LibFunction {
            package: "p".into(),
            name: name.into(),
            file: file.into(),
            line,
            body_start: Pos { line, col: 1 },
            end_line: line + 2,
            error_sites: Vec::new(),
        }
    }

    pub(crate) fn report(rows: &[Row<'_>]) -> Report {
        Report {
            schema_version: 1,
            tool_version: "0".into(),
            workspace: "/w".into(),
            summary: Summary::default(),
            tests: Vec::new(),
            functions: rows.iter().map(entry).collect(),
            files: Vec::new(),
            packages: Vec::new(),
            warnings: Vec::new(),
            prove: None,
        }
    }

    fn scan(rows: &[Row<'_>]) -> Scan {
        Scan {
            functions: rows.iter().map(lib).collect(),
            ..Scan::default()
        }
    }

    const ROWS: [Row<'static>; 4] = [
        ("a::strong", "src/a.rs", 1, 3, 3),
        ("a::weak", "src/a.rs", 10, 3, 1),
        ("b::unrun", "src/b/mod.rs", 1, 0, 0),
        ("b::half", "src/b/mod.rs", 10, 2, 1),
    ];

    /// The names `select` keeps, in its order.
    fn names(report: &Report, scan: &Scan, args: &Request) -> Vec<String> {
        let chosen = select(report, scan, args).expect("some match");
        chosen
            .iter()
            .map(|c| {
                assert_eq!(report.functions[c.function].name, c.lib.name);
                c.lib.name.clone()
            })
            .collect()
    }

    #[test]
    fn the_weakest_tests_come_first_and_unexecuted_functions_last() {
        let (r, s) = (report(&ROWS), scan(&ROWS));
        let all = names(&r, &s, &Request::default());
        assert_eq!(all, ["a::weak", "b::half", "a::strong", "b::unrun"]);
    }

    #[test]
    fn ties_in_share_follow_file_then_line() {
        let rows = [
            ("z", "src/b.rs", 1, 2, 1),
            ("y", "src/a.rs", 9, 2, 1),
            ("x", "src/a.rs", 5, 2, 1),
        ];
        let all = names(&report(&rows), &scan(&rows), &Request::default());
        assert_eq!(all, ["x", "y", "z"]);
    }

    #[test]
    fn a_function_missing_from_the_scan_is_not_chosen() {
        let all = names(&report(&ROWS), &scan(&ROWS[1..]), &Request::default());
        assert!(!all.contains(&"a::strong".to_string()));
        assert_eq!(all.len(), 3);
    }

    #[test]
    fn names_and_files_narrow_the_choice() {
        let (r, s) = (report(&ROWS), scan(&ROWS));
        let named = Request {
            functions: vec!["weak".into()],
            ..Request::default()
        };
        assert_eq!(names(&r, &s, &named), ["a::weak"]);
        let under = Request {
            files: vec!["./src/b/".into()],
            ..Request::default()
        };
        assert_eq!(names(&r, &s, &under), ["b::half", "b::unrun"]);
        let prefix_only = Request {
            files: vec!["src/b/mo".into()],
            ..Request::default()
        };
        assert!(matches!(
            select(&r, &s, &prefix_only),
            Err(ProveError::NoMatch)
        ));
    }

    #[test]
    fn changed_lines_keep_the_functions_that_hold_them() {
        let (r, s) = (report(&ROWS), scan(&ROWS));
        let diff = |file: &str, line: u32| Request {
            changed: Some(ChangedLines::from([(
                file.to_string(),
                BTreeSet::from([line]),
            )])),
            ..Request::default()
        };
        assert_eq!(
            names(&r, &s, &diff("src/a.rs", 12)),
            ["a::weak"],
            "last line"
        );
        assert_eq!(
            names(&r, &s, &diff("src/a.rs", 10)),
            ["a::weak"],
            "first line"
        );
        let between = select(&r, &s, &diff("src/a.rs", 5)).expect("no error without names");
        assert!(between.is_empty());
    }
}
