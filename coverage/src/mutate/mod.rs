//! Building and testing mutants of library functions, in a scratch copy of the workspace.
//!
//! [`prove`] takes mutants (a byte range of a file and its replacement: a function's body
//! replaced by a value, an operator by another, a match arm deleted, ...) and, for each, the
//! tests that executed its code (from the per-test coverage), and finds which mutants those
//! tests catch:
//!
//! 1. the workspace is copied into `<dir>/work` ([`copy`]): the user's tree is only read, so it
//!    stays byte-identical whatever happens, a killed run included. Unchanged files keep their
//!    times, so the copy's build stays warm from one run to the next;
//! 2. every mutant that can be switched at run time goes into one build, a mutant schema
//!    ([`place`] says how each genre is switched, inside expressions too, mutants nested in
//!    operands included; [`schema`] writes the text): a test process switches one mutant on
//!    through [`SWITCH_ENV`]. The build is plain (no instrumentation) and
//!    incremental, into the instrumented build's target directory (`<target>/truecov`): to cargo
//!    the copy's crates are other packages (another path), while dependencies, which neither
//!    build instruments, are built once for both. Mutants the compiler rejects are told apart by
//!    where its errors point, marked unviable and left out of the next build, until it passes;
//! 3. each test any mutant needs runs once without mutants: its duration sets its timeouts
//!    (a multiple of it, with a floor), and a test that does not pass there is left out;
//! 4. each mutant's tests run alone, `jobs` mutants at a time, stopping at the first test that
//!    fails (caught) or times out: first the tests that caught the nearest mutants of the same
//!    file so far, then in the order given. A mutant no test executes is `not_covered`;
//! 5. mutants that cannot be switched (`const` contexts, macro arguments, struct fields, a
//!    `const fn`'s or `impl Trait` function's value) are built on their own, the plain
//!    replacement. A function returning `impl Bounds` gets all its values in one body, each
//!    boxed as `Box<dyn Bounds>` behind the switch, in one build; when that does not compile,
//!    they are built and tested one by one.
//!
//! It knows nothing of verdicts: which tests to run, in which order, comes from the caller.

mod build;
mod copy;
mod mutant;
mod place;
mod runner;
mod schema;

pub use mutant::Mutant;
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
use std::sync::Mutex;
use std::time::{Duration, Instant};
use truecov_model::{
    MutantGenre, MutantOutcome, Selection, TargetKind, TestId, TestOutcome, Workspace,
};

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
        /// All mutants some test executes (`not_covered` ones are never tried).
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
    if mutants.iter().all(|m| m.tests.is_empty()) {
        // Nothing to build: no copy, no build, every mutant `not_covered`.
        return Ok(Proof {
            mutants: mutants
                .iter()
                .map(|_| MutantResult::untried(MutantOutcome::NotCovered, None))
                .collect(),
            ..Proof::default()
        });
    }
    let mut trial = Trial::start(options, tests, mutants, on_event)?;
    for m in (0..mutants.len()).filter(|&m| mutants[m].tests.is_empty()) {
        trial.results[m] = Some(MutantResult::untried(MutantOutcome::NotCovered, None));
    }
    let switched: BTreeSet<usize> = (0..mutants.len())
        .filter(|m| !mutants[*m].tests.is_empty() && !trial.own.contains(m))
        .collect();
    let executables = trial.build_schema(switched)?;
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
    for group in own_groups(mutants, &trial.own) {
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
    /// Mutants built on their own (no switch can hold them).
    own: BTreeSet<usize>,
    /// Mutants in the current schema build.
    schema: BTreeSet<usize>,
    /// Mutants caught so far, with the test that caught each: their neighbours try it first.
    killers: Mutex<Vec<(usize, usize)>>,
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
        let mut originals = BTreeMap::new();
        for file in mutants.iter().map(|m| &m.file) {
            if !originals.contains_key(file) {
                let text = std::fs::read_to_string(work.join(file)).map_err(copy_error)?;
                originals.insert(file.clone(), text);
            }
        }
        let own = unswitchable(mutants, &originals);
        let packages: BTreeSet<&str> = (0..mutants.len())
            .filter(|m| !own.contains(m))
            .map(|m| mutants[m].package.as_str())
            .collect();
        let roots: Vec<String> = copy
            .packages
            .iter()
            .filter(|p| packages.contains(p.name.as_str()))
            .flat_map(|p| &p.targets)
            .filter(|t| matches!(t.kind, TargetKind::Lib | TargetKind::Bin))
            .filter_map(|t| relative_path(&copy.root, &t.root))
            .collect();
        for file in &roots {
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
            own,
            schema: BTreeSet::new(),
            killers: Mutex::new(Vec::new()),
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

    /// Writes the schema and, with `replaced`, the plain change of one mutant built on its own
    /// (or a dispatch among several values of one function) into the copy; returns where each
    /// mutant's text went. Schema edits the change overlaps are left out, and all of them when
    /// the change would not fit among them.
    fn write(&self, replaced: &[usize]) -> Result<Placements, MutateError> {
        let (placed, dropped) = self.write_edits(replaced, true)?;
        if replaced.iter().any(|m| dropped.contains(&(m + 1))) {
            return Ok(self.write_edits(replaced, false)?.0);
        }
        Ok(placed)
    }

    /// [`Self::write`] with or without the schema; returns the placements and the mutants
    /// whose edit did not fit.
    fn write_edits(
        &self,
        replaced: &[usize],
        with_schema: bool,
    ) -> Result<(Placements, BTreeSet<usize>), MutateError> {
        let mut edits: BTreeMap<&str, Vec<Edit>> = BTreeMap::new();
        let schema = if with_schema {
            &self.schema
        } else {
            &BTreeSet::new()
        };
        for (file, original) in &self.originals {
            let switched: Vec<(usize, &Mutant)> = schema
                .iter()
                .filter(|&&m| self.mutants[m].file == *file)
                .map(|&m| (m + 1, &self.mutants[m]))
                .collect();
            edits.insert(file, place::schema_edits(original, &switched).0);
        }
        if let Some(&m) = replaced.first() {
            let file = self.mutants[m].file.as_str();
            edits.entry(file).or_default().push(self.own_edit(replaced));
        }
        if !schema.is_empty() || replaced.len() > 1 {
            for root in &self.roots {
                edits
                    .entry(root)
                    .or_default()
                    .push(Edit::switch_module(self.originals[root].len()));
            }
        }
        let mut placed = Placements::new();
        let mut dropped = BTreeSet::new();
        for (file, original) in &self.originals {
            let edits = edits.get(file.as_str()).map_or(&[][..], Vec::as_slice);
            let (text, at, lost) = schema::apply(original, edits);
            let path = self.copy.root.join(file);
            if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                std::fs::write(&path, &text)
                    .map_err(|source| MutateError::Write { path, source })?;
            }
            placed.insert(file.clone(), at);
            dropped.extend(lost);
        }
        Ok((placed, dropped))
    }

    /// The change of mutants `replaced` built on their own: one mutant's replacement, or a
    /// dispatch among the values of one function returning `impl Trait`.
    fn own_edit(&self, replaced: &[usize]) -> Edit {
        let m = replaced[0];
        let mutant = &self.mutants[m];
        let range = mutant.start..mutant.end;
        match (replaced, &mutant.boxed, mutant.genre) {
            (_, _, genre) if genre != MutantGenre::FnValue => {
                Edit::replace(range, m + 1, &mutant.replacement)
            }
            ([_], _, _) | (_, None, _) => Edit::replace_body(range, m + 1, &mutant.replacement),
            (_, Some(boxed), _) => {
                let choices: Vec<(usize, &str)> = replaced
                    .iter()
                    .map(|&r| (r + 1, self.mutants[r].replacement.as_str()))
                    .collect();
                Edit::dispatch(range, boxed, &choices)
            }
        }
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
            total: self.mutants.iter().filter(|m| !m.tests.is_empty()).count(),
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

    /// The tests of mutant `m` that passed without mutants, with their timeouts: first those
    /// that caught the nearest mutants of its file so far, then in the order given.
    fn order(&self, m: usize) -> Vec<(usize, Duration)> {
        let o = self.options;
        let mutant = &self.mutants[m];
        let mut near: Vec<(usize, usize)> = self
            .killers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter(|(k, t)| self.mutants[*k].file == mutant.file && mutant.tests.contains(t))
            .map(|&(k, t)| (self.mutants[k].start.abs_diff(mutant.start), t))
            .collect();
        near.sort_unstable();
        let mut tests: Vec<usize> = Vec::with_capacity(mutant.tests.len());
        for t in near
            .into_iter()
            .map(|(_, t)| t)
            .chain(mutant.tests.iter().copied())
        {
            if !tests.contains(&t) {
                tests.push(t);
            }
        }
        tests
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
            if let Some(t) = run.caught_by {
                let mut killers = this.killers.lock().unwrap_or_else(|e| e.into_inner());
                killers.push((m, t));
            }
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

    /// Builds and tests mutant `m` on its own: its plain change, no switch.
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

/// The mutants built on their own, in their order: one function's values together (they may
/// share one body), the others alone.
fn own_groups(mutants: &[Mutant], own: &BTreeSet<usize>) -> Vec<Vec<usize>> {
    let mut groups: BTreeMap<(&str, usize, bool), Vec<usize>> = BTreeMap::new();
    for &m in own {
        let mutant = &mutants[m];
        let key = match mutant.genre {
            MutantGenre::FnValue => (mutant.file.as_str(), mutant.start, true),
            _ => (mutant.file.as_str(), m, false),
        };
        groups.entry(key).or_default().push(m);
    }
    let mut groups: Vec<Vec<usize>> = groups.into_values().collect();
    groups.sort_by_key(|g| g[0]);
    groups
}

/// The mutants (that some test executes) no switch can hold: [`place`] finds no schema form
/// for them, or their edit does not nest with the others'.
fn unswitchable(mutants: &[Mutant], originals: &BTreeMap<String, String>) -> BTreeSet<usize> {
    let mut own = BTreeSet::new();
    for (file, original) in originals {
        let of_file: Vec<(usize, &Mutant)> = mutants
            .iter()
            .enumerate()
            .filter(|(_, m)| m.file == *file && !m.tests.is_empty())
            .map(|(m, mutant)| (m + 1, mutant))
            .collect();
        let (edits, unplaced) = place::schema_edits(original, &of_file);
        let (_, _, dropped) = schema::apply(original, &edits);
        own.extend(unplaced.into_iter().chain(dropped).map(|id| id - 1));
    }
    own
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
