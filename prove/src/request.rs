//! What the caller asks `prove` for.

use std::collections::{BTreeMap, BTreeSet};

/// Which functions to prove, and how many mutants at most.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// Only functions with one of these names or `::`-separated suffixes (all when empty).
    pub functions: Vec<String>,
    /// Only functions in one of these files or under one of these directories (all when
    /// empty).
    pub files: Vec<String>,
    /// Only functions with a line among these, per workspace-relative file (a diff's changed
    /// lines).
    pub changed: Option<BTreeMap<String, BTreeSet<u32>>>,
    /// At most this many mutants, whole functions, the ones with the weakest tests first.
    pub max_mutants: Option<usize>,
}
