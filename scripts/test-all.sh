#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what the tests need, then runs them.
# - llvm-tools (rustup component): the decoder cross-checks compare with llvm-cov.
# - Chromium (Debian package): the HTML report's browser test drives it headless.
# - python3: the module-cycle check and its tests.
set -euo pipefail
cd "$(dirname "$0")/.."
rustup component add llvm-tools-preview
if [ -z "${CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium
fi
# No import cycle between the modules of any crate, the binary's included.
python3 scripts/test_module_cycles.py
python3 scripts/module-cycles.py
# The real-crate benchmark's parsing, comparisons and table (the benchmark itself is not run here).
python3 scripts/test_real_crates.py
# The mutant benchmark's join of both tools' outcomes and its table (not the benchmark).
python3 scripts/test_bench_vs_mutants.py
cargo test --workspace --locked "$@"
