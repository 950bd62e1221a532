//! A shard file: one part of a partitioned run (`--partition K/N --output FILE`) or of a
//! partitioned `prove`, what `cargo truecov merge` joins into the report of the whole run. Its
//! format is documented in docs/shards.md.

use crate::coverage::CoverageRun;
use crate::partition::Partition;
use crate::prove_part::ProvePart;
use crate::scan::Scan;
use crate::test::TestId;
use serde::{Deserialize, Serialize};

/// The value of [`Shard::format`]: what tells a shard file from any other JSON.
pub const SHARD_FORMAT: &str = "truecov-shard";

/// Version of the shard file's shape (2 added `prove`; a version 1 file reads as a part of a
/// run).
pub const SHARD_VERSION: u32 = 2;

/// One part of a partitioned run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// Always [`SHARD_FORMAT`].
    pub format: String,
    /// Always [`SHARD_VERSION`] when written by this version.
    pub version: u32,
    /// Which part this is.
    pub partition: Partition,
    /// The git commit of the source the shard ran on (`None` outside git).
    pub commit: Option<String>,
    /// Whether the working tree had uncommitted changes (`None` outside git).
    pub dirty: Option<bool>,
    /// Hash of the options and configuration that change figures (as the history keeps it).
    pub config_hash: Option<String>,
    /// `rustc --version` of the build.
    pub toolchain: Option<String>,
    /// What the parts of one run share and another build would not: the test binaries' names,
    /// the coverage shape of every library file and the whole run's test list, hashed.
    pub fingerprint: String,
    /// Every test of the whole run, in the run's order (the parts split these).
    pub tests: Vec<TestId>,
    /// The static scan (the verdicts' inputs), the same in every part.
    pub scan: Scan,
    /// The coverage of this part's tests; files' shapes are the whole build's. A part of
    /// `prove` has every test's: each part measures the whole run.
    pub coverage: CoverageRun,
    /// For a part of `prove`: the mutants it tried (its part of the whole plan).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prove: Option<ProvePart>,
}
