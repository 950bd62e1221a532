//! Building and testing mutants of library functions, in a scratch copy of the workspace.
//!
//! [`prove`] takes mutants (a replacement value for a function's body, found by the analyzer)
//! and, for each, the tests that executed the function (from the per-test coverage), and
//! finds which mutants those tests catch:
//!
//! 1. the workspace is copied into `<dir>/work` ([`copy`]): the user's tree is only read, so it
//!    stays byte-identical whatever happens, a killed run included. Unchanged files keep their
//!    times, so the copy's build stays warm from one run to the next;
//! 2. every mutant that can be a guard goes into one build ([`schema`]): a test process switches
//!    one mutant on through [`SWITCH_ENV`]. The build is plain (no instrumentation) and
//!    incremental, into the instrumented build's target directory (`<target>/truecov`): to cargo
//!    the copy's crates are other packages (another path), while dependencies, which neither
//!    build instruments, are built once for both. Mutants the compiler rejects are told apart by
//!    where its errors point, marked unviable and left out of the next build, until it passes;
//! 3. each test any mutant needs runs once without mutants: its duration sets its timeouts
//!    (a multiple of it, with a floor), and a test that does not pass there is left out;
//! 4. each mutant's tests run alone, in the order given, `jobs` mutants at a time, stopping at
//!    the first test that fails (caught) or times out;
//! 5. mutants that cannot be guards (`const fn`, `impl Trait` results) replace their function's
//!    body. A function returning `impl Bounds` gets all its mutants in one body, each value
//!    boxed as `Box<dyn Bounds>` behind the switch, in one build; when that does not compile
//!    (or for a `const fn`), they are built and tested one by one.
//!
//! It knows nothing of verdicts: which tests to run, in which order, comes from the caller.

mod build;
mod copy;
mod runner;
mod schema;

pub use schema::SWITCH_ENV;

use crate::run::{pool, BuildError, BuildOptions, RunError, TestExecutable};
use crate::workspace::{self, relative_path, WorkspaceError};
use build::{blame, Built, Placements};
use cargo_metadata::diagnostic::Diagnostic;
use runner::{run_mutant, timeout, Tests};
use schema::Edit;
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use truecov_model::{MutantOutcome, Selection, TargetKind, TestId, TestOutcome, Workspace};

/// One mutant to try: a function's body replaced by a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mutant {
    /// Cargo package of the function.
    pub package: String,
    /// Workspace-relative file of the function.
    pub file: String,
    /// Byte offset of the body's first statement in the file.
    pub body_first: usize,
    /// Byte offset of the body's closing brace.
    pub body_end: usize,
    /// An early `return VALUE;` is the same mutant as the replaced body (see
    /// `truecov_analyzer::FunctionMutants::guardable`).
    pub guardable: bool,
    /// For a mutant that is not guardable: the type its function's values can all be boxed
    /// into (see `truecov_analyzer::FunctionMutants::boxed`), so that its function's
    /// mutants share one build.
    pub boxed: Option<String>,
    /// The replacement value, a Rust expression.
    pub value: String,
    /// The tests to run (indexes into the tests given to [`prove`]), in the order to run them.
    pub tests: Vec<usize>,
}

/// How and where to build and run.
#[derive(Clone, Debug)]
pub struct MutateOptions {
    /// The user's workspace (only read), as the command loaded it.
    pub workspace: Workspace,
    /// Package and feature selection, as for the coverage build (`manifest_path` and
    /// `target_dir` name the user's tree; the copy's are derived).
    pub build: BuildOptions,
    /// Directory of the scratch copy (`work/`) and of its tests' output.
    pub dir: PathBuf,
    /// Mutants tested at once.
    pub jobs: usize,
    /// Limit of a test's run without mutants.
    pub baseline_timeout: Duration,
    /// A test is killed under a mutant after this many times its run without mutants...
    pub timeout_multiplier: u32,
    /// ... and never before this.
    pub min_timeout: Duration,
    /// Run `#[ignore]`d tests when asked to.
    pub include_ignored: bool,
}

/// The result of one mutant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MutantResult {
    /// What happened.
    pub outcome: MutantOutcome,
    /// The test that caught it or timed out (index into the tests given to [`prove`]).
    pub caught_by: Option<usize>,
    /// The tests that ran with the mutant on, in order.
    pub tests_run: Vec<usize>,
    /// Wall time of its tests (and of its own build, for a replaced body).
    pub duration: Duration,
    /// The compiler's first complaint, for an unviable mutant.
    pub error: Option<String>,
}

impl MutantResult {
    /// A mutant no test ran: unviable (with the compiler's complaint) or not run.
    fn untried(outcome: MutantOutcome, error: Option<String>) -> MutantResult {
        MutantResult {
            outcome,
            caught_by: None,
            tests_run: Vec::new(),
            duration: Duration::ZERO,
            error,
        }
    }
}

/// Everything [`prove`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Proof {
    /// One result per mutant, in the order given.
    pub mutants: Vec<MutantResult>,
    /// Wall time of each test without mutants (index into the tests given), for the tests
    /// any mutant needed and that passed.
    pub baseline: BTreeMap<usize, Duration>,
    /// Builds of the copy (schema rounds and replaced bodies).
    pub builds: usize,
    /// Tests left out because they do not pass in the copy without mutants, and the like.
    pub warnings: Vec<String>,
}

/// Why mutants could not be tried (a mutant that does not compile is a result, not an error).
#[derive(Debug, thiserror::Error)]
pub enum MutateError {
    /// The scratch copy could not be made.
    #[error("cannot copy the workspace to {path}: {source}")]
    Copy {
        /// The scratch copy.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A mutated file could not be written into the copy.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The copy's workspace could not be read.
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    /// cargo could not be run on the copy.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// The copy does not build, and not because of a mutant.
    #[error("the scratch copy does not build, and not because of a mutant:\n{}", .0.join("\n"))]
    Unexplained(Vec<String>),
    /// A test could not be run.
    #[error(transparent)]
    Run(#[from] RunError),
}

/// Progress of [`prove`], for a progress bar.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum Event {
    /// The copy is being built with this many mutants in it.
    Building {
        /// Mutants in the build.
        mutants: usize,
    },
    /// This many tests are being run without mutants.
    Baseline {
        /// Tests to run.
        tests: usize,
    },
    /// A mutant's tests are done.
    MutantFinished {
        /// What happened to it.
        outcome: MutantOutcome,
        /// Mutants done so far (unviable ones included).
        finished: usize,
        /// All mutants.
        total: usize,
    },
}

/// Builds and tests `mutants` in a scratch copy of the workspace; see the module
/// documentation.
pub fn prove(
    options: &MutateOptions,
    tests: &[TestId],
    mutants: &[Mutant],
    on_event: &(dyn Fn(Event) + Sync),
) -> Result<Proof, MutateError> {
    let mut trial = Trial::start(options, tests, mutants, on_event)?;
    let guarded: BTreeSet<usize> = (0..mutants.len())
        .filter(|&m| mutants[m].guardable)
        .collect();
    let executables = trial.build_schema(guarded)?;
    let wanted: BTreeSet<usize> = mutants
        .iter()
        .flat_map(|m| m.tests.iter().copied())
        .collect();
    on_event(Event::Baseline {
        tests: wanted.len(),
    });
    trial.baseline(&executables, &wanted)?;
    let ready: Vec<usize> = trial.schema.iter().copied().collect();
    trial.run(&executables, &ready)?;
    for group in replaced_groups(mutants) {
        if group.len() < 2 || !trial.replace_group(&group)? {
            for m in group {
                trial.replace_body(m)?;
            }
        }
    }
    let results = trial
        .results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| MutantResult::untried(MutantOutcome::NotRun, None)));
    Ok(Proof {
        mutants: results.collect(),
        baseline: trial.baseline,
        builds: trial.builds,
        warnings: trial.warnings,
    })
}

/// The state of one [`prove`].
struct Trial<'a> {
    options: &'a MutateOptions,
    tests: &'a [TestId],
    mutants: &'a [Mutant],
    on_event: &'a (dyn Fn(Event) + Sync),
    cargo: OsString,
    /// The copy's metadata.
    copy: Workspace,
    /// The copy's build options.
    build: BuildOptions,
    /// Where the copy is built.
    target: PathBuf,
    /// Original text of every file that gets edits, by workspace-relative path.
    originals: BTreeMap<String, String>,
    /// Crate roots that get the switch module.
    roots: Vec<String>,
    /// Guarded mutants in the current schema build.
    schema: BTreeSet<usize>,
    results: Vec<Option<MutantResult>>,
    baseline: BTreeMap<usize, Duration>,
    finished: AtomicUsize,
    builds: usize,
    warnings: Vec<String>,
}

impl<'a> Trial<'a> {
    /// Makes the copy and reads what will be edited.
    fn start(
        options: &'a MutateOptions,
        tests: &'a [TestId],
        mutants: &'a [Mutant],
        on_event: &'a (dyn Fn(Event) + Sync),
    ) -> Result<Self, MutateError> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let user = &options.workspace;
        let root = &user.root;
        let work = options.dir.join("work");
        let copy_error = |source| MutateError::Copy {
            path: work.clone(),
            source,
        };
        let target = options
            .build
            .target_dir
            .as_ref()
            .unwrap_or(&user.target_directory)
            .join("truecov");
        copy::sync(
            root,
            &work,
            &[user.target_directory.clone(), options.dir.clone()],
        )
        .map_err(copy_error)?;
        let mut build = options.build.clone();
        build.manifest_path = Some(copy_manifest(root, &work, &options.build));
        // The copy's members are the user's, under other ids (another path).
        let copy = workspace::load(&Selection {
            manifest_path: build.manifest_path.clone(),
            packages: user.packages.iter().map(|p| p.name.clone()).collect(),
            ..Selection::default()
        })?;
        build.packages = options
            .build
            .packages
            .iter()
            .filter_map(|id| copy_id(&copy, &user.package(id)?.name))
            .collect();
        let packages: BTreeSet<&str> = mutants
            .iter()
            .filter(|m| m.guardable)
            .map(|m| m.package.as_str())
            .collect();
        let roots: Vec<String> = copy
            .packages
            .iter()
            .filter(|p| packages.contains(p.name.as_str()))
            .flat_map(|p| &p.targets)
            .filter(|t| matches!(t.kind, TargetKind::Lib | TargetKind::Bin))
            .filter_map(|t| relative_path(&copy.root, &t.root))
            .collect();
        let mut originals = BTreeMap::new();
        for file in mutants.iter().map(|m| &m.file).chain(&roots) {
            if !originals.contains_key(file) {
                let text = std::fs::read_to_string(work.join(file)).map_err(copy_error)?;
                originals.insert(file.clone(), text);
            }
        }
        Ok(Trial {
            options,
            tests,
            mutants,
            on_event,
            cargo,
            copy,
            build,
            target,
            originals,
            roots,
            schema: BTreeSet::new(),
            results: vec![None; mutants.len()],
            baseline: BTreeMap::new(),
            finished: AtomicUsize::new(0),
            builds: 0,
            warnings: Vec::new(),
        })
    }

    /// Builds the copy with every mutant of `guarded` as a guard, leaving out those the
    /// compiler rejects, until the build passes; fails when an error is about no mutant.
    fn build_schema(
        &mut self,
        mut guarded: BTreeSet<usize>,
    ) -> Result<Vec<TestExecutable>, MutateError> {
        loop {
            self.schema = guarded.clone();
            let placed = self.write(&[])?;
            (self.on_event)(Event::Building {
                mutants: guarded.len(),
            });
            let errors = match self.compile(&[])? {
                Built::Binaries(executables) => return Ok(executables),
                Built::Errors(errors) => errors,
            };
            // An error no mutant's text holds may follow from one that does: it must go away
            // once the blamed mutants are out, or the copy never built.
            let (blamed, unexplained) = blame(&errors, &placed);
            if blamed.is_empty() {
                return Err(MutateError::Unexplained(unexplained));
            }
            for m in blamed.into_iter().map(|id| id - 1) {
                guarded.remove(&m);
                self.unviable(m, &errors, &placed);
            }
        }
    }

    /// Writes the schema and the `replaced` mutants' function body (one mutant's value, or a
    /// dispatch among several of one function) into the copy; returns where each mutant's text
    /// went.
    fn write(&self, replaced: &[usize]) -> Result<Placements, MutateError> {
        let mut edits: BTreeMap<&str, Vec<Edit>> = BTreeMap::new();
        if !self.schema.is_empty() || replaced.len() > 1 {
            for root in &self.roots {
                edits
                    .entry(root)
                    .or_default()
                    .push(Edit::switch_module(self.originals[root].len()));
            }
        }
        for &m in &self.schema {
            let mutant = &self.mutants[m];
            edits.entry(&mutant.file).or_default().push(Edit::guard(
                mutant.body_first,
                m + 1,
                &mutant.value,
            ));
        }
        if let Some(&m) = replaced.first() {
            let mutant = &self.mutants[m];
            let body = mutant.body_first..mutant.body_end;
            let edit = match (replaced, &mutant.boxed) {
                ([_], _) | (_, None) => Edit::replace_body(body, m + 1, &mutant.value),
                (_, Some(boxed)) => {
                    let choices: Vec<(usize, &str)> = replaced
                        .iter()
                        .map(|&r| (r + 1, self.mutants[r].value.as_str()))
                        .collect();
                    Edit::dispatch(body, boxed, &choices)
                }
            };
            edits.entry(&mutant.file).or_default().push(edit);
        }
        let mut placed = Placements::new();
        for (file, original) in &self.originals {
            let (text, at) = schema::apply(
                original,
                edits.get(file.as_str()).map_or(&[][..], Vec::as_slice),
            );
            let path = self.copy.root.join(file);
            if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                std::fs::write(&path, &text)
                    .map_err(|source| MutateError::Write { path, source })?;
            }
            placed.insert(file.clone(), at);
        }
        Ok(placed)
    }

    /// Builds the copy: every test target, or with `for_mutants` (of one function), only the
    /// targets of their tests when they are all in its package.
    fn compile(&mut self, for_mutants: &[usize]) -> Result<Built, MutateError> {
        self.builds += 1;
        let mut options = self.build.clone();
        let mut targets = Vec::new();
        if let Some(&m) = for_mutants.first() {
            let mutant = &self.mutants[m];
            let ids: Vec<&TestId> = for_mutants
                .iter()
                .flat_map(|&m| &self.mutants[m].tests)
                .map(|&t| &self.tests[t])
                .collect();
            let kinds: BTreeSet<&str> = ids.iter().map(|t| t.target.as_str()).collect();
            let narrowed = ids
                .iter()
                .all(|t| t.package == mutant.package)
                .then(|| build::target_args(kinds))
                .flatten();
            if let (Some(args), Some(id)) = (narrowed, copy_id(&self.copy, &mutant.package)) {
                options.packages = vec![id];
                targets = args;
            }
        }
        Ok(build::build(
            &self.cargo,
            &self.copy,
            &options,
            &targets,
            &self.target,
        )?)
    }

    /// Records mutant `m` as unviable, with the first error that is about it.
    fn unviable(&mut self, m: usize, errors: &[Diagnostic], placed: &Placements) {
        let error = errors
            .iter()
            .find(|e| blame(std::slice::from_ref(*e), placed).0.contains(&(m + 1)))
            .or(errors.first())
            .map(|e| match &e.code {
                Some(code) => format!("{}: {}", code.code, e.message),
                None => e.message.clone(),
            });
        self.finish(m, MutantResult::untried(MutantOutcome::Unviable, error));
    }

    fn finish(&mut self, m: usize, result: MutantResult) {
        self.report(result.outcome);
        self.results[m] = Some(result);
    }

    fn report(&self, outcome: MutantOutcome) {
        (self.on_event)(Event::MutantFinished {
            outcome,
            finished: self.finished.fetch_add(1, Ordering::Relaxed) + 1,
            total: self.mutants.len(),
        });
    }

    /// Runs each of `wanted` once without mutants; those that pass get a baseline duration.
    fn baseline(
        &mut self,
        executables: &[TestExecutable],
        wanted: &BTreeSet<usize>,
    ) -> Result<(), MutateError> {
        let scratch = self.options.dir.join("runs");
        let tests = Tests::new(
            executables,
            self.tests,
            &scratch,
            self.options.include_ignored,
        );
        let wanted: Vec<usize> = wanted.iter().copied().collect();
        let ends = pool::try_map(&wanted, self.options.jobs, |&t| {
            tests.run(t, None, self.options.baseline_timeout)
        })?;
        for (t, end) in wanted.into_iter().zip(ends) {
            let test = &self.tests[t];
            match end.outcome {
                Some(TestOutcome::Passed) => {
                    self.baseline.insert(t, end.duration);
                }
                Some(outcome) => self.warnings.push(format!(
                    "{test}: {outcome:?} without mutants in the scratch copy; left out"
                )),
                None => self.warnings.push(format!(
                    "{test}: no such test binary in the scratch copy's build; left out"
                )),
            }
        }
        Ok(())
    }

    /// The tests of mutant `m` that passed without mutants, with their timeouts.
    fn order(&self, m: usize) -> Vec<(usize, Duration)> {
        let o = self.options;
        self.mutants[m]
            .tests
            .iter()
            .filter_map(|t| {
                let base = self.baseline.get(t)?;
                Some((*t, timeout(*base, o.timeout_multiplier, o.min_timeout)))
            })
            .collect()
    }

    /// Runs the tests of `ready` mutants against `executables`, `jobs` mutants at a time.
    fn run(&mut self, executables: &[TestExecutable], ready: &[usize]) -> Result<(), MutateError> {
        let scratch = self.options.dir.join("runs");
        let tests = Tests::new(
            executables,
            self.tests,
            &scratch,
            self.options.include_ignored,
        );
        let this = &*self;
        let runs = pool::try_map(ready, self.options.jobs, |&m| {
            let start = Instant::now();
            let run = run_mutant(&tests, m + 1, &this.order(m))?;
            this.report(run.outcome);
            Ok::<_, RunError>(MutantResult {
                outcome: run.outcome,
                caught_by: run.caught_by,
                tests_run: run.tests_run,
                duration: start.elapsed(),
                error: None,
            })
        })?;
        for (&m, result) in ready.iter().zip(runs) {
            self.results[m] = Some(result);
        }
        Ok(())
    }

    /// Builds the mutants `group` of one function returning `impl Trait` in one body (a
    /// dispatch) and tests them; `false` when that build fails (the caller then tries them one
    /// by one) or the function has no boxed type.
    fn replace_group(&mut self, group: &[usize]) -> Result<bool, MutateError> {
        if self.mutants[group[0]].boxed.is_none() {
            return Ok(false);
        }
        let judged: Vec<usize> = group
            .iter()
            .copied()
            .filter(|&m| !self.order(m).is_empty())
            .collect();
        if judged.len() < 2 {
            return Ok(false);
        }
        self.write(&judged)?;
        (self.on_event)(Event::Building {
            mutants: judged.len(),
        });
        let Built::Binaries(executables) = self.compile(&judged)? else {
            return Ok(false);
        };
        self.run(&executables, &judged)?;
        for &m in group.iter().filter(|m| !judged.contains(m)) {
            self.finish(m, MutantResult::untried(MutantOutcome::NotRun, None));
        }
        Ok(true)
    }

    /// Builds and tests mutant `m` with its function's body replaced.
    fn replace_body(&mut self, m: usize) -> Result<(), MutateError> {
        if self.order(m).is_empty() {
            // No test could judge it: not worth a build.
            self.finish(m, MutantResult::untried(MutantOutcome::NotRun, None));
            return Ok(());
        }
        let start = Instant::now();
        let placed = self.write(&[m])?;
        (self.on_event)(Event::Building { mutants: 1 });
        match self.compile(&[m])? {
            Built::Errors(errors) => self.unviable(m, &errors, &placed),
            Built::Binaries(executables) => {
                self.run(&executables, &[m])?;
                if let Some(r) = &mut self.results[m] {
                    r.duration = start.elapsed();
                }
            }
        }
        Ok(())
    }
}

/// The mutants that are not guards, grouped by function (the same body), in their order.
fn replaced_groups(mutants: &[Mutant]) -> Vec<Vec<usize>> {
    let mut groups: BTreeMap<(&str, usize), Vec<usize>> = BTreeMap::new();
    for (m, mutant) in mutants.iter().enumerate().filter(|(_, m)| !m.guardable) {
        groups
            .entry((&mutant.file, mutant.body_first))
            .or_default()
            .push(m);
    }
    let mut groups: Vec<Vec<usize>> = groups.into_values().collect();
    groups.sort_by_key(|g| g[0]);
    groups
}

/// The copy's manifest for the user's `--manifest-path` (the workspace root's by default).
fn copy_manifest(root: &Path, work: &Path, build: &BuildOptions) -> PathBuf {
    build
        .manifest_path
        .as_ref()
        .and_then(|p| {
            let p = p.canonicalize().ok()?;
            let root = root.canonicalize().ok()?;
            Some(work.join(p.strip_prefix(root).ok()?))
        })
        .unwrap_or_else(|| work.join("Cargo.toml"))
}

/// The id, in the copy, of the user's package `name`.
fn copy_id(copy: &Workspace, name: &str) -> Option<truecov_model::PackageId> {
    copy.packages
        .iter()
        .find(|p| p.name == name)
        .map(|p| p.id.clone())
}
