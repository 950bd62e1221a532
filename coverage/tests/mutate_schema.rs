//! The mutant schema end to end on the `mutate/schema` fixture: operator, guard and arm
//! mutants (some nested in others' operands) all compiled into one build, the one that does not
//! type-check blamed by the compiler's span and dropped as unviable, a `const` initialiser's
//! mutant built on its own, and a boundary mutant (`<` as `<=`) that the tests let through.
//! What each mutant must come to is written by hand in the fixture's comments.

use std::path::{Path, PathBuf};
use std::time::Duration;
use truecov_coverage::mutate::{self, Mutant, MutateOptions};
use truecov_coverage::run::BuildOptions;
use truecov_model::{MutantGenre, MutantOutcome, Selection, TestId};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mutate/schema")
}

/// Mutant `genre` of the `nth` `needle` on the line holding `line`, its tests named.
struct Spec {
    line: &'static str,
    needle: &'static str,
    nth: usize,
    genre: MutantGenre,
    replacement: &'static str,
    tests: &'static [&'static str],
    outcome: MutantOutcome,
}

const fn spec(
    line: &'static str,
    needle: &'static str,
    genre: MutantGenre,
    replacement: &'static str,
    tests: &'static [&'static str],
    outcome: MutantOutcome,
) -> Spec {
    Spec {
        line,
        needle,
        nth: 0,
        genre,
        replacement,
        tests,
        outcome,
    }
}

use MutantGenre::{BinaryOperator as Bin, MatchArm, MatchArmGuard, UnaryOperator};
use MutantOutcome::{Caught, Missed, NotCovered, Unviable};

const SPECS: &[Spec] = &[
    spec(
        "n < limit",
        "<",
        Bin,
        "<=",
        &["tests::below_away_from_the_boundary"],
        Missed,
    ),
    spec(
        "n < limit",
        "<",
        Bin,
        "==",
        &["tests::below_away_from_the_boundary"],
        Caught,
    ),
    spec(
        "n < limit",
        "<",
        Bin,
        ">",
        &["tests::below_away_from_the_boundary"],
        Caught,
    ),
    spec("a * 2 + b", "*", Bin, "+", &["tests::weighted_sum"], Caught),
    spec("a * 2 + b", "+", Bin, "-", &["tests::weighted_sum"], Caught),
    spec("a && !b", "&&", Bin, "||", &["tests::both_flags"], Caught),
    spec(
        "a && !b",
        "!",
        UnaryOperator,
        "",
        &["tests::both_flags"],
        Caught,
    ),
    spec(
        "0 => \"zero\"",
        "0 => \"zero\",",
        MatchArm,
        "",
        &["tests::labels"],
        Caught,
    ),
    spec(
        "n if n > 9",
        "n > 9",
        MatchArmGuard,
        "true",
        &["tests::labels"],
        Caught,
    ),
    spec(
        "n if n > 9",
        "n > 9",
        MatchArmGuard,
        "false",
        &["tests::labels"],
        Caught,
    ),
    spec(
        "String::from",
        "+",
        Bin,
        "-",
        &["tests::greeting"],
        Unviable,
    ),
    spec("LIMIT: u32", "+", Bin, "*", &["tests::limit"], Caught),
    spec("n - 100", "-", Bin, "+", &[], NotCovered),
];

#[test]
fn all_switchable_mutants_share_one_build_and_the_unviable_one_is_blamed() {
    let source = std::fs::read_to_string(fixture().join("src/lib.rs")).unwrap();
    let mut names: Vec<&str> = SPECS.iter().flat_map(|s| s.tests.iter().copied()).collect();
    names.sort_unstable();
    names.dedup();
    let tests: Vec<TestId> = names
        .iter()
        .map(|n| TestId {
            package: "schema_fixture".into(),
            target: "lib".into(),
            name: (*n).into(),
        })
        .collect();
    let mutants: Vec<Mutant> = SPECS
        .iter()
        .map(|s| {
            let line = source.find(s.line).unwrap_or_else(|| panic!("{}", s.line));
            let line = source[..line].rfind('\n').map_or(0, |n| n + 1);
            let start = line + source[line..].match_indices(s.needle).nth(s.nth).unwrap().0;
            Mutant {
                package: "schema_fixture".into(),
                file: "src/lib.rs".into(),
                start,
                end: start + s.needle.len(),
                replacement: s.replacement.into(),
                genre: s.genre,
                guardable: false,
                boxed: None,
                tests: s
                    .tests
                    .iter()
                    .map(|t| names.iter().position(|n| n == t).unwrap())
                    .collect(),
            }
        })
        .collect();
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("mutate-schema");
    let selection = Selection {
        manifest_path: Some(fixture().join("Cargo.toml")),
        ..Selection::default()
    };
    let options = MutateOptions {
        workspace: truecov_coverage::workspace::load(&selection).unwrap(),
        build: BuildOptions {
            manifest_path: Some(fixture().join("Cargo.toml")),
            target_dir: Some(scratch.join("target")),
            ..BuildOptions::new(env!("CARGO_BIN_EXE_truecov-rustc-wrapper"))
        },
        dir: scratch.join("prove"),
        jobs: 2,
        baseline_timeout: Duration::from_secs(60),
        timeout_multiplier: 5,
        min_timeout: Duration::from_secs(10),
        include_ignored: false,
    };
    let proof = mutate::prove(&options, &tests, &mutants, &|_| {}).unwrap();
    let got: Vec<(&str, &str, MutantOutcome)> = SPECS
        .iter()
        .zip(&proof.mutants)
        .map(|(s, r)| (s.line, s.replacement, r.outcome))
        .collect();
    let expected: Vec<(&str, &str, MutantOutcome)> = SPECS
        .iter()
        .map(|s| (s.line, s.replacement, s.outcome))
        .collect();
    assert_eq!(got, expected);
    // The schema with every switchable mutant, again without the unviable one, and the
    // const initialiser's own build.
    assert_eq!(proof.builds, 3, "{:?}", proof.warnings);
    let unviable = &proof.mutants[10];
    assert!(
        unviable
            .error
            .as_deref()
            .is_some_and(|e| e.contains("E0369")),
        "{:?}",
        unviable.error
    );
    let boundary = &proof.mutants[0];
    assert_eq!(
        boundary.tests_run,
        [names
            .iter()
            .position(|n| *n == "tests::below_away_from_the_boundary")
            .unwrap()]
    );
    assert_eq!(proof.mutants[1].caught_by, Some(boundary.tests_run[0]));
    // The user's tree is only read.
    assert_eq!(
        std::fs::read_to_string(fixture().join("src/lib.rs")).unwrap(),
        source
    );
}

/// The schema on a real crate, for measurements (`scripts`-free, run by hand): every
/// non-`FnValue` mutant of a `cargo mutants --list --json` file, all judged by one test, in as
/// few builds as the engine can. `TRUECOV_SCHEMA_CRATE` is the crate's directory,
/// `TRUECOV_SCHEMA_LIST` the list, `TRUECOV_SCHEMA_TEST` the test (`target name`, e.g.
/// `test:test_version test_parse`).
#[test]
#[ignore = "measurement on a real crate: needs the TRUECOV_SCHEMA_* variables"]
fn a_real_crates_operator_mutants_share_few_builds() {
    let var = |name: &str| std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set"));
    let root = PathBuf::from(var("TRUECOV_SCHEMA_CRATE"));
    let list: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(var("TRUECOV_SCHEMA_LIST")).unwrap())
            .unwrap();
    let test = var("TRUECOV_SCHEMA_TEST");
    let (target, name) = test.split_once(' ').unwrap();
    let selection = Selection {
        manifest_path: Some(root.join("Cargo.toml")),
        ..Selection::default()
    };
    let workspace = truecov_coverage::workspace::load(&selection).unwrap();
    let package = workspace.packages[0].name.clone();
    let mut mutants = Vec::new();
    for m in list.as_array().unwrap() {
        let genre = match m["genre"].as_str().unwrap() {
            "BinaryOperator" => MutantGenre::BinaryOperator,
            "UnaryOperator" => MutantGenre::UnaryOperator,
            "MatchArm" => MutantGenre::MatchArm,
            "MatchArmGuard" => MutantGenre::MatchArmGuard,
            "StructField" => MutantGenre::StructField,
            _ => continue,
        };
        let file = m["file"].as_str().unwrap().to_string();
        let text = std::fs::read_to_string(root.join(&file)).unwrap();
        let offset = |p: &serde_json::Value| {
            let (line, col) = (p["line"].as_u64().unwrap(), p["column"].as_u64().unwrap());
            let start: usize = text
                .split_inclusive('\n')
                .take(line as usize - 1)
                .map(str::len)
                .sum();
            let rest = &text[start..];
            start
                + rest
                    .char_indices()
                    .nth(col as usize - 1)
                    .map_or(rest.len(), |(b, _)| b)
        };
        mutants.push(Mutant {
            package: package.clone(),
            file,
            start: offset(&m["span"]["start"]),
            end: offset(&m["span"]["end"]),
            replacement: m["replacement"].as_str().unwrap_or("").to_string(),
            genre,
            guardable: false,
            boxed: None,
            tests: vec![0],
        });
    }
    // Outside this workspace: a crate without a `[workspace]` table would believe it is in it.
    let scratch = root.join("target/truecov-schema-measure");
    let options = MutateOptions {
        workspace,
        build: BuildOptions {
            manifest_path: Some(root.join("Cargo.toml")),
            target_dir: Some(scratch.join("target")),
            ..BuildOptions::new(env!("CARGO_BIN_EXE_truecov-rustc-wrapper"))
        },
        dir: scratch.join("prove"),
        jobs: 2,
        baseline_timeout: Duration::from_secs(120),
        timeout_multiplier: 5,
        min_timeout: Duration::from_secs(10),
        include_ignored: false,
    };
    let tests = [TestId {
        package,
        target: target.into(),
        name: name.into(),
    }];
    let start = std::time::Instant::now();
    let proof = mutate::prove(&options, &tests, &mutants, &|_| {}).unwrap();
    let mut outcomes = std::collections::BTreeMap::new();
    for r in &proof.mutants {
        *outcomes.entry(r.outcome.as_str()).or_insert(0) += 1;
    }
    println!(
        "{} mutants, {} builds, {:.1} s: {outcomes:?}",
        mutants.len(),
        proof.builds,
        start.elapsed().as_secs_f64()
    );
    assert!(!outcomes.contains_key("not_run"), "{:?}", proof.warnings);
    assert!(
        proof.builds * 10 <= mutants.len(),
        "{} builds",
        proof.builds
    );
}
