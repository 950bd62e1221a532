//! Why a run could not be carried out.

use std::path::PathBuf;
use std::process::ExitStatus;

/// Why a run could not be carried out (a test that fails is a result, not an error).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The scratch directory or a file in it could not be created, read or removed.
    #[error("cannot use the scratch directory {path}: {source}")]
    Scratch {
        /// The file or directory concerned.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A test binary could not be started or waited for.
    #[error("cannot run the test binary {path}: {source}")]
    Process {
        /// The binary.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// `<binary> --list` failed.
    #[error("cannot list the tests of {path} ({status}): {stderr}")]
    List {
        /// The binary.
        path: PathBuf,
        /// Its exit status.
        status: ExitStatus,
        /// What it printed on stderr.
        stderr: String,
    },
}
