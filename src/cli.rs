//! Command-line interface: global options shared by every command, and the commands.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;
use truecov_model::{Doctests, Partition, Verdict};
use truecov_render::style::Style;

/// Meaningful test coverage for Rust: the lines run by tests that can actually fail.
///
/// Without a command, `cargo truecov` builds the tests with coverage, runs each test alone,
/// scans every test body and prints raw and meaningful coverage side by side (= `run`).
#[derive(Debug, Parser)]
#[command(
    name = "cargo truecov",
    bin_name = "cargo truecov",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: Global,
    /// Options of the default command (`run`).
    #[command(flatten)]
    pub run: RunCmdArgs,
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
    /// The JSON report (docs/report.md).
    Json,
    /// A static HTML site (`report` writes it to `--output-dir`).
    Html,
    /// SARIF 2.1.0 for code scanning: tests that cannot fail, unchecked error paths.
    Sarif,
    /// lcov tracefile of raw, meaningful or proven coverage (`--coverage`).
    Lcov,
    /// Cobertura XML of raw, meaningful or proven coverage (`--coverage`).
    Cobertura,
    /// Markdown for a pull-request comment or job summary (`diff`, `report`, `run`).
    Markdown,
    /// CSV for spreadsheets (`history`, `trend`).
    Csv,
}

/// Which coverage a coverage export (lcov, cobertura) counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum CoverageKind {
    /// Lines executed by a meaningful test (that passed).
    #[default]
    Meaningful,
    /// Lines executed by any test.
    Raw,
    /// Proven lines: run by a meaningful test, no mutant survived there (after `--prove`).
    Proven,
}

impl From<CoverageKind> for truecov_render::CoverageKind {
    fn from(kind: CoverageKind) -> Self {
        match kind {
            CoverageKind::Meaningful => truecov_render::CoverageKind::Meaningful,
            CoverageKind::Raw => truecov_render::CoverageKind::Raw,
            CoverageKind::Proven => truecov_render::CoverageKind::Proven,
        }
    }
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

impl ColorChoice {
    /// The style of output to stdout: colours on a terminal unless `NO_COLOR` or `CI` is set.
    pub fn style(self) -> Style {
        let color = match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none()
                    && std::env::var_os("CI").is_none()
            }
        };
        Style { color }
    }
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build, run every test alone with coverage, scan, score and print (the default).
    Run(RunCmdArgs),
    /// Static scan: every test's verdict, without building or running anything.
    Scan(ScanArgs),
    /// Per-test coverage of library code, without verdicts.
    Coverage(CoverageArgs),
    /// Why a test has its verdict, or a function its class (from the last run's report).
    Explain(ExplainArgs),
    /// Render a stored report (the last run's, or `--input FILE`) in any `--format`.
    Report(ReportArgs),
    /// Recorded runs with their headline figures and the change from run to run.
    History(HistoryArgs),
    /// One figure of the workspace, a file or a function over the recorded runs.
    Trend(TrendArgs),
    /// Compare a run with a base (git ref, run id or baseline file): the pull-request comment.
    Diff(DiffArgs),
    /// Extreme mutation of the functions tests run: replace each body by wrong values, run only
    /// the tests that executed it, and tell tested from pseudo-tested functions.
    Prove(ProveArgs),
    /// Join the parts of a partitioned run or `prove` (`--partition K/N --output FILE`) into the
    /// report of the whole run: printed, saved and recorded once, as `cargo truecov` does.
    Merge(MergeArgs),
    /// Build the tests with coverage once and pack what runs them (test binaries, runner's
    /// facts, scan) for `cargo truecov --archive FILE --partition K/N` on other machines.
    Archive(ArchiveArgs),
}

/// Options of `archive`.
#[derive(Debug, Args)]
pub struct ArchiveArgs {
    /// How to build.
    #[command(flatten)]
    pub build: BuildArgs,
    /// The archive to write (`.tar.gz`).
    #[arg(long, value_name = "FILE")]
    pub output: PathBuf,
}

/// Options of `merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shard files, one per part (`shard-*.json`).
    #[arg(required = true, value_name = "SHARD")]
    pub shards: Vec<PathBuf>,
    /// Also write the JSON report to this file.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The run's gates.
    #[command(flatten)]
    pub gates: GateArgs,
    /// Base target directory where the merged report is kept for `explain` and `report`.
    #[arg(long, value_name = "DIR")]
    pub target_dir: Option<PathBuf>,
    /// Where the run is recorded.
    #[command(flatten)]
    pub history: DbArgs,
    /// Do not record this run in the history.
    #[arg(long)]
    pub no_record: bool,
    /// With the parts of a `prove`: exit with code 1 when a function is pseudo-tested.
    #[arg(long)]
    pub fail_on_pseudo: bool,
}

impl MergeArgs {
    /// The options of the run the parts make up, as `run` would have taken them.
    pub fn as_run(&self) -> RunArgs {
        RunArgs {
            build: BuildArgs {
                target_dir: self.target_dir.clone(),
                ..BuildArgs::default()
            },
            output: self.output.clone(),
            gates: self.gates.clone(),
            history: self.history.clone(),
            no_record: self.no_record,
        }
    }
}

/// How to build and run the tests (cargo's and libtest's options).
#[derive(Debug, Args, Clone, Default)]
pub struct BuildArgs {
    /// Space or comma separated features to activate.
    #[arg(long, short = 'F', value_name = "FEATURES")]
    pub features: Vec<String>,
    /// Activate all features.
    #[arg(long)]
    pub all_features: bool,
    /// Do not activate the `default` feature.
    #[arg(long)]
    pub no_default_features: bool,
    /// Build in release mode.
    #[arg(long)]
    pub release: bool,
    /// Base target directory (the instrumented build goes to its `truecov/` subdirectory).
    #[arg(long, value_name = "DIR")]
    pub target_dir: Option<PathBuf>,
    /// Tests run at once (default: the number of cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Seconds after which a test is killed and reported as timed out.
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    pub test_timeout: u64,
    /// Run `#[ignore]`d tests too.
    #[arg(long)]
    pub include_ignored: bool,
    /// What to do with doctests, for every selected package: `ignore`, `scan` (named and
    /// judged, not run) or `run` (each run alone under coverage, like any test). Default: the
    /// `doctests` configuration key, else `scan`.
    #[arg(long, value_name = "MODE", value_parser = parse_doctests)]
    pub doctests: Option<Doctests>,
    /// Run only part K of N of the tests (`slice:K/N`, `count:K/N` or `hash:K/N`, nextest's
    /// partitions, 1-based; with `prove`, of the mutants) and write that part to `--output`
    /// for `cargo truecov merge`.
    #[arg(long, value_name = "KIND:K/N")]
    pub partition: Option<Partition>,
    /// Run the tests of a build archived by `cargo truecov archive` instead of building (no
    /// cargo needed; the scan is the archive's).
    #[arg(long, value_name = "FILE")]
    pub archive: Option<PathBuf>,
    /// With `--archive`: the source tree the tests run in, at the archived commit (default: the
    /// current directory); the build machine's workspace paths are moved there.
    #[arg(long, value_name = "DIR", requires = "archive")]
    pub workspace_remap: Option<PathBuf>,
}

/// `--doctests`'s value.
fn parse_doctests(value: &str) -> Result<Doctests, String> {
    match value {
        "ignore" => Ok(Doctests::Ignore),
        "scan" => Ok(Doctests::Scan),
        "run" => Ok(Doctests::Run),
        _ => Err(format!("expected ignore, scan or run, not `{value}`")),
    }
}

/// The gates of a run: the figures below which it exits with code 1.
#[derive(Debug, Args, Clone, Default)]
pub struct GateArgs {
    /// Exit with code 1 when meaningful line coverage is below P percent.
    #[arg(long, value_name = "P")]
    pub fail_under_meaningful: Option<f64>,
    /// Exit with code 1 when the truth ratio (meaningful / raw) is below P percent.
    #[arg(long, value_name = "P")]
    pub fail_under_truth: Option<f64>,
    /// Exit with code 1 when the error-path check rate is below P percent.
    #[arg(long, value_name = "P")]
    pub fail_under_error_checks: Option<f64>,
}

/// Options of `run` (and of bare `cargo truecov`).
#[derive(Debug, Args, Clone, Default)]
pub struct RunArgs {
    /// How to build and run.
    #[command(flatten)]
    pub build: BuildArgs,
    /// Also write the JSON report to this file (what is printed does not change).
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The run's gates.
    #[command(flatten)]
    pub gates: GateArgs,
    /// Where the run is recorded.
    #[command(flatten)]
    pub history: DbArgs,
    /// Do not record this run in the history.
    #[arg(long)]
    pub no_record: bool,
}

/// Options of `run` (and of bare `cargo truecov`): the run's, and `--prove` with its options.
#[derive(Debug, Args, Clone, Default)]
pub struct RunCmdArgs {
    /// Options of the run.
    #[command(flatten)]
    pub run: RunArgs,
    /// After the measurement, mutate the functions tests run (as `prove` does, on the same
    /// build) and add proven coverage to the report.
    #[arg(long)]
    pub prove: bool,
    /// What to mutate (with `--prove`).
    #[command(flatten)]
    pub mutants: MutantArgs,
}

/// Options of `prove`.
#[derive(Debug, Args)]
pub struct ProveArgs {
    /// Options of the run it starts from: build, gates, output, history.
    #[command(flatten)]
    pub run: RunArgs,
    /// What to mutate.
    #[command(flatten)]
    pub mutants: MutantArgs,
    /// Print the mutants (as `cargo mutants --list` names them, one a line; a JSON array with
    /// `--format json`) and stop: nothing is built or run.
    #[arg(long)]
    pub list: bool,
}

/// Which functions `prove` (or `--prove`) mutates, and how.
#[derive(Debug, Args, Clone)]
pub struct MutantArgs {
    /// Only functions with this name or a `::`-separated suffix of it (repeatable).
    #[arg(long = "function", value_name = "NAME")]
    pub functions: Vec<String>,
    /// Only functions in this file, or under this directory (repeatable).
    #[arg(long = "file", value_name = "PATH")]
    pub files: Vec<String>,
    /// Only the mutants on lines changed since this git ref (`git diff BASE`, the working tree
    /// included).
    #[arg(long, value_name = "BASE")]
    pub diff: Option<String>,
    /// Try at most N mutants, whole functions, the ones with the weakest tests first.
    #[arg(long, value_name = "N")]
    pub max_mutants: Option<usize>,
    /// A test is killed under a mutant after N times its time without mutants (at least 5 s).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_TIMEOUT_MULTIPLIER)]
    pub timeout_multiplier: u32,
    /// Exit with code 1 when a function is pseudo-tested.
    #[arg(long)]
    pub fail_on_pseudo: bool,
}

/// `--timeout-multiplier` when not given.
const DEFAULT_TIMEOUT_MULTIPLIER: u32 = 5;

impl Default for MutantArgs {
    fn default() -> Self {
        MutantArgs {
            functions: Vec::new(),
            files: Vec::new(),
            diff: None,
            max_mutants: None,
            timeout_multiplier: DEFAULT_TIMEOUT_MULTIPLIER,
            fail_on_pseudo: false,
        }
    }
}

impl MutantArgs {
    /// The first option given that only `--prove` uses, spelled as on the command line.
    pub fn first_given(&self) -> Option<&'static str> {
        [
            (!self.functions.is_empty(), "--function"),
            (!self.files.is_empty(), "--file"),
            (self.diff.is_some(), "--diff"),
            (self.max_mutants.is_some(), "--max-mutants"),
            (
                self.timeout_multiplier != DEFAULT_TIMEOUT_MULTIPLIER,
                "--timeout-multiplier",
            ),
            (self.fail_on_pseudo, "--fail-on-pseudo"),
        ]
        .into_iter()
        .find_map(|(given, name)| given.then_some(name))
    }
}

/// Where the history database is.
#[derive(Debug, Args, Clone, Default)]
pub struct DbArgs {
    /// History database [default: .truecov/history.db at the workspace root].
    #[arg(long, value_name = "PATH", env = "TRUECOV_DB")]
    pub db: Option<PathBuf>,
}

/// Options of `history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Show at most N runs (the newest).
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: usize,
    /// Only runs on this git branch.
    #[arg(long, value_name = "BRANCH")]
    pub branch: Option<String>,
    /// The history.
    #[command(flatten)]
    pub db: DbArgs,
}

/// A figure `trend` follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TrendMetric {
    /// Meaningful line coverage.
    Meaningful,
    /// Raw line coverage.
    Raw,
    /// Truth ratio (meaningful / raw).
    Truth,
    /// Error-path check rate.
    ErrorChecks,
    /// Proven line coverage (runs made with `--prove` or `prove`).
    Proven,
}

impl From<TrendMetric> for truecov_db::Metric {
    fn from(m: TrendMetric) -> Self {
        match m {
            TrendMetric::Meaningful => truecov_db::Metric::Meaningful,
            TrendMetric::Raw => truecov_db::Metric::Raw,
            TrendMetric::Truth => truecov_db::Metric::Truth,
            TrendMetric::ErrorChecks => truecov_db::Metric::ErrorChecks,
            TrendMetric::Proven => truecov_db::Metric::Proven,
        }
    }
}

/// Options of `trend`.
#[derive(Debug, Args)]
pub struct TrendArgs {
    /// The figure.
    #[arg(long, value_enum, default_value_t = TrendMetric::Meaningful)]
    pub metric: TrendMetric,
    /// Only runs recorded in the last N days (`30d`) or since a day (`2024-05-01`, UTC).
    #[arg(long, value_name = "30d|DATE", value_parser = parse_since)]
    pub since: Option<truecov_db::Since>,
    /// Of this library file (workspace-relative) instead of the workspace.
    #[arg(long, value_name = "PATH", conflicts_with = "function")]
    pub file: Option<String>,
    /// Of this function (full name or a unique `::` suffix) instead of the workspace.
    #[arg(long, value_name = "NAME")]
    pub function: Option<String>,
    /// Only runs on this git branch.
    #[arg(long, value_name = "BRANCH")]
    pub branch: Option<String>,
    /// The history.
    #[command(flatten)]
    pub db: DbArgs,
}

/// `30d` or `2024-05-01`.
fn parse_since(s: &str) -> Result<truecov_db::Since, String> {
    if let Some(days) = s.strip_suffix('d') {
        return days
            .parse()
            .map(truecov_db::Since::DaysAgo)
            .map_err(|_| format!("`{s}`: expected a number of days such as `30d`"));
    }
    let parts: Vec<&str> = s.split('-').collect();
    let valid = match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
            let n = |t: &str| t.parse::<u32>().ok();
            n(y).is_some()
                && n(m).is_some_and(|m| (1..=12).contains(&m))
                && n(d).is_some_and(|d| (1..=31).contains(&d))
        }
        _ => false,
    };
    if valid {
        Ok(truecov_db::Since::Date(s.to_string()))
    } else {
        Err(format!(
            "`{s}`: expected `30d` or a date such as `2024-05-01`"
        ))
    }
}

/// Percentage points: a finite number, 0 or more.
fn parse_points(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(format!(
            "`{s}`: expected percentage points, 0 or more (such as `0.5`)"
        )),
    }
}

/// Options of `diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// What to compare with: a git ref (the run recorded at its merge base with HEAD, or at
    /// it), a run id, `latest`, or a baseline/report JSON file. Without it, the run alone.
    #[arg(long, value_name = "REF|ID|FILE")]
    pub base: Option<String>,
    /// The run to compare: `latest`, a run id, or a baseline/report JSON file.
    #[arg(long, value_name = "ID|FILE", default_value = "latest")]
    pub head: String,
    /// Changes smaller than this many percentage points show as unchanged (`=`).
    #[arg(
        long,
        value_name = "PP",
        value_parser = parse_points,
        default_value_t = truecov_render::markdown::DEFAULT_MIN_DELTA_PP
    )]
    pub min_delta: f64,
    /// Exit with code 1 when meaningful coverage drops by more than PP percentage points.
    #[arg(long, value_name = "PP", value_parser = parse_points)]
    pub fail_on_drop: Option<f64>,
    /// Also write the compared run as a baseline file that `--base` accepts.
    #[arg(long, value_name = "FILE")]
    pub export_baseline: Option<PathBuf>,
    /// The history.
    #[command(flatten)]
    pub db: DbArgs,
}

/// Options of `coverage`.
#[derive(Debug, Args)]
pub struct CoverageArgs {
    /// How to build and run.
    #[command(flatten)]
    pub build: BuildArgs,
    /// List the tests that executed this line (`src/lib.rs:42`).
    #[arg(long, value_name = "FILE:LINE")]
    pub tests_for: Option<String>,
    /// Read aggregate coverage (no tests) from an `llvm-cov export` JSON or lcov file, as
    /// cargo-llvm-cov writes them, instead of building and running.
    #[arg(long, value_name = "FILE", conflicts_with = "tests_for")]
    pub import: Option<std::path::PathBuf>,
}

/// Options of `explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A test name (`tests::deposit_adds`) or a function (`Account::withdraw`); a unique
    /// suffix is enough.
    pub name: String,
    /// Base target directory of the run to explain (as given to that run).
    #[arg(long, value_name = "DIR")]
    pub target_dir: Option<PathBuf>,
}

/// Options of `report`.
#[derive(Debug, Args, Clone, Default)]
pub struct ReportArgs {
    /// Read this report JSON instead of the last run's.
    #[arg(long, value_name = "FILE", conflicts_with = "run")]
    pub input: Option<PathBuf>,
    /// Render a run recorded in the history: its id, or `latest`.
    #[arg(long, value_name = "ID|latest")]
    pub run: Option<String>,
    /// The history (with `--run`).
    #[command(flatten)]
    pub history: DbArgs,
    /// Base target directory of the run to render (as given to that run).
    #[arg(long, value_name = "DIR")]
    pub target_dir: Option<PathBuf>,
    /// Where `--format html` writes the site (default: `<target>/truecov/html`).
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// Open the HTML report in a browser.
    #[arg(long)]
    pub open: bool,
    /// Which coverage `--format lcov|cobertura` exports.
    #[arg(long, value_enum, default_value_t = CoverageKind::Meaningful)]
    pub coverage: CoverageKind,
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
        v if v.is_state() => Err(format!("`{v}` is not a verdict")),
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
    fn bare_invocation_takes_run_options() {
        let cli = Cli::try_parse_from(["x", "--fail-under-meaningful", "60", "-j", "3"]).unwrap();
        assert!(cli.command.is_none());
        assert_eq!(cli.run.run.gates.fail_under_meaningful, Some(60.0));
        assert_eq!(cli.run.run.build.jobs, Some(3));
        assert!(!cli.run.prove);
        let cli = Cli::try_parse_from(["x", "coverage", "--tests-for", "src/lib.rs:3"]).unwrap();
        let Some(Command::Coverage(c)) = cli.command else {
            panic!("coverage expected")
        };
        assert_eq!(c.tests_for.as_deref(), Some("src/lib.rs:3"));
    }

    #[test]
    fn prove_options_parse_on_the_bare_command_and_on_prove() {
        let cli =
            Cli::try_parse_from(["x", "--prove", "--diff", "main", "--max-mutants", "9"]).unwrap();
        assert!(cli.run.prove);
        assert_eq!(cli.run.mutants.diff.as_deref(), Some("main"));
        assert_eq!(cli.run.mutants.first_given(), Some("--diff"));
        let cli = Cli::try_parse_from(["x", "run", "--timeout-multiplier", "3"]).unwrap();
        let Some(Command::Run(run)) = cli.command else {
            panic!("run expected")
        };
        assert_eq!(run.mutants.first_given(), Some("--timeout-multiplier"));
        assert_eq!(MutantArgs::default().first_given(), None);
        let cli = Cli::try_parse_from(["x", "prove", "--function", "f"]).unwrap();
        let Some(Command::Prove(p)) = cli.command else {
            panic!("prove expected")
        };
        assert_eq!(p.mutants.functions, ["f"]);
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
