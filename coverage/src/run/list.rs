//! Listing the tests of a test binary.

use super::error::RunError;
use super::exec::test_command;
use super::executable::TestExecutable;
use super::libtest;
use super::profile::ProfileDir;
use std::collections::HashSet;
use std::path::Path;

/// A test as its binary lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedTest {
    /// The name exactly as `<binary> --list` prints it.
    pub name: String,
    /// Whether the test is `#[ignore]`d.
    pub ignored: bool,
}

/// The tests of `executable`, in the binary's order. A `harness = false` target is one test
/// named after the target. Profiles the binary writes while listing go to a directory under
/// `scratch_dir`, removed before returning.
pub fn list_tests(
    executable: &TestExecutable,
    scratch_dir: &Path,
) -> Result<Vec<ListedTest>, RunError> {
    if !executable.harness {
        return Ok(vec![ListedTest {
            name: executable.target_name().to_owned(),
            ignored: false,
        }]);
    }
    let ignored: HashSet<String> = listed_names(executable, scratch_dir, true)?
        .into_iter()
        .collect();
    Ok(listed_names(executable, scratch_dir, false)?
        .into_iter()
        .map(|name| ListedTest {
            ignored: ignored.contains(&name),
            name,
        })
        .collect())
}

/// Runs `<binary> --list --format terse [--ignored]` and parses its output.
fn listed_names(
    executable: &TestExecutable,
    scratch_dir: &Path,
    ignored_only: bool,
) -> Result<Vec<String>, RunError> {
    let dir = ProfileDir::create(scratch_dir)?;
    let output = test_command(executable, &dir)
        .args(libtest::list_args(ignored_only))
        .output()
        .map_err(|source| RunError::Process {
            path: executable.path.clone(),
            source,
        })?;
    dir.remove()?;
    if !output.status.success() {
        return Err(RunError::List {
            path: executable.path.clone(),
            status: output.status,
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        });
    }
    Ok(libtest::parse_list(&String::from_utf8_lossy(
        &output.stdout,
    )))
}
