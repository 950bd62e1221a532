//! The mutant set of cargo-mutants, found from source alone: the same mutants, at the same
//! spans, with the same replacement text and names (`src/lib.rs:42:15: replace < with <= in
//! Version::parse`), so that `prove`'s results join one to one with cargo-mutants' outcomes.
//! `values` is its table of function-body values, `visit` its walk of a file, `pretty` its
//! printing of tokens.

mod config;
mod files;
mod mutant;
mod options;
mod pretty;
pub(crate) mod values;
mod visit;

use crate::source::SourceFile;
pub use mutant::SourceMutant;
use options::Options;
use std::collections::HashMap;
use std::path::Path;
use truecov_model::{LibFunction, Pos, Warning, Workspace};

/// The workspace's options, or the defaults and a warning when its configuration is bad.
fn options(root: &Path, warnings: &mut Vec<Warning>) -> Options {
    config::read(root).unwrap_or_else(|w| {
        warnings.push(Warning {
            message: format!("{}; cargo-mutants' defaults used", w.message),
            ..w
        });
        Options::default()
    })
}

/// The mutants of `functions` (as cargo-mutants would generate them inside their bodies), in
/// the order cargo-mutants lists them, reading each file once from under `root`. Files that
/// cannot be read or parsed are left out, with a warning.
pub fn source_mutants(
    root: &Path,
    functions: &[&LibFunction],
) -> (Vec<SourceMutant>, Vec<Warning>) {
    let mut by_file: Vec<(&str, HashMap<Pos, &LibFunction>)> = Vec::new();
    for f in functions {
        match by_file.iter_mut().find(|(file, _)| *file == f.file) {
            Some((_, of_file)) => {
                of_file.insert(f.body_start, f);
            }
            None => by_file.push((f.file.as_str(), HashMap::from([(f.body_start, *f)]))),
        }
    }
    let mut warnings = Vec::new();
    let options = options(root, &mut warnings);
    let mut out = Vec::new();
    for (rel, of_file) in by_file
        .into_iter()
        .filter(|(rel, _)| options.allows_file(rel))
    {
        let Some(package) = of_file.values().next().map(|f| f.package.as_str()) else {
            continue;
        };
        match SourceFile::load(root, &root.join(rel)) {
            Ok(file) => {
                let (found, _) = visit::walk(package, &file, &options);
                out.extend(found.into_iter().filter_map(|f| {
                    let lib = of_file.get(&f.body?)?;
                    Some(SourceMutant {
                        function: lib.name.clone(),
                        ..f.mutant
                    })
                }));
            }
            Err(e) => warnings.push(Warning {
                file: e.rel,
                message: e.message,
            }),
        }
        proc_macro2::extra::invalidate_current_thread_spans();
    }
    (out, warnings)
}

/// The whole mutant set cargo-mutants generates for the workspace's packages: from each lib
/// and bin target's root file, following `mod` declarations outside test code as cargo-mutants
/// does, files in that order and mutants in its order within a file. Each mutant's `function`
/// is named as in `functions` (the scan's), or left empty where the scan has no such function.
pub fn list_mutants(
    ws: &Workspace,
    functions: &[LibFunction],
) -> (Vec<SourceMutant>, Vec<Warning>) {
    let names: HashMap<(&str, Pos), &str> = functions
        .iter()
        .map(|f| ((f.file.as_str(), f.body_start), f.name.as_str()))
        .collect();
    let mut warnings = Vec::new();
    let options = options(&ws.root, &mut warnings);
    let mut out = Vec::new();
    for package in &ws.packages {
        files::walk_package(
            &ws.root,
            package,
            &options,
            &mut |found| {
                out.extend(found.into_iter().map(|f| {
                    let function = f
                        .body
                        .and_then(|pos| names.get(&(f.mutant.file.as_str(), pos)))
                        .map_or_else(String::new, |n| n.to_string());
                    SourceMutant {
                        function,
                        ..f.mutant
                    }
                }));
            },
            &mut warnings,
        );
    }
    (out, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use truecov_model::Config;

    /// The mutants of one file's library functions.
    fn found(text: &str) -> Vec<SourceMutant> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("src")).unwrap();
        std::fs::write(dir.path().join("src/lib.rs"), text).unwrap();
        let scan = crate::scan_source("src/lib.rs", text, &Config::default()).unwrap();
        let functions: Vec<&LibFunction> = scan.functions.iter().collect();
        let (found, warnings) = source_mutants(dir.path(), &functions);
        assert!(warnings.is_empty());
        found
    }

    /// The names and texts of the mutants of one file's library functions.
    fn listed(text: &str) -> Vec<(String, String)> {
        found(text)
            .into_iter()
            .map(|m| {
                (
                    m.name,
                    format!("{}|{}|{}", m.function, &text[m.start..m.end], m.replacement),
                )
            })
            .collect()
    }

    #[test]
    fn a_mutant_is_placed_in_characters_for_its_name_and_in_bytes_for_coverage() {
        let text = "pub fn short(n: usize) -> bool {\n    \"é\".len() < n\n}\n";
        let less = found(text)
            .into_iter()
            .find(|m| m.replacement == "<=")
            .unwrap();
        assert_eq!(less.name, "src/lib.rs:2:15: replace < with <= in short");
        assert_eq!((less.line, less.column), (2, 15));
        assert_eq!(less.pos, Pos { line: 2, col: 16 }, "`é` is two bytes");
        assert_eq!(&text[less.start..less.end], "<");
    }

    #[test]
    fn a_mutant_ends_on_the_line_its_replaced_text_ends() {
        let text = "pub fn fee(n: u32) -> u32 {\n    if n < 10 {\n        return 0;\n    }\n    n / 2\n}\n";
        let lines: Vec<(u32, u32, String)> = found(text)
            .into_iter()
            .filter(|m| m.replacement == "0" || m.replacement == "<=")
            .map(|m| (m.line, m.end_line, m.replacement))
            .collect();
        assert_eq!(
            lines,
            [(2, 5, "0".to_string()), (2, 2, "<=".to_string())],
            "a function value replaces the body's statements, lines 2 to 5; `<` is on line 2"
        );
    }

    #[test]
    fn fn_value_mutants_replace_the_statements_and_are_named_as_cargo_mutants_names_them() {
        let text = "pub struct V;\nimpl V {\n    pub fn parse(t: &str) -> Result<Self, String> {\n        let _ = t;\n        Ok(V)\n    }\n}\nimpl std::fmt::Display for V {\n    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {\n        f.write_str(\"v\")\n    }\n}\npub fn yes() -> bool { true }\n";
        assert_eq!(
            listed(text),
            [
                (
                    "src/lib.rs:4:9: replace V::parse -> Result<Self, String> with Ok(Default::default())".to_string(),
                    "V::parse|let _ = t;\n        Ok(V)|Ok(Default::default())".to_string()
                ),
                (
                    "src/lib.rs:10:9: replace <impl std::fmt::Display for V>::fmt -> std::fmt::Result with Ok(Default::default())".to_string(),
                    "V::fmt|f.write_str(\"v\")|Ok(Default::default())".to_string()
                ),
                (
                    "src/lib.rs:13:24: replace yes -> bool with false".to_string(),
                    "yes|true|false".to_string()
                ),
            ]
        );
    }
}
