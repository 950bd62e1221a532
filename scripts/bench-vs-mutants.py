#!/usr/bin/env python3
"""`cargo truecov prove` against cargo-mutants on the same published crates: wall time, back to
back on this machine, and whether both find the same pseudo-tested functions.

usage: scripts/bench-vs-mutants.py [NAME@VERSION ...]   (default: strsim, semver, hex)
       TRUECOV_BENCH_DIR=... (default /tmp/truecov-bench)

cargo-mutants runs only its FnValue mutants (a function's body replaced by a value of its
return type: the genre `prove` tries), selected with `--re` and checked against the genres of
`cargo mutants --list --json`. Three pairs of runs:

- cold: cargo-mutants copies the crate and builds it from scratch, dependencies included, as it
  does on every run by default; truecov gets an empty `--target-dir`.
- dependencies built, crate changed: what a developer who edits the crate pays. cargo-mutants
  gets `--copy-target=true` and a `target/` where `cargo test --no-run` has built everything, so
  only the crate recompiles in its copy; truecov runs in its earlier target directory after the
  crate's sources were touched, so its instrumented and plain builds recompile the crate. A
  compile both tools pay once (hex's dev-dependencies take about a minute here) no longer hides
  the time each spends on mutants.
- warm: truecov again with nothing changed (cargo-mutants has no such state: it copies and
  rebuilds the crate on every run).

Each tool's own defaults otherwise (cargo-mutants one job, truecov one test process per
core).

A function is pseudo-tested for cargo-mutants when it has a mutant that builds and none is
caught (a timeout counts as caught, as in truecov). cargo-mutants cannot tell a function no
test runs from one whose tests look away; truecov can (`not_covered`), so the comparison is
on the functions truecov's coverage says tests execute, and the others are listed apart.
Crate sources are fetched from crates.io into the scratch directory; nothing is kept here.
"""
import importlib.util, json, os, shutil, subprocess, sys, time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT = ["strsim@0.11.1", "semver@1.0.27", "hex@0.4.3"]
# Names of FnValue mutants: `replace f -> T with v`, or `replace f with ()` for unit functions
# (operator mutants end with `in f`).
FN_VALUE_RE = r" -> .* with | with \(\)$"

_spec = importlib.util.spec_from_file_location("llvm_bench", REPO / "scripts/bench-vs-llvm-cov.py")
common = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(common)
WORK = common.WORK


def ensure_mutants():
    if shutil.which("cargo-mutants") is None:
        common.sh(["cargo", "install", "cargo-mutants", "--locked", "-q"])


def fn_value_names(crate):
    listed = json.loads(common.sh(["cargo", "mutants", "--list", "--json"], cwd=crate).stdout)
    chosen = common.sh(["cargo", "mutants", "--list", "--re", FN_VALUE_RE], cwd=crate).stdout
    want = sorted(m["name"] for m in listed if m["genre"] == "FnValue")
    got = sorted(line for line in chosen.splitlines() if line.strip())
    if want != got:
        sys.exit(f"{crate}: the --re selection is not the FnValue genre:\n{set(want) ^ set(got)}")
    return want


def timed(cmd, cwd, ok):
    """Wall time of `cmd`, which must exit with one of the codes `ok`."""
    t = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if r.returncode not in ok:
        sys.exit(f"failed ({r.returncode}): {' '.join(map(str, cmd))}\n{r.stderr[-3000:]}")
    return time.perf_counter() - t


def run_mutants(crate, out, copy_target=False):
    shutil.rmtree(out, ignore_errors=True)
    cmd = ["cargo", "mutants", "--re", FN_VALUE_RE, "--no-shuffle", "--output", str(out)]
    if copy_target:
        common.sh(["cargo", "test", "--no-run", "-q"], cwd=crate)
        cmd.append("--copy-target=true")
    seconds = timed(cmd, crate, (0, 2, 3))
    outcomes = json.loads((out / "mutants.out/outcomes.json").read_text())["outcomes"]
    mutants = []
    for o in outcomes:
        m = o["scenario"].get("Mutant") if isinstance(o["scenario"], dict) else None
        if m:
            mutants.append((m["file"], m["span"]["start"]["line"], m["function"]["function_name"],
                            m["replacement"], o["summary"]))
    return seconds, mutants


def run_truecov(truecov, crate, target, report):
    """Cold, crate-changed and warm wall times, and the cold run's report."""
    shutil.rmtree(target, ignore_errors=True)
    cmd = [str(truecov), "truecov", "prove", "--target-dir", str(target), "--no-record", "-q",
           "--format", "json", "--output", str(report)]
    cold = timed(cmd, crate, (0,))
    text = report.read_text()
    common.touch_sources(crate)
    changed = timed(cmd, crate, (0,))
    warm = timed(cmd, crate, (0,))
    return cold, changed, warm, json.loads(text)


def holder(functions, file, line):
    """The truecov function whose body holds `line`: the last one of the file starting before."""
    best = None
    for f in functions:
        if f["file"] == file and f["line"] <= line and (best is None or f["line"] > best["line"]):
            best = f
    return best


def cargo_mutants_status(outcomes):
    caught = sum(o in ("CaughtMutant", "Timeout") for o in outcomes)
    missed = sum(o == "MissedMutant" for o in outcomes)
    if caught + missed == 0:
        return "unviable"
    return "tested" if missed == 0 else "pseudo_tested" if caught == 0 else "partially_tested"


def compare(report, mutants):
    functions = report["functions"]
    by_function = {}
    for file, line, _name, _value, outcome in mutants:
        f = holder(functions, file, line)
        key = f["name"] if f else f"{file}:{line}"
        by_function.setdefault(key, []).append(outcome)
    statuses = {name: cargo_mutants_status(o) for name, o in by_function.items()}
    prove = {f["name"]: f["prove"]["status"] for f in functions if f.get("prove")}
    ours = {n for n, s in prove.items() if s == "pseudo_tested"}
    theirs_all = {n for n, s in statuses.items() if s == "pseudo_tested"}
    not_covered = {n for n in theirs_all if prove.get(n) == "not_covered"}
    theirs = theirs_all - not_covered
    return ours, theirs, not_covered, statuses, prove


def main():
    specs = sys.argv[1:] or DEFAULT
    ensure_mutants()
    truecov = common.truecov_bin()
    WORK.mkdir(parents=True, exist_ok=True)
    rows, details = [], {}
    for spec in specs:
        name, version = spec.split("@")
        crate = common.fetch(name, version)
        names = fn_value_names(crate)
        print(f"{spec}: {len(names)} FnValue mutants", file=sys.stderr)
        cm_seconds, mutants = run_mutants(crate, WORK / f"{name}-mutants")
        cm_built, built_mutants = run_mutants(crate, WORK / f"{name}-mutants", copy_target=True)
        if sorted(built_mutants) != sorted(mutants):
            print(f"{spec}: cargo-mutants' outcomes differ with --copy-target", file=sys.stderr)
        cold, changed, warm, report = run_truecov(truecov, crate, WORK / f"{name}-truecov-target",
                                                  WORK / f"{name}-prove.json")
        ours, theirs, not_covered, statuses, prove = compare(report, mutants)
        rows.append((spec, len(names), cm_seconds, cold, cm_built, changed, warm, ours, theirs,
                     not_covered))
        details[spec] = {"cargo_mutants": statuses, "truecov": prove,
                         "seconds": {"cargo_mutants_cold": cm_seconds, "truecov_cold": cold,
                                     "cargo_mutants_deps_built": cm_built,
                                     "truecov_crate_changed": changed, "truecov_warm": warm}}
    (WORK / "bench-vs-mutants.json").write_text(json.dumps(details, indent=1, sort_keys=True))
    print(f"\nmachine: {os.cpu_count()} cores; wall time in seconds")
    print("| crate | FnValue mutants | cold: cargo-mutants | truecov | speed-up "
          "| deps built: cargo-mutants | truecov | speed-up | truecov warm | speed-up vs deps built |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for spec, n, cm, cold, cm_built, changed, warm, *_ in rows:
        print(f"| {spec} | {n} | {cm:.1f} | {cold:.1f} | {cm / cold:.1f}x | {cm_built:.1f} "
              f"| {changed:.1f} | {cm_built / changed:.1f}x | {warm:.1f} | {cm_built / warm:.1f}x |")
    print("\n| crate | pseudo-tested (truecov) | pseudo-tested (cargo-mutants, run by tests) | agree "
          "| all missed by cargo-mutants, run by no test |")
    print("|---|---|---|---|---|")
    for spec, *_, ours, theirs, not_covered in rows:
        agree = "yes" if ours == theirs else f"no: {', '.join(sorted(ours ^ theirs))}"
        print(f"| {spec} | {', '.join(sorted(ours)) or '-'} | {', '.join(sorted(theirs)) or '-'} "
              f"| {agree} | {', '.join(sorted(not_covered)) or '-'} |")
    print(f"\nper-function statuses of both tools: {WORK / 'bench-vs-mutants.json'}")


if __name__ == "__main__":
    main()
