#!/usr/bin/env python3
"""Wall time of a pull-request-sized `cargo truecov --prove --diff HEAD` (one function changed)
on published crates: the measurement (every test alone under coverage) and the mutants of the
changed lines, in one command, with dependencies already built (issue 12 asks < 10 s).

usage: scripts/bench-pr-diff.py [NAME@VERSION ...]   (default: semver, strsim, hex, shlex, humantime)
       TRUECOV_BENCH_RUNS=N (default 3), TRUECOV_BENCH_DIR=... (default /tmp/truecov-bench),
       TRUECOV_BIN=... (an executable to measure instead of this repository's release build)
       TRUECOV_BENCH_PICK=most|median (the function changed: the one with the most mutants,
       the default, or the one with the median count, a typical function)

Each crate is copied into a git repository and committed. A first run (`cargo truecov`) builds
the dependencies and says which functions tests execute; of those, the one with the most
mutants (`prove --list`) is "changed": a trailing comment is appended to every line that holds
one of its mutants, so every mutant of the function is on a changed line (the most a one-function
change can cost) and its behaviour stays the same. One untimed `--prove --diff HEAD` builds the
mutants' scratch copy, then RUNS timed ones give the median.
"""
import importlib.util, json, os, shutil, statistics, subprocess, sys, time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT = ["semver@1.0.27", "strsim@0.11.1", "hex@0.4.3", "shlex@1.3.0", "humantime@2.2.0"]
RUNS = int(os.environ.get("TRUECOV_BENCH_RUNS", "3"))
PICK = os.environ.get("TRUECOV_BENCH_PICK", "most")

_spec = importlib.util.spec_from_file_location("llvm_bench", REPO / "scripts/bench-vs-llvm-cov.py")
common = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(common)
WORK = common.WORK


def git(repo, *args):
    common.sh(["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost",
               "-c", "commit.gpgsign=false", *args], cwd=repo)


def truecov(bin_, repo, target, *args):
    """Runs `cargo truecov ARGS` in `repo` and returns its wall time and JSON report."""
    report = target / "bench-report.json"
    cmd = [str(bin_), "truecov", *args, "--target-dir", str(target), "--no-record", "-q",
           "--format", "json", "--output", str(report)]
    t = time.perf_counter()
    r = subprocess.run(cmd, cwd=repo, capture_output=True, text=True)
    seconds = time.perf_counter() - t
    if r.returncode != 0:
        sys.exit(f"failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr[-3000:]}")
    return seconds, json.loads(report.read_text())


def changed_function(bin_, repo, report):
    """The executed function with the most mutants (or the median count, `PICK`), its count
    and the lines holding its mutants."""
    executed = {(f["file"], f["name"]) for f in report["functions"] if f.get("lines_raw", 0) > 0}
    listed = subprocess.run([str(bin_), "truecov", "prove", "--list", "--format", "json"],
                            cwd=repo, capture_output=True, text=True, check=True)
    mutants = {}
    for m in json.loads(listed.stdout):
        key = (m["file"], m["function"])
        if key in executed:
            mutants.setdefault(key, []).append(m["line"])
    if not mutants:
        sys.exit(f"{repo}: no function tests execute has a mutant")
    ranked = sorted(mutants, key=lambda k: (len(mutants[k]), k))
    key = ranked[-1] if PICK == "most" else ranked[len(ranked) // 2]
    return key, len(mutants[key]), sorted(set(mutants[key]))


def mark(repo, file, lines):
    """Appends a comment to each of `lines` of `file`: a change git sees, the same code."""
    path = repo / file
    text = path.read_text().split("\n")
    for line in lines:
        text[line - 1] += " // changed by the benchmark"
    path.write_text("\n".join(text))


def bench(bin_, spec):
    name, version = spec.split("@")
    source = common.fetch(name, version)
    repo = WORK / f"{name}-pr"
    target = WORK / f"{name}-pr-target"
    shutil.rmtree(repo, ignore_errors=True)
    shutil.copytree(source, repo)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "published")
    _, report = truecov(bin_, repo, target)
    (file, function), mutants, lines = changed_function(bin_, repo, report)
    mark(repo, file, lines)
    truecov(bin_, repo, target, "--prove", "--diff", "HEAD")
    times, outcomes = [], Counter()
    for _ in range(RUNS):
        seconds, report = truecov(bin_, repo, target, "--prove", "--diff", "HEAD")
        times.append(seconds)
        outcomes = Counter(m["outcome"] for f in report["functions"]
                           for m in (f.get("prove") or {}).get("mutants", []))
    return dict(crate=spec, function=f"{file}: {function}", mutants=mutants, lines=len(lines),
                tried=sum(outcomes.values()), outcomes=dict(outcomes),
                tests=report["summary"]["tests"]["total"], times=times,
                median=statistics.median(times))


def main():
    specs = sys.argv[1:] or DEFAULT
    bin_ = Path(os.environ["TRUECOV_BIN"]) if os.environ.get("TRUECOV_BIN") else common.truecov_bin()
    WORK.mkdir(parents=True, exist_ok=True)
    rows = [bench(bin_, spec) for spec in specs]
    (WORK / "bench-pr-diff.json").write_text(json.dumps(rows, indent=1))
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; function with the "
          f"{PICK} mutants changed; median of {RUNS} warm runs of `cargo truecov --prove --diff HEAD`, seconds")
    print(f"{'crate':<18} {'tests':>5} {'mutants':>7} {'median':>7}  runs  function changed")
    for r in rows:
        runs = " ".join(f"{t:.1f}" for t in r["times"])
        print(f"{r['crate']:<18} {r['tests']:>5} {r['tried']:>7} {r['median']:>7.1f}  {runs}  "
              f"{r['function']} ({r['lines']} lines; {r['outcomes']})")


if __name__ == "__main__":
    main()
