//! A part of a run split across machines (`--partition`), as nextest names its partitions:
//! `slice:K/N` (round robin over the tests of every binary, in order), `count:K/N` (round
//! robin within each binary) and `hash:K/N` (by a hash of the test's name), 1-based. Which
//! test falls in which part is computed by the runner (`truecov_coverage::run::partition`);
//! docs/shards.md is the user's page.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How tests are assigned to parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartitionKind {
    /// Round robin over every binary's tests, in the order of the whole run.
    Slice,
    /// Round robin within each binary.
    Count,
    /// `xxh64(name) % N == K - 1`, within each binary.
    Hash,
}

impl PartitionKind {
    /// The name `--partition` spells it with.
    pub fn as_str(self) -> &'static str {
        match self {
            PartitionKind::Slice => "slice",
            PartitionKind::Count => "count",
            PartitionKind::Hash => "hash",
        }
    }
}

/// Part `shard` (1-based) of `total`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Partition {
    /// How tests are assigned.
    pub kind: PartitionKind,
    /// Which part, from 1 to `total`.
    pub shard: u32,
    /// How many parts.
    pub total: u32,
}

impl fmt::Display for Partition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}/{}", self.kind.as_str(), self.shard, self.total)
    }
}

impl std::str::FromStr for Partition {
    type Err = String;

    /// `slice:K/N`, `count:K/N`, `hash:K/N`, or `K/N` for `slice:K/N`; `1 <= K <= N`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (kind, part) = match s.split_once(':') {
            Some(("slice", part)) => (PartitionKind::Slice, part),
            Some(("count", part)) => (PartitionKind::Count, part),
            Some(("hash", part)) => (PartitionKind::Hash, part),
            Some((other, _)) => {
                return Err(format!(
                    "`{s}`: unknown partition kind `{other}` (expected slice, count or hash)"
                ))
            }
            None => (PartitionKind::Slice, s),
        };
        let numbers = part
            .split_once('/')
            .and_then(|(k, n)| Some((k.parse::<u32>().ok()?, n.parse::<u32>().ok()?)));
        match numbers {
            Some((shard, total)) if shard >= 1 && shard <= total => {
                Ok(Partition { kind, shard, total })
            }
            Some((shard, total)) => Err(format!(
                "`{s}`: part {shard} of {total} does not exist (parts count from 1 to {total})"
            )),
            None => Err(format!(
                "`{s}`: expected slice:K/N, count:K/N or hash:K/N, such as `slice:1/3`"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_parse_as_nextest_spells_them_and_print_back() {
        for text in ["slice:1/3", "count:2/2", "hash:7/9"] {
            assert_eq!(text.parse::<Partition>().unwrap().to_string(), text);
        }
        assert_eq!(
            "2/5".parse::<Partition>(),
            Ok(Partition {
                kind: PartitionKind::Slice,
                shard: 2,
                total: 5
            })
        );
        for bad in ["slice:0/3", "hash:4/3", "mod:1/2", "slice:1", "1/x", ""] {
            assert!(bad.parse::<Partition>().is_err(), "{bad}");
        }
    }
}
