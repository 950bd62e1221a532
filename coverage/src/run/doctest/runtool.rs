//! The executable's two doctest roles, like the rustc wrapper's: rustdoc's `--test-runtool`,
//! which stores each doctest binary instead of running it, and the probe an edition 2024
//! merged binary starts (as `RUSTDOC_DOCTEST_BIN_PATH`) for each of its tests, which says which
//! test number it was started for. It prints nothing and exits nothing: what it did is returned
//! to the executable's `main`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// The first argument rustdoc passes the runtool (`--test-runtool-arg`), before the binary.
pub(crate) const RUNTOOL_ARG: &str = "--truecov-doctest-runtool";

/// Where the runtool stores binaries (a directory; set for `cargo test --doc`).
pub(crate) const STORE_ENV: &str = "TRUECOV_DOCTEST_STORE";

/// Set for a probe run of a merged binary: the file each probe appends its test number to.
pub(crate) const PROBE_ENV: &str = "TRUECOV_DOCTEST_PROBE";

/// The variable through which a merged doctest binary picks the test to run.
pub(crate) const TEST_NUMBER_ENV: &str = "RUSTDOC_DOCTEST_RUN_NB_TEST";

/// The variable naming the binary a merged doctest binary starts for each of its tests.
pub(crate) const BIN_PATH_ENV: &str = "RUSTDOC_DOCTEST_BIN_PATH";

/// What a probe prints before its test number.
pub(crate) const PROBE_MARK: &str = "truecov-doctest-number ";

/// What the executable did in a doctest role.
#[derive(Debug)]
pub enum DoctestTool {
    /// Stored a doctest binary; exit 0, so that rustdoc counts the doctest as run.
    Stored,
    /// Probed a merged binary's test: print this line on stdout and exit 1, so that libtest
    /// shows it in the test's failure section, under the test's name.
    Probed(String),
    /// The binary could not be stored; exit 1 (rustdoc reports the doctest as failed, and it
    /// has no binary to run).
    Failed(std::io::Error),
}

/// Acts as the doctest runtool or probe when this process was started as one; otherwise
/// returns `None` at once. The `cargo-truecov` binary calls it first thing in `main`, before
/// [`super::super::wrap_rustc_if_requested`] (cargo's environment, which rustdoc passes on,
/// still has the wrapper's variable set).
pub fn doctest_tool_if_requested() -> Option<DoctestTool> {
    if let (Some(log), Some(number)) = (
        std::env::var_os(PROBE_ENV),
        std::env::var_os(TEST_NUMBER_ENV),
    ) {
        let number = number.to_string_lossy().into_owned();
        let logged = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .and_then(|mut f| writeln!(f, "{number}"));
        return Some(match logged {
            Ok(()) => DoctestTool::Probed(format!("{PROBE_MARK}{number}")),
            Err(e) => DoctestTool::Failed(e),
        });
    }
    let mut args = std::env::args_os().skip(1);
    if args.next().is_none_or(|a| a != RUNTOOL_ARG) {
        return None;
    }
    let (Some(store), Some(binary)) = (std::env::var_os(STORE_ENV), args.next()) else {
        return Some(DoctestTool::Failed(std::io::Error::other(
            "truecov doctest runtool: expected the store directory and a doctest binary",
        )));
    };
    Some(match store_binary(Path::new(&store), Path::new(&binary)) {
        Ok(_) => DoctestTool::Stored,
        Err(e) => DoctestTool::Failed(e),
    })
}

/// Moves (or copies, across file systems) `binary` into a new directory of `store` and
/// returns the stored path.
pub(crate) fn store_binary(store: &Path, binary: &Path) -> std::io::Result<PathBuf> {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let dir = store.join(format!("{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file_name = binary.file_name().unwrap_or_else(|| "rust_out".as_ref());
    let stored = dir.join(file_name);
    if std::fs::rename(binary, &stored).is_err() {
        std::fs::copy(binary, &stored)?;
    }
    Ok(stored)
}

#[cfg(test)]
mod tests {
    use super::store_binary;

    #[test]
    fn moves_the_binary_into_the_store() {
        let tmp = tempfile::tempdir().unwrap();
        let binary = tmp.path().join("rustdoctest1/rust_out");
        std::fs::create_dir_all(binary.parent().unwrap()).unwrap();
        std::fs::write(&binary, b"ELF").unwrap();
        let store = tmp.path().join("store");
        let stored = store_binary(&store, &binary).unwrap();
        assert_eq!(std::fs::read(&stored).unwrap(), b"ELF");
        assert!(stored.starts_with(&store));
        assert!(!binary.exists(), "moved, not copied, on one file system");
        assert_eq!(stored.file_name().unwrap(), "rust_out");
    }
}
