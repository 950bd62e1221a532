//! Starting one test process the way `cargo test` would, waiting for it with a timeout, and
//! classifying how it ended.

use super::error::RunError;
use super::executable::TestExecutable;
use super::libtest::OVERRIDDEN_ENV;
use super::profile::ProfileDir;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};
use truecov_model::TestOutcome;
use wait_timeout::ChildExt;

/// How a process ended and how long it took.
pub(crate) struct Ended {
    /// Passed (exit 0), Failed (other exit code), Crashed (signal) or TimedOut (killed).
    pub outcome: TestOutcome,
    /// Wall time from start to end.
    pub duration: Duration,
}

/// A command for `executable` with the working directory and environment `cargo test` gives
/// it, writing its profiles into `dir`.
pub(crate) fn test_command(executable: &TestExecutable, dir: &ProfileDir) -> Command {
    let mut command = Command::new(&executable.path);
    command
        .current_dir(&executable.cwd)
        .envs(&executable.env)
        .env("LLVM_PROFILE_FILE", dir.profile_pattern())
        .stdin(Stdio::null());
    for var in OVERRIDDEN_ENV {
        command.env_remove(var);
    }
    command
}

/// Runs `command` with stdout and stderr into `output`; kills it after `timeout`.
pub(crate) fn run(
    mut command: Command,
    output: &Path,
    timeout: Duration,
) -> Result<Ended, RunError> {
    let scratch_error = |source| RunError::Scratch {
        path: output.to_owned(),
        source,
    };
    let stdout = File::create(output).map_err(scratch_error)?;
    let stderr = stdout.try_clone().map_err(scratch_error)?;
    command.stdout(stdout).stderr(stderr);
    let program = PathBuf::from(command.get_program());
    let process_error = |source| RunError::Process {
        path: program.clone(),
        source,
    };
    let start = Instant::now();
    let mut child = command.spawn().map_err(process_error)?;
    let outcome = match child.wait_timeout(timeout).map_err(process_error)? {
        Some(status) => outcome(status),
        None => {
            // It may have exited in the meantime: then kill fails and wait reaps it.
            let _ = child.kill();
            child.wait().map_err(process_error)?;
            TestOutcome::TimedOut
        }
    };
    Ok(Ended {
        outcome,
        duration: start.elapsed(),
    })
}

/// Exit 0 passes; death by a signal (or, on Windows, an NTSTATUS error code such as the one
/// `abort` gives) is a crash; any other exit code is a failure (libtest exits 101).
fn outcome(status: ExitStatus) -> TestOutcome {
    if status.success() {
        return TestOutcome::Passed;
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if status.signal().is_some() {
            return TestOutcome::Crashed;
        }
    }
    #[cfg(windows)]
    {
        if status.code().is_some_and(|code| code as u32 >= 0xC000_0000) {
            return TestOutcome::Crashed;
        }
    }
    TestOutcome::Failed
}
