//! What one `prove` tried, before it is put into a report: the whole of it, or one part of a
//! `prove --partition K/N` (its mutants split as nextest splits tests), which a shard file
//! carries until `merge` joins every part into the report of the whole `prove`
//! (docs/shards.md).

use crate::prove::{MutantEntry, SkipReason};
use serde::{Deserialize, Serialize};

/// The mutants one `prove` (or one part of it) tried, per function.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvePart {
    /// How many mutants the whole `prove` plans (every part the same).
    pub planned: usize,
    /// Hash of the whole plan (each mutant's function and name, in order): the same in every
    /// part of one `prove`.
    pub plan: String,
    /// Every function the `prove` tried, in its order, also those none of whose mutants are in
    /// this part.
    pub functions: Vec<FunctionTrial>,
    /// Builds of the scratch copy.
    pub builds: u64,
    /// Wall time of building and running this part's mutants.
    pub duration_ms: u64,
    /// What went wrong along the way (tests left out, files not found).
    pub warnings: Vec<String>,
}

/// One function `prove` tried, and this part's mutants of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionTrial {
    /// Index of the function in the report's `functions`.
    pub function: usize,
    /// Some passing test runs it.
    pub executed: bool,
    /// Why it has no mutants, if so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<SkipReason>,
    /// This part's mutants of it, in the plan's order.
    pub mutants: Vec<PlannedMutant>,
}

/// A mutant with its place in the whole plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedMutant {
    /// Its position among every mutant of the whole `prove`, from 0.
    pub index: usize,
    /// What its tests made of it.
    #[serde(flatten)]
    pub entry: MutantEntry,
}
