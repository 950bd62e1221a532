//! Native readers of LLVM coverage data: mappings from test binaries, `.profraw` profiles, and
//! their evaluation into region and line counts.
//!
//! Nothing here runs llvm-tools. A test binary is read once into a [`BinaryMapping`]
//! (`__llvm_covmap`, `__llvm_covfun`, `__llvm_prf_names`, build id); each test's profile is
//! decoded with [`Profile::parse`] and evaluated with [`BinaryMapping::evaluate`] into an
//! [`Evaluated`]: per source file, the regions with their counts and the mapped lines with
//! theirs, computed with `llvm-cov`'s rules. Evaluations of several tests or binaries merge at
//! region level ([`Evaluated::merge`]), and lines are derived again from the merged regions.
//! [`import`] reads `llvm-cov export` JSON and lcov into the same types.
//!
//! Every decoder is bounds-checked and returns a typed error on malformed input: truncated or
//! corrupt data, foreign endianness, unknown format versions (named), and profiles paired with
//! the wrong binary.

mod binary;
mod counts;
mod covfun;
mod covmap;
mod error;
mod eval;
mod function;
pub mod import;
mod leb128;
mod lines;
mod md5;
mod names;
mod profraw;
mod region;
#[cfg(test)]
mod synth;
mod zlib;

pub use binary::{hex, BinaryMapping};
pub use counts::{Evaluated, FileCounts, FileShape, OverlaidShape};
pub use error::{EvalError, ImportError, ProfrawError, ReadError};
pub use function::{FunctionRecord, MappedRegion};
pub use lines::{build_segments, Segment};
pub(crate) use profraw::same_kind;
pub use profraw::Profile;
pub use region::{CountedRegion, LineCount, RegionKind};
