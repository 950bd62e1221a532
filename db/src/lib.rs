//! History database for cargo-truecov.
//!
//! Stores every run's report model (summary scores, per-file, per-package and per-function
//! scores, per-test verdicts and outcomes, and the full report) in SQLite, and answers the
//! queries of `history`, `trend`, `report` and `diff`. It does not know how a report was made.
//!
//! The file is in WAL mode with a busy timeout and foreign keys on; its schema is versioned
//! with `PRAGMA user_version` ([`SCHEMA_VERSION`]) and migrated forward on open. Each run is written
//! in one transaction: a crash or kill mid-write leaves the database as it was, and concurrent
//! writers queue behind SQLite's lock.

#![warn(missing_docs, unreachable_pub)]

mod error;
mod model;
mod query;
mod schema;
mod store;

pub use error::{Error, Result, BUSY_TIMEOUT};
pub use model::{Metric, Point, Provenance, Run, RunFilter, SeriesQuery, Since, Subject};
pub use schema::LATEST as SCHEMA_VERSION;
pub use store::{Db, Staged};
