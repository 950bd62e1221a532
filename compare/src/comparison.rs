//! The comparison of a run (head) with a base run, as `diff` reports it: headline deltas with
//! a noise threshold, the files whose meaningful coverage moved, tests that are new and cannot
//! fail or that got weaker, functions whose class got worse, and the drop gate. Without a base,
//! the same shape describes one run (its weak tests and unchecked functions). Pure: no I/O.

use crate::keys::function_keys;
use crate::patch::Patch;
use crate::survivors::{survivors, SurvivingMutant};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use truecov_db::Run;
use truecov_model::{
    rules, FileEntry, FunctionClass, FunctionEntry, MutantOutcome, ProveStatus, ProveSummary,
    Report, TestEntry, Verdict,
};

/// Which way a figure moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Up by at least the noise threshold.
    Up,
    /// Down by at least the noise threshold.
    Down,
    /// Within the noise threshold.
    Same,
    /// One side has no value.
    NotAvailable,
}

impl Change {
    /// The change of `delta` (a fraction: 0.013 is 1.3 percentage points) against a noise
    /// threshold in percentage points.
    pub fn of(delta: Option<f64>, min_delta_pp: f64) -> Change {
        match delta {
            None => Change::NotAvailable,
            Some(d) if (d * 100.0).abs() < min_delta_pp.max(1e-9) => Change::Same,
            Some(d) if d > 0.0 => Change::Up,
            Some(_) => Change::Down,
        }
    }
}

/// `head - base` when both exist.
pub fn delta(base: Option<f64>, head: Option<f64>) -> Option<f64> {
    Some(head? - base?)
}

/// One side of a comparison.
#[derive(Clone, Debug, Serialize)]
pub struct Side {
    /// How the user named it (`run 12`, `baseline.json`).
    pub label: String,
    /// The stored run (or the run a baseline was exported from), when known.
    pub run: Option<Run>,
}

/// A headline figure on both sides.
#[derive(Clone, Debug, Serialize)]
pub struct MetricDelta {
    /// Field name in the report's summary.
    pub metric: &'static str,
    /// Name for people.
    pub label: &'static str,
    /// Base value.
    pub base: Option<f64>,
    /// Head value.
    pub head: Option<f64>,
    /// `head - base`.
    pub delta: Option<f64>,
    /// Which way it moved.
    pub change: Change,
}

impl MetricDelta {
    /// Whether the figure is a percentage (the truth ratio is a plain ratio).
    pub fn is_percentage(&self) -> bool {
        self.metric != "truth_ratio"
    }
}

/// A file whose meaningful coverage moved beyond the noise threshold (or that is new or gone).
#[derive(Clone, Debug, Serialize)]
pub struct FileDelta {
    /// Workspace-relative path.
    pub file: String,
    /// Meaningful coverage in the base, `None` when the file was not there.
    pub base: Option<f64>,
    /// Meaningful coverage in the head, `None` when the file is gone.
    pub head: Option<f64>,
    /// `head - base`.
    pub delta: Option<f64>,
    /// Which way it moved.
    pub change: Change,
}

/// A test in a list of the comparison.
#[derive(Clone, Debug, Serialize)]
pub struct TestChange {
    /// Exact libtest name.
    pub name: String,
    /// Workspace-relative file.
    pub file: String,
    /// Line of the test function.
    pub line: u32,
    /// Verdict in the head.
    pub verdict: Verdict,
    /// Verdict in the base (for tests that got weaker).
    pub was: Option<Verdict>,
    /// The first finding, as `message [rule]`.
    pub why: String,
}

impl TestChange {
    fn of(t: &TestEntry, was: Option<Verdict>) -> TestChange {
        TestChange {
            name: t.name.clone(),
            file: t.file.clone(),
            line: t.line,
            verdict: t.verdict,
            was,
            why: t
                .findings
                .iter()
                .find(|f| f.rule != rules::IGNORED)
                .map(|f| f.message.clone())
                .unwrap_or_default(),
        }
    }
}

/// A function in a list of the comparison.
#[derive(Clone, Debug, Serialize)]
pub struct FunctionChange {
    /// Full name.
    pub name: String,
    /// Workspace-relative file.
    pub file: String,
    /// Line of `fn`.
    pub line: u32,
    /// Class in the head.
    pub class: FunctionClass,
    /// Class in the base (for functions that got worse).
    pub was: Option<FunctionClass>,
}

/// A function `prove` doubts: tests run it and let an extreme mutant of it through.
#[derive(Clone, Debug, Serialize)]
pub struct DoubtedFunction {
    /// Full name.
    pub name: String,
    /// Workspace-relative file.
    pub file: String,
    /// Line of `fn`.
    pub line: u32,
    /// `pseudo_tested` or `partially_tested`.
    pub status: ProveStatus,
    /// Its status in the base, when the base was proved too.
    pub was: Option<ProveStatus>,
    /// The replacement values no test noticed.
    pub missed: Vec<String>,
    /// Tests that run it.
    pub tests: usize,
}

/// What `prove` found in the head run.
#[derive(Clone, Debug, Serialize)]
pub struct ProveFindings {
    /// Functions per status, mutants per outcome.
    pub summary: ProveSummary,
    /// Pseudo-tested functions, then partially tested ones, in the report's order.
    pub doubted: Vec<DoubtedFunction>,
    /// Every mutant that survived, by file and line.
    pub survivors: Vec<SurvivingMutant>,
}

impl DoubtedFunction {
    /// `pseudo_tested`, with `(was tested)` when the base says otherwise.
    pub fn status_text(&self) -> String {
        match self.was {
            Some(was) if was != self.status => format!("{} (was {was})", self.status),
            _ => self.status.to_string(),
        }
    }
}

impl ProveFindings {
    /// `14 tested · 2 partially tested · 1 pseudo-tested · 3 not covered; 40 of 47 mutants
    /// caught`.
    pub fn headline(&self) -> String {
        let s = &self.summary;
        if s.functions.is_empty() {
            return "no function was selected".to_string();
        }
        let mut parts: Vec<String> = [
            (ProveStatus::Tested, "tested"),
            (ProveStatus::PartiallyTested, "partially tested"),
            (ProveStatus::PseudoTested, "pseudo-tested"),
            (ProveStatus::NotCovered, "not covered"),
        ]
        .iter()
        .map(|&(status, name)| format!("{} {name}", s.count(status)))
        .collect();
        let m = |o| s.mutants_with(o);
        let detected = m(MutantOutcome::Caught) + m(MutantOutcome::Timeout);
        let viable = detected + m(MutantOutcome::Missed);
        let last = parts.pop().unwrap_or_default();
        format!(
            "{} · {last}; {detected} of {viable} viable mutants caught",
            parts.join(" · ")
        )
    }

    /// The findings of `head`, when it was proved; statuses in `base` give `was`.
    pub fn of(base: Option<&Report>, head: &Report) -> Option<ProveFindings> {
        let summary = head.prove.clone()?;
        let before: HashMap<_, ProveStatus> = base
            .map(|b| {
                function_keys(b)
                    .into_iter()
                    .zip(&b.functions)
                    .filter_map(|(k, f)| Some((k, f.prove.as_ref()?.status)))
                    .collect()
            })
            .unwrap_or_default();
        let mut doubted: Vec<DoubtedFunction> = head
            .functions
            .iter()
            .zip(function_keys(head))
            .filter_map(|(f, key)| {
                let p = f.prove.as_ref().filter(|p| p.doubted())?;
                Some(DoubtedFunction {
                    name: f.name.clone(),
                    file: f.file.clone(),
                    line: f.line,
                    status: p.status,
                    was: before.get(&key).copied(),
                    missed: p.missed_values().into_iter().map(String::from).collect(),
                    tests: f.executed_by.len(),
                })
            })
            .collect();
        doubted.sort_by_key(|d| d.status != ProveStatus::PseudoTested);
        Some(ProveFindings {
            summary,
            doubted,
            survivors: survivors(head),
        })
    }
}

/// The drop gate (`--fail-on-drop`).
#[derive(Clone, Debug, Serialize)]
pub struct Gate {
    /// Largest allowed drop of meaningful coverage, in percentage points.
    pub max_drop_pp: f64,
    /// The drop, in percentage points (0 when it did not drop beyond the noise).
    pub drop_pp: f64,
    /// The drop is larger than allowed.
    pub failed: bool,
}

/// A run compared with its base.
#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    /// cargo-truecov version of the head report.
    pub tool_version: String,
    /// The base, `None` for a run on its own.
    pub base: Option<Side>,
    /// The run compared.
    pub head: Side,
    /// Noise threshold, percentage points.
    pub min_delta_pp: f64,
    /// Meaningful, raw, truth ratio, error-path checks, and proven coverage when either run
    /// was proved.
    pub metrics: Vec<MetricDelta>,
    /// Files whose meaningful coverage moved, biggest move first, then new and gone files.
    pub files: Vec<FileDelta>,
    /// Tests in both runs whose verdict got weaker.
    pub weakened_tests: Vec<TestChange>,
    /// Tests that are not in the base (every test without a base) and are not meaningful.
    pub weak_new_tests: Vec<TestChange>,
    /// With a base: functions whose class got worse. Without: functions whose error paths
    /// are run unchecked or never.
    pub functions: Vec<FunctionChange>,
    /// The library lines the change added or modified, when the base has a git commit.
    pub patch: Option<Patch>,
    /// The drop gate, when asked for.
    pub gate: Option<Gate>,
    /// What `prove` found, when the head run was proved.
    pub prove: Option<ProveFindings>,
}

/// Reads one headline figure of a report.
type Figure = fn(&Report) -> Option<f64>;

fn headline(base: Option<&Report>, head: &Report, min_delta_pp: f64) -> Vec<MetricDelta> {
    let rows: [(&'static str, &'static str, Figure); 5] = [
        ("meaningful_line_coverage", "meaningful coverage", |r| {
            r.summary.meaningful_line_coverage
        }),
        ("raw_line_coverage", "raw coverage", |r| {
            r.summary.raw_line_coverage
        }),
        ("truth_ratio", "truth ratio", |r| r.summary.truth_ratio),
        ("error_path_check_rate", "error-path checks", |r| {
            r.summary.error_path_check_rate
        }),
        ("proven_line_coverage", "proven coverage", |r| {
            r.summary.proven_line_coverage
        }),
    ];
    let proved = |r: &Report| r.prove.is_some();
    let with_proven = proved(head) || base.is_some_and(proved);
    rows.into_iter()
        .filter(|(metric, ..)| with_proven || *metric != "proven_line_coverage")
        .map(|(metric, label, value)| {
            let b = base.and_then(value);
            let h = value(head);
            let d = delta(b, h);
            MetricDelta {
                metric,
                label,
                base: b,
                head: h,
                delta: d,
                change: Change::of(d, min_delta_pp),
            }
        })
        .collect()
}

fn file_deltas(base: &Report, head: &Report, min_delta_pp: f64) -> Vec<FileDelta> {
    let mut both: BTreeMap<&str, (Option<&FileEntry>, Option<&FileEntry>)> = BTreeMap::new();
    for f in &base.files {
        both.entry(&f.file).or_default().0 = Some(f);
    }
    for f in &head.files {
        both.entry(&f.file).or_default().1 = Some(f);
    }
    let mut out: Vec<FileDelta> = both
        .into_iter()
        .filter_map(|(file, (b, h))| {
            let bv = b.and_then(|f| f.meaningful_line_coverage);
            let hv = h.and_then(|f| f.meaningful_line_coverage);
            let d = delta(bv, hv);
            let change = Change::of(d, min_delta_pp);
            let keep = match change {
                Change::Up | Change::Down => true,
                Change::Same => false,
                Change::NotAvailable => bv.is_some() || hv.is_some(),
            };
            keep.then(|| FileDelta {
                file: file.to_string(),
                base: bv,
                head: hv,
                delta: d,
                change,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        let size = |f: &FileDelta| f.delta.map_or(-1.0, f64::abs);
        size(b)
            .total_cmp(&size(a))
            .then_with(|| a.file.cmp(&b.file))
    });
    out
}

fn test_key(t: &TestEntry) -> (&str, &str, &str) {
    (&t.package, &t.target, &t.name)
}

fn sorted(mut tests: Vec<TestChange>) -> Vec<TestChange> {
    tests.sort_by(|a, b| (a.verdict, &a.file, a.line).cmp(&(b.verdict, &b.file, b.line)));
    tests
}

impl Comparison {
    /// Compares `head` with `base` (or describes `head` alone). `min_delta_pp` is the noise
    /// threshold, `fail_on_drop` the largest allowed drop of meaningful coverage, both in
    /// percentage points.
    pub fn new(
        base: Option<(Side, &Report)>,
        head: (Side, &Report),
        min_delta_pp: f64,
        fail_on_drop: Option<f64>,
    ) -> Comparison {
        let (head_side, head_report) = head;
        let base_report = base.as_ref().map(|(_, r)| *r);
        let metrics = headline(base_report, head_report, min_delta_pp);
        let base_tests: HashMap<_, &TestEntry> = base_report
            .iter()
            .flat_map(|r| &r.tests)
            .map(|t| (test_key(t), t))
            .collect();
        let mut weakened = Vec::new();
        let mut weak_new = Vec::new();
        for t in &head_report.tests {
            match base_tests.get(&test_key(t)) {
                Some(b) if t.verdict < b.verdict && !t.verdict.is_state() => {
                    weakened.push(TestChange::of(t, Some(b.verdict)))
                }
                Some(_) => {}
                None if t.verdict.is_weak() => weak_new.push(TestChange::of(t, None)),
                None => {}
            }
        }
        let functions = match base_report {
            Some(b) => worse_functions(b, head_report),
            None => head_report
                .functions
                .iter()
                .filter(|f| f.class.has_weak_error_paths())
                .map(|f| FunctionChange {
                    name: f.name.clone(),
                    file: f.file.clone(),
                    line: f.line,
                    class: f.class,
                    was: None,
                })
                .collect(),
        };
        let gate = fail_on_drop.map(|max| {
            let m = &metrics[0];
            let drop_pp = match m.change {
                Change::Down => -m.delta.unwrap_or(0.0) * 100.0,
                _ => 0.0,
            };
            Gate {
                max_drop_pp: max,
                drop_pp,
                failed: drop_pp > max + 1e-9,
            }
        });
        Comparison {
            tool_version: head_report.tool_version.clone(),
            files: base_report.map_or_else(Vec::new, |b| file_deltas(b, head_report, min_delta_pp)),
            base: base.map(|(side, _)| side),
            head: head_side,
            min_delta_pp,
            metrics,
            weakened_tests: sorted(weakened),
            weak_new_tests: sorted(weak_new),
            functions,
            patch: None,
            gate,
            prove: ProveFindings::of(base_report, head_report),
        }
    }

    /// Meaningful coverage, the first headline figure.
    pub fn meaningful(&self) -> &MetricDelta {
        &self.metrics[0]
    }

    /// Raw coverage, the second headline figure.
    pub fn raw(&self) -> &MetricDelta {
        &self.metrics[1]
    }

    /// Proven coverage, when either run was proved.
    pub fn proven(&self) -> Option<&MetricDelta> {
        self.metrics
            .iter()
            .find(|m| m.metric == "proven_line_coverage")
    }

    /// Nothing moved beyond the noise threshold and no list has an entry.
    pub fn unchanged(&self) -> bool {
        self.base.is_some()
            && self.metrics.iter().all(|m| m.change == Change::Same)
            && self.files.is_empty()
            && self.weakened_tests.is_empty()
            && self.weak_new_tests.is_empty()
            && self.functions.is_empty()
    }
}

fn worse_functions(base: &Report, head: &Report) -> Vec<FunctionChange> {
    let before: HashMap<_, &FunctionEntry> = function_keys(base)
        .into_iter()
        .zip(&base.functions)
        .collect();
    head.functions
        .iter()
        .zip(function_keys(head))
        .filter_map(|(f, key)| {
            let was = before.get(&key)?;
            (f.class < was.class).then(|| FunctionChange {
                name: f.name.clone(),
                file: f.file.clone(),
                line: f.line,
                class: f.class,
                was: Some(was.class),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::{function, proved, report};

    fn side(label: &str) -> Side {
        Side {
            label: label.into(),
            run: None,
        }
    }

    #[test]
    fn functions_of_one_name_pair_in_order_and_only_worse_classes_are_listed() {
        let base = report(serde_json::json!([
            function("X::fmt", 1, "uncovered", &[]),
            function("X::fmt", 10, "error_paths_checked", &[0]),
            function("m::c", 20, "error_paths_untested", &[1]),
        ]));
        let head = report(serde_json::json!([
            function("X::fmt", 1, "uncovered", &[]),
            function("X::fmt", 10, "error_paths_unchecked", &[0]),
            function("m::c", 20, "error_paths_checked", &[1]),
            function("m::new", 30, "uncovered", &[]),
        ]));
        let c = Comparison::new(Some((side("b"), &base)), (side("h"), &head), 0.1, None);
        let worse: Vec<(u32, Option<FunctionClass>, FunctionClass)> = c
            .functions
            .iter()
            .map(|f| (f.line, f.was, f.class))
            .collect();
        assert_eq!(
            worse,
            [(10, Some(FunctionClass::Checked), FunctionClass::Unchecked)]
        );
        let alone = Comparison::new(None, (side("h"), &head), 0.1, None);
        let lines: Vec<u32> = alone.functions.iter().map(|f| f.line).collect();
        assert_eq!(lines, [10]);
    }

    #[test]
    fn the_drop_gate_fails_only_beyond_its_limit_and_the_noise() {
        let mut base = report(serde_json::json!([]));
        base.summary.meaningful_line_coverage = Some(0.60);
        let mut head = base.clone();
        let gate = |head: &Report, max: f64| {
            Comparison::new(Some((side("b"), &base)), (side("h"), head), 0.1, Some(max))
                .gate
                .map(|g| (g.failed, (g.drop_pp * 10.0).round() / 10.0))
        };
        head.summary.meaningful_line_coverage = Some(0.58);
        assert_eq!(gate(&head, 1.0), Some((true, 2.0)));
        assert_eq!(gate(&head, 2.5), Some((false, 2.0)));
        head.summary.meaningful_line_coverage = Some(0.5995);
        assert_eq!(gate(&head, 0.0), Some((false, 0.0)));
        head.summary.meaningful_line_coverage = Some(0.70);
        assert_eq!(gate(&head, 0.0), Some((false, 0.0)));
    }

    #[test]
    fn changes_under_the_noise_threshold_are_the_same() {
        assert_eq!(Change::of(Some(0.0009), 0.1), Change::Same);
        assert_eq!(Change::of(Some(-0.0009), 0.1), Change::Same);
        assert_eq!(Change::of(Some(0.001), 0.1), Change::Up);
        assert_eq!(Change::of(Some(-0.013), 0.1), Change::Down);
        assert_eq!(Change::of(Some(0.0), 0.0), Change::Same);
        assert_eq!(Change::of(Some(0.00001), 0.0), Change::Up);
        assert_eq!(Change::of(None, 0.1), Change::NotAvailable);
        assert_eq!(delta(Some(0.5), None), None);
        assert_eq!(delta(Some(0.25), Some(0.75)), Some(0.5));
    }

    fn with_summary(mut r: Report) -> Report {
        r.prove = Some(truecov_scoring::prove::summary(&r, 1, 10));
        r
    }

    #[test]
    fn proven_coverage_is_a_headline_figure_only_when_a_run_was_proved() {
        let plain = report(serde_json::json!([]));
        let c = Comparison::new(None, (side("head"), &plain), 0.1, None);
        assert!(c.proven().is_none());
        assert_eq!(c.metrics.len(), 4);
        let mut proved = plain.clone();
        proved.prove = Some(Default::default());
        proved.summary.proven_line_coverage = Some(0.25);
        let c = Comparison::new(
            Some((side("base"), &plain)),
            (side("head"), &proved),
            0.1,
            None,
        );
        let m = c.proven().expect("the head was proved");
        assert_eq!((m.base, m.head), (None, Some(0.25)));
        assert_eq!(c.metrics.len(), 5);
    }

    #[test]
    fn prove_findings_list_pseudo_tested_first_with_their_base_status() {
        let base = with_summary(report(serde_json::json!([
            proved("a", 1, &["caught"]),
            proved("b", 5, &["missed"]),
        ])));
        let head = with_summary(report(serde_json::json!([
            proved("a", 1, &["caught", "missed"]),
            proved("b", 5, &["missed", "unviable"]),
            proved("c", 9, &["caught", "timeout"]),
        ])));
        let c = Comparison::new(
            Some((side("base"), &base)),
            (side("head"), &head),
            0.1,
            None,
        );
        let p = c.prove.expect("head was proved");
        let rows: Vec<(&str, String, &[String])> = p
            .doubted
            .iter()
            .map(|d| (d.name.as_str(), d.status_text(), d.missed.as_slice()))
            .collect();
        assert_eq!(
            rows,
            [
                ("b", "pseudo_tested".to_string(), &["v0".to_string()][..]),
                (
                    "a",
                    "partially_tested (was tested)".to_string(),
                    &["v1".to_string()][..]
                ),
            ]
        );
        assert_eq!(
            p.headline(),
            "1 tested · 1 partially tested · 1 pseudo-tested · 0 not covered; 3 of 5 viable mutants caught"
        );
        let unproved = report(serde_json::json!([function("a", 1, "uncovered", &[])]));
        let c = Comparison::new(None, (side("head"), &unproved), 0.1, None);
        assert!(
            c.prove.is_none(),
            "a run without prove has no prove section"
        );
    }
}
