//! Every rule id a finding can carry (`truecov_analyzer::rules::ALL`) has a page under
//! `docs/rules/` with a failing and a passing example, and the analyzer agrees with each page:
//! it reports the rule on the failing example, and the passing example is meaningful without
//! it.

mod common;

use serde_json::Value;
use truecov_analyzer::rules;

/// The text of a rule's page.
fn page(id: &str) -> String {
    let path = common::repo().join(rules::doc_page(id));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{id}: {}: {e}", path.display()))
}

/// The first ```rust block after the heading `## <heading>` of a page.
fn example(text: &str, heading: &str) -> Option<String> {
    let after = text.split(&format!("\n## {heading}\n")).nth(1)?;
    let section = after.split("\n## ").next()?;
    let code = section.split("```rust\n").nth(1)?.split("```").next()?;
    Some(code.to_string())
}

#[test]
fn every_rule_has_a_page_with_a_failing_and_a_passing_example() {
    let index = std::fs::read_to_string(common::repo().join("docs/rules/README.md")).unwrap();
    for id in rules::ALL {
        let text = page(id);
        assert!(text.starts_with(&format!("# `{id}`\n")), "{id}: title");
        for heading in ["Failing example", "Passing example"] {
            let code = example(&text, heading).unwrap_or_else(|| panic!("{id}: no {heading}"));
            let lines = code
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.trim().starts_with("//"));
            assert!(lines.count() > 0, "{id}: {heading} is empty");
        }
        assert!(text.contains("\n## How to fix\n"), "{id}: no fix");
        let file = rules::doc_page(id).replace("docs/rules/", "");
        let link = format!("[`{id}`]({file})");
        assert!(index.contains(&link), "{id}: not in the index");
    }
}

/// Verdicts and rules of every test the scan finds in a crate whose `src/lib.rs` is `code`.
fn scan(code: &str) -> Vec<(String, Vec<String>)> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"example\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/lib.rs"), code).unwrap();
    let report = common::json_of(&common::truecov_in(
        dir.path(),
        &["scan", "--format", "json"],
    ));
    report["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let rules = t["findings"].as_array().unwrap().iter();
            (
                t["verdict"].as_str().unwrap().to_string(),
                rules
                    .map(|f| f["rule"].as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn the_analyzer_reports_each_rule_on_its_failing_example_and_not_on_the_fix() {
    // `test/not-scanned` needs the test binaries' lists: a static scan cannot report it.
    for id in rules::ALL.iter().filter(|id| **id != rules::NOT_SCANNED) {
        let text = page(id);
        let failing = scan(&example(&text, "Failing example").unwrap());
        assert!(
            failing.iter().any(|(_, r)| r.iter().any(|r| r == id)),
            "{id}: the failing example gives {failing:?}"
        );
        let passing = scan(&example(&text, "Passing example").unwrap());
        assert!(!passing.is_empty(), "{id}: the passing example has no test");
        for (verdict, found) in &passing {
            assert_eq!(verdict, "meaningful", "{id}: passing example {found:?}");
            assert!(!found.iter().any(|r| r == id), "{id}: still {found:?}");
        }
    }
}

#[test]
fn the_scan_has_no_rule_without_a_page() {
    let report: Value = common::json_of(&common::truecov(&[
        "scan",
        "--manifest-path",
        &common::fixture("verdicts")
            .join("Cargo.toml")
            .display()
            .to_string(),
        "--format",
        "json",
    ]));
    for t in report["tests"].as_array().unwrap() {
        for f in t["findings"].as_array().unwrap() {
            let rule = f["rule"].as_str().unwrap();
            assert!(rules::ALL.contains(&rule), "{rule} is not in rules::ALL");
        }
    }
}

/// Relative link targets (`](target)`) in a markdown text, without their `#anchor`.
fn links(text: &str) -> Vec<&str> {
    text.split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .filter(|t| !t.contains("://") && !t.starts_with('#'))
        .map(|t| t.split('#').next().unwrap_or(t))
        .collect()
}

/// Every file under `dir` whose name ends with one of `exts`, skipping `target` and fixtures'
/// build output.
fn files(dir: &std::path::Path, exts: &[&str], out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                files(&path, exts, out);
            }
        } else if exts.iter().any(|e| name.ends_with(e)) {
            out.push(path);
        }
    }
}

#[test]
fn links_of_the_guide_and_citations_in_the_code_point_at_pages_that_exist() {
    let repo = common::repo();
    let mut pages = Vec::new();
    files(&repo.join("docs"), &[".md"], &mut pages);
    let mut checked = 0;
    for page in &pages {
        let text = std::fs::read_to_string(page).unwrap();
        for target in links(&text) {
            let to = page.parent().unwrap().join(target);
            assert!(to.exists(), "{}: broken link {target}", page.display());
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} links");
    let mut sources = Vec::new();
    for dir in ["src", "analyzer", "coverage", "scoring", "db", "tests"] {
        files(&repo.join(dir), &[".rs"], &mut sources);
    }
    let mut cited = 0;
    for source in sources {
        let text = std::fs::read_to_string(&source).unwrap();
        for (i, _) in text.match_indices("docs/") {
            let path: String = text[i..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || "/-_.".contains(*c))
                .collect();
            if path.ends_with(".md") || path.ends_with(".json") {
                assert!(
                    repo.join(&path).is_file(),
                    "{}: cites {path}",
                    source.display()
                );
                cited += 1;
            }
        }
    }
    assert!(cited > 10, "only {cited} citations");
}
