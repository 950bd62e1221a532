//! The vocabulary of cargo-truecov, shared by every crate: how a test is named ([`TestId`]),
//! what it is worth ([`Verdict`]) and how its run ended ([`TestOutcome`]); the workspace
//! ([`Workspace`], loaded once per command); what the scan finds ([`Scan`]) and what the
//! coverage run measures ([`CoverageRun`]), the two inputs scoring joins; and the report
//! ([`Report`], with function classes, site kinds and what `prove` found), which is the JSON
//! contract of docs/report.md.
//!
//! Plain data with serde derives and the few definitions every reader must agree on (which
//! outcomes count as failed, which tests as meaningful, how classes order); it depends on
//! nothing but serde, does no I/O and computes no scores.

#![warn(missing_docs, unreachable_pub)]

pub mod coverage;
pub mod partition;
pub mod prove;
pub mod prove_part;
pub mod report;
pub mod scan;
pub mod shard;
pub mod span;
pub mod test;
pub mod workspace;

pub use coverage::{CoverageRun, FileCoverage, TestCoverage};
pub use partition::{Partition, PartitionKind};
pub use prove::{
    MutantEntry, MutantGenre, MutantOutcome, ProveEntry, ProveStatus, ProveSummary, SkipReason,
};
pub use prove_part::{FunctionTrial, PlannedMutant, ProvePart};
pub use report::{
    name_matches, ratio, short_name, Figures, FileEntry, FunctionClass, FunctionEntry,
    PackageEntry, Report, SiteEntry, Summary, TestCounts, TestEntry,
};
pub use scan::{
    CfgOff, ErrorSite, LibFunction, LineRange, PackageInfo, Scan, SiteKind, TestCase, Warning,
};
pub use shard::{Shard, SHARD_FORMAT, SHARD_VERSION};
pub use span::{Pos, Span};
pub use test::{rules, Finding, Oracle, OracleKind, TestId, TestOutcome, Verdict};
pub use workspace::{
    Config, Doctests, ManifestFields, Package, PackageId, Selection, Target, TargetKind, Workspace,
    DOCTEST_TARGET,
};
