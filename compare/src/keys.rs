//! Which function of one run is which function of another.

use std::collections::HashMap;
use truecov_model::Report;

/// The identity of each function of `report` across runs, in its order: (package, name, n) for
/// the n-th function of that name (trait impls can give two functions one name).
pub(crate) fn function_keys(report: &Report) -> Vec<(&str, &str, usize)> {
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    report
        .functions
        .iter()
        .map(|f| {
            let n = seen.entry((&f.package, &f.name)).or_default();
            *n += 1;
            (f.package.as_str(), f.name.as_str(), *n - 1)
        })
        .collect()
}
