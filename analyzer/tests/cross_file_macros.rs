//! Test-writing `macro_rules!` defined in one file of a crate and invoked in another (textual
//! scope through `#[macro_use]`, `#[macro_export]` paths, integration tests), with the build's
//! `cfg` alternatives; and whatever the macros do (cycles, undefined names, deep recursion,
//! fan-out), the scan ends without a panic.

use proptest::prelude::*;
use std::path::Path;
use truecov_analyzer::{scan, Config, Scan};
use truecov_model::{ManifestFields, Package, PackageId, Target, TargetKind, Workspace};

/// Writes `files` under `dir` and scans them as package `krate`: a library (`src/lib.rs`)
/// and, when written, the integration test `tests/it.rs`.
fn scan_crate(dir: &Path, files: &[(&str, &str)]) -> Scan {
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let target = |kind, name: &str, root: &str| Target {
        kind,
        name: name.to_string(),
        root: dir.join(root),
        tested: true,
        doctested: false,
        harness: true,
        edition: 2021,
    };
    let mut targets = vec![target(TargetKind::Lib, "krate", "src/lib.rs")];
    if dir.join("tests/it.rs").is_file() {
        targets.push(target(TargetKind::Test, "it", "tests/it.rs"));
    }
    let ws = Workspace {
        root: dir.to_path_buf(),
        target_directory: dir.join("target"),
        packages: vec![Package {
            id: PackageId("path+file:///krate#0.1.0".into()),
            name: "krate".into(),
            version: "0.1.0".into(),
            manifest_path: dir.join("Cargo.toml"),
            fields: ManifestFields::default(),
            config: Config::default(),
            targets,
            test_support: false,
            external_crates: Vec::new(),
            features: vec!["default".into(), "std".into()],
        }],
    };
    scan(&ws)
}

const DEFS: &str = r#"
#[cfg(miri)]
#[macro_export]
macro_rules! cases {
    ($($tt:tt)*) => {};
}

#[cfg(not(miri))]
#[macro_export]
macro_rules! cases {
    ($($name:ident: $input:expr => $want:expr),* $(,)?) => {
        $( #[test] fn $name() { assert_eq!(crate::twice($input), $want); } )*
    };
}

#[macro_export]
macro_rules! smoke_cases {
    ($name:ident) => { $crate::cases!($name: 1 => 2); };
}

#[cfg(feature = "std")]
macro_rules! with_std {
    ($name:ident) => { #[test] fn $name() { let _ = crate::twice(1); } };
}

#[cfg(feature = "nightly")]
macro_rules! nightly_only {
    ($name:ident) => { #[test] fn $name() {} };
}

#[cfg(test)]
#[macro_export]
macro_rules! unit_only {
    ($name:ident) => { #[test] fn $name() {} };
}

macro_rules! ping { () => { pong!(); #[test] fn never() {} }; }
macro_rules! pong { () => { ping!(); }; }
macro_rules! fan { () => { fan!(); fan!(); fan!(); fan!(); #[test] fn fanned() {} }; }
"#;

const USES: &str = r#"
#[cfg(test)]
mod tests {
    cases!(plain: 1 => 2);
    crate::cases! { by_path: 2 => 4, second: 3 => 6 }
    smoke_cases!(through_dollar_crate);
    with_std!(std_feature_on);
    nightly_only!(nightly_off);
    undefined_here!(nothing);
    ping!();
    fan!();
}
"#;

fn names(scan: &Scan, target: &str) -> Vec<String> {
    let mut v: Vec<String> = scan
        .tests
        .iter()
        .filter(|t| t.target == target)
        .map(|t| t.name.clone())
        .collect();
    v.sort();
    v
}

#[test]
fn macros_of_a_macro_use_module_write_tests_in_later_modules_and_other_targets() {
    let dir = tempfile::tempdir().unwrap();
    let lib = "pub fn twice(x: u8) -> u8 { x * 2 }\n#[macro_use]\nmod defs;\nmod uses;\n";
    let it = "#[macro_use]\nmod common;\nshared!(from_common);\nkrate::cases!(from_it: 4 => 8);\nkrate::unit_only!(hidden);\n";
    let common = "macro_rules! shared {\n    ($n:ident) => { #[test] fn $n() { assert_eq!(krate::twice(2), 4); } };\n}\n";
    let scan = scan_crate(
        dir.path(),
        &[
            ("src/lib.rs", lib),
            ("src/defs.rs", DEFS),
            ("src/uses.rs", USES),
            ("tests/it.rs", it),
            ("tests/common/mod.rs", common),
        ],
    );
    let mut want: Vec<String> = [
        "by_path",
        "plain",
        "second",
        "std_feature_on",
        "through_dollar_crate",
    ]
    .iter()
    .map(|n| format!("uses::tests::{n}"))
    .collect();
    // ping!/pong! and fan! recurse until the depth bound; what they write there is kept.
    let lib_names = names(&scan, "lib");
    want.extend(
        lib_names
            .iter()
            .filter(|n| n.ends_with("never") || n.ends_with("fanned"))
            .cloned(),
    );
    want.sort();
    assert_eq!(lib_names, want);
    assert!(lib_names.len() <= 7, "{lib_names:?}");
    assert_eq!(
        names(&scan, "test:it"),
        vec!["from_common".to_string(), "from_it".to_string()]
    );
    let plain = scan
        .tests
        .iter()
        .find(|t| t.name == "uses::tests::plain")
        .unwrap();
    assert_eq!((plain.file.as_str(), plain.line), ("src/uses.rs", 4));
    assert_eq!(plain.verdict, truecov_analyzer::Verdict::Meaningful);
}

#[test]
fn a_module_declared_before_the_macro_use_module_does_not_see_its_macros() {
    let dir = tempfile::tempdir().unwrap();
    let lib = "pub fn twice(x: u8) -> u8 { x * 2 }\nmod uses;\n#[macro_use]\nmod defs;\n";
    let uses = "#[cfg(test)]\nmod tests {\n    with_std!(too_early);\n    crate::cases!(exported: 1 => 2);\n    cases!(imported: 1 => 2);\n}\n";
    let scan = scan_crate(
        dir.path(),
        &[
            ("src/lib.rs", lib),
            ("src/defs.rs", DEFS),
            ("src/uses.rs", uses),
        ],
    );
    // rustc rejects `with_std!` there; the exported path still works, and a plain name of an
    // exported macro is taken as imported (`use crate::cases;`), since the code compiles.
    assert_eq!(
        names(&scan, "lib"),
        vec![
            "uses::tests::exported".to_string(),
            "uses::tests::imported".to_string()
        ]
    );
}

const MATCHERS: &[&str] = &[
    "",
    "$n:ident",
    "$($t:tt)*",
    "$n:ident, $e:expr",
    "$($n:ident),* $(,)?",
];

const BODIES: &[&str] = &[
    "#[test] fn $n() { assert!(true); }",
    "m0!($($t)*); #[test] fn t() {}",
    "$crate::m1!(a); m2!(b, 1);",
    "crate::m0! { $($t)* $($t)* }",
    "$( #[test] fn $n() {} )*",
    "undefined!(); mod $n { m1!(x); }",
    "m2!($n, $e); m2!($n, $e);",
    "quickcheck::quickcheck! { fn q(x: u8) -> bool { x == x } }",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn any_macros_across_files_end_without_a_panic(
        defs in proptest::collection::vec(
            (0usize..3, proptest::sample::select(MATCHERS), proptest::sample::select(BODIES),
             any::<bool>(), any::<bool>()),
            0..6),
        calls in proptest::collection::vec((0usize..4, "[a-z ,:0-9]{0,12}"), 0..8),
        macro_use in any::<bool>(),
    ) {
        let mut text = String::new();
        for (i, matcher, body, exported, miri) in &defs {
            if *exported {
                text.push_str("#[macro_export]\n");
            }
            if *miri {
                text.push_str("#[cfg(miri)]\n");
            }
            text.push_str(&format!("macro_rules! m{i} {{ ({matcher}) => {{ {body} }}; }}\n"));
        }
        let mut uses = String::from("#[cfg(test)]\nmod tests {\n");
        for (i, args) in &calls {
            uses.push_str(&format!("m{i}!({args});\ncrate::m{i}!({args});\n"));
        }
        uses.push_str("}\n");
        let attr = if macro_use { "#[macro_use]\n" } else { "" };
        let lib = format!("{attr}mod defs;\nmod uses;\n");
        let dir = tempfile::tempdir().unwrap();
        let scan = scan_crate(dir.path(), &[("src/lib.rs", &lib), ("src/defs.rs", &text), ("src/uses.rs", &uses)]);
        let lines = uses.lines().count().max(text.lines().count()) as u32;
        for t in &scan.tests {
            prop_assert!((1..=lines).contains(&t.line), "{} at {}", t.name, t.line);
        }
    }
}
