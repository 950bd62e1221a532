//! Joining the parts of a partitioned run into the coverage of the whole run, after checking
//! that they belong together: one build (commit, fingerprint, configuration, scan), one
//! partitioning, every part once, every test of the run in exactly one part. The parts of a
//! partitioned `prove` each hold the whole run and a part of one plan of mutants: every
//! mutant of the plan in exactly one part.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use truecov_model::{CoverageRun, ProvePart, Scan, Shard, TestId};

/// The parts joined: the run's scan and the coverage of all its tests.
#[derive(Debug)]
pub struct Merged {
    /// The static scan (the same in every part).
    pub scan: Scan,
    /// Every test's coverage, in the run's order, as one unpartitioned run measures it.
    pub coverage: CoverageRun,
    /// The part the provenance is taken from (the first).
    pub first: Shard,
    /// For the parts of a `prove`: what each part's mutants showed, in the parts' order.
    pub prove: Option<Vec<ProvePart>>,
}

/// Why parts do not make up one run; each message names the files.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MergeError {
    /// A part of another run: another commit, build, configuration or partitioning.
    #[error("{foreign} is not a part of the run of {first}: its {what} differs ({theirs} instead of {ours})")]
    Foreign {
        /// The file that does not belong.
        foreign: String,
        /// The first file, the run's reference.
        first: String,
        /// What differs.
        what: &'static str,
        /// Its value in the first file.
        ours: String,
        /// Its value in the foreign file.
        theirs: String,
    },
    /// Two files are the same part.
    #[error("{0} and {1} are both part {2}: give each part once")]
    Duplicate(String, String, String),
    /// Parts are missing.
    #[error("part {missing} of {total} is missing (given: {given}); merge needs every part")]
    Missing {
        /// The missing parts, as `slice:2/3, slice:3/3`.
        missing: String,
        /// How many parts the run has.
        total: u32,
        /// The files given.
        given: String,
    },
    /// A test's coverage is in two parts, or in a part and not in the run's list.
    #[error("{file}: test {test} {problem}")]
    Test {
        /// The part.
        file: String,
        /// The test.
        test: String,
        /// What is wrong.
        problem: String,
    },
    /// A mutant of the plan is in two parts, or in none.
    #[error("{file}: mutant {mutant} {problem}")]
    Mutant {
        /// The part.
        file: String,
        /// The mutant: its name, or its number in the plan.
        mutant: String,
        /// What is wrong.
        problem: String,
    },
}

fn name(path: &Path) -> String {
    path.display().to_string()
}

/// Checks that `shards` (with their files) are every part of one run, and joins them.
pub fn merge(mut shards: Vec<(PathBuf, Shard)>) -> Result<Merged, MergeError> {
    shards.sort_by_key(|(_, s)| s.partition.shard);
    let (first_path, first) = &shards[0];
    let mut without_root = first.scan.clone();
    without_root.workspace_root = PathBuf::new();
    for (path, shard) in &shards[1..] {
        let differs = |what: &'static str, ours: String, theirs: String| MergeError::Foreign {
            foreign: name(path),
            first: name(first_path),
            what,
            ours,
            theirs,
        };
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".into());
        let p = &shard.partition;
        if (p.kind, p.total) != (first.partition.kind, first.partition.total) {
            return Err(differs(
                "partitioning",
                format!(
                    "{}:K/{}",
                    first.partition.kind.as_str(),
                    first.partition.total
                ),
                format!("{}:K/{}", p.kind.as_str(), p.total),
            ));
        }
        let kind = |s: &Shard| match s.prove {
            Some(_) => "a part of prove",
            None => "a part of a run",
        };
        if kind(shard) != kind(first) {
            return Err(differs("kind", kind(first).into(), kind(shard).into()));
        }
        if let (Some(ours), Some(theirs)) = (&first.prove, &shard.prove) {
            if ours.plan != theirs.plan {
                return Err(differs(
                    "plan of mutants",
                    ours.plan.clone(),
                    theirs.plan.clone(),
                ));
            }
        }
        if shard.commit != first.commit {
            return Err(differs("commit", show(&first.commit), show(&shard.commit)));
        }
        if shard.fingerprint != first.fingerprint {
            return Err(differs(
                "build fingerprint",
                first.fingerprint.clone(),
                shard.fingerprint.clone(),
            ));
        }
        if shard.config_hash != first.config_hash {
            return Err(differs(
                "configuration hash",
                show(&first.config_hash),
                show(&shard.config_hash),
            ));
        }
        let mut scan = shard.scan.clone();
        scan.workspace_root = PathBuf::new();
        if scan != without_root || shard.tests != first.tests {
            return Err(differs(
                "scan",
                "the first file's".into(),
                "another one".into(),
            ));
        }
    }
    check_parts(&shards)?;
    let (coverage, prove) = match first.prove {
        Some(_) => (first.coverage.clone(), Some(mutants(&shards)?)),
        None => (join(&shards)?, None),
    };
    let (_, first) = shards.swap_remove(0);
    Ok(Merged {
        scan: first.scan.clone(),
        coverage,
        first,
        prove,
    })
}

/// The parts of a `prove`, once every mutant of the plan is in exactly one of them.
fn mutants(shards: &[(PathBuf, Shard)]) -> Result<Vec<ProvePart>, MergeError> {
    let parts: Vec<(&Path, &ProvePart)> = shards
        .iter()
        .filter_map(|(path, s)| Some((path.as_path(), s.prove.as_ref()?)))
        .collect();
    let planned = parts.first().map_or(0, |(_, p)| p.planned);
    let mut owner: Vec<Option<&Path>> = vec![None; planned];
    for (path, part) in &parts {
        for m in part.functions.iter().flat_map(|f| &f.mutants) {
            let problem = |problem: String| MergeError::Mutant {
                file: name(path),
                mutant: m.entry.name.clone(),
                problem,
            };
            let Some(slot) = owner.get_mut(m.index) else {
                return Err(problem(format!(
                    "is number {} of a plan of {planned}",
                    m.index + 1
                )));
            };
            if let Some(other) = slot.replace(path) {
                return Err(problem(format!(
                    "was also tried in {}: the parts overlap",
                    name(other)
                )));
            }
        }
    }
    if let Some(index) = owner.iter().position(Option::is_none) {
        return Err(MergeError::Mutant {
            file: name(parts[0].0),
            mutant: format!("number {} of the plan of {planned}", index + 1),
            problem: "was tried in no part".into(),
        });
    }
    Ok(parts.into_iter().map(|(_, p)| p.clone()).collect())
}

/// Every part from 1 to N exactly once.
fn check_parts(shards: &[(PathBuf, Shard)]) -> Result<(), MergeError> {
    let mut seen: BTreeMap<u32, &Path> = BTreeMap::new();
    for (path, shard) in shards {
        if let Some(other) = seen.insert(shard.partition.shard, path) {
            return Err(MergeError::Duplicate(
                name(other),
                name(path),
                shard.partition.to_string(),
            ));
        }
    }
    let p = shards[0].1.partition;
    let missing: Vec<String> = (1..=p.total)
        .filter(|k| !seen.contains_key(k))
        .map(|k| truecov_model::Partition { shard: k, ..p }.to_string())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(MergeError::Missing {
        missing: missing.join(", "),
        total: p.total,
        given: shards
            .iter()
            .map(|(path, _)| name(path))
            .collect::<Vec<_>>()
            .join(", "),
    })
}

/// The coverage of the whole run: each test from the one part that ran it, in the run's
/// order; each file's executed lines the union of the parts'.
fn join(shards: &[(PathBuf, Shard)]) -> Result<CoverageRun, MergeError> {
    let first = &shards[0].1;
    let order: HashMap<&TestId, usize> = first
        .tests
        .iter()
        .enumerate()
        .map(|(i, t)| (t, i))
        .collect();
    let mut owner: Vec<Option<&Path>> = vec![None; first.tests.len()];
    let mut tests = Vec::with_capacity(first.tests.len());
    let mut executed: BTreeMap<&str, BTreeSet<u32>> = BTreeMap::new();
    let mut warnings = Vec::new();
    for (path, shard) in shards {
        for t in &shard.coverage.tests {
            let problem = |problem: String| MergeError::Test {
                file: name(path),
                test: t.id().to_string(),
                problem,
            };
            let id = t.id();
            let Some(&index) = order.get(&id) else {
                return Err(problem("is not in the run's test list".into()));
            };
            if let Some(other) = owner[index].replace(path) {
                return Err(problem(format!(
                    "also ran in {}: the parts overlap",
                    name(other)
                )));
            }
            tests.push((index, t.clone()));
        }
        for (file, f) in &shard.coverage.files {
            executed.entry(file).or_default().extend(&f.executed);
        }
        warnings.extend(shard.coverage.warnings.iter().cloned());
    }
    if let Some(index) = owner.iter().position(Option::is_none) {
        return Err(MergeError::Test {
            file: name(&shards[0].0),
            test: first.tests[index].to_string(),
            problem: "of the run's list ran in no part".into(),
        });
    }
    tests.sort_by_key(|(index, _)| *index);
    let mut files = first.coverage.files.clone();
    for (file, f) in &mut files {
        f.executed = executed
            .remove(file.as_str())
            .unwrap_or_default()
            .into_iter()
            .collect();
    }
    Ok(CoverageRun {
        schema_version: first.coverage.schema_version,
        files,
        tests: tests.into_iter().map(|(_, t)| t).collect(),
        binaries: first.coverage.binaries.clone(),
        warnings,
    })
}
