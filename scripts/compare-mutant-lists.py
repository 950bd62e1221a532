#!/usr/bin/env python3
"""The mutant set of `cargo truecov prove --list` against `cargo mutants --list` on the same
published crates: for each crate, the names both list, only ours, only theirs, and among the
names both list, those whose span end, replacement or genre differ.

usage: scripts/compare-mutant-lists.py [NAME@VERSION ...]
       (default: semver@1.0.27 strsim@0.11.1 hex@0.4.3 shlex@1.3.0 humantime@2.2.0)
       TRUECOV_BENCH_DIR=... (default /tmp/truecov-bench): where crates are fetched
       TRUECOV_BIN=...: the cargo-truecov to run (default: this repository's debug build)

Exit code 1 when a list differs. Nothing is built or run by either tool (both only list).
"""
import importlib.util, json, os, sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT = ["semver@1.0.27", "strsim@0.11.1", "hex@0.4.3", "shlex@1.3.0", "humantime@2.2.0"]

_spec = importlib.util.spec_from_file_location("llvm_bench", REPO / "scripts/bench-vs-llvm-cov.py")
common = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(common)


def truecov_bin():
    if "TRUECOV_BIN" in os.environ:
        return os.environ["TRUECOV_BIN"]
    common.sh(["cargo", "build", "-q", "--bin", "cargo-truecov"], cwd=REPO)
    return str(REPO / "target/debug/cargo-truecov")


def line_col(text, offset):
    """cargo-mutants' position of a byte offset: 1-based line, 1-based column in characters
    (a `\r` before a line's `\n` is not counted: cargo-mutants reads CRLF files as LF)."""
    before = text.encode()[:offset].decode()
    line = before.count("\n") + 1
    return line, len(before[before.rfind("\n") + 1:].replace("\r", "")) + 1


def ours_with_spans(crate, rows):
    """Our rows in cargo-mutants' shape: name -> (end line, end column, replacement, genre)."""
    texts = {}
    out = []
    for r in rows:
        if r["file"] not in texts:
            texts[r["file"]] = (crate / r["file"]).read_bytes().decode()
        end = line_col(texts[r["file"]], r["end"])
        out.append((r["name"], (end, r["replacement"], r["genre"])))
    return out


def theirs_with_spans(rows):
    return [(r["name"], ((r["span"]["end"]["line"], r["span"]["end"]["column"]),
                         r["replacement"], r["genre"])) for r in rows]


def compare(ours, theirs):
    """Counts of names in both, only ours, only theirs, and the names in both whose details
    differ; `ours`/`theirs` are lists of (name, details)."""
    a, b = Counter(n for n, _ in ours), Counter(n for n, _ in theirs)
    details_a, details_b = dict(ours), dict(theirs)
    both = a & b
    differing = sorted(n for n in both if details_a[n] != details_b[n])
    return {
        "equal": sum(both.values()),
        "only_ours": sorted((a - b).elements()),
        "only_theirs": sorted((b - a).elements()),
        "differing": differing,
        "same_order": [n for n, _ in ours] == [n for n, _ in theirs],
    }


def main():
    specs = sys.argv[1:] or DEFAULT
    common.WORK.mkdir(parents=True, exist_ok=True)
    truecov = truecov_bin()
    failed = False
    print(f"{'crate':<20} {'equal':>6} {'only ours':>10} {'only theirs':>12} {'differing':>10}  order")
    for spec in specs:
        name, version = spec.split("@")
        crate = common.fetch(name, version)
        theirs = json.loads(common.sh(["cargo", "mutants", "--list", "--json"], cwd=crate).stdout)
        ours = json.loads(common.sh([truecov, "truecov", "prove", "--list", "-q", "--format", "json"],
                                    cwd=crate).stdout)
        c = compare(ours_with_spans(crate, ours), theirs_with_spans(theirs))
        print(f"{spec:<20} {c['equal']:>6} {len(c['only_ours']):>10} {len(c['only_theirs']):>12} "
              f"{len(c['differing']):>10}  {'same' if c['same_order'] else 'differs'}")
        for label in ["only_ours", "only_theirs", "differing"]:
            for n in c[label]:
                print(f"    {label}: {n}")
        failed |= bool(c["only_ours"] or c["only_theirs"] or c["differing"])
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
