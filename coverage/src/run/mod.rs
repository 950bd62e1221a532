//! Instrumented build of a workspace's test targets and the per-test runner.
//!
//! 1. [`build_tests`] runs `cargo test --no-run` into a dedicated target directory with
//!    `RUSTC_WORKSPACE_WRAPPER` pointing at an executable that calls
//!    [`wrap_rustc_if_requested`] first thing: cargo uses that wrapper for workspace members
//!    only, and the wrapper adds `-C instrument-coverage` (plus runtime counter relocation, so
//!    profiles survive `abort()` and kills) to each crate compilation, so dependencies stay
//!    uninstrumented.
//! 2. [`list_tests`] asks each test binary for its tests.
//! 3. [`run_tests`] runs every test alone, in parallel, each with its own profile directory,
//!    with the environment `cargo test` gives it; it hands each test's profiles to a
//!    caller-supplied decoder on the worker thread and deletes them right after, so disk use is
//!    bounded by the number of jobs. Tests that panic on purpose run with the panic hook's
//!    backtraces off (`backtrace.rs`).
//!
//! Nothing here prints except cargo itself during the build; progress is reported through an
//! [`Event`] callback.

mod backtrace;
pub(crate) mod build;
mod doctest;
mod env;
mod error;
mod event;
pub(crate) mod exec;
mod executable;
pub(crate) mod libtest;
mod list;
pub mod partition;
pub(crate) mod pool;
pub(crate) mod profile;
mod runner;
mod wrapper;

pub(crate) use build::build_profiles;
pub use build::{build_tests, Build, BuildError, BuildOptions};
pub(crate) use doctest::is_doctest_code;
pub use doctest::{build_doctests, doctest_tool_if_requested, DoctestTool, Doctests, NotRun};
pub use error::RunError;
pub use event::{Event, OnEvent};
pub use executable::{Doctest, TestExecutable};
pub use list::{list_tests, ListedTest};
pub use runner::{plan_tests, run_planned, run_tests, RunOptions, TestResult, TestRun};
pub use wrapper::{wrap_rustc_if_requested, Wrapped, WrapperError};
