//! The invariants of ARCHITECTURE.md, checked on the source and manifests of the library
//! crates: who may run processes, who may print or exit, who may do I/O, who depends on whom.

use std::path::{Path, PathBuf};

const LIBRARIES: [&str; 8] = [
    "model", "analyzer", "coverage", "scoring", "db", "compare", "render", "prove",
];

/// Code lines of a library crate's `src/`, as (file, 1-based line, text): comment lines,
/// `#[cfg(test)]` modules (each file's tests come last) and `src/bin/` (executables, not the
/// library) left out.
fn code_lines(krate: &str) -> Vec<(PathBuf, usize, String)> {
    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() && path.file_name().is_some_and(|n| n != "bin") {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(krate)
            .join("src"),
        &mut files,
    );
    assert!(!files.is_empty(), "no sources found for {krate}");
    let mut lines = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (i, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("#[cfg(test)]") {
                break;
            }
            if !code.starts_with("//") {
                lines.push((file.clone(), i + 1, line.to_string()));
            }
        }
    }
    lines
}

/// The code lines of `krate` that contain any of `needles`, as `file:line: text`.
fn offending(krate: &str, needles: &[&str]) -> Vec<String> {
    code_lines(krate)
        .into_iter()
        .filter(|(_, _, line)| needles.iter().any(|n| line.contains(n)))
        .map(|(file, n, line)| format!("{}:{n}: {}", file.display(), line.trim()))
        .collect()
}

/// The names in the `[dependencies]` table of a library crate's manifest.
fn dependencies(krate: &str) -> Vec<String> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(krate)
        .join("Cargo.toml");
    let text = std::fs::read_to_string(manifest).unwrap();
    let table = text
        .split("\n[")
        .find(|t| t.starts_with("dependencies]"))
        .unwrap_or_else(|| panic!("{krate}/Cargo.toml has no [dependencies]"));
    table
        .lines()
        .skip(1)
        .filter_map(|l| l.split(['=', '.', ' ']).next())
        .filter(|name| !name.is_empty() && !name.starts_with('#'))
        .map(String::from)
        .collect()
}

#[test]
fn the_analyzer_reads_source_text_and_runs_nothing() {
    let spawns = offending(
        "analyzer",
        &["std::process", "Command::new", "cargo_metadata"],
    );
    assert_eq!(spawns, Vec::<String>::new());
    let deps = dependencies("analyzer");
    assert!(deps.contains(&"syn".to_string()), "{deps:?}");
    assert!(!deps
        .iter()
        .any(|d| d == "cargo_metadata" || d == "truecov-coverage"));
}

#[test]
fn no_library_prints_or_exits() {
    for krate in LIBRARIES {
        let found = offending(
            krate,
            &[
                "println!",
                "eprintln!",
                "print!(",
                "eprint!(",
                "dbg!(",
                "process::exit",
                "io::stdout",
                "io::stderr",
            ],
        );
        assert_eq!(found, Vec::<String>::new(), "{krate}");
    }
}

#[test]
fn the_model_scoring_comparison_and_rendering_do_no_io() {
    for krate in ["model", "scoring", "compare", "render"] {
        let found = offending(
            krate,
            &[
                "std::fs",
                "std::io",
                "std::process",
                "std::net",
                "std::env",
                "File::",
            ],
        );
        assert_eq!(found, Vec::<String>::new(), "{krate}");
    }
    assert_eq!(dependencies("model"), ["serde"]);
    assert_eq!(dependencies("scoring"), ["truecov-model"]);
}

#[test]
fn the_report_stores_and_measurements_know_only_the_model() {
    let db = dependencies("db");
    assert!(db.contains(&"truecov-model".to_string()), "{db:?}");
    for other in ["truecov-analyzer", "truecov-coverage", "truecov-scoring"] {
        assert!(!db.iter().any(|d| d == other), "db depends on {other}");
    }
    let coverage = dependencies("coverage");
    for other in ["truecov-analyzer", "truecov-scoring", "truecov-db"] {
        assert!(
            !coverage.iter().any(|d| d == other),
            "coverage depends on {other}"
        );
    }
    // The coverage engine knows nothing of verdicts.
    assert_eq!(offending("coverage", &["Verdict"]), Vec::<String>::new());
}
