//! `cargo truecov`: meaningful test coverage for Rust. The binary only parses arguments,
//! calls the library crates and renders what they return; exit codes follow cargo's spirit:
//! 0 success, 1 a gate failed (`--deny`, `--fail-under-*`), 2 usage or workspace errors.

mod cli;
mod render;
mod scan_cmd;

use clap::Parser;
use std::process::ExitCode;

/// How a command ended, as an exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit code 0.
    Success,
    /// Exit code 1: a gate the user asked for failed.
    GateFailed,
}

fn main() -> ExitCode {
    let args = cli::normalized_args(std::env::args_os());
    let cli = cli::Cli::parse_from(args);
    let result = match &cli.command {
        Some(cli::Command::Scan(args)) => scan_cmd::run(&cli.global, args),
        None => {
            let mut cmd = <cli::Cli as clap::CommandFactory>::command();
            let _ = cmd.print_help();
            Ok(Outcome::Success)
        }
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
