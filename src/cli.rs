//! Command-line interface: global options shared by every command, and the commands.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use truecov_analyzer::Verdict;

/// Meaningful test coverage for Rust: the lines run by tests that can actually fail.
#[derive(Debug, Parser)]
#[command(name = "cargo truecov", bin_name = "cargo truecov", version, about)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: Global,
    /// What to do.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options shared by every command, in cargo's spelling.
#[derive(Debug, Args)]
pub struct Global {
    /// Path to Cargo.toml of the workspace or package.
    #[arg(long, global = true, value_name = "PATH")]
    pub manifest_path: Option<PathBuf>,
    /// Package to analyze (repeatable; default: the whole workspace at its root, else the
    /// package of the manifest).
    #[arg(short = 'p', long = "package", global = true, value_name = "SPEC")]
    pub packages: Vec<String>,
    /// Analyze every member of the workspace.
    #[arg(long, global = true)]
    pub workspace: bool,
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// When to use colours.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print less (no warnings about skipped files).
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more (every finding, not only the first).
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

/// Output format of a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table for people.
    Table,
    /// The JSON report of SPEC.md.
    Json,
}

/// Colour choice, as cargo spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colours on a terminal, unless NO_COLOR or CI says otherwise.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Static scan: every test's verdict, without building or running anything.
    Scan(ScanArgs),
}

/// Options of `scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Exit with code 1 when a (non-ignored) test has this verdict (repeatable).
    #[arg(long, value_name = "VERDICT", value_parser = parse_deny)]
    pub deny: Vec<Verdict>,
}

fn parse_deny(s: &str) -> Result<Verdict, String> {
    match s.parse::<Verdict>()? {
        Verdict::Meaningful => Err(
            "`meaningful` is what tests should be; deny smoke, tautological or assertion_free"
                .into(),
        ),
        v => Ok(v),
    }
}

/// The arguments as the user meant them: cargo runs `cargo-truecov truecov <args>`, a direct
/// call runs `cargo-truecov <args>`.
pub fn normalized_args(
    args: impl IntoIterator<Item = std::ffi::OsString>,
) -> Vec<std::ffi::OsString> {
    let mut args: Vec<_> = args.into_iter().collect();
    if args.get(1).is_some_and(|a| a == "truecov") {
        args.remove(1);
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_style_and_direct_invocations_parse_alike() {
        let via_cargo = normalized_args(
            ["cargo-truecov", "truecov", "scan", "--format", "json"].map(Into::into),
        );
        let direct = normalized_args(["cargo-truecov", "scan", "--format", "json"].map(Into::into));
        assert_eq!(via_cargo, direct);
        let cli = Cli::try_parse_from(direct).unwrap();
        assert_eq!(cli.global.format, Format::Json);
        assert!(matches!(cli.command, Some(Command::Scan(_))));
    }

    #[test]
    fn deny_takes_weak_verdicts_only() {
        let cli = Cli::try_parse_from(["x", "scan", "--deny", "smoke", "--deny", "assertion-free"])
            .unwrap();
        let Some(Command::Scan(args)) = cli.command else {
            panic!("scan expected")
        };
        assert_eq!(args.deny, [Verdict::Smoke, Verdict::AssertionFree]);
        assert!(Cli::try_parse_from(["x", "scan", "--deny", "meaningful"]).is_err());
    }
}
