//! The coverage mapping of one function as a binary records it: its files, its regions and
//! the counters and expressions that count them.

use super::covfun::{Counter, Expression};
use super::region::RegionKind;
use truecov_model::Span;

/// One mapping region of a function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappedRegion {
    /// Source file: index into [`super::BinaryMapping::files`].
    pub file: u32,
    /// Where the region is.
    pub span: Span,
    /// What kind of region it is.
    pub kind: RegionKind,
    /// For expansion regions, the expanded file (index into [`super::BinaryMapping::files`]).
    pub expanded_file: Option<u32>,
    pub(crate) count: Counter,
    pub(crate) false_count: Counter,
}

/// The coverage mapping of one function (one instantiation; generic functions have one record
/// per instantiation, each with its own mangled name).
#[derive(Clone, Debug)]
pub struct FunctionRecord {
    /// Mangled symbol name.
    pub name: String,
    /// Demangled name (v0 or legacy), without hash suffix.
    pub demangled: String,
    /// MD5-64 of the mangled name: how profiles refer to the function.
    pub name_ref: u64,
    /// Structural hash; 0 marks a function that was not instantiated (no counters).
    pub func_hash: u64,
    /// The function's files (file id -> index into [`super::BinaryMapping::files`]); entry 0 is the
    /// file that defines it unless an expansion says otherwise.
    pub files: Vec<u32>,
    /// Mapping regions in encoded order.
    pub regions: Vec<MappedRegion>,
    pub(crate) expressions: Vec<Expression>,
}
