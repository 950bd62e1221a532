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
