#!/usr/bin/env python3
"""`cargo truecov prove` against cargo-mutants on the same published crates: per-mutant
agreement on cargo-mutants' whole mutant set, and wall time, back to back on this machine.

usage: scripts/bench-vs-mutants.py [NAME@VERSION ...]   (default: hex, shlex, strsim)
       TRUECOV_BENCH_DIR=... (default /tmp/truecov-bench)
       TRUECOV_BENCH_MUTANTS_JOBS=N (cargo-mutants' `-j`, default 1: its own default)
       TRUECOV_BIN=... (an executable to measure instead of this repository's release build)
       TRUECOV_BENCH_KEEP_MUTANTS=1 (reuse a kept <dir>/<name>-mutants/mutants.out instead of
       running cargo-mutants again; its time is the run's, from outcomes.json)
       TRUECOV_BENCH_RUNS=N (default 3: truecov's runs with dependencies built)

Both tools try the same mutants (truecov generates cargo-mutants' set under the same names):
cargo-mutants runs on the whole set, no filter, and `cargo truecov prove --format json`.
cargo-mutants copies the crate and builds it from scratch, dependencies included, as it does on
every run by default. truecov runs once cold (an empty `--target-dir`), then N times with its
dependencies built (the crate's sources touched before each run, so the crate itself and every
mutant build again): the speed-up is cargo-mutants' time over the median of those N.

Mutants are joined by name with cargo-mutants' `mutants.out/outcomes.json`. A timeout counts as
caught in both. cargo-mutants calls a mutant no test executes `missed`; truecov says
`not_covered`, so agreement is counted on the mutants truecov says some test executes, and the
`not_covered` ones are counted apart, with what cargo-mutants said of them. Unviable agreement
is over the mutants either tool found unviable. Every disagreement is listed by name.
Crate sources are fetched from crates.io into the scratch directory; nothing is kept here.
"""
import importlib.util, json, os, shutil, statistics, subprocess, sys, time
from collections import Counter
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT = ["hex@0.4.3", "shlex@1.3.0", "strsim@0.11.1"]
# cargo-mutants' outcome summaries in truecov's words.
CARGO_MUTANTS_OUTCOMES = {"CaughtMutant": "caught", "MissedMutant": "missed",
                          "Unviable": "unviable", "Timeout": "timeout"}
# Outcomes that mean a test failed with the mutant.
CAUGHT = {"caught", "timeout"}
# truecov outcomes where no test judged the mutant: kept apart from the agreement.
UNJUDGED = {"not_covered", "not_run"}

_spec = importlib.util.spec_from_file_location("llvm_bench", REPO / "scripts/bench-vs-llvm-cov.py")
common = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(common)
WORK = common.WORK


def ensure_mutants():
    if shutil.which("cargo-mutants") is None:
        common.sh(["cargo", "install", "cargo-mutants", "--locked", "-q"])


def timed(cmd, cwd, ok):
    """Wall time of `cmd`, which must exit with one of the codes `ok`."""
    t = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if r.returncode not in ok:
        sys.exit(f"failed ({r.returncode}): {' '.join(map(str, cmd))}\n{r.stderr[-3000:]}")
    return time.perf_counter() - t


def cargo_mutants_outcomes(outcomes):
    """`{name: outcome}` of cargo-mutants' `outcomes.json` (parsed), in truecov's words; the
    baseline scenario is left out."""
    found = {}
    for o in outcomes["outcomes"]:
        m = o["scenario"].get("Mutant") if isinstance(o["scenario"], dict) else None
        if m:
            found[m["name"]] = CARGO_MUTANTS_OUTCOMES.get(o["summary"], o["summary"])
    return found


def truecov_outcomes(report):
    """`{name: outcome}` of every mutant in a `prove --format json` report."""
    return {m["name"]: m["outcome"] for f in report["functions"] if f.get("prove")
            for m in f["prove"].get("mutants") or []}


def kept_seconds(outcomes):
    """Wall time of the cargo-mutants run whose `outcomes.json` (parsed) is `outcomes`."""
    def at(stamp):  # RFC 3339 in UTC with up to nanoseconds: `2026-12-07T13:06:00.089664271Z`
        whole, _, fraction = stamp.rstrip("Z").partition(".")
        return datetime.fromisoformat(f"{whole}.{fraction[:6]:0<6}")
    return (at(outcomes["end_time"]) - at(outcomes["start_time"])).total_seconds()


def verdict(outcome):
    """What an outcome says of the tests: caught, missed or unviable (a timeout is caught)."""
    return "caught" if outcome in CAUGHT else outcome


def agreement(theirs, ours):
    """Per-mutant comparison of cargo-mutants' outcomes `theirs` and truecov's `ours`."""
    both = theirs.keys() & ours.keys()
    judged = {n for n in both if ours[n] not in UNJUDGED and "unviable" not in (ours[n], theirs[n])}
    unviable = {n for n in both if "unviable" in (ours[n], theirs[n])}
    apart = {n for n in both if ours[n] in UNJUDGED and theirs[n] != "unviable"}
    disagree = sorted(n for n in judged | unviable if verdict(theirs[n]) != verdict(ours[n]))
    return {
        "cargo_mutants": len(theirs), "truecov": len(ours),
        "only_cargo_mutants": sorted(theirs.keys() - ours.keys()),
        "only_truecov": sorted(ours.keys() - theirs.keys()),
        "judged": len(judged),
        "judged_agree": sum(verdict(theirs[n]) == verdict(ours[n]) for n in judged),
        "unviable": len(unviable),
        "unviable_agree": sum(ours[n] == theirs[n] for n in unviable),
        "apart": dict(Counter(f"{ours[n]}/{theirs[n]}" for n in apart)),
        "disagreements": [(n, theirs[n], ours[n]) for n in disagree],
    }


def percent(part, whole):
    return f"{100 * part / whole:.1f}%" if whole else "-"


def table(rows):
    """The markdown summary of `(spec, agreement, cargo-mutants seconds, truecov cold seconds,
    truecov seconds with dependencies built)` rows."""
    lines = ["| crate | mutants (cargo-mutants / truecov) | agree, run by tests | unviable agree "
             "| not_covered (truecov/cargo-mutants) | cargo-mutants s | truecov s cold "
             "| truecov s, deps built | speed-up |",
             "|---|---|---|---|---|---|---|---|---|"]
    for spec, a, cm, cold, warm in rows:
        apart = ", ".join(f"{k} {v}" for k, v in sorted(a["apart"].items())) or "-"
        lines.append(
            f"| {spec} | {a['cargo_mutants']} / {a['truecov']} "
            f"| {a['judged_agree']}/{a['judged']} ({percent(a['judged_agree'], a['judged'])}) "
            f"| {a['unviable_agree']}/{a['unviable']} | {apart} | {cm:.1f} | {cold:.1f} "
            f"| {warm:.1f} | {cm / warm:.1f}x |")
    return "\n".join(lines)


def run_mutants(crate, out, jobs):
    kept = out / "mutants.out/outcomes.json"
    if os.environ.get("TRUECOV_BENCH_KEEP_MUTANTS") == "1" and kept.exists():
        outcomes = json.loads(kept.read_text())
        return kept_seconds(outcomes), cargo_mutants_outcomes(outcomes)
    shutil.rmtree(out, ignore_errors=True)
    cmd = ["cargo", "mutants", "--no-shuffle", "-j", str(jobs), "--output", str(out)]
    seconds = timed(cmd, crate, (0, 2, 3))
    return seconds, cargo_mutants_outcomes(json.loads(kept.read_text()))


def touch_sources(crate):
    """Marks every Rust file of `crate` changed, so that the crate builds again."""
    now = time.time()
    for path in crate.rglob("*.rs"):
        if "target" not in path.relative_to(crate).parts:
            os.utime(path, (now, now))


def run_truecov(truecov, crate, target, report, runs):
    """truecov's cold time, the median of `runs` times with dependencies built, and the last
    report."""
    shutil.rmtree(target, ignore_errors=True)
    cmd = [str(truecov), "truecov", "prove", "--target-dir", str(target), "--no-record", "-q",
           "--format", "json", "--output", str(report)]
    cold = timed(cmd, crate, (0,))
    warm = []
    for _ in range(runs):
        touch_sources(crate)
        warm.append(timed(cmd, crate, (0,)))
    return cold, statistics.median(warm), json.loads(report.read_text())


def main():
    specs = sys.argv[1:] or DEFAULT
    jobs = int(os.environ.get("TRUECOV_BENCH_MUTANTS_JOBS", "1"))
    ensure_mutants()
    truecov = Path(os.environ["TRUECOV_BIN"]) if os.environ.get("TRUECOV_BIN") else common.truecov_bin()
    WORK.mkdir(parents=True, exist_ok=True)
    rows, details = [], {}
    for spec in specs:
        name, version = spec.split("@")
        crate = common.fetch(name, version)
        cm_seconds, theirs = run_mutants(crate, WORK / f"{name}-mutants", jobs)
        cold, warm, report = run_truecov(truecov, crate, WORK / f"{name}-truecov-target",
                                         WORK / f"{name}-prove.json", common.RUNS)
        a = agreement(theirs, truecov_outcomes(report))
        rows.append((spec, a, cm_seconds, cold, warm))
        details[spec] = dict(a, seconds={"cargo_mutants": cm_seconds, "truecov_cold": cold,
                                         "truecov_deps_built": warm})
    (WORK / "bench-vs-mutants.json").write_text(json.dumps(details, indent=1, sort_keys=True))
    print(f"\nmachine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; cargo-mutants -j "
          f"{jobs}; wall time in seconds; truecov with deps built: median of {common.RUNS}")
    print(table(rows))
    for spec, a, *_ in rows:
        for n, theirs_o, ours_o in a["disagreements"]:
            print(f"{spec}: {n}: cargo-mutants {theirs_o}, truecov {ours_o}")
        for side in ("only_cargo_mutants", "only_truecov"):
            for n in a[side]:
                print(f"{spec}: {side}: {n}")
    print(f"\nper-mutant details: {WORK / 'bench-vs-mutants.json'}")


if __name__ == "__main__":
    main()
