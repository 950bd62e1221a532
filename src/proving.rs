//! The pipeline of `cargo truecov prove` and `cargo truecov --prove`: the full run comes first
//! (its per-test coverage says which tests execute each function); then `truecov_prove`
//! mutates each selected function, runs only the tests that executed it against each mutant,
//! and gives the report a `prove` object per function and proven coverage. This module turns
//! the options into its request and delivers the report as `run` does, with the
//! `--fail-on-pseudo` gate; with `--partition`, it tries one part of the mutants and writes it
//! to a shard file for `merge` instead.

use crate::cli::{BuildArgs, Global, MutantArgs, RunArgs};
use crate::emit::Table;
use crate::measure_cmd;
use crate::outcome::Outcome;
use crate::paths::scratch_dir;
use crate::progress::Progress;
use crate::{pipeline, shard_file};
use std::time::Duration;
use truecov_coverage::mutate::{self, MutateOptions};
use truecov_model::{ProveStatus, Report, Workspace};
use truecov_prove::{Event, Request};

/// No test is killed under a mutant before this, however fast it ran without mutants.
const MIN_TIMEOUT: Duration = Duration::from_secs(5);

/// Measures, mutates the selected functions, prints the report with its `prove` objects and
/// proven coverage as `table` says. With `--partition`, the run is measured whole and only the
/// part's mutants are tried: the part is written to `--output` for `merge`.
pub fn run(
    global: &Global,
    run: &RunArgs,
    args: &MutantArgs,
    table: Table,
) -> anyhow::Result<Outcome> {
    let partition = run.build.partition;
    if partition.is_some() {
        shard_file::output_of(run)?;
    }
    let whole = RunArgs {
        build: BuildArgs {
            partition: None,
            ..run.build.clone()
        },
        ..run.clone()
    };
    let (measured, mut report) = pipeline::measure_and_score(global, &whole)?;
    let changed = match &args.diff {
        Some(base) => Some(truecov_compare::patch::changed_lines(&crate::git::diff(
            &measured.scan.workspace_root,
            base,
        )?)),
        None => None,
    };
    let request = Request {
        functions: args.functions.clone(),
        files: args.files.clone(),
        changed,
        max_mutants: args.max_mutants,
        partition,
    };
    let options = mutate_options(global, run, args, &measured.workspace)?;
    let progress = Progress::new(global.quiet);
    let on_event = |e: Event| show(&progress, e);
    let (scan, coverage) = (&measured.scan, &measured.coverage);
    if let Some(partition) = partition {
        let part =
            truecov_prove::try_mutants(&report, scan, coverage, &request, &options, &on_event);
        progress.finish();
        let part = part?;
        warn(global, &part.warnings);
        return shard_file::deliver(global, run, &measured, partition, Some(part));
    }
    let warnings = truecov_prove::prove(&mut report, scan, coverage, &request, &options, &on_event);
    progress.finish();
    warn(global, &warnings?);
    let failed = pseudo_gate(args.fail_on_pseudo, &report);
    pipeline::deliver(
        global,
        run,
        &measured.workspace,
        &report,
        &measured.provenance,
        table,
        failed,
    )
}

/// Says `warnings` on stderr, unless quiet.
fn warn(global: &Global, warnings: &[String]) {
    if !global.quiet {
        for w in warnings {
            eprintln!("warning: {w}");
        }
    }
}

/// The `--fail-on-pseudo` gate's reason to fail (when `fail_on_pseudo`), if any.
pub fn pseudo_gate(fail_on_pseudo: bool, report: &Report) -> Vec<String> {
    let pseudo = report
        .prove
        .as_ref()
        .map_or(0, |p| p.count(ProveStatus::PseudoTested));
    let mut failed = Vec::new();
    if fail_on_pseudo && pseudo > 0 {
        failed.push(format!(
            "{pseudo} pseudo-tested function{} (--fail-on-pseudo)",
            if pseudo == 1 { "" } else { "s" }
        ));
    }
    failed
}

/// Where and how the mutants are built and run.
fn mutate_options(
    global: &Global,
    run: &RunArgs,
    args: &MutantArgs,
    ws: &Workspace,
) -> anyhow::Result<MutateOptions> {
    let build = &run.build;
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
        Event::Planned { mutants } if mutants > 0 => progress.start_bar("Mutants", mutants),
        Event::Mutate(event) => show_mutants(progress, event),
        Event::Planned { .. } => {}
    }
}

/// Progress of the build and runs of the mutants.
fn show_mutants(progress: &Progress, event: mutate::Event) {
    match event {
        mutate::Event::Building { mutants } => progress.status(
            "Building",
            &format!(
                "{mutants} mutant{} in a scratch copy",
                if mutants == 1 { "" } else { "s" }
            ),
        ),
        mutate::Event::Baseline { tests } => {
            progress.status("Running", &format!("{tests} tests without mutants"))
        }
        mutate::Event::MutantFinished { finished, .. } => progress.advance_to(finished),
        _ => {}
    }
}
