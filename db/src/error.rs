//! What can go wrong with a history database, in words that say what to do about it.

use rusqlite::ErrorCode;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a write waits for another process's write lock before giving up
/// ([`Error::Locked`]).
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// An error of the history database. Every variant names the file; none of them is raised
/// after something was overwritten: a failed write leaves the database as it was.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Queries need an existing history.
    #[error("{}: no history database there", path.display())]
    Missing {
        /// The database path.
        path: PathBuf,
    },
    /// The file was written by a newer cargo-truecov.
    #[error(
        "{}: history schema version {found} was written by a newer cargo-truecov \
         (this one knows up to {supported}); the file was left untouched",
        path.display()
    )]
    NewerSchema {
        /// The database path.
        path: PathBuf,
        /// Its `user_version`.
        found: u32,
        /// The newest version this build knows.
        supported: u32,
    },
    /// The file is something else than a SQLite database.
    #[error("{}: not a SQLite database (or an encrypted one); the file was left untouched", path.display())]
    NotADatabase {
        /// The database path.
        path: PathBuf,
    },
    /// SQLite found the file damaged.
    #[error("{}: the database is corrupt ({detail}); the file was left untouched", path.display())]
    Corrupt {
        /// The database path.
        path: PathBuf,
        /// SQLite's message.
        detail: String,
    },
    /// Another process held the write lock for longer than the busy timeout.
    #[error(
        "{}: the database is locked by another process (waited {} s); nothing was written",
        path.display(),
        BUSY_TIMEOUT.as_secs()
    )]
    Locked {
        /// The database path.
        path: PathBuf,
    },
    /// The file (or its directory) cannot be written.
    #[error("{}: the database is read-only; nothing was written", path.display())]
    ReadOnly {
        /// The database path.
        path: PathBuf,
    },
    /// The file cannot be opened or created.
    #[error("{}: cannot open the database ({detail})", path.display())]
    CannotOpen {
        /// The database path.
        path: PathBuf,
        /// SQLite's message.
        detail: String,
    },
    /// A migration failed and was rolled back.
    #[error("{}: cannot upgrade the history schema to version {to}: {detail}", path.display())]
    Migration {
        /// The database path.
        path: PathBuf,
        /// The version it was to reach.
        to: u32,
        /// What failed (the database stays at the version before).
        detail: String,
    },
    /// No run has this id.
    #[error("{}: there is no run {id}", path.display())]
    NoSuchRun {
        /// The database path.
        path: PathBuf,
        /// The id asked for.
        id: i64,
    },
    /// A stored report could not be decoded.
    #[error("{}: the report of run {id} cannot be read: {detail}", path.display())]
    BadReport {
        /// The database path.
        path: PathBuf,
        /// The run.
        id: i64,
        /// Why.
        detail: String,
    },
    /// Any other SQLite failure.
    #[error("{}: {source}", path.display())]
    Sqlite {
        /// The database path.
        path: PathBuf,
        /// SQLite's error.
        source: rusqlite::Error,
    },
}

/// Result of history operations.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// The error a SQLite failure on `path` amounts to.
    pub(crate) fn from_sqlite(path: &Path, source: rusqlite::Error) -> Error {
        let path = path.to_path_buf();
        let detail = source.to_string();
        match source.sqlite_error_code() {
            Some(ErrorCode::NotADatabase) => Error::NotADatabase { path },
            Some(ErrorCode::DatabaseCorrupt) => Error::Corrupt { path, detail },
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::Locked { path },
            Some(ErrorCode::ReadOnly | ErrorCode::PermissionDenied) => Error::ReadOnly { path },
            Some(ErrorCode::CannotOpen) => Error::CannotOpen { path, detail },
            _ => Error::Sqlite { path, source },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite_error(code: i32) -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None)
    }

    #[test]
    fn sqlite_codes_become_errors_that_say_what_to_do() {
        let p = Path::new("h.db");
        let of = |code| Error::from_sqlite(p, sqlite_error(code));
        assert!(matches!(
            of(rusqlite::ffi::SQLITE_NOTADB),
            Error::NotADatabase { .. }
        ));
        assert!(matches!(
            of(rusqlite::ffi::SQLITE_CORRUPT),
            Error::Corrupt { .. }
        ));
        assert!(matches!(
            of(rusqlite::ffi::SQLITE_BUSY),
            Error::Locked { .. }
        ));
        assert!(matches!(
            of(rusqlite::ffi::SQLITE_READONLY),
            Error::ReadOnly { .. }
        ));
        assert!(matches!(
            of(rusqlite::ffi::SQLITE_CANTOPEN),
            Error::CannotOpen { .. }
        ));
        assert!(matches!(
            of(rusqlite::ffi::SQLITE_FULL),
            Error::Sqlite { .. }
        ));
        assert_eq!(
            of(rusqlite::ffi::SQLITE_BUSY).to_string(),
            format!(
                "h.db: the database is locked by another process (waited {} s); nothing was written",
                BUSY_TIMEOUT.as_secs()
            )
        );
    }
}
