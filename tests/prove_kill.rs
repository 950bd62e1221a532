#![cfg(unix)]
//! A `cargo truecov prove` killed while it builds mutants leaves the user's tree as it was: the
//! mutants only ever go to the scratch copy.

mod prove_support;

use prove_support::{files, fixture, prove_args, scratch_copy};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn a_run_killed_mid_way_leaves_the_source_tree_as_it_was() {
    let target = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/e2e-prove-kill");
    let before = files(&fixture());
    let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-truecov"));
    command
        .arg("truecov")
        .args(prove_args(&fixture().join("Cargo.toml"), &target, &[]))
        .env_remove("CI")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    // Its own process group, so the kill takes cargo and rustc with it, as Ctrl-C would.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command.spawn().unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen = Vec::new();
    for line in stderr.lines() {
        let line = line.unwrap();
        let building = line.contains("in a scratch copy");
        seen.push(line);
        if building {
            break;
        }
    }
    let mutated = std::fs::read_to_string(scratch_copy(&target).join("src/lib.rs"));
    // The child leads its own process group (pgid = its pid): kill that group only. Never
    // shell out to `kill` with a negative pid: an implementation that reads it as an option
    // ends up calling kill(-1) and takes every process of the machine with it.
    let pgid = i32::try_from(child.id()).unwrap();
    assert!(pgid > 1, "refusing to signal process group {pgid}");
    // SAFETY: killpg only sends a signal; the group is the child's own.
    let killed = unsafe { libc::killpg(pgid, libc::SIGKILL) };
    child.wait().unwrap();
    assert_eq!(killed, 0, "killpg failed");
    assert!(
        seen.last().is_some_and(|l| l.contains("in a scratch copy")),
        "the run ended before building mutants:\n{}",
        seen.join("\n")
    );
    assert!(
        mutated.unwrap().contains("__truecov_mutants"),
        "the copy held no mutants when the run was killed"
    );
    let after = files(&fixture());
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    assert!(before == after, "the fixture's files changed");
}
