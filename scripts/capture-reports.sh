#!/usr/bin/env bash
# Captures what the tool prints on the demo and on every fixture crate, so that a refactor can
# be checked against the output from before it (scripts/compare-reports.py OLD NEW):
# scan, full run, coverage, prove (prove fixture), the history of the run and the stored report
# in every format. Each output goes to OUT/<crate>.<command>.<ext>, with its exit code in
# OUT/<crate>.<command>.rc.
#
#   scripts/capture-reports.sh OUT [BINARY [CRATE...]]
#
# BINARY defaults to target/release/cargo-truecov (build it first); CRATEs (`demo`, fixture
# names) limit the capture to those. Builds go to target/capture/ (one target directory per
# crate, kept between captures).
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: capture-reports.sh OUT [BINARY]}
bin=$(realpath "${2:-target/release/cargo-truecov}")
only=("${@:3}")
repo=$(pwd)
# Property tests of the fixtures draw their inputs from this seed, so runs are reproducible.
export PROPTEST_RNG_SEED=1
mkdir -p "$out"
out=$(realpath "$out")

# Runs the tool with the remaining arguments; stdout to $out/$1, its exit code next to it.
capture() {
  local name=$1
  shift
  "$bin" truecov "$@" >"$out/$name" 2>"$out/$name.stderr"
  echo $? >"$out/$name.rc"
}

crates=("$repo/examples/demo")
for dir in "$repo"/tests/fixtures/*/; do
  [ -f "$dir/Cargo.toml" ] && crates+=("${dir%/}")
done
for dir in "${crates[@]}"; do
  name=$(basename "$dir")
  if [ ${#only[@]} -gt 0 ] && [[ ! " ${only[*]} " =~ " $name " ]]; then
    continue
  fi
  manifest="$dir/Cargo.toml"
  target="$repo/target/capture/$name"
  db="$out/$name.history.db"
  rm -f "$db"*
  echo "== $name" >&2
  capture "$name.scan.json" scan --manifest-path "$manifest" --format json
  capture "$name.scan.txt" scan --manifest-path "$manifest" --color never
  capture "$name.run.json" --manifest-path "$manifest" --target-dir "$target" -q \
    --format json --db "$db"
  capture "$name.coverage.json" coverage --manifest-path "$manifest" --target-dir "$target" -q \
    --format json
  capture "$name.history.json" history --manifest-path "$manifest" --db "$db" --format json
  for format in json sarif markdown lcov cobertura; do
    capture "$name.report.$format" report --manifest-path "$manifest" --target-dir "$target" \
      --format "$format"
  done
  capture "$name.report.txt" report --manifest-path "$manifest" --target-dir "$target" \
    --color never
  if [ "$name" = prove ]; then
    capture "$name.prove.json" prove --manifest-path "$manifest" --target-dir "$target" -q \
      --no-record --format json
    capture "$name.prove.txt" report --manifest-path "$manifest" --target-dir "$target" \
      --color never
  fi
done
