#!/usr/bin/env python3
"""Wall time of `cargo truecov` (build + every test alone + decoding + scoring) against
`cargo llvm-cov` and `cargo llvm-cov nextest` on the same published crates, side by side on
this machine, with `RUST_BACKTRACE` unset and `=1`; the per-test overhead of truecov over a bare
run of the same test; and a line-by-line comparison of their raw coverage.

usage: scripts/bench-vs-llvm-cov.py [NAME@VERSION ...]
       (default: bytes, regex-syntax, chrono, memchr, url, indexmap, semver, at the versions of
       scripts/real-crates.txt)
       TRUECOV_BENCH_RUNS=N (default 3), TRUECOV_BENCH_DIR=... (default /tmp/truecov-bench),
       TRUECOV_BIN=... (an executable to measure instead of this repository's release build),
       TRUECOV_BENCH_SAMPLE=N (tests per crate timed bare, default 200)

Every measured run is cold for the crate: dependencies built, the crate's own sources touched
so they recompile (cargo llvm-cov's default mode cleans them too), with CARGO_INCREMENTAL=0 for
every tool (so no tool reuses an incremental cache); each tool has its own target directory.
The machine may be shared with other jobs: compare ratios within one run, and read
the load printed with the table.

Per-test overhead: a sample of each crate's passing tests is run bare, each alone in its binary
(`--exact NAME`, as truecov runs it, profile written to a scratch directory), and compared
with truecov's wall time for the same test (`duration_ms` of its report, which is the test
process as truecov spawns and waits for it); the median of the differences is printed, and
`all-in CPU`, truecov's whole CPU time (its own and its children's) per test with one job and
nothing to rebuild (decoding, bookkeeping, scan, listing and cargo's freshness check included)
minus a bare run's, which does not depend on the load of the machine as wall time does.
"""
import importlib.util, json, os, resource, shutil, statistics, subprocess, sys, time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("real_crates", REPO / "scripts/real-crates.py")
REAL_CRATES = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(REAL_CRATES)
WORK = Path(os.environ.get("TRUECOV_BENCH_DIR", "/tmp/truecov-bench"))
RUNS = int(os.environ.get("TRUECOV_BENCH_RUNS", "3"))
SAMPLE = int(os.environ.get("TRUECOV_BENCH_SAMPLE", "200"))
CORPUS = ["bytes", "regex-syntax", "chrono", "memchr", "url", "indexmap", "semver"]
BACKTRACES = {"unset": None, "=1": "1"}


def default_specs():
    """The benchmark's crates at the versions the real-crate corpus pins."""
    pinned = {}
    for line in (REPO / "scripts/real-crates.txt").read_text().splitlines():
        fields = line.split()
        if fields and not fields[0].startswith("#"):
            pinned[fields[0]] = fields[1]
    return [f"{name}@{pinned[name]}" for name in CORPUS]
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


def compare(crate, llvm_target):
    """Library lines of truecov's last report (truecov.json) against a plain `cargo llvm-cov`
    run of its own, as scripts/real-crates.py compares them: (lines compared, lines that differ).
    Not `cargo llvm-cov report`: that reads whatever ran last (the nextest run, which may have
    failed part-way) and so compared truecov with a partial run."""
    lcov_path = crate / "llvm-cov.lcov"
    env = dict(os.environ, CARGO_TARGET_DIR=str(llvm_target))
    subprocess.run(["cargo", "llvm-cov", "--lcov", "--ignore-run-fail", "--output-path", str(lcov_path)],
                   cwd=crate, env=env, capture_output=True)
    report = json.loads((crate / "truecov.json").read_text())
    lcov = REAL_CRATES.parse_lcov(lcov_path.read_text()) if lcov_path.exists() else {}
    compared, differ, _ = REAL_CRATES.compare_lines(report, lcov, crate.resolve())
    return compared, differ


def tool_env(llvm_target, backtrace):
    env = {k: v for k, v in os.environ.items() if k not in ("RUST_BACKTRACE", "RUST_LIB_BACKTRACE")}
    env["CARGO_TARGET_DIR"] = str(llvm_target)
    # Cold means cold for every tool: cargo llvm-cov cleans the crate's artifacts (its
    # incremental cache included) before each run, while truecov's target directory would keep
    # the dev profile's incremental cache and recompile the touched sources in a fraction of
    # the time; without this the ratio depends on the caller's shell.
    env["CARGO_INCREMENTAL"] = "0"
    if backtrace is not None:
        env["RUST_BACKTRACE"] = backtrace
    return env


def commands(crate, truecov):
    tc = [truecov, "truecov", "-q", "--format", "json", "--target-dir", str(crate / "target-truecov"),
          "--output", str(crate / "truecov.json")]
    if "--no-record" in sh([truecov, "truecov", "--help"]).stdout:
        tc.append("--no-record")
    return {
        "llvm-cov": ["cargo", "llvm-cov", "--json", "--output-path", "/dev/null"],
        "nextest": ["cargo", "llvm-cov", "nextest", "--json", "--output-path", "/dev/null"],
        "truecov": tc,
    }


def bare_overhead(crate, truecov, env):
    """Median of (truecov's time for a test - a bare run of it) over a sample of passing
    tests, in ms; and the all-in figure (see the module documentation)."""
    report = json.loads((crate / "truecov.json").read_text())
    tests = [t for t in report["tests"] if t.get("outcome") == "passed" and t.get("duration_ms") is not None]
    binaries = {}
    for exe in (crate / "target-truecov/truecov/debug/deps").iterdir():
        if exe.is_file() and os.access(exe, os.X_OK) and "-" in exe.name and exe.suffix == "":
            listed = subprocess.run([exe, "--list", "--format", "terse"], capture_output=True, text=True, env=env)
            for line in listed.stdout.splitlines():
                if line.endswith(": test"):
                    binaries.setdefault(line[:-6], exe)
    step = max(1, len(tests) // SAMPLE)
    sample = [t for t in tests[::step] if t["name"] in binaries][:SAMPLE]
    scratch = WORK / "bare-profiles"
    diffs = []
    cpu_before = children_cpu()
    for t in sample:
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        e = dict(env, LLVM_PROFILE_FILE=str(scratch / "%p%c.profraw"))
        start = time.perf_counter()
        subprocess.run([binaries[t["name"]], "--exact", t["name"], "--test-threads=1"], cwd=crate, env=e,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        diffs.append(t["duration_ms"] - (time.perf_counter() - start) * 1000)
    if not sample:
        return None, None
    bare_cpu = (children_cpu() - cpu_before) / len(sample)
    cpu_before = children_cpu()
    subprocess_time(commands(crate, truecov)["truecov"] + ["-j", "1"], crate, env)
    truecov_cpu = (children_cpu() - cpu_before) / len(tests)
    return statistics.median(diffs), (truecov_cpu - bare_cpu) * 1000


def children_cpu():
    """User and system seconds of every child process waited for so far (load-independent,
    unlike wall time on a shared machine)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main():
    specs = sys.argv[1:] or default_specs()
    WORK.mkdir(parents=True, exist_ok=True)
    ensure_llvm_cov()
    truecov = Path(os.environ["TRUECOV_BIN"]) if os.environ.get("TRUECOV_BIN") else truecov_bin()
    rows, loads = [], []
    for spec in specs:
        name, version = spec.split("@")
        crate = fetch(name, version)
        cmds = commands(crate, truecov)
        llvm_target = crate / "target-llvm-cov"
        times = {(tool, bt): [] for tool in cmds for bt in BACKTRACES}
        # Warm: dependencies built, each tool's own kind of build in place.
        for tool, cmd in cmds.items():
            subprocess_time(cmd, crate, tool_env(llvm_target, None))
        for _ in range(RUNS):
            for bt, value in BACKTRACES.items():
                for tool, cmd in cmds.items():
                    touch_sources(crate)
                    times[(tool, bt)].append(subprocess_time(cmd, crate, tool_env(llvm_target, value)))
                    loads.append(os.getloadavg()[0])
        overhead = bare_overhead(crate, truecov, tool_env(llvm_target, None))
        lines, diffs = compare(crate, llvm_target)
        medians = {k: None if None in v else statistics.median(v) for k, v in times.items()}
        rows.append((spec, medians, overhead, lines, diffs))
    print(f"\nmachine: {os.cpu_count()} cores, load average {min(loads):.1f}..{max(loads):.1f} during the runs;"
          f" {RUNS} cold runs each; medians in seconds; ratio = truecov / llvm-cov, truecov / nextest")
    print(f"{'crate':<20} {'RUST_BACKTRACE':<14} {'llvm-cov':>9} {'nextest':>9} {'truecov':>9} {'/llvm-cov':>9} {'/nextest':>9}")
    for spec, m, _, _, _ in rows:
        for bt in BACKTRACES:
            l, n, t = m[("llvm-cov", bt)], m[("nextest", bt)], m[("truecov", bt)]
            print(f"{spec:<20} {bt:<14} {secs(l):>9} {secs(n):>9} {secs(t):>9} {ratio(t, l):>9} {ratio(t, n):>9}")
    print(f"\n{'crate':<20} {'per-test overhead ms (median)':>30} {'all-in CPU ms':>14} {'lines':>7} {'differ':>7}")
    for spec, _, (median, all_in), lines, diffs in rows:
        med = "-" if median is None else f"{median:.2f}"
        alli = "-" if all_in is None else f"{all_in:.2f}"
        print(f"{spec:<20} {med:>30} {alli:>14} {lines:>7} {diffs:>7}")


def secs(value):
    """A median in seconds for the table, or n/a when the tool could not run."""
    return "n/a" if value is None else f"{value:.2f}"


def ratio(a, b):
    """a / b for the table, or n/a when either tool could not run."""
    return "n/a" if a is None or b is None else f"{a / b:.2f}"


def subprocess_time(cmd, cwd, env):
    t = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        # A tool that cannot run a crate (nextest on a harness = false target) gets no time;
        # the table says n/a for it instead of the whole benchmark stopping.
        print(f"failed: {' '.join(map(str, cmd))}\n{r.stderr[-1500:]}", file=sys.stderr)
        return None
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
