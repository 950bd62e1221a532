#!/usr/bin/env bash
# The real-crate benchmark (issue 11): `cargo truecov` on the published crates of
# scripts/real-crates.txt, against libtest's own test lists and `cargo llvm-cov`'s lines.
# Not part of .ci/run (hours on 2 cores); its pure parts are tested by scripts/test_real_crates.py.
#
# usage: scripts/real-crates.sh [--scan-only] [--only NAME,NAME] [--src DIR] [--work DIR]
#                               [--json PATH] [--force] [--timeout SECS]
#   --scan-only  just `cargo truecov scan --format json` per crate (seconds, no build)
#   full mode    `cargo truecov run --format json`, `cargo llvm-cov --lcov`, and each test binary's
#                `--list`; compares tests found with tests listed and executed lines line by line
#   --src DIR    where the crates are fetched (default /work/realcrates/src; a present crate is kept)
#   --work DIR   per-crate reports, logs and results (default /work/realcrates/out)
#   --json PATH  the results of every crate (default WORK/results-MODE.json)
#   --force      re-run crates whose result is already in WORK
# Each crate's target directories are deleted after use. A published lock file naming a version
# the registry does not serve is moved aside (Cargo.lock.published) and cargo resolves afresh.
set -euo pipefail
exec python3 "$(dirname "$0")/real-crates.py" "$@"
