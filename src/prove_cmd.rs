//! `cargo truecov prove`: extreme mutation of the functions tests execute. The full run comes
//! first (its per-test coverage says which tests execute each function); then each selected
//! function's body is replaced by values of its return type, only the tests that executed the
//! function run against each, and the report gets a `prove` object per function: `tested`,
//! `partially_tested`, `pseudo_tested` (tests run it and never notice a wrong result) or
//! `not_covered`.

use crate::cli::{Global, ProveArgs};
use crate::emit::Table;
use crate::explain_cmd::matches;
use crate::measure_cmd;
use crate::outcome::Outcome;
use crate::paths::scratch_dir;
use crate::pipeline;
use crate::progress::Progress;
use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};
use truecov_analyzer::{plan_mutants, FunctionMutants};
use truecov_coverage::mutate::{self, Event, Mutant, MutateOptions, Proof};
use truecov_model::{
    FunctionEntry, LibFunction, MutantEntry, ProveStatus, Report, Scan, TestEntry, TestId,
    TestOutcome, Verdict, Workspace,
};

/// No test is killed under a mutant before this, however fast it ran without mutants.
const MIN_TIMEOUT: Duration = Duration::from_secs(5);

/// Measures, mutates the selected functions, prints the report with its `prove` objects.
pub fn run(global: &Global, args: &ProveArgs) -> anyhow::Result<Outcome> {
    let (measured, mut report) = pipeline::measure_and_score(global, &args.run)?;
    let scan = &measured.scan;
    let chosen = select(&report, scan, args)?;
    let lib_fns: Vec<&LibFunction> = chosen.iter().map(|c| c.lib).collect();
    let (plans, plan_warnings) = plan_mutants(&scan.workspace_root, &lib_fns);
    let planned: HashMap<(&str, u32), &FunctionMutants> = plans
        .iter()
        .map(|p| ((p.file.as_str(), p.line), p))
        .collect();
    let trials = trials(&report, &chosen, &planned, args.max_mutants);
    let mutants: Vec<Mutant> = trials.iter().flat_map(|t| t.mutants.clone()).collect();
    let tests: Vec<TestId> = report.tests.iter().map(TestEntry::id).collect();
    let start = Instant::now();
    let proof = if mutants.is_empty() {
        Proof::default()
    } else {
        let options = mutate_options(global, args, &measured.workspace)?;
        let progress = Progress::new(global.quiet);
        progress.start_bar("Mutants", mutants.len());
        let on_event = |e: Event| show(&progress, e);
        let proof = mutate::prove(&options, &tests, &mutants, &on_event);
        progress.finish();
        proof?
    };
    attach(&mut report, &trials, &proof);
    let elapsed = start.elapsed().as_millis() as u64;
    report.prove = Some(truecov_scoring::prove::summary(
        &report,
        proof.builds as u64,
        elapsed,
    ));
    let warnings = plan_warnings
        .iter()
        .map(|w| w.to_string())
        .chain(proof.warnings);
    for w in warnings {
        if !global.quiet {
            eprintln!("warning: {w}");
        }
        report.warnings.push(w);
    }
    deliver(global, args, &measured.workspace, &report)
}

/// Puts each trial's results (in the order its mutants were given) into its function's entry.
fn attach(report: &mut Report, trials: &[Trial], proof: &Proof) {
    let mut results = proof.mutants.iter();
    for trial in trials {
        let entries = trial
            .mutants
            .iter()
            .zip(results.by_ref())
            .map(|(m, r)| MutantEntry {
                value: m.value.clone(),
                outcome: r.outcome,
                caught_by: r.caught_by,
                tests_run: r.tests_run.clone(),
                duration_ms: r.duration.as_millis() as u64,
                error: r.error.clone(),
            })
            .collect();
        report.functions[trial.function].prove = Some(truecov_scoring::prove::entry(
            trial.executed,
            trial.skipped,
            entries,
        ));
    }
}

/// Delivers the report as `run` does, with the `--fail-on-pseudo` gate.
fn deliver(
    global: &Global,
    args: &ProveArgs,
    ws: &Workspace,
    report: &Report,
) -> anyhow::Result<Outcome> {
    let pseudo = report
        .prove
        .as_ref()
        .map_or(0, |p| p.count(ProveStatus::PseudoTested));
    let mut failed = Vec::new();
    if args.fail_on_pseudo && pseudo > 0 {
        failed.push(format!(
            "{pseudo} pseudo-tested function{} (--fail-on-pseudo)",
            if pseudo == 1 { "" } else { "s" }
        ));
    }
    pipeline::deliver(global, &args.run, ws, report, Table::Prove, failed)
}

/// A function the user's selection keeps: its report entry and its scan entry.
struct Chosen<'a> {
    function: usize,
    lib: &'a LibFunction,
}

/// The functions `--function`, `--file` and `--diff` keep (all of them by default), the ones
/// with the weakest tests first: least meaningful share of the lines tests run, then file and
/// line order.
fn select<'a>(
    report: &Report,
    scan: &'a Scan,
    args: &ProveArgs,
) -> anyhow::Result<Vec<Chosen<'a>>> {
    let lib: HashMap<(&str, u32, &str), &LibFunction> = scan
        .functions
        .iter()
        .map(|f| ((f.file.as_str(), f.line, f.name.as_str()), f))
        .collect();
    let changed = match &args.diff {
        Some(base) => Some(truecov_compare::patch::changed_lines(&crate::git::diff(
            &scan.workspace_root,
            base,
        )?)),
        None => None,
    };
    let mut chosen: Vec<Chosen<'a>> = Vec::new();
    for (i, f) in report.functions.iter().enumerate() {
        let Some(&lf) = lib.get(&(f.file.as_str(), f.line, f.name.as_str())) else {
            continue;
        };
        let named = args.functions.is_empty() || args.functions.iter().any(|q| matches(&f.name, q));
        let in_file = args.files.is_empty()
            || args.files.iter().any(|p| {
                let p = p.trim_start_matches("./").trim_end_matches('/');
                f.file == p || f.file.starts_with(&format!("{p}/"))
            });
        let touched = changed.as_ref().is_none_or(|c| {
            c.get(&f.file)
                .is_some_and(|lines| lines.range(lf.line..=lf.end_line).next().is_some())
        });
        if named && in_file && touched {
            chosen.push(Chosen {
                function: i,
                lib: lf,
            });
        }
    }
    if chosen.is_empty() && !(args.functions.is_empty() && args.files.is_empty()) {
        anyhow::bail!("no library function matches the --function and --file given");
    }
    let doubt = |f: &FunctionEntry| {
        let unexecuted = f.lines_raw == 0;
        (unexecuted, f.lines_meaningful * 1000 / f.lines_raw.max(1))
    };
    chosen.sort_by_key(|c| {
        let f = &report.functions[c.function];
        (doubt(f), f.file.clone(), f.line)
    });
    Ok(chosen)
}

/// What is tried for one chosen function.
struct Trial {
    function: usize,
    executed: bool,
    skipped: Option<&'static str>,
    mutants: Vec<Mutant>,
}

/// The mutants of each chosen function, run by the passing tests that executed it
/// (meaningful ones first, then the fastest), within `max_mutants` whole functions at most.
fn trials(
    report: &Report,
    chosen: &[Chosen<'_>],
    planned: &HashMap<(&str, u32), &FunctionMutants>,
    max_mutants: Option<usize>,
) -> Vec<Trial> {
    let mut budget = max_mutants.unwrap_or(usize::MAX);
    let mut out = Vec::new();
    for c in chosen {
        let f = &report.functions[c.function];
        let Some(plan) = planned.get(&(f.file.as_str(), f.line)) else {
            continue;
        };
        let tests = covering_tests(report, f);
        let executed = !tests.is_empty();
        let values: &[String] = if executed { &plan.values } else { &[] };
        if values.len() > budget {
            continue;
        }
        budget -= values.len();
        let mutants = values
            .iter()
            .map(|value| Mutant {
                package: plan.package.clone(),
                file: plan.file.clone(),
                body_first: plan.body_first,
                body_end: plan.body_end,
                guardable: plan.guardable,
                boxed: plan.boxed.clone(),
                value: value.clone(),
                tests: tests.clone(),
            })
            .collect();
        out.push(Trial {
            function: c.function,
            executed,
            skipped: plan.skipped.map(|s| s.as_str()),
            mutants,
        });
    }
    out
}

/// The tests that executed `f` and passed, meaningful ones first, then the fastest.
fn covering_tests(report: &Report, f: &FunctionEntry) -> Vec<usize> {
    let mut tests: Vec<usize> = f
        .executed_by
        .iter()
        .copied()
        .filter(|&t| report.tests[t].outcome == Some(TestOutcome::Passed))
        .collect::<BTreeSet<usize>>()
        .into_iter()
        .collect();
    tests.sort_by_key(|&t| {
        let test = &report.tests[t];
        (
            test.verdict != Verdict::Meaningful,
            test.duration_ms.unwrap_or(u64::MAX),
            t,
        )
    });
    tests
}

/// Where and how the mutants are built and run.
fn mutate_options(
    global: &Global,
    args: &ProveArgs,
    ws: &Workspace,
) -> anyhow::Result<MutateOptions> {
    let build = &args.run.build;
    Ok(MutateOptions {
        workspace: ws.clone(),
        build: measure_cmd::build_options(global, build, ws)?,
        dir: scratch_dir(&ws.root, build),
        jobs: build
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
            .max(1),
        baseline_timeout: Duration::from_secs(build.test_timeout.max(1)),
        timeout_multiplier: args.timeout_multiplier.max(1),
        min_timeout: MIN_TIMEOUT,
        include_ignored: build.include_ignored,
    })
}

/// Progress of the mutants on stderr.
fn show(progress: &Progress, event: Event) {
    match event {
        Event::Building { mutants } => progress.status(
            "Building",
            &format!(
                "{mutants} mutant{} in a scratch copy",
                if mutants == 1 { "" } else { "s" }
            ),
        ),
        Event::Baseline { tests } => {
            progress.status("Running", &format!("{tests} tests without mutants"))
        }
        Event::MutantFinished { finished, .. } => progress.advance_to(finished),
        _ => {}
    }
}
