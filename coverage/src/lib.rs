//! Coverage engine for cargo-truecov.
//!
//! Builds a workspace's test targets with `-C instrument-coverage`, runs each test alone, and
//! decodes LLVM coverage mappings and `.profraw` profiles natively (no llvm-tools at run time)
//! into per-test executed regions and lines. It knows nothing of verdicts.
//!
//! - [`read`]: native readers of coverage mappings (`__llvm_covmap`/`__llvm_covfun`) and
//!   `.profraw` profiles, and their evaluation into region and line counts.
//! - [`run`]: the instrumented build and the per-test runner.
//! - [`measure`]: the whole measurement, build to a `truecov_model::CoverageRun`.
//! - [`mutate`]: mutants of library functions built in a scratch copy, and the tests that
//!   executed each function run against them.
//! - [`workspace`]: the one `cargo metadata` load of a command, shared by the analyzer, the
//!   build and the binary.

#![warn(missing_docs, unreachable_pub)]

pub mod archive;
pub mod measure;
pub mod mutate;
pub mod read;
pub mod run;
pub mod workspace;
