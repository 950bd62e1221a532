//! The HTML report of the demo crate, in headless Chromium: every page renders without errors,
//! lines show the states the demo's README implies, the line panel lists the tests of a line,
//! tables sort and take the keyboard, dark mode applies. Screenshots are saved under
//! `target/tmp/html-report/` for people to look at.

mod cdp;
mod common;
mod report_fixture;

use cdp::Browser;
use report_fixture::{out_dir, report, test_index};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The demo's site, written once per test binary (without history, so without a trend).
fn site() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = out_dir("html-report").join("site");
        let no_history = out_dir("html-report").join("no-history.db");
        let out = report(&[
            "--format",
            "html",
            "--output-dir",
            &dir.display().to_string(),
            "--db",
            &no_history.display().to_string(),
        ]);
        let index = String::from_utf8(out.stdout).unwrap();
        assert_eq!(index.trim(), dir.join("index.html").display().to_string());
        dir
    })
}

fn url(page: &str) -> String {
    format!("file://{}/{page}", site().display())
}

fn shot(name: &str) -> PathBuf {
    let path = out_dir("html-report").join(name);
    eprintln!("screenshot: {}", path.display());
    path
}

/// Opens a page and checks it rendered its main heading without any error.
fn open(b: &mut Browser, page: &str) {
    b.open(&url(page));
    let heading = b
        .eval("document.querySelector('main h1') && document.querySelector('main h1').textContent");
    assert!(heading.is_string(), "{page}: no heading rendered");
    assert!(
        b.errors.is_empty(),
        "{page}: errors in the browser: {:#?}",
        b.errors
    );
}

/// The line-state class of each given line of the open source page (`st-m`, `st-w`, `st-n`, or
/// `""` for a line that is not library code).
fn states(b: &mut Browser, lines: &[u32]) -> Vec<String> {
    let js = format!(
        "{lines:?}.map(n => ['st-m', 'st-w', 'st-n'].find(c => document.getElementById('L' + n).classList.contains(c)) || '')"
    );
    serde_json::from_value(b.eval(&js)).unwrap()
}

#[test]
fn index_shows_files_and_functions_in_the_three_states() {
    let mut b = Browser::start(1280, 900);
    open(&mut b, "index.html");
    // Hand-labelled from the demo's README: `report::summary` is run only by an
    // assertion-free test, `format_cents` and `Account::new` by meaningful ones,
    // `AmountError::fmt` by none.
    let segments = |b: &mut Browser, function: &str| -> Vec<String> {
        let js = format!(
            "Array.from(document.querySelectorAll('#functions tbody tr')).filter(r => r.cells[0].querySelector('a').textContent === '{function}').map(r => Array.from(r.querySelectorAll('.seg')).map(s => s.classList[1]))[0]"
        );
        serde_json::from_value(b.eval(&js)).unwrap_or_else(|_| panic!("no row for {function}"))
    };
    assert_eq!(segments(&mut b, "report::summary"), ["st-w"]);
    assert_eq!(segments(&mut b, "amount::format_cents"), ["st-m"]);
    assert_eq!(segments(&mut b, "account::Account::new"), ["st-m"]);
    assert_eq!(segments(&mut b, "amount::AmountError::fmt"), ["st-n"]);
    // `withdraw_reduces_balance` checks a withdrawal; only an assertion-free test overdraws.
    let withdraw = segments(&mut b, "account::Account::withdraw");
    for state in ["st-m", "st-w", "st-n"] {
        assert!(withdraw.contains(&state.to_string()), "{withdraw:?}");
    }
    // The three states differ in colour and in pattern, and the legend names each with a marker.
    let looks: Vec<String> = serde_json::from_value(b.eval(
        "['st-m', 'st-w', 'st-n'].map(c => { const s = getComputedStyle(document.querySelector('.overall .seg.' + c)); return s.backgroundColor + ' ' + s.backgroundImage; })",
    ))
    .unwrap();
    assert_eq!(looks.iter().collect::<BTreeSet<_>>().len(), 3, "{looks:?}");
    let legend = b.eval("document.querySelector('.legend').textContent");
    for words in [
        "✓ executed by a meaningful test",
        "! executed only by tests that check nothing",
        "✕ not executed",
    ] {
        assert!(
            legend.as_str().unwrap().contains(words),
            "legend lacks `{words}`: {legend}"
        );
    }
    // Headline: the figures of the report, formatted.
    let report = report_fixture::demo_report();
    let big = b.eval("document.querySelector('.card.main .big').textContent");
    let expected = format!(
        "{:.1} %",
        report["summary"]["meaningful_line_coverage"]
            .as_f64()
            .unwrap()
            * 100.0
    );
    assert_eq!(big, Value::from(expected));
    b.screenshot(&shot("index.png"));
    // Sorting by meaningful coverage puts src/report.rs (0 %) first.
    b.eval("document.querySelector('#files thead th:nth-child(5) button').click()");
    let first = b.eval("document.querySelector('#files tbody tr a').textContent");
    assert_eq!(first, "src/report.rs");
    assert_eq!(
        b.eval("document.querySelector('#files thead th:nth-child(5)').getAttribute('aria-sort')"),
        "ascending"
    );
    // Keyboard: Down moves from a file's link to the next row's.
    b.eval("document.querySelector('#files tbody tr a').focus()");
    b.press("ArrowDown");
    let focused = b.eval("document.activeElement.textContent");
    let second =
        b.eval("document.querySelectorAll('#files tbody tr')[1].querySelector('a').textContent");
    assert_eq!(focused, second);
    assert_ne!(focused, "src/report.rs");
    // Dark mode follows the system's preference.
    b.call(
        "Emulation.setEmulatedMedia",
        serde_json::json!({"features": [{"name": "prefers-color-scheme", "value": "dark"}]}),
    );
    let background = b.eval("getComputedStyle(document.body).backgroundColor");
    assert_eq!(background, "rgb(15, 20, 25)");
    b.screenshot(&shot("index-dark.png"));
    assert!(b.errors.is_empty(), "{:#?}", b.errors);
}

#[test]
fn source_pages_mark_lines_and_error_sites_and_list_the_tests_of_a_line() {
    let mut b = Browser::start(1280, 1000);
    // Lines labelled by hand from the demo's sources and README.
    open(&mut b, "files/src/report.rs.html");
    assert_eq!(states(&mut b, &[1, 5, 10]), ["", "st-w", "st-w"]);
    b.eval("document.getElementById('L10').querySelector('td.code').click()");
    // The click sets the address's fragment; the panel follows on `hashchange`.
    b.eval("new Promise(r => setTimeout(r, 50))");
    let panel = b.eval("document.getElementById('line-panel').hidden ? null : document.getElementById('line-panel').textContent");
    let panel = panel.as_str().expect("the panel opens on click");
    assert!(panel.contains("executed by 1 test"), "{panel}");
    assert!(panel.contains("summary_prints"), "{panel}");
    assert_eq!(
        b.eval("document.querySelector('#line-panel .line-tests .badge').className"),
        "badge v-assertion_free"
    );
    let title = b.eval("document.getElementById('L10').title");
    assert!(
        title
            .as_str()
            .unwrap()
            .contains("summary_prints (assertion_free)"),
        "{title}"
    );
    b.screenshot(&shot("report-rs.png"));
    b.press("Escape");
    assert_eq!(b.eval("document.getElementById('line-panel').hidden"), true);

    open(&mut b, "files/src/amount.rs.html");
    assert_eq!(states(&mut b, &[13, 24, 40]), ["st-n", "st-m", "st-m"]);

    open(&mut b, "files/src/account.rs.html#L55");
    assert_eq!(
        states(&mut b, &[15, 33, 44, 50, 53, 55, 62]),
        ["st-n", "st-m", "st-m", "st-n", "st-w", "st-m", "st-w"]
    );
    // Opening a line's address selects it and lists its tests: the two that get past the
    // overdraft check, the smoke test `withdraw_works` and `withdraw_reduces_balance`.
    let panel = b.eval("document.getElementById('line-panel').textContent");
    let panel = panel.as_str().unwrap();
    assert!(panel.contains("withdraw_works"), "{panel}");
    assert!(panel.contains("withdraw_reduces_balance"), "{panel}");
    assert!(!panel.contains("overdraft_does_not_panic"), "{panel}");
    let sites: Vec<String> = serde_json::from_value(b.eval(
        "[42, 50, 53].map(n => document.getElementById('L' + n).querySelector('.site').className)",
    ))
    .unwrap();
    assert_eq!(
        sites,
        [
            "site site-checked",
            "site site-never",
            "site site-unchecked"
        ]
    );
    // The marker column says the state in a symbol, not only in colour.
    let marks = b.eval("[15, 44, 62].map(n => document.getElementById('L' + n).querySelector('td.mk').textContent)");
    assert_eq!(marks, serde_json::json!(["✕", "✓", "!"]));
    b.screenshot(&shot("account-rs.png"));

    // A test file has a page too, without line states.
    open(&mut b, "files/tests/amounts.rs.html");
    assert_eq!(
        b.eval("document.querySelectorAll('tr.st-m, tr.st-w, tr.st-n').length"),
        0
    );
    assert!(b.errors.is_empty(), "{:#?}", b.errors);
}

#[test]
fn tests_page_lists_every_test_with_its_verdict_and_sorts_weakest_first() {
    let mut b = Browser::start(1280, 900);
    open(&mut b, "tests.html");
    let rows = b.eval("document.querySelectorAll('#tests tbody tr').length");
    assert_eq!(rows, 11, "the demo has 11 tests");
    let verdict_of = |b: &mut Browser, name: &str| {
        let i = test_index(name);
        b.eval(&format!("document.getElementById('t-{i}').dataset.verdict"))
    };
    // The demo README's verdicts.
    assert_eq!(verdict_of(&mut b, "summary_prints"), "assertion_free");
    assert_eq!(
        verdict_of(&mut b, "account::tests::fee_is_charged"),
        "tautological"
    );
    assert_eq!(verdict_of(&mut b, "parse_smoke"), "smoke");
    assert_eq!(verdict_of(&mut b, "formats_cents"), "meaningful");
    let finding = b.eval(&format!(
        "document.getElementById('t-{}').querySelector('.findings code').textContent",
        test_index("account::tests::fee_is_charged")
    ));
    assert_eq!(finding, "tautology/same-operands");
    // Each test links to its line on its file's page.
    let href = b.eval(&format!(
        "document.getElementById('t-{}').querySelector('a').getAttribute('href')",
        test_index("summary_prints")
    ));
    assert_eq!(href, "files/tests/amounts.rs.html#L30");
    b.eval("document.querySelector('#tests thead th:nth-child(3) button').click()");
    let first = b.eval("document.querySelector('#tests tbody tr').dataset.verdict");
    assert_eq!(first, "assertion_free");
    b.screenshot(&shot("tests.png"));
    b.eval("const s = document.getElementById('verdict-filter'); s.value = 'smoke'; s.dispatchEvent(new Event('change'))");
    let shown = b.eval("Array.from(document.querySelectorAll('#tests tbody tr')).filter(r => !r.hidden).map(r => r.dataset.verdict)");
    assert_eq!(shown, serde_json::json!(["smoke", "smoke"]));
    assert!(b.errors.is_empty(), "{:#?}", b.errors);
}

#[test]
fn index_draws_the_trend_of_the_recorded_runs() {
    let dir = out_dir("html-trend");
    let db = dir.join("history.db");
    let _ = std::fs::remove_file(&db);
    let db_arg = db.display().to_string();
    for i in 0..2 {
        report_fixture::run_demo(&dir.join(format!("run-{i}.json")), &["--db", &db_arg]);
    }
    let trend_site = dir.join("site");
    report(&[
        "--format",
        "html",
        "--output-dir",
        &trend_site.display().to_string(),
        "--db",
        &db_arg,
    ]);
    let index = std::fs::read_to_string(trend_site.join("index.html")).unwrap();
    assert!(index.contains("<h2>Trend</h2>"), "no trend");
    // Two runs of the same code: two points per series at the run's figures.
    let summary = &report_fixture::demo_report()["summary"];
    let meaningful = summary["meaningful_line_coverage"].as_f64().unwrap() * 100.0;
    assert_eq!(index.matches("<circle class=\"pt-meaningful\"").count(), 2);
    assert_eq!(index.matches("<rect class=\"pt-raw\"").count(), 2);
    assert_eq!(
        index
            .matches(&format!(": meaningful {meaningful:.1} %</title>"))
            .count(),
        2
    );
    assert!(
        index.contains("<title>run 1 · "),
        "points are labelled with their run"
    );
    // Without a history there is no trend (the site of the other tests).
    let plain = std::fs::read_to_string(site().join("index.html")).unwrap();
    assert!(!plain.contains("class=\"trend\""));
}

/// Every `href` and `src` of a page, as written.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap();
            out.push(rest[..end].to_string());
        }
    }
    out
}

#[test]
fn site_is_self_contained_and_every_link_resolves() {
    let root = site();
    let mut pages = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "html") {
                pages.push(p);
            }
        }
    }
    assert_eq!(
        pages.len(),
        6,
        "index, tests, 3 library files, 1 test file: {pages:?}"
    );
    let mut checked = 0;
    for page in &pages {
        let html = std::fs::read_to_string(page).unwrap();
        for link in links(&html) {
            assert!(
                !link.contains("://") || link.starts_with("data:"),
                "{}: link leaves the site: {link}",
                page.display()
            );
            if link.starts_with("data:") {
                continue;
            }
            let (path, fragment) = link.split_once('#').unwrap_or((&link, ""));
            let target = if path.is_empty() {
                page.clone()
            } else {
                page.parent().unwrap().join(path.replace("%20", " "))
            };
            let text = std::fs::read_to_string(&target)
                .unwrap_or_else(|e| panic!("{}: broken link {link}: {e}", page.display()));
            if !fragment.is_empty() {
                assert!(
                    text.contains(&format!("id=\"{fragment}\"")),
                    "{}: no anchor for {link}",
                    page.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} links checked");
}
