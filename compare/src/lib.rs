//! Comparison of cargo-truecov runs, pure (no I/O): a run against its base as `diff` reports
//! it ([`Comparison`]), the library lines a change touches and how well they are tested
//! ([`patch`]), the mutants that survived `prove` ([`survivors`]), and the recorded runs as `history` and `trend` list them ([`history`]).

#![warn(missing_docs, unreachable_pub)]

mod comparison;
pub mod history;
mod keys;
pub mod patch;
#[cfg(any(test, feature = "sample"))]
#[doc(hidden)]
pub mod sample;
pub mod survivors;

pub use comparison::{
    delta, Change, Comparison, DoubtedFunction, FileDelta, FunctionChange, Gate, MetricDelta,
    ProveFindings, Side, TestChange,
};
