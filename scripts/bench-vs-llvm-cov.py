#!/usr/bin/env python3
"""Wall time of `cargo truecov` (build + every test alone + decoding + scoring) against
`cargo llvm-cov --json` on the same published crates, side by side on this machine, and a
line-by-line comparison of their raw coverage.

usage: scripts/bench-vs-llvm-cov.py [NAME@VERSION ...]   (default: strsim, semver, hex)
       TRUECOV_BENCH_RUNS=N (default 3), TRUECOV_BENCH_DIR=... (default /tmp/truecov-bench)

Both tools start each measured run from the same state: dependencies built, the crate's own
sources touched so they recompile (cargo llvm-cov's default mode cleans them too). A second
table measures re-runs with nothing to rebuild (`cargo llvm-cov --no-clean`). Crate sources
are fetched from crates.io into a scratch directory; nothing is kept in this repository.
"""
import json, os, shutil, statistics, subprocess, sys, time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORK = Path(os.environ.get("TRUECOV_BENCH_DIR", "/tmp/truecov-bench"))
RUNS = int(os.environ.get("TRUECOV_BENCH_RUNS", "3"))
DEFAULT = ["strsim@0.11.1", "semver@1.0.27", "hex@0.4.3"]


def sh(cmd, cwd=None, env=None, check=True):
    r = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if check and r.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, cmd))}\n{r.stderr[-3000:]}")
    return r


def fetch(name, version):
    dest = WORK / f"{name}-{version}"
    if dest.exists():
        return dest
    probe = WORK / "probe"
    shutil.rmtree(probe, ignore_errors=True)
    (probe / "src").mkdir(parents=True)
    (probe / "src/lib.rs").write_text("")
    (probe / "Cargo.toml").write_text(
        f'[package]\nname="probe"\nversion="0.0.0"\nedition="2021"\n[workspace]\n[dependencies]\n{name}="={version}"\n')
    sh(["cargo", "fetch", "-q"], cwd=probe)
    home = Path(os.environ.get("CARGO_HOME", Path.home() / ".cargo"))
    src = next((home / "registry/src").glob(f"*/{name}-{version}"))
    shutil.copytree(src, dest)
    # A published crate is its own workspace.
    manifest = dest / "Cargo.toml"
    text = manifest.read_text()
    if "[workspace]" not in text:
        manifest.write_text(text + "\n[workspace]\n")
    return dest


def truecov_bin():
    sh(["cargo", "build", "--release", "-q", "--bin", "cargo-truecov"], cwd=REPO)
    return REPO / "target/release/cargo-truecov"


def ensure_llvm_cov():
    if shutil.which("cargo-llvm-cov") is None:
        sh(["cargo", "install", "cargo-llvm-cov", "--locked", "-q"])
    sh(["rustup", "component", "add", "llvm-tools-preview"])


def touch_sources(crate):
    """Touches the crate's own `.rs` files, none under a target directory (`target`,
    `target-truecov`, ...): generated sources of dependencies' build scripts live there, and
    touching them would rebuild those dependencies too."""
    now = time.time()
    for p in crate.rglob("*.rs"):
        if not any(part.startswith("target") for part in p.relative_to(crate).parts):
            os.utime(p, (now, now))


def lcov_lines(text):
    out, cur = {}, None
    for line in text.splitlines():
        if line.startswith("SF:"):
            cur = out.setdefault(line[3:], {})
        elif line.startswith("DA:"):
            l, c = line[3:].split(",")[:2]
            cur[int(l)] = cur.get(int(l), 0) + int(c)
    return out


def compare(crate, truecov, llvm_target):
    """Lines of each library file: executed for us vs executed for llvm-cov."""
    ours = json.loads(sh([truecov, "truecov", "coverage", "-q", "--format", "json",
                          "--target-dir", str(crate / "target-truecov")], cwd=crate).stdout)
    env = dict(os.environ, CARGO_TARGET_DIR=str(llvm_target))
    lcov = sh(["cargo", "llvm-cov", "report", "--lcov"], cwd=crate, env=env).stdout
    theirs = lcov_lines(lcov)
    root = str(crate.resolve())
    diffs = lines = 0
    for rel, f in ours["files"].items():
        llvm = theirs.get(f"{root}/{rel}", {})
        for l in f["coverable"]:
            lines += 1
            if (llvm.get(l, 0) > 0) != (l in set(f["executed"])):
                diffs += 1
    return lines, diffs


def main():
    specs = sys.argv[1:] or DEFAULT
    WORK.mkdir(parents=True, exist_ok=True)
    ensure_llvm_cov()
    truecov = truecov_bin()
    rows = []
    for spec in specs:
        name, version = spec.split("@")
        crate = fetch(name, version)
        llvm_target = crate / "target-llvm-cov"
        env = dict(os.environ, CARGO_TARGET_DIR=str(llvm_target))
        tc = [truecov, "truecov", "-q", "--format", "json", "--target-dir", str(crate / "target-truecov")]
        if "--no-record" in sh([truecov, "truecov", "--help"]).stdout:
            tc.append("--no-record")
        lc = ["cargo", "llvm-cov", "--json", "--output-path", "/dev/null"]
        # Warm both: dependencies built, profiles of the tools' own kinds in place.
        for cmd, e in ((lc, env), (tc, None)):
            r = subprocess.run(cmd, cwd=crate, env=e, capture_output=True, text=True)
            if r.returncode not in (0, 1):
                sys.exit(f"{name}: {' '.join(map(str, cmd))} failed:\n{r.stderr[-3000:]}")
        cold = {"llvm-cov": [], "truecov": []}
        warm = {"llvm-cov": [], "truecov": []}
        for _ in range(RUNS):
            touch_sources(crate)
            cold["llvm-cov"].append(subprocess_time(lc, crate, env))
            touch_sources(crate)
            cold["truecov"].append(subprocess_time(tc, crate, None))
            warm["llvm-cov"].append(subprocess_time(lc + ["--no-clean"], crate, env))
            warm["truecov"].append(subprocess_time(tc, crate, None))
        lines, diffs = compare(crate, truecov, llvm_target)
        rows.append((spec, cold, warm, lines, diffs))
    print(f"\nmachine: {os.cpu_count()} cores; {RUNS} runs each; medians in seconds")
    print(f"{'crate':<16} {'llvm-cov':>9} {'truecov':>9} {'ratio':>6}   {'no-clean':>9} {'truecov':>9} {'ratio':>6}   {'lines':>6} {'differ':>6}")
    for spec, cold, warm, lines, diffs in rows:
        m = {k: statistics.median(v) for k, v in cold.items()}
        w = {k: statistics.median(v) for k, v in warm.items()}
        print(f"{spec:<16} {m['llvm-cov']:>9.2f} {m['truecov']:>9.2f} {m['truecov']/m['llvm-cov']:>6.2f}   "
              f"{w['llvm-cov']:>9.2f} {w['truecov']:>9.2f} {w['truecov']/w['llvm-cov']:>6.2f}   {lines:>6} {diffs:>6}")


def subprocess_time(cmd, cwd, env):
    t = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit(f"failed: {' '.join(map(str, cmd))}\n{r.stderr[-3000:]}")
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
