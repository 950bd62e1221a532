//! What the caller asks `prove` for.

use std::collections::{BTreeMap, BTreeSet};
use truecov_model::Partition;

/// Lines per workspace-relative file.
pub type ChangedLines = BTreeMap<String, BTreeSet<u32>>;

/// Which functions to prove, and how many mutants at most.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// Only functions with one of these names or `::`-separated suffixes (all when empty).
    pub functions: Vec<String>,
    /// Only functions in one of these files or under one of these directories (all when
    /// empty).
    pub files: Vec<String>,
    /// Only the mutants whose replaced text touches one of these lines, per workspace-relative
    /// file (a diff's changed lines), in the functions that hold them.
    pub changed: Option<ChangedLines>,
    /// At most this many mutants, whole functions, the ones with the weakest tests first.
    pub max_mutants: Option<usize>,
    /// Only this part of the planned mutants (`prove --partition`), split as nextest splits
    /// tests: by position (`slice`), by position within the package (`count`), by the hash of
    /// the mutant's name (`hash`).
    pub partition: Option<Partition>,
}
