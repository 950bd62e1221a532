//! Coverage exports of the demo crate: lcov re-read by the coverage engine's lcov reader and
//! compared line by line with the JSON report, for raw and for meaningful coverage; cobertura
//! read as XML and compared the same way.

mod common;
mod report_fixture;

use report_fixture::{demo_report, report};
use serde_json::Value;
use std::collections::BTreeMap;
use truecov_coverage::read::import;

/// The number of tests in `tests` that count for `kind` (`raw`: all; `meaningful`: those whose
/// verdict is meaningful and that passed).
fn counted(tests: &Value, kind: &str) -> u64 {
    let all = demo_report()["tests"].as_array().unwrap();
    tests
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| {
            let t = &all[i.as_u64().unwrap() as usize];
            kind == "raw" || (t["verdict"] == "meaningful" && t["outcome"] == "passed")
        })
        .count() as u64
}

/// Per repository-relative file, every coverable line of the JSON report with the number of
/// tests that ran it and count for `kind`.
fn expected(kind: &str) -> BTreeMap<String, BTreeMap<u32, u64>> {
    demo_report()["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let lines = f["coverable"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| {
                    let line = l.as_u64().unwrap() as u32;
                    let ran = &f["tests_by_line"][line.to_string()];
                    let n = if ran.is_null() { 0 } else { counted(ran, kind) };
                    (line, n)
                })
                .collect();
            (
                format!("examples/demo/{}", f["file"].as_str().unwrap()),
                lines,
            )
        })
        .collect()
}

/// The lines with hits of `kind` in the JSON report (`executed` or `meaningful`).
fn covered(file: &str, list: &str) -> Vec<u32> {
    let f = demo_report()["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == file)
        .unwrap();
    serde_json::from_value(f[list].clone()).unwrap()
}

fn lcov(kind: &str) -> String {
    String::from_utf8(report(&["--format", "lcov", "--coverage", kind]).stdout).unwrap()
}

#[test]
fn lcov_matches_the_json_report_line_by_line() {
    for (kind, list) in [("raw", "executed"), ("meaningful", "meaningful")] {
        let text = lcov(kind);
        let parsed = import::lcov(&text).unwrap();
        let got: BTreeMap<String, BTreeMap<u32, u64>> = parsed
            .files
            .iter()
            .map(|(path, counts)| {
                (
                    path.clone(),
                    counts.lines.iter().map(|l| (l.line, l.count)).collect(),
                )
            })
            .collect();
        assert_eq!(got, expected(kind), "{kind}");
        for (path, lines) in &got {
            let hit: Vec<u32> = lines.iter().filter(|l| *l.1 > 0).map(|l| *l.0).collect();
            let file = path.strip_prefix("examples/demo/").unwrap();
            assert_eq!(hit, covered(file, list), "{kind} {path}");
        }
        // LF/LH agree with the DA records.
        let records: Vec<&str> = text
            .split("end_of_record\n")
            .filter(|r| !r.is_empty())
            .collect();
        assert_eq!(records.len(), got.len());
        for r in records {
            let da: Vec<&str> = r.lines().filter(|l| l.starts_with("DA:")).collect();
            let hit = da.iter().filter(|l| !l.ends_with(",0")).count();
            assert!(r.contains(&format!("\nLF:{}\n", da.len())), "{r}");
            assert!(r.contains(&format!("\nLH:{hit}\n")), "{r}");
            assert!(r.starts_with(&format!("TN:{kind}\n")), "{r}");
        }
    }
    // Hand-labelled: `report::summary` ran (raw) but no meaningful test ran it.
    let raw = lcov("raw");
    let meaningful = lcov("meaningful");
    assert!(raw.contains("FNDA:1,report::summary\n"), "{raw}");
    assert!(meaningful.contains("FNDA:0,report::summary\n"));
    assert!(meaningful.contains("FNDA:1,amount::format_cents\n"));
}

#[test]
fn cobertura_matches_the_json_report_line_by_line() {
    for kind in ["raw", "meaningful"] {
        let out = report(&["--format", "cobertura", "--coverage", kind]);
        let text = String::from_utf8(out.stdout).unwrap();
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        let doc = roxmltree::Document::parse_with_options(&text, options).unwrap();
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "coverage");
        let mut got: BTreeMap<String, BTreeMap<u32, u64>> = BTreeMap::new();
        for class in root.descendants().filter(|n| n.has_tag_name("class")) {
            let lines = class
                .children()
                .find(|n| n.has_tag_name("lines"))
                .unwrap()
                .children()
                .filter(|n| n.has_tag_name("line"))
                .map(|l| {
                    (
                        l.attribute("number").unwrap().parse().unwrap(),
                        l.attribute("hits").unwrap().parse().unwrap(),
                    )
                })
                .collect();
            got.insert(class.attribute("filename").unwrap().to_string(), lines);
        }
        assert_eq!(got, expected(kind), "{kind}");
        let summary = &demo_report()["summary"];
        let key = format!("{kind}_line_coverage");
        let rate: f64 = root.attribute("line-rate").unwrap().parse().unwrap();
        assert!(
            (rate - summary[&key].as_f64().unwrap()).abs() < 1e-4,
            "{kind}: {rate}"
        );
        let lines_key = if kind == "raw" {
            "lines_raw"
        } else {
            "lines_meaningful"
        };
        assert_eq!(
            root.attribute("lines-covered"),
            Some(summary[lines_key].to_string().as_str())
        );
        let source = root
            .descendants()
            .find(|n| n.has_tag_name("source"))
            .unwrap();
        assert_eq!(
            source.text(),
            Some(common::repo().display().to_string().as_str())
        );
    }
}
