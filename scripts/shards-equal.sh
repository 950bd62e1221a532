#!/usr/bin/env bash
# Runs a crate whole and in N parts merged (slice partitions by default), and checks that the two
# reports are equal but for test durations; prints the wall time of each step.
# Usage: scripts/shards-equal.sh CRATE_DIR [N] [KIND]
set -euo pipefail
crate=$(cd "$1" && pwd); n=${2:-3}; kind=${3:-slice}
bin=${TRUECOV:-$(cd "$(dirname "$0")/.." && pwd)/target/debug/cargo-truecov}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
common=(--manifest-path "$crate/Cargo.toml" --target-dir "$work/target" -q)
strip='del(.tests[].duration_ms)'
# Runs a command with its stdout thrown away and prints its wall time in seconds.
t() { local s; s=$(date +%s.%N); "$@" >/dev/null; echo "$(date +%s.%N) - $s" | bc; }
echo "whole run (cold): $(t "$bin" truecov "${common[@]}" --no-record --format json --output "$work/whole.json") s"
for k in $(seq 1 "$n"); do
  echo "part $kind:$k/$n (warm build): $(t "$bin" truecov "${common[@]}" --partition "$kind:$k/$n" --output "$work/part-$k.json") s"
done
echo "merge: $(t "$bin" truecov merge --manifest-path "$crate/Cargo.toml" -q --no-record --format json "$work"/part-*.json --output "$work/merged.json") s"
if cmp -s <(jq -S "$strip" "$work/whole.json") <(jq -S "$strip" "$work/merged.json"); then
  echo "EQUAL: $(jq '.tests | length' "$work/merged.json") tests, merged == unsharded (durations aside)"
else
  echo "DIFFERENT"; diff <(jq -S "$strip" "$work/whole.json") <(jq -S "$strip" "$work/merged.json") | head -40; exit 1
fi
