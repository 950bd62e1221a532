//! The mutant set against cargo-mutants' own: on `tests/fixtures/mutants`, the list
//! `cargo mutants --list --json` (cargo-mutants 27.1.0) printed, without and with a
//! `.cargo/mutants.toml` (stored under `expected/`, never produced by this code); and, on
//! generated functions, that every mutant is a well-formed edit of its function.

use proptest::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use truecov_analyzer::{list_mutants, scan, source_mutants, LibFunction, SourceMutant};
use truecov_model::{Config, Selection};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/mutants")
}

/// The mutants of the workspace at `root`, as rows like the stored ones.
fn listed(root: &Path) -> Vec<Value> {
    let selection = Selection {
        manifest_path: Some(root.join("Cargo.toml")),
        ..Selection::default()
    };
    let ws = truecov_coverage::workspace::load(&selection).unwrap();
    let scan = scan(&ws);
    let (mutants, warnings) = list_mutants(&ws, &scan.functions);
    assert!(warnings.is_empty(), "{warnings:?}");
    mutants
        .iter()
        .map(|m| {
            let text = std::fs::read_to_string(root.join(&m.file)).unwrap();
            serde_json::json!({
                "name": m.name,
                "end": end_position(&text, m.end),
                "replacement": m.replacement,
                "genre": m.genre.as_str(),
            })
        })
        .collect()
}

/// cargo-mutants' (exclusive) end of a span: 1-based line and character column, a `\r` not
/// counted.
fn end_position(text: &str, end: usize) -> [usize; 2] {
    let before = &text[..end];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().filter(|&c| c != '\r').count() + 1;
    [before.matches('\n').count() + 1, column]
}

fn stored(rel: &str) -> Vec<Value> {
    let path = fixture().join("expected").join(rel);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// Where two lists first part, for a readable failure.
fn assert_same_list(got: &[Value], want: &[Value]) {
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert_eq!(g, w, "mutant {i}");
    }
    assert_eq!(got.len(), want.len(), "the lists have different lengths");
}

#[test]
fn the_fixture_gets_cargo_mutants_list_in_its_order() {
    assert_same_list(&listed(&fixture()), &stored("cargo-mutants.json"));
}

#[test]
fn mutants_toml_filters_and_adds_as_in_cargo_mutants() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), dir.path());
    std::fs::create_dir(dir.path().join(".cargo")).unwrap();
    std::fs::copy(
        fixture().join("expected/with-config/mutants.toml"),
        dir.path().join(".cargo/mutants.toml"),
    )
    .unwrap();
    assert_same_list(
        &listed(dir.path()),
        &stored("with-config/cargo-mutants.json"),
    );
}

#[test]
fn a_bad_mutants_toml_is_a_warning_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".cargo")).unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(
        dir.path().join(".cargo/mutants.toml"),
        "exclude_re = [\"(\"]",
    )
    .unwrap();
    let text = "pub fn f() -> bool { g() }\n";
    std::fs::write(dir.path().join("src/lib.rs"), text).unwrap();
    let scan = truecov_analyzer::scan_source("src/lib.rs", text, &Config::default()).unwrap();
    let functions: Vec<&LibFunction> = scan.functions.iter().collect();
    let (mutants, warnings) = source_mutants(dir.path(), &functions);
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].file, ".cargo/mutants.toml");
    assert!(
        warnings[0].message.contains("exclude_re"),
        "{}",
        warnings[0].message
    );
    assert_eq!(mutants.len(), 2, "the defaults are used: true and false");
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}

/// Expressions with every operator cargo-mutants mutates, matches with catch-alls and guards,
/// struct literals with a base, and non-ASCII text around them.
fn expr() -> impl Strategy<Value = String> {
    let leaf = prop::sample::select(vec!["a", "b", "1", "\"é\".len()", "ü", "s.x", "f(a)"])
        .prop_map(str::to_string);
    leaf.prop_recursive(4, 24, 3, |inner| {
        let ops = prop::sample::select(vec![
            "==", "!=", "&&", "||", "<", ">", "<=", ">=", "+", "-", "*", "/", "%", "<<", ">>", "&",
            "|", "^",
        ]);
        prop_oneof![
            (inner.clone(), ops, inner.clone()).prop_map(|(l, op, r)| format!("({l} {op} {r})")),
            (prop::sample::select(vec!["!", "-"]), inner.clone())
                .prop_map(|(op, e)| format!("({op}{e})")),
            (inner.clone(), inner.clone(), inner.clone()).prop_map(|(a, b, c)| format!(
                "(match ({a}) {{ 0 => {b}, _ if {c} => {{ {a} }} _ => 1 }})"
            )),
            (inner.clone(), inner.clone())
                .prop_map(|(a, b)| format!("(S {{ x: {a}, y: {b}, ..s }}.x)")),
            (inner.clone(), inner)
                .prop_map(|(a, b)| format!("({{ let mut é = {a}; é += {b}; é }})")),
        ]
    })
}

fn return_type() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "u32",
        "i8",
        "bool",
        "String",
        "&str",
        "Option<u8>",
        "Result<Self, E>",
        "Vec<(u8, bool)>",
        "()",
        "impl Iterator<Item = u8>",
        "Box<u8>",
        "[u8; 2]",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_mutant_is_a_well_formed_edit_inside_its_function(
        body in expr(),
        other in expr(),
        ret in return_type(),
    ) {
        let text = format!(
            "pub struct S {{ x: u32, y: u32 }}\n\
             impl S {{\n    pub fn method(&self, a: u32, b: u32) -> {ret} {{\n        let s = self;\n        let _v = {body};\n        todo!()\n    }}\n}}\n\
             pub fn free(a: u32, b: u32, s: S) -> u32 {{\n    fn inner(ü: u32) -> bool {{ {other} == ü }}\n    {other}\n}}\n"
        );
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("src")).unwrap();
        std::fs::write(dir.path().join("src/lib.rs"), &text).unwrap();
        let scan = truecov_analyzer::scan_source("src/lib.rs", &text, &Config::default()).unwrap();
        let functions: Vec<&LibFunction> = scan.functions.iter().collect();
        let (mutants, warnings) = source_mutants(dir.path(), &functions);
        prop_assert!(warnings.is_empty());
        prop_assert!(!mutants.is_empty());
        for m in &mutants {
            check(&text, &scan.functions, m)?;
        }
    }
}

/// `m` replaces whole characters inside its function's body, and the file still parses.
fn check(text: &str, functions: &[LibFunction], m: &SourceMutant) -> Result<(), TestCaseError> {
    prop_assert!(m.start <= m.end && m.end <= text.len(), "{}", m.name);
    prop_assert!(
        text.is_char_boundary(m.start) && text.is_char_boundary(m.end),
        "{}",
        m.name
    );
    let f = functions.iter().find(|f| f.name == m.function);
    let f =
        f.ok_or_else(|| TestCaseError::fail(format!("{}: no function {}", m.name, m.function)))?;
    let line_start: usize = text
        .split_inclusive('\n')
        .take(f.body_start.line as usize - 1)
        .map(str::len)
        .sum();
    let open = line_start + f.body_start.col as usize - 1;
    let close_line_end: usize = text
        .split_inclusive('\n')
        .take(f.end_line as usize)
        .map(str::len)
        .sum();
    prop_assert!(
        open < m.start && m.end < close_line_end,
        "{} outside {}",
        m.name,
        f.name
    );
    let before = &text[..m.start];
    prop_assert_eq!(m.line as usize, before.matches('\n').count() + 1);
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    prop_assert_eq!(m.column as usize, column, "{}", &m.name);
    let mutated = format!("{}{}{}", &text[..m.start], m.replacement, &text[m.end..]);
    prop_assert!(
        syn::parse_file(&mutated).is_ok(),
        "{} does not parse:\n{}",
        m.name,
        mutated
    );
    Ok(())
}
