#!/usr/bin/env python3
"""The real-crate benchmark of issue 11, driven by scripts/real-crates.sh (see its usage).

Per crate of scripts/real-crates.txt: did `cargo truecov` run, how many tests it found against
how many the test binaries list (doctests excluded; a `harness = false` target is one test, as
docs/tests.md counts it), the library lines it executed against `cargo llvm-cov`'s lcov on the
same lines, which lines each counts as coverable at all, the wall time of both, and its verdict
counts. The pure parts (the corpus list, lcov,
`--list` output, the comparisons, the table) are tested by scripts/test_real_crates.py.
"""
import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FETCH = REPO.parent.parent / "shared/scripts/fetch-crate.sh"
VERDICTS = ("meaningful", "smoke", "tautological", "assertion_free", "not_built", "unknown")
# Verdict columns of the table, by their first letters.
SHORT = {"meaningful": "M", "smoke": "S", "tautological": "T", "assertion_free": "A",
         "not_built": "nb", "unknown": "?"}


def parse_corpus(text):
    """`(NAME, VERSION, [cargo flags])` of each line `NAME VERSION [FLAGS..]` of a corpus list
    (flags such as `--features full` go to both tools); `#` starts a comment. A malformed line
    is an error naming its line number."""
    crates = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) < 2 or parts[1].startswith("-") or (len(parts) > 2 and not parts[2].startswith("-")):
            raise ValueError(f"line {number}: expected `NAME VERSION [FLAGS..]`, found `{line}`")
        crates.append((parts[0], parts[1], parts[2:]))
    return crates


def parse_lcov(text):
    """Execution counts by absolute file path, then line number, of an lcov tracefile (`DA:`
    records of one file are summed, as lcov merges them)."""
    files, current = {}, None
    for line in text.splitlines():
        if line.startswith("SF:"):
            current = files.setdefault(line[3:], {})
        elif line.startswith("DA:") and current is not None:
            number, count = line[3:].split(",")[:2]
            current[int(number)] = current.get(int(number), 0) + int(count)
        elif line == "end_of_record":
            current = None
    return files


RUNNING = re.compile(r"^\s+Running (?:unittests )?(\S+) \(")


def parse_listing(text):
    """Test names per source file of the test binary that listed them, from the output of
    `cargo test -- --list --format terse` (cargo's `Running` lines on stderr merged with the
    binaries' stdout). Benchmarks (`: bench`) are left out; a binary that printed other lines
    (a `harness = false` target) lists what it printed as `: test` lines only."""
    binaries, current = collections.OrderedDict(), None
    for line in text.splitlines():
        m = RUNNING.match(line)
        if m:
            current = binaries.setdefault(m.group(1), [])
        elif current is not None and line.endswith(": test"):
            current.append(line[: -len(": test")])
    return binaries


def harness_false_paths(manifest_text):
    """Source paths (relative to the package) of the targets `cargo test` runs without libtest:
    `harness = false` on `[lib]`, `[[bin]]` and `[[test]]`."""
    manifest = tomllib.loads(manifest_text)
    paths = set()
    lib = manifest.get("lib", {})
    if lib.get("harness") is False:
        paths.add(lib.get("path", "src/lib.rs"))
    for kind, default_dir in (("bin", "src/bin"), ("test", "tests")):
        for target in manifest.get(kind, []):
            if target.get("harness") is False:
                paths.add(target.get("path", f"{default_dir}/{target.get('name')}.rs"))
    return paths


def target_labels(metadata, root):
    """The report's target label (`lib`, `bin:NAME`, `test:NAME`, ...) of each target source
    path, relative to the package root, from `cargo metadata` of the crate."""
    labels = {}
    for package in metadata["packages"]:
        for target in package["targets"]:
            kind = target["kind"][0]
            if kind in ("lib", "rlib", "proc-macro", "cdylib", "dylib", "staticlib"):
                label = "lib"
            elif kind == "custom-build":
                continue
            else:
                label = f"{kind}:{target['name']}"
            labels[os.path.relpath(target["src_path"], root)] = label
    return labels


def listed_tests(listing, labels, harness_false):
    """The (target label, name) of every test the binaries list; a `harness = false` target
    stands as one test named `*`. A binary whose source is not a target of the crate is kept
    under its path."""
    listed = set()
    for path, names in listing.items():
        label = labels.get(path, path)
        if path in harness_false:
            listed.add((label, "*"))
        else:
            listed.update((label, name) for name in names)
    return listed


def found_tests(report, harness_false_labels):
    """The (target label, name) of every test the report holds that a binary should contain:
    doctests and `not_built` tests left out; the tests of a `harness = false` target stand as
    one named `*`, as `listed_tests` counts it."""
    found = set()
    for test in report["tests"]:
        if test["target"] == "doc" or test["verdict"] == "not_built":
            continue
        name = "*" if test["target"] in harness_false_labels else test["name"]
        found.add((test["target"], name))
    return found


def verdict_counts(report):
    """Tests per verdict (or state), doctests apart under `doc:<verdict>`."""
    counts = collections.Counter()
    for test in report["tests"]:
        prefix = "doc:" if test["target"] == "doc" else ""
        counts[prefix + test["verdict"]] += 1
    return dict(sorted(counts.items()))


def compare_lines(report, lcov, root):
    """Library lines of the report against llvm-cov's: on every line the report counts as
    coverable, whether each tool saw it executed. Returns (lines compared, lines that differ,
    a few of them as `file:line`); a line llvm-cov does not instrument counts as not executed
    for it."""
    compared = differ = 0
    examples = []
    for f in report.get("files", []):
        theirs = lcov.get(str(Path(root, f["file"])), {})
        executed = set(f["executed"])
        for line in f["coverable"]:
            compared += 1
            if (theirs.get(line, 0) > 0) != (line in executed):
                differ += 1
                if len(examples) < 10:
                    examples.append(f"{f['file']}:{line}")
    return compared, differ, examples


def library_file(rel, labels):
    """Whether `rel` (relative to the package root) is a file of the library's own tree: under
    the directory of a `lib` target's root, and neither another target's root nor under `bin/`."""
    if labels.get(rel, "lib") != "lib":
        return False
    for root_file, label in labels.items():
        base = os.path.dirname(root_file)
        if label == "lib" and rel.startswith(base + "/") and not rel.startswith(base + "/bin/"):
            return True
    return False


def compare_coverable(report, lcov, root, labels):
    """Which library lines each tool counts at all, executed or not: lines the report counts as
    coverable that llvm-cov does not instrument, and lines llvm-cov instruments that the report
    does not count, on the report's files and on llvm-cov's library files (`library_file`) the
    report lacks. Returns (lines only the report counts, lines only llvm-cov counts, a few of
    them as `file:line`)."""
    only_ours = only_theirs = 0
    examples = []
    ours = {str(Path(root, f["file"])): (f["file"], set(f["coverable"])) for f in report.get("files", [])}
    for path, lines in lcov.items():
        rel = os.path.relpath(path, root)
        if path not in ours and library_file(rel, labels):
            ours[path] = (rel, set())
    for path, (rel, coverable) in sorted(ours.items()):
        theirs = set(lcov.get(path, {}))
        only_ours += len(coverable - theirs)
        only_theirs += len(theirs - coverable)
        for line in sorted(coverable ^ theirs):
            if len(examples) < 10:
                examples.append(f"{rel}:{line}")
    return only_ours, only_theirs, examples


def render_table(results, scan_only):
    """The final table, one row per crate, then the totals."""
    head = f"{'crate':<28} {'ok':<4} {'found/listed':>13} "
    if not scan_only:
        head += f"{'lines':>6} {'differ':>6} {'cov +/-':>9} {'truecov s':>9} {'llvm-cov s':>10} "
    head += "verdicts (M S T A nb ?)"
    rows = [head]
    for r in results:
        listed = "-" if r.get("listed") is None else str(r["listed"])
        found = "-" if r.get("found") is None else str(r["found"])
        row = f"{r['crate'] + ' ' + r['version']:<28} {'yes' if r['ok'] else 'NO':<4} {found + '/' + listed:>13} "
        if not scan_only:
            row += (f"{fmt(r.get('lines'), 6)} {fmt(r.get('lines_differ'), 6)} {coverable_delta(r):>9} "
                    f"{fmt(r.get('truecov_secs'), 9, '.1f')} {fmt(r.get('llvm_cov_secs'), 10, '.1f')} ")
        counts = r.get("verdicts") or {}
        row += " ".join(str(counts.get(v, 0)) for v in VERDICTS)
        if not r["ok"]:
            row += f"   ({r.get('error', '')})"
        rows.append(row)
    ok = sum(r["ok"] for r in results)
    total = collections.Counter()
    for r in results:
        total.update(r.get("verdicts") or {})
    rows.append(f"{ok}/{len(results)} crates ran; verdicts "
                + " ".join(f"{SHORT[v]}={total.get(v, 0)}" for v in VERDICTS))
    if not scan_only:
        equal = sum(1 for r in results if r["ok"] and r.get("found") == r.get("listed"))
        differ = sum(r.get("lines_differ") or 0 for r in results)
        coverable = sum((r.get("coverable_only_truecov") or 0) + (r.get("coverable_only_llvm_cov") or 0)
                        for r in results)
        rows.append(f"found == listed on {equal}/{ok} crates that ran; {differ} differing lines in all; "
                    f"{coverable} lines coverable for one tool only")
    return "\n".join(rows)


def coverable_delta(result):
    """`+A/-B`: A lines only the report counts as coverable, B only llvm-cov; `-` when not
    compared."""
    if result.get("coverable_only_truecov") is None:
        return "-"
    return f"+{result['coverable_only_truecov']}/-{result['coverable_only_llvm_cov']}"


def fmt(value, width, spec=""):
    """`value` right-aligned in `width`, `-` when missing."""
    return f"{'-' if value is None else format(value, spec):>{width}}"


# ---------------------------------------------------------------- what runs commands


def run(cmd, cwd, log, timeout, merge=True):
    """Runs `cmd`, writing its stderr (and its stdout too when `merge`) to `log`; returns (exit
    code, or None on a time-out, wall seconds, the output: merged, or stdout alone)."""
    start = time.perf_counter()
    err = subprocess.STDOUT if merge else subprocess.PIPE
    try:
        r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=err, timeout=timeout)
        code, out, errors = r.returncode, r.stdout, r.stderr
    except subprocess.TimeoutExpired as e:
        code, out, errors = None, e.stdout, e.stderr
    secs = time.perf_counter() - start
    out = (out or b"").decode(errors="replace")
    errors = (errors or b"").decode(errors="replace")
    Path(log).write_text(f"$ {' '.join(map(str, cmd))}\n{out if merge else errors}")
    return code, secs, out


def last_error(output):
    """The first `error` line of a command's output, for the table."""
    for line in output.splitlines():
        if line.startswith("error"):
            return line[:160]
    return output.strip().splitlines()[-1][:160] if output.strip() else "no output"


def fetch(name, version, src):
    """The crate's directory, fetched unless present with the same version."""
    dest = src / name
    manifest = dest / "Cargo.toml"
    if manifest.exists():
        have = tomllib.loads(manifest.read_text()).get("package", {}).get("version")
        if have == version:
            return dest
        dest = src / f"{name}-{version}"
        if (dest / "Cargo.toml").exists():
            return dest
    subprocess.run([str(FETCH), name, version, str(dest)], check=True, stdout=subprocess.DEVNULL)
    return dest


def clean(crate):
    """Deletes the target directories the benchmark made in the crate."""
    for name in ("target", "target-truecov"):
        shutil.rmtree(crate / name, ignore_errors=True)


def resolve_lock(crate, log):
    """Whether the crate's dependencies resolve; when the lock file it was published with names
    a version this registry lacks, the lock is moved to `Cargo.lock.published` and cargo
    resolves afresh (returns "re-resolved"). Returns None when nothing had to change."""
    r = subprocess.run(["cargo", "metadata", "--format-version", "1"], cwd=crate,
                       capture_output=True, text=True)
    if r.returncode == 0 or "failed to select a version" not in r.stderr:
        return None
    lock = crate / "Cargo.lock"
    if not lock.exists():
        return None
    lock.rename(crate / "Cargo.lock.published")
    Path(log).write_text(r.stderr)
    return "re-resolved"


def bench_crate(name, version, flags, crate, truecov, out, scan_only, timeout):
    """One crate's result (a JSON-ready dict); raw reports and logs go to `out`. `flags` (cargo
    feature flags) go to every command that builds."""
    out.mkdir(parents=True, exist_ok=True)
    result = {"crate": name, "version": version, "ok": False}
    if flags:
        result["flags"] = " ".join(flags)
    if scan_only:
        # `scan` builds nothing and takes no feature flags.
        code, secs, text = run([truecov, "truecov", "scan", "--format", "json", "-q"], crate,
                               out / "scan.log", timeout, merge=False)
        result["truecov_secs"] = round(secs, 2)
        if code not in (0, 1):
            result["error"] = "time-out" if code is None else last_error((out / "scan.log").read_text())
            return result
        report = json.loads(text)
        (out / "scan.json").write_text(json.dumps(report))
        result["ok"] = True
        result["verdicts"] = verdict_counts(report)
        result["found"] = len(found_tests(report, set()))
        return result
    lock = resolve_lock(crate, out / "lock.log")
    if lock:
        result["lock"] = lock
    try:
        code, secs, report_text = run(
            [truecov, "truecov", "run", "--format", "json", "--no-record", "-q",
             "--target-dir", "target-truecov", *flags], crate, out / "truecov.log", timeout, merge=False)
        result["truecov_secs"] = round(secs, 2)
        if code not in (0, 1):
            result["error"] = "time-out" if code is None else last_error((out / "truecov.log").read_text())
        lcov_path = out / "llvm-cov.lcov"
        # A failing test still leaves its profile: the report is made all the same.
        lcode, lsecs, ltext = run(["cargo", "llvm-cov", "--lcov", "--ignore-run-fail",
                                   "--output-path", str(lcov_path), *flags],
                                  crate, out / "llvm-cov.log", timeout)
        result["llvm_cov_secs"] = round(lsecs, 2)
        result["llvm_cov_ok"] = lcode == 0
        if lcode != 0 and not lcov_path.exists():
            result["llvm_cov_error"] = "time-out" if lcode is None else last_error(ltext)
        _, _, listing = run(["cargo", "llvm-cov", "--no-report", *flags, "--", "--list", "--format", "terse"],
                            crate, out / "list.log", timeout)
        metadata = json.loads(subprocess.run(
            ["cargo", "metadata", "--no-deps", "--format-version", "1"], cwd=crate,
            capture_output=True, text=True, check=True).stdout)
        labels = target_labels(metadata, crate.resolve())
        no_harness = harness_false_paths((crate / "Cargo.toml").read_text())
        listed = listed_tests(parse_listing(listing), labels, no_harness)
        result["listed"] = len(listed)
        if code in (0, 1):
            report = json.loads(report_text)
            (out / "truecov.json").write_text(json.dumps(report))
            found = found_tests(report, {labels[p] for p in no_harness if p in labels})
            result.update(ok=True, verdicts=verdict_counts(report), found=len(found),
                          not_listed=sorted(map(list, found - listed))[:20],
                          not_found=sorted(map(list, listed - found))[:20],
                          failed=report["summary"]["tests"].get("failed", 0))
            if lcov_path.exists():
                lcov = parse_lcov(lcov_path.read_text())
                compared, differ, examples = compare_lines(report, lcov, crate.resolve())
                result.update(lines=compared, lines_differ=differ, differ_examples=examples)
                ours, theirs, examples = compare_coverable(report, lcov, crate.resolve(), labels)
                result.update(coverable_only_truecov=ours, coverable_only_llvm_cov=theirs,
                              coverable_examples=examples)
    finally:
        clean(crate)
    return result


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scan-only", action="store_true")
    p.add_argument("--only", help="comma-separated crate names")
    p.add_argument("--list", default=str(REPO / "scripts/real-crates.txt"))
    p.add_argument("--src", default="/work/realcrates/src")
    p.add_argument("--work", default="/work/realcrates/out")
    p.add_argument("--json")
    p.add_argument("--truecov", help="the cargo-truecov binary (default: this repo's, built --release)")
    p.add_argument("--force", action="store_true")
    p.add_argument("--timeout", type=int, default=3600, help="seconds per command")
    args = p.parse_args()
    try:
        crates = parse_corpus(Path(args.list).read_text())
    except (OSError, ValueError) as e:
        sys.exit(f"{args.list}: {e}")
    if args.only:
        wanted = set(args.only.split(","))
        crates = [c for c in crates if c[0] in wanted]
    truecov = args.truecov and str(Path(args.truecov).resolve())
    if truecov is None:
        subprocess.run(["cargo", "build", "--release", "-q", "--bin", "cargo-truecov"], cwd=REPO, check=True)
        truecov = str(REPO / "target/release/cargo-truecov")
    if not args.scan_only and subprocess.run(["cargo", "llvm-cov", "--version"],
                                             capture_output=True).returncode != 0:
        sys.exit("full mode needs cargo-llvm-cov: cargo install cargo-llvm-cov --locked")
    mode = "scan" if args.scan_only else "full"
    work, src = Path(args.work), Path(args.src)
    results = []
    for name, version, flags in crates:
        out = work / mode / f"{name}-{version}"
        done = out / "result.json"
        if done.exists() and not args.force:
            result = json.loads(done.read_text())
        else:
            try:
                crate = fetch(name, version, src)
            except subprocess.CalledProcessError:
                result = {"crate": name, "version": version, "ok": False, "error": "fetch failed"}
            else:
                result = bench_crate(name, version, flags, crate, truecov, out, args.scan_only,
                                     args.timeout)
            out.mkdir(parents=True, exist_ok=True)
            done.write_text(json.dumps(result, indent=1))
        print(f"{name} {version}: {'ok' if result['ok'] else 'FAILED ' + result.get('error', '')}",
              file=sys.stderr, flush=True)
        results.append(result)
    print(render_table(results, args.scan_only))
    path = Path(args.json or work / f"results-{mode}.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"mode": mode, "machine_cores": os.cpu_count(), "crates": results},
                               indent=1) + "\n")


if __name__ == "__main__":
    main()
