//! Per-test coverage of a workspace, end to end: the instrumented build, every test run alone,
//! each test's profiles decoded natively as soon as it ends, and the result assembled into a
//! [`CoverageRun`] of library files.

use crate::read::{
    same_kind, BinaryMapping, CountedRegion, Evaluated, FileCounts, FileShape, FunctionRecord,
    OverlaidShape, Profile, RegionKind,
};
use crate::run::{
    build_doctests, build_profiles, build_tests, partition, plan_tests, run_planned, BuildOptions,
    Doctests, NotRun, OnEvent, RunOptions, TestExecutable, TestRun,
};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use truecov_model::coverage::SCHEMA_VERSION;
use truecov_model::{
    CoverageRun, FileCoverage, PackageId, Partition, Span, TestCoverage, TestId, TestOutcome,
    Workspace, DOCTEST_TARGET,
};

/// Decides which source files count: maps a path recorded in a binary (absolute) to the
/// workspace-relative path of a library file, or `None` for test code, dependencies and std.
pub type LibraryFilter<'a> = &'a (dyn Fn(&str) -> Option<String> + Sync);

/// What to measure.
pub struct MeasureOptions<'a> {
    /// The instrumented build.
    pub build: BuildOptions,
    /// The per-test runs.
    pub run: RunOptions,
    /// Which files are library code.
    pub library: LibraryFilter<'a>,
    /// Packages whose doctests run too, each alone like any test (target `doc`).
    pub doctests: Vec<PackageId>,
    /// Only this part of the tests runs (`--partition`); every test when `None`.
    pub partition: Option<Partition>,
}

/// What a measurement found.
#[derive(Debug)]
pub struct Measurement {
    /// The coverage of the tests that ran (those of the partition, when one was asked).
    pub coverage: CoverageRun,
    /// Every test of the whole run, in the run's order (the same tests as `coverage.tests`
    /// when no partition was asked).
    pub tests: Vec<TestId>,
}

/// Why a measurement could not be made (failing tests are results, not errors).
#[derive(Debug, thiserror::Error)]
pub enum MeasureError {
    /// The instrumented build failed.
    #[error(transparent)]
    Build(#[from] crate::run::BuildError),
    /// A test binary's coverage mapping could not be read.
    #[error("{path}: {source}")]
    Mapping {
        /// The binary.
        path: PathBuf,
        /// What is wrong with it.
        source: crate::read::ReadError,
    },
    /// The tests could not be run.
    #[error(transparent)]
    Run(#[from] crate::run::RunError),
}

/// The coverage of every library file, merged over every binary, with all counts zero.
struct Shape {
    /// Line regions per library file (relative path), combined once.
    files: BTreeMap<String, FileShape>,
    /// The library files rustdoc maps doctest code onto, with that code laid over them: every
    /// test's lines there are counted on both, as llvm-cov counts them.
    overlaid: BTreeMap<String, OverlaidShape>,
}

/// What one test executed.
#[derive(Default)]
struct Executed {
    lines: BTreeMap<String, Vec<u32>>,
    regions: BTreeMap<String, Vec<Span>>,
    repeated: BTreeMap<String, Vec<(Span, u64)>>,
    warnings: Vec<String>,
}

/// What a build gives the runner: the test executables (doctests' included) and the doctests
/// with nothing to run. An archive (`crate::archive`) carries it to another machine.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Built {
    /// The directory the build wrote to (`<target>/truecov`); every binary is under it.
    pub target_dir: PathBuf,
    /// Every executable to run, cargo targets first, then doctests.
    pub executables: Vec<TestExecutable>,
    /// The workspace's proc-macro libraries (their compile-time profiles are in the target
    /// directory's `build-profiles/`).
    pub proc_macros: Vec<PathBuf>,
    /// Doctests with nothing to run, with the outcome rustdoc gave them.
    pub not_run: Vec<NotRun>,
    /// What the doctest build could not follow.
    pub warnings: Vec<String>,
}

/// Builds the selected packages of `workspace` (and the doctests `options` asks for) with
/// coverage.
pub fn build(
    workspace: &Workspace,
    options: &MeasureOptions,
    on_event: OnEvent<'_>,
) -> Result<Built, MeasureError> {
    let mut build = build_tests(workspace, &options.build, on_event)?;
    let doctests = if options.doctests.is_empty() {
        Doctests::default()
    } else {
        build_doctests(
            workspace,
            &options.build,
            &options.doctests,
            options.run.include_ignored,
        )?
    };
    build.executables.extend(doctests.executables);
    Ok(Built {
        target_dir: build.target_dir,
        executables: build.executables,
        proc_macros: build.proc_macros,
        not_run: doctests.not_run,
        warnings: doctests.warnings,
    })
}

/// Builds the selected packages of `workspace`, runs and decodes; see the module
/// documentation.
pub fn measure(
    workspace: &Workspace,
    options: &MeasureOptions,
    on_event: OnEvent<'_>,
) -> Result<Measurement, MeasureError> {
    measure_built(build(workspace, options, on_event)?, options, on_event)
}

/// Runs the tests of a build made before (here, or elsewhere and unpacked from an archive)
/// and decodes; `options.build` and `options.doctests` are not used.
pub fn measure_built(
    build: Built,
    options: &MeasureOptions,
    on_event: OnEvent<'_>,
) -> Result<Measurement, MeasureError> {
    let (mappings, doctest_code) = read_mappings(&build.executables, &build.proc_macros)?;
    let shape = Shape::of(mappings.values(), doctest_code.values(), options.library);
    let mappings = as_llvm_cov_counts(&mappings)?;
    // A test binary without coverage sections (its whole source is cfg'd out, so no
    // instrumented code is linked in) runs with an empty mapping.
    let empty = Arc::new(BinaryMapping::empty());
    let by_exe: Vec<Arc<BinaryMapping>> = build
        .executables
        .iter()
        .map(|e| {
            mappings
                .get(&e.path)
                .cloned()
                .unwrap_or_else(|| empty.clone())
        })
        .collect();
    let by_id: HashMap<Vec<u8>, Arc<BinaryMapping>> = mappings
        .values()
        .filter_map(|m| m.build_id().map(|id| (id.to_vec(), m.clone())))
        .collect();
    let macros: Vec<&BinaryMapping> = build
        .proc_macros
        .iter()
        .filter_map(|p| mappings.get(p).map(Arc::as_ref))
        .collect();
    let mut warnings = Vec::new();
    let compiled: Vec<Option<Evaluated>> = build
        .executables
        .iter()
        .map(|e| {
            compile_time(
                &build_profiles(&build.target_dir),
                e,
                &macros,
                &mut warnings,
            )
        })
        .collect();
    let decode = |exe: &TestExecutable, run: &TestRun, profiles: &[PathBuf]| -> Executed {
        let own = OwnMappings {
            library: &by_exe[run.executable],
            doctest_code: doctest_code.get(&exe.path).map(Arc::as_ref),
        };
        decode_test(
            own,
            &by_id,
            &shape,
            options.library,
            exe,
            profiles,
            compiled[run.executable].as_ref(),
        )
    };
    let mut plan = plan_tests(&build.executables, &options.run)?;
    let id = |index: usize, name: &str| {
        let exe = &build.executables[index];
        TestId {
            package: exe.package.clone(),
            target: exe.target.clone(),
            name: name.to_owned(),
        }
    };
    let mut tests: Vec<TestId> = build
        .not_run
        .iter()
        .map(|d| TestId {
            package: d.package.clone(),
            target: DOCTEST_TARGET.to_owned(),
            name: d.name.clone(),
        })
        .collect();
    tests.extend(plan.iter().map(|(index, test)| id(*index, &test.name)));
    // Doctests that cannot run are reported by part 1, as ignored tests are.
    let mut not_run = build.not_run;
    if let Some(p) = &options.partition {
        let mut keeps = partition::keeps(&plan, p, options.run.include_ignored).into_iter();
        plan.retain(|_| keeps.next().unwrap_or(false));
        if p.shard != 1 {
            not_run.clear();
        }
    }
    let results = run_planned(&build.executables, &plan, &options.run, decode, on_event)?;
    let mut out = CoverageRun {
        schema_version: SCHEMA_VERSION,
        binaries: build
            .executables
            .iter()
            .map(|e| e.path.display().to_string())
            .collect(),
        ..CoverageRun::default()
    };
    for (path, file) in &shape.files {
        let counts = file.with(&[]);
        out.files.insert(
            path.clone(),
            FileCoverage {
                coverable: counts.lines.iter().map(|l| l.line).collect(),
                executed: Vec::new(),
                regions: counts
                    .regions
                    .iter()
                    .filter(|r| r.kind == RegionKind::Code)
                    .map(|r| r.span)
                    .collect(),
            },
        );
    }
    out.warnings.extend(warnings);
    out.warnings.extend(build.warnings);
    out.tests.extend(not_run.into_iter().map(|d| TestCoverage {
        package: d.package,
        target: DOCTEST_TARGET.to_owned(),
        name: d.name,
        outcome: d.outcome,
        duration_ms: 0,
        lines: BTreeMap::new(),
        regions: BTreeMap::new(),
        repeated: BTreeMap::new(),
        output: String::new(),
    }));
    let mut executed: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    for result in results {
        let exe = &build.executables[result.run.executable];
        let done = result.decoded.unwrap_or_default();
        for (file, lines) in &done.lines {
            executed.entry(file.clone()).or_default().extend(lines);
        }
        out.warnings.extend(done.warnings);
        out.tests.push(TestCoverage {
            package: exe.package.clone(),
            target: exe.target.clone(),
            name: result.run.name,
            outcome: if result.run.ignored && result.run.duration.is_zero() {
                TestOutcome::Ignored
            } else {
                result.run.outcome
            },
            duration_ms: result.run.duration.as_millis() as u64,
            lines: done.lines,
            regions: done.regions,
            repeated: done.repeated,
            output: result.run.output,
        });
    }
    for (file, lines) in executed {
        if let Some(f) = out.files.get_mut(&file) {
            f.executed = lines.into_iter().collect();
        }
    }
    Ok(Measurement {
        coverage: out,
        tests,
    })
}

/// Reads every test binary's coverage mapping once, in parallel, keyed by path (binaries a test
/// runs as children, `CARGO_BIN_EXE_*`, included), and of the workspace's proc-macro libraries.
/// A doctest binary's own code is left out: it is test code, which rustdoc maps onto the
/// documented file's comment lines; it is returned apart, by binary, as mappings of their own
/// (the second map), whose regions count on library lines only ([`OverlaidShape`]).
fn read_mappings(
    executables: &[TestExecutable],
    proc_macros: &[PathBuf],
) -> Result<(Mappings, Mappings), MeasureError> {
    let doctests: BTreeSet<&Path> = executables
        .iter()
        .filter(|e| e.doctest.is_some())
        .map(|e| e.path.as_path())
        .collect();
    let mut paths: Vec<&Path> = executables.iter().map(|e| e.path.as_path()).collect();
    paths.extend(
        executables
            .iter()
            .flat_map(|e| e.bins.values().map(PathBuf::as_path)),
    );
    paths.extend(proc_macros.iter().map(PathBuf::as_path));
    paths.sort();
    paths.dedup();
    let read = |p: &Path| match BinaryMapping::from_path(p).and_then(|m| {
        if doctests.contains(p) {
            let code = m.without(|f| !crate::run::is_doctest_code(f))?;
            Ok((m.without(crate::run::is_doctest_code)?, Some(code)))
        } else {
            Ok((m, None))
        }
    }) {
        Ok((m, code)) => Ok(Some((p.to_path_buf(), Arc::new(m), code.map(Arc::new)))),
        Err(crate::read::ReadError::MissingSection(_)) => Ok(None),
        Err(source) => Err(MeasureError::Mapping {
            path: p.to_path_buf(),
            source,
        }),
    };
    let jobs = std::thread::available_parallelism().map_or(1, usize::from);
    let chunk = paths.len().div_ceil(jobs).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = paths
            .chunks(chunk)
            .map(|c| s.spawn(move || c.iter().map(|p| read(p)).collect::<Vec<_>>()))
            .collect();
        let mut out = HashMap::new();
        let mut code = HashMap::new();
        for h in handles {
            for r in h.join().expect("mapping reader thread") {
                if let Some((path, m, c)) = r? {
                    if let Some(c) = c {
                        code.insert(path.clone(), c);
                    }
                    out.insert(path, m);
                }
            }
        }
        Ok((out, code))
    })
}

/// The mappings that profiles are evaluated with: `mappings` without the records of the
/// functions llvm-cov reports as never run ([`reported_as_unused`]), whose lines stay in the
/// shape (coverable, never executed).
fn as_llvm_cov_counts(
    mappings: &HashMap<PathBuf, Arc<BinaryMapping>>,
) -> Result<HashMap<PathBuf, Arc<BinaryMapping>>, MeasureError> {
    let zeroed = reported_as_unused(mappings);
    mappings
        .iter()
        .map(|(path, m)| {
            let dropped = |f: &FunctionRecord| zeroed.contains(&key(m.files(), f));
            let m = if m.functions().iter().any(dropped) {
                Arc::new(m.without(dropped).map_err(|source| MeasureError::Mapping {
                    path: path.clone(),
                    source,
                })?)
            } else {
                m.clone()
            };
            Ok((path.clone(), m))
        })
        .collect()
}

/// A function as `llvm-cov` tells its records apart across binaries: its name without the
/// `<file>;` prefix of a local copy, and its files.
type FunctionKey = (String, Vec<String>);

fn key(files: &[String], f: &FunctionRecord) -> FunctionKey {
    let name = f.name.rsplit_once(';').map_or(&f.name[..], |(_, n)| n);
    let files = f
        .files
        .iter()
        .map(|&i| files.get(i as usize).cloned().unwrap_or_default())
        .collect();
    (name.to_owned(), files)
}

/// The functions `cargo llvm-cov` reports as never run whatever ran them: it loads the binaries
/// in path order (it sorts them) and keeps, per function, the first record it loads. The record
/// of a binary that links a function without instantiating it (an `#[inline]` function its
/// tests never call) has hash 0 and no counters: LLVM drops it as a hash mismatch when the
/// merged profile has the function under a hash of the same kind (bit 60 clear,
/// [`same_kind`]), and otherwise loads it with zero counts; loaded first, it makes the
/// function read zero even where another binary ran it (itertools' `ChunkIndex::new`, whose
/// lines are so run or not run depending on the hash rustc gives it). The merged profile has a
/// function under the hashes of the binaries that instantiate it (each binary's profile holds
/// all of its functions). The same functions are dropped from the mappings profiles are
/// evaluated with, so that the lines they run count nowhere, as llvm-cov counts them
/// (docs/tests.md#lines-as-cargo-llvm-cov-counts-them).
fn reported_as_unused(mappings: &HashMap<PathBuf, Arc<BinaryMapping>>) -> HashSet<FunctionKey> {
    let mut order: Vec<(&PathBuf, &Arc<BinaryMapping>)> = mappings.iter().collect();
    order.sort_by(|a, b| a.0.cmp(b.0));
    let mut profiled: HashMap<FunctionKey, Vec<u64>> = HashMap::new();
    for (_, m) in &order {
        for f in m.functions().iter().filter(|f| f.func_hash != 0) {
            profiled
                .entry(key(m.files(), f))
                .or_default()
                .push(f.func_hash);
        }
    }
    let mut seen = HashSet::new();
    let mut zeroed = HashSet::new();
    for (_, m) in order {
        for f in m.functions() {
            let k = key(m.files(), f);
            let mismatch = |hashes: &Vec<u64>| hashes.iter().any(|&h| same_kind(h, f.func_hash));
            if f.func_hash == 0 && profiled.get(&k).is_some_and(mismatch) {
                continue;
            }
            if seen.insert(k.clone()) && f.func_hash == 0 {
                zeroed.insert(k);
            }
        }
    }
    zeroed
}

/// Mappings by binary path.
type Mappings = HashMap<PathBuf, Arc<BinaryMapping>>;

impl Shape {
    /// The shape of the library files of `mappings`, with the regions `doctest_code` maps
    /// onto them laid over.
    fn of<'m>(
        mappings: impl Iterator<Item = &'m Arc<BinaryMapping>>,
        doctest_code: impl Iterator<Item = &'m Arc<BinaryMapping>>,
        library: LibraryFilter<'_>,
    ) -> Shape {
        let mut names: HashMap<String, Option<String>> = HashMap::new();
        let mut regions_of = |mappings: &mut dyn Iterator<Item = &'m Arc<BinaryMapping>>| {
            let mut regions: BTreeMap<String, Vec<CountedRegion>> = BTreeMap::new();
            for m in mappings {
                for (path, file) in &m.zero().files {
                    let rel = names.entry(path.clone()).or_insert_with(|| library(path));
                    if let Some(rel) = rel {
                        regions
                            .entry(rel.clone())
                            .or_default()
                            .extend_from_slice(&file.regions);
                    }
                }
            }
            regions
        };
        let regions = regions_of(&mut { mappings });
        let overlays = regions_of(&mut { doctest_code });
        let overlaid = overlays
            .into_iter()
            .filter_map(|(path, overlay)| {
                let own = regions.get(&path)?.clone();
                Some((path, OverlaidShape::new(own, overlay)))
            })
            .collect();
        Shape {
            files: regions
                .into_iter()
                .map(|(path, regions)| (path, FileShape::new(regions)))
                .collect(),
            overlaid,
        }
    }
}

/// What the workspace's proc macros ran while the compiler built `exe` (its profiles are in
/// `<build_profiles>/<exe's file name>/`, docs/tests.md#proc-macro-crates): every test of the
/// binary depends on those expansions, as `cargo llvm-cov` counts them. `None` when nothing
/// ran; a profile no proc macro of the build wrote is a warning.
fn compile_time(
    build_profiles: &Path,
    exe: &TestExecutable,
    macros: &[&BinaryMapping],
    warnings: &mut Vec<String>,
) -> Option<Evaluated> {
    if macros.is_empty() || exe.doctest.is_some() {
        return None;
    }
    let dir = build_profiles.join(exe.path.file_name()?);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "profraw"))
        .collect();
    paths.sort();
    let mut parts = Vec::new();
    for path in paths {
        let profile = match std::fs::read(&path)
            .map_err(|e| e.to_string())
            .and_then(|bytes| Profile::parse(&bytes).map_err(|e| e.to_string()))
        {
            Ok(profile) => profile,
            Err(e) => {
                warnings.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        match macros.iter().find_map(|m| m.evaluate(&profile).ok()) {
            Some(evaluated) => parts.push(evaluated),
            None if profile.is_empty() => {}
            None => warnings.push(format!(
                "{}: written by no proc macro of this build; its coverage is lost",
                path.display()
            )),
        }
    }
    (!parts.is_empty()).then(|| Evaluated::merge_all(parts.iter()))
}

/// The mappings of a test's own binary: the library's and, for a doctest, its own code's.
#[derive(Clone, Copy)]
struct OwnMappings<'m> {
    library: &'m BinaryMapping,
    doctest_code: Option<&'m BinaryMapping>,
}

/// Decodes one test's profiles: regions it ran per library file, and its executed lines
/// computed on the shape of all binaries (so that line counts follow llvm-cov's rules on the
/// merged coverage, whatever binary the test lives in). `compiled` is what the proc macros ran
/// while its binary was compiled, which the test counts as run too.
fn decode_test(
    own: OwnMappings<'_>,
    by_id: &HashMap<Vec<u8>, Arc<BinaryMapping>>,
    shape: &Shape,
    library: LibraryFilter<'_>,
    exe: &TestExecutable,
    profiles: &[PathBuf],
    compiled: Option<&Evaluated>,
) -> Executed {
    let mut out = Executed::default();
    let mut parts = Vec::new();
    let mut code_parts = Vec::new();
    for path in profiles {
        let evaluated = std::fs::read(path)
            .map_err(|e| e.to_string())
            .and_then(|bytes| Profile::parse(&bytes).map_err(|e| e.to_string()))
            .and_then(|profile| {
                let mapping = profile
                    .binary_ids()
                    .iter()
                    .find_map(|id| by_id.get(id.as_slice()))
                    .map_or(own.library, |m| m.as_ref());
                let ran = mapping.ran(&profile).map_err(|e| e.to_string())?;
                // A doctest's own code, in the profiles of its own binary.
                let code = own
                    .doctest_code
                    .filter(|_| std::ptr::eq(mapping, own.library))
                    .and_then(|code| code.ran(&profile).ok());
                Ok((ran, code))
            });
        match evaluated {
            Ok((e, code)) => {
                parts.push(e);
                code_parts.extend(code);
            }
            Err(e) if std::fs::metadata(path).is_ok_and(|m| m.len() == 0) => {
                out.warnings.push(format!(
                    "{}: empty profile ({e}); its coverage is lost",
                    exe.path.display()
                ));
            }
            Err(e) => out
                .warnings
                .push(format!("{}: {}: {e}", exe.path.display(), path.display())),
        }
    }
    let mut merged = match (parts.len(), compiled) {
        (1, None) => parts.pop().expect("one part"),
        _ => Evaluated::merge_all(parts.iter().chain(compiled)),
    };
    let code = Evaluated::merge_all(code_parts.iter());
    for path in code.files.keys() {
        merged.files.entry(path.clone()).or_default();
    }
    let ran_any = |regions: &[CountedRegion]| regions.iter().any(|r| r.count > 0);
    for (path, file) in merged.files {
        let code_ran = code.files.get(&path).map_or(&[][..], |f| &f.regions[..]);
        if !ran_any(&file.regions) && !ran_any(code_ran) {
            continue;
        }
        let Some(rel) = library(&path) else { continue };
        let lines = shape
            .overlaid
            .get(&rel)
            .map(|o| o.executed_lines(&file.regions, code_ran));
        // A doctest's code that ran on comment lines only ran nothing of the file.
        if !ran_any(&file.regions) && lines.as_ref().is_none_or(Vec::is_empty) {
            continue;
        }
        let ran: Vec<Span> = file
            .regions
            .iter()
            .filter(|r| r.count > 0 && r.kind == RegionKind::Code)
            .map(|r| r.span)
            .collect();
        let counts = match shape.files.get(&rel) {
            Some(all) => all.with(&file.regions),
            None => FileCounts::from_regions(file.regions),
        };
        let repeated: Vec<(Span, u64)> = counts
            .regions
            .iter()
            .filter(|r| r.count > 1 && r.kind == RegionKind::Code)
            .map(|r| (r.span, r.count))
            .collect();
        if !repeated.is_empty() {
            out.repeated.insert(rel.clone(), repeated);
        }
        // The lines the file's own regions give, and those a doctest's code adds on them.
        let mut lines: Vec<u32> = counts
            .executed_lines()
            .chain(lines.into_iter().flatten())
            .collect();
        lines.sort_unstable();
        lines.dedup();
        out.lines.insert(rel.clone(), lines);
        out.regions.insert(rel, ran);
    }
    out
}
