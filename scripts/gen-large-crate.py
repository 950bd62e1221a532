#!/usr/bin/env python3
"""A generated crate with many tests, for the large-suite benchmark of issue 13 (not in CI),
and its measurement: wall time, peak memory and the size of the run in the history.

usage: scripts/gen-large-crate.py DIR N            writes a crate with N tests into DIR
       scripts/gen-large-crate.py --bench DIR N... generates one crate per N under DIR, runs
                                                   `cargo truecov` on each (one cold run: the
                                                   crate's build included) and prints a table
       TRUECOV_BIN=... runs that executable instead of building this repository's release

The crate has 100 library functions (branches, an error path, a panic) in 10 modules. Its
tests are spread over integration test files of 1,000 tests and the library's unit tests, as
large suites are; one in ten is `#[should_panic]` (their backtraces are what RUST_BACKTRACE=1
costs), one in twenty asserts nothing (`assertion_free`), one in fifty checks an error. Test i calls function i % 100 and its neighbour, so
per-test line sets differ and overlap as real ones do.
"""
import os, re, shutil, sqlite3, subprocess, sys, time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FUNCTIONS = 100
MODULES = 10
PER_FILE = 1000


def function(k):
    return f"""
/// Function {k} of the generated library.
pub fn f{k}(x: u64) -> Result<u64, String> {{
    if x == u64::MAX {{
        return Err(format!("f{k}: {{x}} is too large"));
    }}
    let mut acc = x;
    for step in 0..(x % 7) {{
        if step % 2 == 0 {{
            acc = acc.wrapping_mul({k + 3}).wrapping_add(step);
        }} else {{
            acc ^= {k * 31 + 7};
        }}
    }}
    Ok(acc % 1_000_003)
}}

/// Panics on zero, as function {k}'s checked variant.
pub fn checked{k}(x: u64) -> u64 {{
    assert!(x != 0, "checked{k}: zero");
    {k} + x
}}
"""


def test(i, unit):
    k = i % FUNCTIONS
    m = k % MODULES
    root = "crate::" if unit else "large::"
    path = f"{root}m{m}::"
    n = (k + 1) % FUNCTIONS
    npath = f"{root}m{n % MODULES}::"
    if i % 10 == 3:
        return f"""
#[test]
#[should_panic(expected = "zero")]
fn t{i}() {{
    {path}checked{k}(0);
}}
"""
    if i % 20 == 7:
        return f"""
#[test]
fn t{i}() {{
    let _ = {path}f{k}({i});
}}
"""
    if i % 50 == 11:
        return f"""
#[test]
fn t{i}() {{
    assert!({path}f{k}(u64::MAX).is_err());
}}
"""
    return f"""
#[test]
fn t{i}() {{
    let a = {path}f{k}({i}).unwrap();
    let b = {npath}f{n}({i} + 1).unwrap();
    assert!(a < 1_000_003 && b < 1_000_003, "{{a}} {{b}}");
    assert_eq!({path}checked{k}({i} + 1), {k} + {i} + 1);
}}
"""


def generate(dest, n):
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "src").mkdir(parents=True)
    (dest / "tests").mkdir()
    (dest / "Cargo.toml").write_text(
        '[package]\nname = "large"\nversion = "0.1.0"\nedition = "2021"\npublish = false\n\n[workspace]\n')
    unit = n % PER_FILE if n >= PER_FILE else n
    files = (n - unit) // PER_FILE
    lib = ["//! A generated library with many tests.\n"]
    for m in range(MODULES):
        body = "".join(function(k) for k in range(FUNCTIONS) if k % MODULES == m)
        if m == 0 and unit:
            body += "\n#[cfg(test)]\nmod tests {\n" + "".join(test(i, True) for i in range(unit)) + "}\n"
        lib.append(f"/// Module {m}.\npub mod m{m} {{{body}}}\n")
    (dest / "src/lib.rs").write_text("\n".join(lib))
    for f in range(files):
        first = unit + f * PER_FILE
        text = "".join(test(i, False) for i in range(first, first + PER_FILE))
        (dest / f"tests/t{f}.rs").write_text(text)


def truecov_bin():
    if os.environ.get("TRUECOV_BIN"):
        return Path(os.environ["TRUECOV_BIN"])
    subprocess.run(["cargo", "build", "--release", "-q", "--bin", "cargo-truecov"], cwd=REPO, check=True)
    return REPO / "target/release/cargo-truecov"


def bench(root, sizes):
    truecov = truecov_bin()
    rows = []
    for n in sizes:
        crate = root / f"large-{n}"
        generate(crate, n)
        db = crate / "history.db"
        cmd = ["/usr/bin/time", "-v", str(truecov), "truecov", "-q", "--format", "json",
               "--output", str(crate / "report.json"), "--db", str(db)]
        start = time.perf_counter()
        r = subprocess.run(cmd, cwd=crate, capture_output=True, text=True)
        wall = time.perf_counter() - start
        if r.returncode not in (0, 1):
            sys.exit(f"large-{n}: cargo truecov failed:\n{r.stderr[-3000:]}")
        peak_kib = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr).group(1))
        rows.append((n, wall, peak_kib / 1024, history_bytes(db)))
    load = os.getloadavg()[0]
    print(f"\nmachine: {os.cpu_count()} cores, load {load:.1f}; one cold run each (build included)")
    print(f"{'tests':>7} {'wall s':>8} {'ms/test':>8} {'peak MiB':>9} {'history KiB':>12}")
    for n, wall, peak, size in rows:
        print(f"{n:>7} {wall:>8.1f} {1000 * wall / n:>8.2f} {peak:>9.0f} {size / 1024:>12.0f}")


def history_bytes(db):
    """Bytes the one recorded run takes in the history: the pages of every table and index
    (`dbstat`), which is the run's rows since the file holds that run only."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT SUM(pgsize) FROM dbstat").fetchone()[0]
    except sqlite3.OperationalError:
        return os.path.getsize(db)
    finally:
        conn.close()


def main(args):
    if args[:1] == ["--bench"] and len(args) >= 3:
        bench(Path(args[1]), [int(n) for n in args[2:]])
    elif len(args) == 2:
        generate(Path(args[0]), int(args[1]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
