//! Static scan of Rust test code for cargo-truecov.
//!
//! Reads a workspace's sources (it never builds or runs anything), finds every test libtest
//! would run with its exact name, and gives each a verdict about its oracle (docs/verdicts.md:
//! meaningful, smoke, tautological, assertion_free) with findings; finds the error-path sites of
//! every library function.
//!
//! Entry points: [`scan`] for a Cargo workspace, [`scan_source`] for one file's text.

#![warn(missing_docs, unreachable_pub)]

mod aliases;
mod body;
mod cfg;
mod collect;
mod doctest;
mod expand;
mod facts;
mod macro_scope;
mod mutant_set;
mod resolve;
mod scope;
mod sites;
mod source;
mod testattr;

pub use doctest::TARGET as DOCTEST_TARGET;
pub use facts::{function_facts, FunctionFacts};
pub use mutant_set::{list_mutants, source_mutants, SourceMutant};
pub use truecov_model::scan::*;
pub use truecov_model::{rules, Config, Finding, Oracle, OracleKind, Pos, Verdict};

use cfg::CfgEnv;
use collect::{collect_expansions, collect_file, Collected, Helper, ModCtx, RawTest, TargetCtx};
use macro_scope::MacroTable;
use rayon::prelude::*;
use source::SourceFile;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use truecov_model::{Doctests, TargetKind, Workspace};

/// One file to collect, in one target and module context.
#[derive(Clone)]
struct Unit {
    package: usize,
    target: usize,
    file: PathBuf,
    ctx: ModCtx,
}

/// What collecting one unit gave: the file's workspace-relative path, its findings and its
/// doctests (none unless it is a library file of a doctested target).
type UnitOutput = (String, Collected, doctest::Found);

/// A unit with what collecting it gave.
type Collection = (Unit, UnitOutput);

/// Per-package results before resolution.
#[derive(Default)]
struct PackageFacts {
    tests: Vec<(String, RawTest)>,
    helpers: Vec<Helper>,
    macros: Vec<Helper>,
    functions: Vec<LibFunction>,
    unsigned_fns: Vec<String>,
    library_files: Vec<String>,
    test_code: Vec<LineRange>,
    /// `(target, type)` of each `#[global_allocator]` of test code.
    allocators: Vec<(String, String)>,
    /// Doctests that run no code (`compile_fail`, `no_run`), by name, with why.
    runs_no_code: HashMap<String, &'static str>,
}

/// Scans the selected members of a workspace (as `truecov_coverage::workspace::load` gives
/// it; the scan reads their source files and runs nothing).
///
/// Two phases: every module file is collected once, level by level, which also gives each
/// crate's `macro_rules!` definitions as plain data; then the files that invoke a test-writing
/// macro defined in another file are collected again with the whole macro table.
pub fn scan(ws: &Workspace) -> Scan {
    let mut queue: Vec<Unit> = Vec::new();
    for (pi, pkg) in ws.packages.iter().enumerate() {
        for (ti, t) in pkg.targets.iter().enumerate() {
            queue.push(Unit {
                package: pi,
                target: ti,
                file: t.root.clone(),
                ctx: ModCtx {
                    module: Vec::new(),
                    test_ctx: t.is_test_code(),
                    child_dir: t.root.parent().unwrap_or(Path::new(".")).to_path_buf(),
                    scope: Vec::new(),
                    cfg_off: None,
                },
            });
        }
    }
    let envs: Vec<CfgEnv> = ws
        .packages
        .iter()
        .map(|p| CfgEnv {
            test: true,
            features: p.features.clone(),
            doc: false,
        })
        .collect();
    let libs: Vec<(String, &Path)> = ws
        .packages
        .iter()
        .flat_map(|p| &p.targets)
        .filter(|t| t.kind == TargetKind::Lib)
        .map(|t| (t.name.replace('-', "_"), t.root.as_path()))
        .collect();
    let crates = scope::CrateIndex::build(&libs);
    let mut seen: HashSet<(usize, usize, PathBuf)> = HashSet::new();
    let mut warnings = Vec::new();
    let mut done: Vec<Collection> = Vec::new();
    while !queue.is_empty() {
        queue.retain(|u| seen.insert((u.package, u.target, u.file.clone())));
        let (level_warnings, outputs) = collect_units(ws, &envs, &crates, None, queue);
        warnings.extend(level_warnings);
        queue = Vec::new();
        for (u, (rel, mut out, docs)) in outputs {
            queue.extend(out.children.drain(..).map(|c| Unit {
                package: u.package,
                target: u.target,
                file: c.file,
                ctx: c.ctx,
            }));
            done.push((u, (rel, out, docs)));
        }
    }
    let table = macro_table(ws, &mut done);
    let again: Vec<Unit> = done
        .iter()
        .filter(|(_, (_, out, _))| out.unresolved.iter().any(|n| table.writes_tests(n)))
        .map(|(u, _)| u.clone())
        .collect();
    let (_, expansions) = collect_units(ws, &envs, &crates, Some(&table), again);
    let index: HashMap<(usize, usize, PathBuf), usize> = done
        .iter()
        .enumerate()
        .map(|(i, (u, _))| ((u.package, u.target, u.file.clone()), i))
        .collect();
    for (u, (_, more, _)) in expansions {
        if let Some(&i) = index.get(&(u.package, u.target, u.file)) {
            done[i].1 .1.absorb(more);
        }
    }
    let mut facts: Vec<PackageFacts> = ws
        .packages
        .iter()
        .map(|_| PackageFacts::default())
        .collect();
    // Modules whose `#[cfg]` rustdoc finds false (a feature off): their files have no doctests.
    let doc_off: HashSet<(usize, Vec<String>)> = done
        .iter()
        .flat_map(|(u, (_, _, docs))| {
            let off = &docs.off_modules;
            off.iter().map(move |m| (u.package, m.clone()))
        })
        .collect();
    for (u, (rel, out, mut docs)) in done {
        if (1..=u.ctx.module.len())
            .any(|n| doc_off.contains(&(u.package, u.ctx.module[..n].to_vec())))
        {
            docs = doctest::Found::default();
        }
        let label = ws.packages[u.package].targets[u.target].label();
        add_facts(&mut facts[u.package], &label, &rel, out, &mut warnings);
        add_doctests(&mut facts[u.package], &rel, docs, &mut warnings);
    }
    let mut scan = Scan {
        workspace_root: ws.root.clone(),
        packages: ws
            .packages
            .iter()
            .map(|p| PackageInfo {
                name: p.name.clone(),
                version: p.version.clone(),
                dir: source::relative(&ws.root, p.dir()),
            })
            .collect(),
        ..Scan::default()
    };
    share_support_helpers(&mut facts);
    for (pkg, f) in ws.packages.iter().zip(facts) {
        finish_package(&pkg.name, f, &mut scan);
    }
    finish(&mut scan, warnings);
    scan
}

/// Every crate's macro definitions (taken out of the collected outputs), with the workspace's
/// libraries by the name code uses for them.
fn macro_table(ws: &Workspace, done: &mut [Collection]) -> MacroTable {
    let defs: Vec<_> = done
        .iter_mut()
        .flat_map(|(u, (_, out, _))| {
            let krate = (u.package, u.target);
            std::mem::take(&mut out.macro_defs)
                .into_iter()
                .map(move |d| (krate, d))
        })
        .collect();
    let libs = ws.packages.iter().enumerate().flat_map(|(pi, p)| {
        p.targets
            .iter()
            .enumerate()
            .filter(|(_, t)| t.kind == TargetKind::Lib)
            .map(move |(ti, t)| (t.name.replace('-', "_"), (pi, ti)))
    });
    MacroTable::new(defs, libs)
}

/// Reads, parses and collects units in parallel: each file once, on one worker thread (syntax
/// trees are not `Send`), for every context that includes it. Files that cannot be read give
/// warnings. With a macro table, only the expansions a first pass left are collected.
fn collect_units(
    ws: &Workspace,
    envs: &[CfgEnv],
    crates: &scope::CrateIndex,
    table: Option<&MacroTable>,
    units: Vec<Unit>,
) -> (Vec<Warning>, Vec<Collection>) {
    let mut groups: HashMap<PathBuf, Vec<Unit>> = HashMap::new();
    for u in units {
        groups.entry(u.file.clone()).or_default().push(u);
    }
    let groups: Vec<(PathBuf, Vec<Unit>)> = groups.into_iter().collect();
    let results: Vec<(Option<Warning>, Vec<Collection>)> = groups
        .into_par_iter()
        .map(|(path, units)| match SourceFile::load(&ws.root, &path) {
            Err(e) => (
                Some(Warning {
                    file: e.rel,
                    message: e.message,
                }),
                Vec::new(),
            ),
            Ok(file) => {
                let outs = units
                    .into_iter()
                    .map(|u| {
                        let pkg = &ws.packages[u.package];
                        let target = &pkg.targets[u.target];
                        let label = target.label();
                        let tctx = TargetCtx {
                            package: &pkg.name,
                            label: &label,
                            tested: target.tested,
                            library: matches!(target.kind, TargetKind::Lib | TargetKind::Bin),
                            test_support: pkg.test_support,
                            config: &pkg.config,
                            external_crates: &pkg.external_crates,
                            index: crates,
                            harnessless_name: (target.tested
                                && matches!(target.kind, TargetKind::Test | TargetKind::Bench))
                            .then_some(target.name.as_str()),
                            cfg: &envs[u.package],
                            krate: (u.package, u.target),
                        };
                        let out = match table {
                            None => collect_file(&file, &tctx, &u.ctx),
                            Some(table) => collect_expansions(&file, &tctx, &u.ctx, table),
                        };
                        let mut docs = doctest::Found::default();
                        if table.is_none()
                            && target.doctested
                            && !u.ctx.test_ctx
                            && pkg.config.doctests != Some(Doctests::Ignore)
                        {
                            let env = CfgEnv {
                                test: false,
                                features: pkg.features.clone(),
                                doc: true,
                            };
                            let jctx = doctest::JudgeCtx {
                                config: &pkg.config,
                                external_crates: &pkg.external_crates,
                                file: &file.rel,
                                cfg: &env,
                                index: crates,
                            };
                            // rustdoc runs in the workspace root and names files from there.
                            let naming = doctest::Naming {
                                file: &file.rel,
                                numbering: doctest::Numbering::of_edition(target.edition),
                            };
                            docs = doctest::collect(&file, &u.ctx.module, naming, &jctx);
                        }
                        let rel = file.rel.clone();
                        (u, (rel, out, docs))
                    })
                    .collect();
                drop(file);
                // Span locations of every file parsed on this thread are kept until
                // invalidated; nothing of this file's syntax tree is left.
                proc_macro2::extra::invalidate_current_thread_spans();
                (None, outs)
            }
        })
        .collect();
    let mut warnings = Vec::new();
    let mut outputs = Vec::new();
    for (warning, outs) in results {
        warnings.extend(warning);
        outputs.extend(outs);
    }
    (warnings, outputs)
}

/// Adds the doctests of one library file to its package's facts.
fn add_doctests(
    f: &mut PackageFacts,
    rel: &str,
    docs: doctest::Found,
    warnings: &mut Vec<Warning>,
) {
    f.tests.extend(
        docs.tests
            .into_iter()
            .map(|t| (doctest::TARGET.to_string(), t)),
    );
    f.runs_no_code.extend(docs.runs_no_code);
    warnings.extend(docs.warnings.into_iter().map(|message| Warning {
        file: rel.to_string(),
        message,
    }));
}

/// Adds what one unit gave to its package's facts.
fn add_facts(
    f: &mut PackageFacts,
    label: &str,
    rel: &str,
    out: Collected,
    warnings: &mut Vec<Warning>,
) {
    f.tests
        .extend(out.tests.into_iter().map(|t| (label.to_string(), t)));
    f.helpers.extend(out.helpers);
    f.macros.extend(out.macros);
    f.functions.extend(out.functions);
    f.unsigned_fns.extend(out.unsigned_fns);
    f.allocators
        .extend(out.allocators.into_iter().map(|ty| (label.to_string(), ty)));
    if out.library_file {
        f.library_files.push(rel.to_string());
    }
    f.test_code
        .extend(out.test_code.iter().map(|&(start, end)| LineRange {
            file: rel.to_string(),
            start,
            end,
        }));
    warnings.extend(out.warnings.into_iter().map(|message| Warning {
        file: rel.to_string(),
        message,
    }));
}

fn finish_package(package: &str, mut f: PackageFacts, scan: &mut Scan) {
    dedup_helpers(&mut f.helpers);
    dedup_helpers(&mut f.macros);
    f.unsigned_fns.sort();
    f.unsigned_fns.dedup();
    for raw in f.tests.iter_mut().map(|(_, t)| t) {
        resolve::settle_checks(&mut raw.facts, &f.unsigned_fns, &f.macros);
    }
    for h in f.helpers.iter_mut() {
        resolve::settle_checks(&mut h.facts, &f.unsigned_fns, &f.macros);
    }
    f.allocators.sort();
    f.allocators.dedup();
    let table = resolve::HelperTable::new(&f.helpers, &f.macros, &f.allocators);
    let start = scan.tests.len();
    scan.tests.extend(
        f.tests
            .iter()
            .flat_map(|(label, raw)| table.test_cases(package, label, raw)),
    );
    for test in scan.tests[start..]
        .iter_mut()
        .filter(|t| t.target == doctest::TARGET)
    {
        let why = f.runs_no_code.get(&test.name).copied();
        doctest::reword_findings(test, why);
    }
    scan.functions.extend(f.functions);
    scan.library_files.extend(f.library_files);
    scan.test_code.extend(f.test_code);
}

/// The helpers and macros of test-support crates (dev-dependencies of other members) are
/// callable from every package's tests: each package gets a copy of the others'.
fn share_support_helpers(facts: &mut [PackageFacts]) {
    let shared: Vec<(usize, Helper, bool)> = facts
        .iter()
        .enumerate()
        .flat_map(|(pi, f)| {
            let helpers = f.helpers.iter().map(|h| (h, false));
            let macros = f.macros.iter().map(|h| (h, true));
            helpers
                .chain(macros)
                .filter(|(h, _)| h.target.is_empty())
                .map(move |(h, is_macro)| (pi, h.clone(), is_macro))
        })
        .collect();
    for (pi, f) in facts.iter_mut().enumerate() {
        for (_, h, is_macro) in shared.iter().filter(|(from, _, _)| *from != pi) {
            if *is_macro {
                f.macros.push(h.clone());
            } else {
                f.helpers.push(h.clone());
            }
        }
    }
}

/// A file included by several targets (`tests/common/mod.rs`) yields one helper per target.
fn dedup_helpers(helpers: &mut Vec<Helper>) {
    helpers.sort_by(|a, b| {
        (&a.file, a.line, &a.name, &a.target).cmp(&(&b.file, b.line, &b.name, &b.target))
    });
    helpers.dedup_by(|a, b| {
        a.file == b.file && a.line == b.line && a.name == b.name && a.target == b.target
    });
}

fn finish(scan: &mut Scan, mut warnings: Vec<Warning>) {
    scan.tests
        .sort_by(|a, b| (&a.package, &a.target, &a.name).cmp(&(&b.package, &b.target, &b.name)));
    scan.tests
        .dedup_by(|a, b| a.package == b.package && a.target == b.target && a.name == b.name);
    scan.functions
        .sort_by(|a, b| (&a.file, a.line, &a.name).cmp(&(&b.file, b.line, &b.name)));
    scan.functions
        .dedup_by(|a, b| a.file == b.file && a.line == b.line && a.name == b.name);
    scan.library_files.sort();
    scan.library_files.dedup();
    scan.test_code
        .sort_by(|a, b| (&a.file, a.start, a.end).cmp(&(&b.file, b.start, b.end)));
    scan.test_code.dedup();
    warnings.sort_by(|a, b| (&a.file, &a.message).cmp(&(&b.file, &b.message)));
    warnings.dedup();
    scan.warnings = warnings;
}

/// Scans one file's text as the root of a library crate whose tests run (no `mod x;` is
/// followed): for quick checks, benchmarks and the analyzer's own tests.
pub fn scan_source(rel: &str, text: &str, config: &Config) -> Result<Scan, Warning> {
    let file = SourceFile::parse(PathBuf::from(rel), rel.to_string(), text.to_string()).map_err(
        |message| Warning {
            file: rel.to_string(),
            message,
        },
    )?;
    let env = CfgEnv {
        test: true,
        features: Vec::new(),
        doc: false,
    };
    let tctx = TargetCtx {
        package: "",
        label: "lib",
        tested: true,
        library: true,
        test_support: false,
        config,
        external_crates: &[],
        index: &scope::CrateIndex::of_file(&file.ast),
        harnessless_name: None,
        cfg: &env,
        krate: (0, 0),
    };
    let ctx = ModCtx {
        module: Vec::new(),
        test_ctx: false,
        child_dir: PathBuf::new(),
        scope: Vec::new(),
        cfg_off: None,
    };
    let out = collect_file(&file, &tctx, &ctx);
    let mut facts = PackageFacts::default();
    // No `mod x;` is followed, so the warnings about module files are moot.
    add_facts(&mut facts, "lib", rel, out, &mut Vec::new());
    let mut scan = Scan::default();
    finish_package("", facts, &mut scan);
    finish(&mut scan, Vec::new());
    Ok(scan)
}
