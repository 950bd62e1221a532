#!/usr/bin/env python3
"""Compares two captures of scripts/capture-reports.sh (OLD before a change, NEW after it).

JSON outputs must be equal except for additions: NEW may hold object keys OLD has not; every
value OLD has must be in NEW, equal. Durations (`duration_ms`, and which of a mutant's tests ran
and caught it, as prove runs the fastest first), record times, git provenance
(the commit changes with every step) and build hashes in binary paths are left out of the
comparison. Text outputs (tables, Markdown, SARIF, lcov, Cobertura) and what the tool said on
stderr must be equal once durations and timestamps are masked (stderr as a set of paragraphs:
cargo prints the warnings of crates built in parallel in any order). Exit codes must be equal.

    scripts/compare-reports.py OLD NEW

Prints one line per difference and exits 1 if there is any.
"""

import json
import re
import sys
from pathlib import Path

# `caught_by` and `tests_run` of mutants follow from durations too: prove runs a function's
# fastest tests first.
IGNORED_KEYS = {
    "duration_ms",
    "recorded_at",
    "git_commit",
    "git_dirty",
    "caught_by",
    "tests_run",
}
HASH = re.compile(r"-[0-9a-f]{16}\b")
DURATION = re.compile(r"\b\d+(\.\d+)? ?(ms|s|min)\b")
TIMESTAMP = re.compile(r'timestamp="\d+"')


def normalized(text):
    return HASH.sub("-HASH", text)


def compare(old, new, path, out):
    if isinstance(old, dict):
        if not isinstance(new, dict):
            out.append(f"{path}: was an object, is {type(new).__name__}")
            return
        for key, value in old.items():
            if key in IGNORED_KEYS:
                continue
            if key not in new:
                out.append(f"{path}.{key}: dropped")
            else:
                compare(value, new[key], f"{path}.{key}", out)
    elif isinstance(old, list):
        if not isinstance(new, list):
            out.append(f"{path}: was an array, is {type(new).__name__}")
            return
        if len(old) != len(new):
            out.append(f"{path}: {len(old)} items, now {len(new)}")
        for i, (a, b) in enumerate(zip(old, new)):
            compare(a, b, f"{path}[{i}]", out)
    elif isinstance(old, str) and isinstance(new, str):
        if normalized(old) != normalized(new):
            out.append(f"{path}: {old!r} -> {new!r}")
    elif old != new or type(old) is not type(new):
        out.append(f"{path}: {old!r} -> {new!r}")


def main():
    old_dir, new_dir = Path(sys.argv[1]), Path(sys.argv[2])
    problems = []
    compared = 0
    for old in sorted(old_dir.iterdir()):
        if old.suffix == ".db" or "-" in old.suffix:
            continue
        new = new_dir / old.name
        if not new.exists():
            problems.append(f"{old.name}: missing in {new_dir}")
            continue
        compared += 1
        a, b = old.read_text(), new.read_text()
        if old.suffix == ".json":
            try:
                ja, jb = json.loads(a), json.loads(b)
            except ValueError:
                if a != b:
                    problems.append(f"{old.name}: not JSON and different")
                continue
            found = []
            compare(ja, jb, "$", found)
            problems.extend(f"{old.name}: {p}" for p in found)
        else:
            mask = lambda t: TIMESTAMP.sub("TIMESTAMP", DURATION.sub("DURATION", normalized(t)))
            ta, tb = mask(a), mask(b)
            if old.name.endswith(".stderr"):
                # cargo prints the warnings of crates built in parallel in any order
                ta, tb = sorted(ta.split("\n\n")), sorted(tb.split("\n\n"))
                ta, tb = "\n\n".join(ta), "\n\n".join(tb)
            if ta != tb:
                la, lb = ta.splitlines(), tb.splitlines()
                diff = [f"-{x}\n+{y}" for x, y in zip(la, lb) if x != y][:5]
                if len(la) != len(lb):
                    diff.append(f"{len(la)} lines, now {len(lb)}")
                problems.append(f"{old.name}: differs\n" + "\n".join(diff))
    for p in problems:
        print(p)
    print(f"{compared} outputs compared, {len(problems)} differences", file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
