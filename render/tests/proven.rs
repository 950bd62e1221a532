//! Proven coverage in every format, on one proved report: `withdraw` (lines 1-3) has a
//! surviving boundary mutant on line 2, `describe` (lines 10-13) a surviving function value,
//! so the proven lines are 1 and 3 of the 5 meaningful ones (docs/scores.md#proven-coverage).

use std::collections::BTreeSet;
use truecov_compare::patch::{truth, ChangedLines};
use truecov_compare::sample::{proved, report};
use truecov_compare::{Comparison, Side};
use truecov_model::{MutantEntry, MutantGenre, MutantOutcome, Report};
use truecov_render::style::Style;
use truecov_render::{cobertura, lcov, markdown, run, sarif, CoverageKind};

/// The boundary mutant of `withdraw`, as cargo-mutants names it, run by the test `good`.
fn boundary() -> MutantEntry {
    MutantEntry {
        name: "src/lib.rs:2:15: replace > with >= in bank::Account::withdraw".into(),
        file: "src/lib.rs".into(),
        line: 2,
        column: 15,
        genre: MutantGenre::BinaryOperator,
        replacement: ">=".into(),
        outcome: MutantOutcome::Missed,
        caught_by: None,
        tests_run: vec![0],
        duration_ms: 2,
        error: None,
    }
}

fn proved_report() -> Report {
    let mut withdraw = proved("bank::Account::withdraw", 1, &["caught"]);
    withdraw["end_line"] = 3.into();
    let mut describe = proved("bank::describe", 10, &["caught", "missed"]);
    describe["end_line"] = 13.into();
    let mut r = report(serde_json::json!([withdraw, describe]));
    let p = r.functions[0].prove.as_mut().unwrap();
    p.mutants.push(boundary());
    p.missed += 1;
    let file = &mut r.files[0];
    for &line in &file.executed {
        let by = if file.meaningful.contains(&line) {
            0
        } else {
            1
        };
        file.tests_by_line.insert(line, vec![by]);
    }
    r.summary.lines_coverable = Some(9);
    r.summary.lines_raw = Some(8);
    r.summary.lines_meaningful = Some(5);
    r.summary.raw_line_coverage = Some(8.0 / 9.0);
    r.summary.meaningful_line_coverage = Some(5.0 / 9.0);
    r.prove = Some(truecov_scoring::prove::summary(&r, 1, 1200));
    truecov_scoring::proven::apply(&mut r);
    r
}

#[test]
fn the_proven_lines_are_the_meaningful_ones_without_survivors() {
    let r = proved_report();
    assert_eq!(r.files[0].proven.as_deref(), Some(&[1, 3][..]));
    assert_eq!(r.summary.lines_proven, Some(2));
}

#[test]
fn the_run_table_shows_proven_after_meaningful_and_each_survivor() {
    let text = run::render(&proved_report(), &Style { color: false }, false);
    insta::assert_snapshot!(text);
}

#[test]
fn the_pull_request_comment_words_survivors_for_a_reviewer() {
    let side = Side {
        label: "bank".into(),
        run: None,
    };
    let text = markdown::single(&proved_report(), side);
    assert!(text.contains(
        "- `src/lib.rs:2` `>` → `>=` survived: no test checks the boundary (ran: `good`)"
    ));
    insta::assert_snapshot!(text);
}

#[test]
fn the_comment_on_a_change_puts_the_survivors_of_its_lines_first_with_the_proven_delta() {
    // The base was proved before the change, when a test checked the boundary of line 2.
    let mut base = proved_report();
    let boundary = &mut base.functions[0].prove.as_mut().unwrap().mutants[1];
    boundary.outcome = MutantOutcome::Caught;
    boundary.caught_by = Some(0);
    base.functions[0].prove.as_mut().unwrap().missed -= 1;
    truecov_scoring::proven::apply(&mut base);
    assert_eq!(base.summary.lines_proven, Some(3));
    let head = proved_report();
    let side = |label: &str| Side {
        label: label.into(),
        run: None,
    };
    let mut c = Comparison::new(
        Some((side("base"), &base)),
        (side("head"), &head),
        0.1,
        None,
    );
    let changed = ChangedLines::from([("src/lib.rs".to_string(), BTreeSet::from([2]))]);
    c.patch = Some(truth("main...HEAD".into(), &changed, &head, Some(&base)));
    let text = markdown::render(&c);
    let on_change = text
        .find("**Mutants that survived on changed lines (1)**")
        .expect(&text);
    assert!(text[on_change..].contains(
        "- `src/lib.rs:2` `>` → `>=` survived: no test checks the boundary (ran: `good`)"
    ));
    let elsewhere = text
        .find("**Mutants that survived outside the change (1)**")
        .expect(&text);
    assert!(
        text[elsewhere..].contains("- `src/lib.rs:10` body of `describe` → `v1` survived"),
        "{text}"
    );
    assert!(
        text.contains("| proven coverage | 33.3 % | 22.2 % | ▼ 11.1 pp |"),
        "{text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn sarif_has_one_result_per_surviving_mutant() {
    let sarif = sarif::render(&proved_report(), "");
    let results: Vec<&serde_json::Value> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ruleId"] == sarif::MUTANT_SURVIVED)
        .collect();
    insta::assert_json_snapshot!(results);
}

#[test]
fn coverage_exports_count_only_proven_lines() {
    let r = proved_report();
    let tracefile = lcov::render(&r, CoverageKind::Proven, "");
    let hit: Vec<&str> = tracefile
        .lines()
        .filter(|l| l.starts_with("DA:") && !l.ends_with(",0"))
        .collect();
    assert_eq!(hit, ["DA:1,1", "DA:3,1"]);
    assert!(tracefile.contains("TN:proven"));
    assert!(tracefile.contains("FNDA:0,bank::describe"), "{tracefile}");
    let xml = cobertura::render(&r, CoverageKind::Proven, "/repo", "", 0);
    assert!(
        xml.contains("lines-covered=\"2\" lines-valid=\"9\""),
        "{xml}"
    );
}

#[test]
fn the_html_source_page_marks_the_line_where_a_mutant_survived() {
    let r = proved_report();
    let sources = |_: &str| Some("fn withdraw() {\n    amount > limit\n}\n".to_string());
    let site = truecov_render::html::render(&truecov_render::html::Inputs {
        report: &r,
        sources: &sources,
        trend: &[],
    });
    let page = site
        .iter()
        .find(|f| f.path.ends_with("lib.rs.html"))
        .map(|f| f.content.clone())
        .expect("a page for src/lib.rs");
    let line = page
        .split("<tr id=\"L2\"")
        .nth(1)
        .and_then(|rest| rest.split("</tr>").next())
        .unwrap();
    assert!(line.starts_with(" class=\"st-s"), "{line}");
    assert!(line.contains("`&gt;` → `&gt;=` survived: no test checks the boundary"));
    let first = page.split("<tr id=\"L1\"").nth(1).unwrap();
    assert!(first.starts_with(" class=\"st-m"), "line 1 is proven");
}
