//! Scan throughput against bare `syn::parse_file` on the same files.
//!
//! `cargo bench -p truecov-analyzer --bench throughput [-- DIR]` reads every `.rs` file under
//! DIR (default: the cargo registry sources, `~/.cargo/registry/src`), then times, on one
//! thread and with the files already in memory, (a) `syn::parse_file` of each and (b) the
//! analyzer's whole per-file scan of each (parse, collect, verdicts, error sites), file by
//! file alternately. It prints the median of several rounds (`TRUECOV_BENCH_ROUNDS`, default
//! 5) and the throughput ratio (a)/(b) (the goal is >= 0.80); `TRUECOV_BENCH_SLOWEST=N` also
//! lists the N files where the scan costs most beyond parsing.
//! Both loops free proc-macro2's span table after each file, as the scan itself does.

use std::path::PathBuf;
use std::time::{Duration, Instant};
use truecov_analyzer::{scan_source, Config};

fn files(dir: &PathBuf) -> Vec<(String, String)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .filter_map(|e| {
            let text = std::fs::read_to_string(e.path()).ok()?;
            // Only files syn can parse, so both sides do the same work.
            syn::parse_file(&text).ok()?;
            Some((e.path().display().to_string(), text))
        })
        .collect()
}

/// Prints the `n` files where the scan costs most beyond parsing (time and ratio).
fn slowest(files: &[(String, String)], config: &Config, n: usize) {
    let mut costs: Vec<(f64, f64, &str)> = files
        .iter()
        .map(|(path, text)| {
            let t = Instant::now();
            std::hint::black_box(syn::parse_file(text).ok());
            proc_macro2::extra::invalidate_current_thread_spans();
            let parse = t.elapsed().as_secs_f64();
            let t = Instant::now();
            std::hint::black_box(scan_source(path, text, config).ok());
            proc_macro2::extra::invalidate_current_thread_spans();
            let scan = t.elapsed().as_secs_f64();
            (scan - parse, scan / parse.max(1e-9), path.as_str())
        })
        .collect();
    costs.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (extra, ratio, path) in costs.iter().take(n) {
        println!("  +{:>8.1} ms  x{ratio:>5.1}  {path}", extra * 1e3);
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let dir = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let home = std::env::var_os("CARGO_HOME")
                .map(PathBuf::from)
                .unwrap_or_else(|| {
                    PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo")
                });
            home.join("registry/src")
        });
    let files = files(&dir);
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    println!(
        "{} files, {:.1} MB under {}",
        files.len(),
        bytes as f64 / 1e6,
        dir.display()
    );
    let config = Config::default();
    let rounds: usize = std::env::var("TRUECOV_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let (mut parse, mut scan) = (Vec::new(), Vec::new());
    let mut tests = 0;
    // Parse and scan of each file alternate, so that load from other processes falls on both
    // sides alike.
    for _ in 0..rounds {
        let (mut p, mut s) = (Duration::ZERO, Duration::ZERO);
        tests = 0;
        for (path, text) in &files {
            let t = Instant::now();
            std::hint::black_box(syn::parse_file(text).ok());
            proc_macro2::extra::invalidate_current_thread_spans();
            p += t.elapsed();
            let t = Instant::now();
            if let Ok(scan) = scan_source(path, text, &config) {
                tests += scan.tests.len();
                std::hint::black_box(scan);
            }
            proc_macro2::extra::invalidate_current_thread_spans();
            s += t.elapsed();
        }
        parse.push(p);
        scan.push(s);
    }
    if let Some(n) = std::env::var("TRUECOV_BENCH_SLOWEST")
        .ok()
        .and_then(|n| n.parse().ok())
    {
        slowest(&files, &config, n);
    }
    let (p, s) = (median(parse), median(scan));
    let mbps = |d: Duration| bytes as f64 / 1e6 / d.as_secs_f64();
    println!(
        "syn::parse_file   median {:>8.1} ms  {:>6.1} MB/s",
        p.as_secs_f64() * 1e3,
        mbps(p)
    );
    println!(
        "truecov scan      median {:>8.1} ms  {:>6.1} MB/s  ({tests} tests)",
        s.as_secs_f64() * 1e3,
        mbps(s)
    );
    println!(
        "throughput ratio  {:.2} (scan throughput / parse throughput; goal >= 0.80)",
        p.as_secs_f64() / s.as_secs_f64()
    );
}
