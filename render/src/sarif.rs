//! SARIF 2.1.0 for code-scanning tools (GitHub shows its results as annotations on the pull
//! request): one result per test that is not meaningful, under the rule of its main finding, and
//! one per function whose error paths run without any test checking them, and, after `prove`,
//! one per surviving mutant.

use serde_json::{json, Value};
use truecov_compare::survivors::{survivors, SurvivingMutant};
use truecov_model::{rules, FunctionClass, FunctionEntry, Report, TestEntry, Verdict};

/// Rule of functions whose executed error sites no test checks (`error_paths_unchecked`).
pub const UNCHECKED_ERROR_PATHS: &str = "error-paths/unchecked";

/// Rule of a mutant that every test running it let through.
pub const MUTANT_SURVIVED: &str = "mutant/survived";

/// Every rule with a short description and help text for people; each has a page in the
/// repository's `docs/rules/` (its `helpUri`).
const RULES: &[(&str, &str, &str)] = &[
    (
        rules::SAME_OPERANDS,
        "Assertion compares an expression with itself",
        "Both sides of the assertion are the same expression, so it holds whatever the code does. Compare the result of the code under test with an expected value written independently.",
    ),
    (
        rules::CONSTANT,
        "Assertion on literals or constants only",
        "The assertion involves only literals or constants (`assert!(true)`, `assert_eq!(2, 2)`), so it cannot fail. Assert on a value the code under test produced.",
    ),
    (
        rules::ALWAYS_TRUE,
        "Assertion always true by type or by construction",
        "The condition holds for every value of its type (an unsigned value `>= 0`). Check a property that a wrong result would break.",
    ),
    (
        rules::EXHAUSTIVE,
        "Assertion covers every case",
        "A disjunction such as `r.is_ok() || r.is_err()` is true for every value. Assert which case is expected, and its content.",
    ),
    (
        rules::SELF_FULFILLING,
        "Expected value computed by the code under test",
        "The expected value comes from the same call with the same arguments as the actual value, so both are always equal. Write the expected value independently.",
    ),
    (
        rules::UNTOUCHED,
        "Asserted value never went through the code under test",
        "The assertion checks a literal or data the test built itself while the result of the code under test is dropped. Assert on what the code returned or changed.",
    ),
    (
        rules::NO_ORACLE,
        "Test checks nothing",
        "The test runs code but has no oracle: its result is dropped or only printed, so it passes whatever the code does. Assert on the result (`assert_eq!`, `assert!(r.is_err())`, a snapshot).",
    ),
    (
        rules::SMOKE_ONLY,
        "Test only checks that nothing failed",
        "The only checks are `unwrap`, `expect`, `?` or `is_ok()`: a wrong value passes. Compare the values the code returned with expected ones.",
    ),
    (
        rules::IGNORED,
        "Test is ignored",
        "`#[ignore]`d tests are scanned but not run, so they check nothing in a normal run. Run them or remove the attribute.",
    ),
    (
        rules::SLEEP,
        "Test sleeps",
        "`thread::sleep` in a test makes it slow and flaky. Wait for the condition itself, or use a fake clock.",
    ),
    (
        rules::NOT_SCANNED,
        "Test body not scanned",
        "A test binary lists this test, but its body could not be read (a macro from another crate or file wrote it), so its verdict is unknown and its coverage counts as raw only. Write the test as a plain function, or name the macro's assertions in `[workspace.metadata.truecov]`.",
    ),
    (
        UNCHECKED_ERROR_PATHS,
        "Error paths run, but no test checks them",
        "Tests execute some of this function's error paths (`?`, `return Err`, `panic!`, ...) but no meaningful test observes the failure. Add a test that asserts on the error (`is_err`, `matches!(r, Err(..))`, `assert_eq!(r, Err(..))`, `#[should_panic]`).",
    ),
    (
        MUTANT_SURVIVED,
        "A mutant of this line survived the tests that run it",
        "`prove` changed this line (an operator, a match arm, a guard, or the function's body replaced by a value) and every test that runs it still passed, so the line is not proven. Add a test that tells the code from the mutant: both sides of a boundary, the case a condition rejects, the function's actual result.",
    ),
];

/// The SARIF log of `report`. `prefix` is the workspace's path relative to the repository root
/// (`""` at the root, else ending in `/`), prepended to every path so locations are relative
/// to the repository root, as code scanning expects.
pub fn render(report: &Report, prefix: &str) -> Value {
    let mut log = Log {
        prefix,
        rule_ids: RULES.iter().map(|r| r.0.to_string()).collect(),
        results: Vec::new(),
    };
    for t in report
        .tests
        .iter()
        .filter(|t| t.verdict.is_weak() || t.verdict == Verdict::Unknown)
    {
        let (rule, line, message) = main_finding(t);
        log.add(rule, level(t.verdict), message, (&t.file, line), &t.name);
    }
    for f in report
        .functions
        .iter()
        .filter(|f| f.class == FunctionClass::Unchecked)
    {
        let message = unchecked_message(report, f);
        log.add(
            UNCHECKED_ERROR_PATHS,
            "warning",
            message,
            (&f.file, f.line),
            &f.name,
        );
    }
    for s in survivors(report) {
        let key = format!("{}:{}", s.function, s.change());
        log.add(
            MUTANT_SURVIVED,
            "warning",
            survived_message(&s),
            (&s.file, s.line),
            &key,
        );
    }
    let rules: Vec<Value> = log.rule_ids.iter().map(|id| rule(id)).collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "cargo-truecov",
                "semanticVersion": report.tool_version,
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rules,
            }},
            "results": log.results,
        }]
    })
}

/// Results being collected, and the rules they refer to (by index).
struct Log<'a> {
    prefix: &'a str,
    rule_ids: Vec<String>,
    results: Vec<Value>,
}

impl Log<'_> {
    /// Adds a result at `(file, line)`; `key` names the test or function for the fingerprint
    /// that lets code scanning follow the alert when lines move.
    fn add(&mut self, rule: &str, level: &str, message: String, at: (&str, u32), key: &str) {
        let index = match self.rule_ids.iter().position(|r| r == rule) {
            Some(i) => i,
            None => {
                self.rule_ids.push(rule.to_string());
                self.rule_ids.len() - 1
            }
        };
        let (file, line) = at;
        self.results.push(json!({
            "ruleId": rule,
            "ruleIndex": index,
            "level": level,
            "message": {"text": message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": format!("{}{file}", self.prefix)},
                "region": {"startLine": line.max(1)},
            }}],
            "partialFingerprints": {"truecovItem/v1": format!("{rule}:{file}:{key}")},
        }));
    }
}

/// The finding a test is reported under: the first that explains its verdict, else the rule of
/// the verdict itself on the test's line.
fn main_finding(t: &TestEntry) -> (&str, u32, String) {
    let explains = |rule: &str| match t.verdict {
        Verdict::Tautological => rule.starts_with("tautology/"),
        Verdict::Smoke => rule == rules::SMOKE_ONLY,
        Verdict::AssertionFree | Verdict::Meaningful => rule == rules::NO_ORACLE,
        Verdict::Unknown | Verdict::NotBuilt => rule == rules::NOT_SCANNED,
    };
    let what = format!("`{}` is {}", t.name, t.verdict.as_str().replace('_', "-"));
    match t
        .findings
        .iter()
        .find(|f| explains(&f.rule))
        .or(t.findings.first())
    {
        Some(f) => (f.rule.as_str(), f.line, format!("{what}: {}", f.message)),
        None => {
            let rule = match t.verdict {
                Verdict::Smoke => rules::SMOKE_ONLY,
                _ => rules::NO_ORACLE,
            };
            (
                rule,
                t.line,
                format!("{what}: it cannot fail when the code under test is wrong"),
            )
        }
    }
}

fn level(v: Verdict) -> &'static str {
    match v {
        Verdict::Smoke => "note",
        _ => "warning",
    }
}

fn unchecked_message(report: &Report, f: &FunctionEntry) -> String {
    let sites: Vec<String> = f
        .sites
        .iter()
        .filter(|s| !s.executed_by.is_empty() && s.checked_by.is_empty())
        .map(|s| {
            let by: Vec<String> = s
                .executed_by
                .iter()
                .filter_map(|&i| report.tests.get(i))
                .map(|t| format!("{} ({})", t.name, t.verdict.as_str()))
                .collect();
            format!("`{}` at line {} run by {}", s.text, s.line, by.join(", "))
        })
        .collect();
    format!(
        "`{}`: {} of {} error sites executed, none checked by a test: {}",
        f.name,
        f.error_sites_executed,
        f.error_sites,
        sites.join("; ")
    )
}

/// `` `>` → `>=` survived: no test checks the boundary (ran: tests::a, tests::b) ``.
fn survived_message(s: &SurvivingMutant) -> String {
    let ran = if s.tests.is_empty() {
        String::new()
    } else {
        format!(" (ran: {})", s.tests.join(", "))
    };
    format!("{} survived: {}{ran}", s.change(), s.reason())
}

fn rule(id: &str) -> Value {
    let known = RULES.iter().find(|r| r.0 == id);
    let (short, help) = known.map_or(
        (
            "Finding of cargo-truecov",
            "See `cargo truecov explain <test>` for why.",
        ),
        |r| (r.1, r.2),
    );
    // A rule this build has no page for (from a newer report) links the list of rules.
    let page = known.map_or("docs/rules/README.md".to_string(), |_| rules::doc_page(id));
    json!({
        "id": id,
        "name": id.replace(['/', '-'], "_"),
        "shortDescription": {"text": short},
        "fullDescription": {"text": help},
        "help": {"text": help, "markdown": help},
        "helpUri": format!("{}/blob/main/{page}", env!("CARGO_PKG_REPOSITORY")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test(name: &str, verdict: &str, findings: Value) -> Value {
        json!({"package": "p", "target": "lib", "name": name, "file": "src/lib.rs", "line": 7,
               "verdict": verdict, "ignored": false, "outcome": "passed", "findings": findings})
    }

    #[test]
    fn tests_without_an_explaining_finding_get_their_verdicts_rule_and_unknown_rules_are_added() {
        let report: Report = serde_json::from_value(json!({
            "schema_version": 1, "tool_version": "0", "workspace": "/w", "summary": {
                "raw_line_coverage": null, "meaningful_line_coverage": null, "truth_ratio": null,
                "error_path_check_rate": null, "lines_coverable": null, "lines_raw": null,
                "lines_meaningful": null, "tests": {"total": 3, "meaningful": 1, "smoke": 1,
                "tautological": 0, "assertion_free": 1, "ignored": 0, "failed": 0}},
            "tests": [
                test("good", "meaningful", json!([{"rule": "test/sleep", "line": 9, "message": "sleeps"}])),
                test("bare", "smoke", json!([])),
                test("odd", "assertion_free", json!([{"rule": "test/made-up", "line": 8, "message": "macro"}])),
            ],
            "functions": []
        }))
        .unwrap();
        let sarif = render(&report, "crates/w/");
        let results = sarif["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), 2, "meaningful tests are not reported");
        assert_eq!(results[0]["ruleId"], rules::SMOKE_ONLY);
        assert_eq!(
            results[0]["locations"][0]["physicalLocation"]["region"]["startLine"],
            7
        );
        assert_eq!(
            results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "crates/w/src/lib.rs"
        );
        assert_eq!(results[1]["ruleId"], "test/made-up");
        let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        let added = &rules[results[1]["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(added["id"], "test/made-up");
        assert!(added["helpUri"]
            .as_str()
            .unwrap()
            .ends_with("/blob/main/docs/rules/README.md"));
        assert_eq!(rules.len(), RULES.len() + 1);
    }

    #[test]
    fn every_rule_has_help_and_a_page_in_the_repository() {
        let ids: Vec<&str> = RULES.iter().map(|r| r.0).collect();
        for id in rules::ALL {
            assert!(ids.contains(id), "{id} has no SARIF help");
        }
        // The repository's root: this crate's parent directory.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap();
        for id in ids {
            let uri = rule(id)["helpUri"].as_str().unwrap().to_string();
            let page = uri
                .strip_prefix("https://github.com/truecov/cargo-truecov/blob/main/")
                .unwrap_or_else(|| panic!("{uri} is not in the repository"));
            assert!(root.join(page).is_file(), "{id}: no page {page}");
        }
    }
}
