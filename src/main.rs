//! `cargo truecov`: meaningful test coverage for Rust. The binary only parses arguments,
//! calls the library crates and renders what they return; exit codes follow cargo's spirit:
//! 0 success, 1 a gate failed (`--deny`, `--fail-under-*`), 2 usage or workspace errors.

mod archive_cmd;
mod cli;
mod coverage_cmd;
mod diff_cmd;
mod emit;
mod explain_cmd;
mod git;
mod history;
mod history_cmd;
mod measure_cmd;
mod merge;
mod merge_cmd;
mod outcome;
mod paths;
mod pipeline;
mod progress;
mod prove_cmd;
mod provenance;
mod proving;
mod report_cmd;
mod run_cmd;
mod scan_cmd;
mod shard_file;
mod trend_cmd;
mod workspace;

use clap::Parser;
use outcome::Outcome;
use std::process::ExitCode;
use truecov_coverage::run::{DoctestTool, Wrapped, WrapperError};

/// How the process ends when it ran as the rustc wrapper: with rustc's code, 2 when cargo
/// gave no rustc, 1 when rustc could not be started.
fn wrapper_exit(wrapped: Wrapped) -> ExitCode {
    match wrapped {
        Wrapped::Ran(status) => std::process::exit(status.code().unwrap_or(1)),
        Wrapped::Failed(e) => {
            eprintln!("{e}");
            ExitCode::from(match e {
                WrapperError::NoRustc => 2,
                WrapperError::CannotRun { .. } => 1,
            })
        }
    }
}

/// How the process ends when it ran as the doctest runtool or probe: 0 when a binary was
/// stored, 1 after a probe printed its test number (so libtest shows it) or on an error.
fn doctest_tool_exit(tool: DoctestTool) -> ExitCode {
    match tool {
        DoctestTool::Stored => ExitCode::SUCCESS,
        DoctestTool::Probed(line) => {
            println!("{line}");
            ExitCode::from(1)
        }
        DoctestTool::Failed(e) => {
            eprintln!("truecov doctest runtool: {e}");
            ExitCode::from(1)
        }
    }
}

fn main() -> ExitCode {
    // rustdoc runs this same executable as the doctest runtool (inside the instrumented
    // build's environment, so before the wrapper's check).
    if let Some(tool) = truecov_coverage::run::doctest_tool_if_requested() {
        return doctest_tool_exit(tool);
    }
    // Cargo runs this same executable as the rustc wrapper of the instrumented build.
    if let Some(wrapped) = truecov_coverage::run::wrap_rustc_if_requested() {
        return wrapper_exit(wrapped);
    }
    let args = cli::normalized_args(std::env::args_os());
    let cli = cli::Cli::parse_from(args);
    let result = match &cli.command {
        Some(cli::Command::Scan(args)) => scan_cmd::run(&cli.global, args),
        Some(cli::Command::Run(args)) => run_cmd::run(&cli.global, args),
        Some(cli::Command::Coverage(args)) => coverage_cmd::run(&cli.global, args),
        Some(cli::Command::Explain(args)) => explain_cmd::run(&cli.global, args),
        Some(cli::Command::Report(args)) => report_cmd::run(&cli.global, args),
        Some(cli::Command::History(args)) => history_cmd::run(&cli.global, args),
        Some(cli::Command::Trend(args)) => trend_cmd::run(&cli.global, args),
        Some(cli::Command::Diff(args)) => diff_cmd::run(&cli.global, args),
        Some(cli::Command::Prove(args)) => prove_cmd::run(&cli.global, args),
        Some(cli::Command::Merge(args)) => merge_cmd::run(&cli.global, args),
        Some(cli::Command::Archive(args)) => archive_cmd::run(&cli.global, args),
        None => run_cmd::run(&cli.global, &cli.run),
    };
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::GateFailed) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
