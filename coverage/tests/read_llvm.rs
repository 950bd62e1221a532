//! Cross-checks of the native coverage readers against llvm-tools on real instrumented builds,
//! and corruption tests on the same real data.
//!
//! Fixture crates under `tests/fixtures/read/` are built once per test binary with
//! `-C instrument-coverage`; their tests run with `LLVM_PROFILE_FILE` set; then every region
//! count, every segment and every line count of the native reader is compared with
//! `llvm-profdata merge` + `llvm-cov export` on the same binaries and profiles.
//!
//! llvm-tools are required: install them with `rustup component add llvm-tools-preview`.

use proptest::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use truecov_coverage::read::{
    build_segments, import, BinaryMapping, EvalError, Evaluated, Profile, ProfrawError, ReadError,
    RegionKind, Segment,
};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/read")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("read-llvm")
        .join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn rustc_output(args: &[&str]) -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(rustc).args(args).output().expect("rustc runs");
    assert!(out.status.success(), "rustc {args:?} failed");
    String::from_utf8(out.stdout).unwrap()
}

/// Path of an llvm-tools binary of the active toolchain; fails the test if it is missing.
fn llvm_tool(name: &str) -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    let bin = BIN.get_or_init(|| {
        let sysroot = rustc_output(&["--print", "sysroot"]);
        let host = rustc_output(&["-vV"])
            .lines()
            .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
            .expect("rustc -vV prints the host");
        Path::new(sysroot.trim())
            .join("lib/rustlib")
            .join(host)
            .join("bin")
    });
    let tool = bin.join(name);
    assert!(
        tool.exists(),
        "{name} not found at {}: these tests need llvm-tools; install them with \
         `rustup component add llvm-tools-preview`",
        tool.display()
    );
    tool
}

fn run_ok(cmd: &mut Command) -> Vec<u8> {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Test executables of a fixture crate built with `-C instrument-coverage`, keyed by target
/// name (`lib` for the unit tests).
fn build_fixture(name: &str) -> BTreeMap<String, PathBuf> {
    let target = scratch(&format!("target-{name}"));
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args([
        "test",
        "--no-run",
        "--message-format=json",
        "--manifest-path",
    ])
    .arg(fixtures().join(name).join("Cargo.toml"))
    .env("CARGO_TARGET_DIR", &target)
    .env("RUSTFLAGS", "-C instrument-coverage")
    .env("LLVM_PROFILE_FILE", target.join("build-%p-%m.profraw"))
    .env_remove("CARGO_ENCODED_RUSTFLAGS")
    .env_remove("CARGO_BUILD_RUSTFLAGS");
    let stdout = run_ok(&mut cmd);
    let mut out = BTreeMap::new();
    for line in String::from_utf8(stdout).unwrap().lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        if v["reason"] == "compiler-artifact" && v["profile"]["test"] == true {
            if let Some(exe) = v["executable"].as_str() {
                let kind = v["target"]["kind"][0].as_str().unwrap();
                let key = if kind == "lib" {
                    "lib".to_string()
                } else {
                    v["target"]["name"].as_str().unwrap().to_string()
                };
                out.insert(key, PathBuf::from(exe));
            }
        }
    }
    out
}

/// Runs a test executable (optionally one test) and returns its profile.
fn run_test(exe: &Path, test: Option<&str>, tag: &str) -> PathBuf {
    let dir = scratch("profiles");
    let profile = dir.join(format!("{tag}.profraw"));
    let _ = std::fs::remove_file(&profile);
    let mut cmd = Command::new(exe);
    cmd.env("LLVM_PROFILE_FILE", &profile).arg("--quiet");
    if let Some(t) = test {
        cmd.args(["--exact", t]);
    }
    run_ok(&mut cmd);
    profile
}

fn list_tests(exe: &Path) -> Vec<String> {
    let dir = scratch("profiles");
    let out = run_ok(
        Command::new(exe)
            .env("LLVM_PROFILE_FILE", dir.join("list-%p.profraw"))
            .args(["--list", "--format", "terse"]),
    );
    String::from_utf8(out)
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_suffix(": test").map(str::to_owned))
        .collect()
}

struct Shapes {
    unit: PathBuf,
    integration: PathBuf,
    unit_profile: PathBuf,
    integration_profile: PathBuf,
}

fn shapes() -> &'static Shapes {
    static SHAPES: OnceLock<Shapes> = OnceLock::new();
    SHAPES.get_or_init(|| {
        let exes = build_fixture("shapes");
        let unit = exes["lib"].clone();
        let integration = exes["integration"].clone();
        let unit_profile = run_test(&unit, None, "shapes-unit");
        let integration_profile = run_test(&integration, None, "shapes-integration");
        Shapes {
            unit,
            integration,
            unit_profile,
            integration_profile,
        }
    })
}

/// What a cross-check compared.
#[derive(Debug, Default)]
struct Compared {
    files: usize,
    regions: usize,
    segments: usize,
    lines: usize,
}

fn json_segments(json: &Value) -> BTreeMap<String, Vec<Segment>> {
    let mut out = BTreeMap::new();
    for f in json["data"][0]["files"].as_array().unwrap() {
        let segs = f["segments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| Segment {
                line: s[0].as_u64().unwrap() as u32,
                col: s[1].as_u64().unwrap() as u32,
                count: s[2].as_u64().unwrap(),
                has_count: s[3].as_bool().unwrap(),
                is_region_entry: s[4].as_bool().unwrap(),
                is_gap: s[5].as_bool().unwrap(),
            })
            .collect();
        out.insert(f["filename"].as_str().unwrap().to_string(), segs);
    }
    out
}

/// Evaluates natively (one evaluation per binary, merged at region level) and compares with
/// `llvm-cov export` over all binaries and the merged profiles.
fn crosscheck(pairs: &[(&Path, &Path)], tag: &str) -> (Evaluated, Compared) {
    let parts: Vec<Evaluated> = pairs
        .iter()
        .map(|(exe, profile)| {
            let mapping = BinaryMapping::from_path(exe).unwrap();
            let profile = Profile::parse(&std::fs::read(profile).unwrap()).unwrap();
            mapping.evaluate(&profile).unwrap()
        })
        .collect();
    let native = if parts.len() == 1 {
        parts[0].clone()
    } else {
        Evaluated::merge_all(&parts)
    };

    let profdata = scratch("profiles").join(format!("{tag}.profdata"));
    let mut merge = Command::new(llvm_tool("llvm-profdata"));
    merge.args(["merge", "-o"]).arg(&profdata);
    for (_, p) in pairs {
        merge.arg(p);
    }
    run_ok(&mut merge);
    let export = |format: &str| {
        let mut cmd = Command::new(llvm_tool("llvm-cov"));
        cmd.args(["export", &format!("-format={format}"), "-instr-profile"])
            .arg(&profdata)
            .arg(pairs[0].0);
        for (exe, _) in &pairs[1..] {
            cmd.arg("-object").arg(exe);
        }
        String::from_utf8(run_ok(&mut cmd)).unwrap()
    };
    let json_text = export("text");
    let json: Value = serde_json::from_str(&json_text).unwrap();
    let llvm_regions = import::llvm_cov_json(&json_text).unwrap();
    let llvm_lines = import::lcov(&export("lcov")).unwrap();
    let llvm_segments = json_segments(&json);

    let mut c = Compared::default();
    assert_eq!(
        native.files.keys().collect::<Vec<_>>(),
        llvm_regions.files.keys().collect::<Vec<_>>(),
        "{tag}: files differ"
    );
    for (path, file) in &native.files {
        let theirs = &llvm_regions.files[path];
        assert_eq!(
            file.regions.len(),
            theirs.regions.len(),
            "{tag}: {path}: region count"
        );
        for (ours, theirs) in file.regions.iter().zip(&theirs.regions) {
            assert_eq!(ours, theirs, "{tag}: {path}: region differs");
        }
        c.regions += file.regions.len();
        let segments = build_segments(&file.regions);
        assert_eq!(
            segments, llvm_segments[path],
            "{tag}: {path}: segments differ"
        );
        c.segments += segments.len();
        let lines = &llvm_lines.files[path].lines;
        assert_eq!(&file.lines, lines, "{tag}: {path}: line counts differ");
        c.lines += lines.len();
        c.files += 1;
    }
    (native, c)
}

fn file<'a>(e: &'a Evaluated, suffix: &str) -> &'a truecov_coverage::read::FileCounts {
    e.files
        .iter()
        .find(|(p, _)| p.ends_with(suffix))
        .map(|(_, f)| f)
        .unwrap_or_else(|| panic!("no file ending in {suffix}"))
}

fn line_count(e: &Evaluated, suffix: &str, needle: &str) -> u64 {
    let path = e.files.keys().find(|p| p.ends_with(suffix)).unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle} not in {suffix}")) as u32
        + 1;
    file(e, suffix)
        .lines
        .iter()
        .find(|l| l.line == line)
        .unwrap_or_else(|| panic!("line {line} ({needle}) is not mapped"))
        .count
}

#[test]
fn unit_binary_matches_llvm_cov() {
    let s = shapes();
    let (e, c) = crosscheck(&[(&s.unit, &s.unit_profile)], "unit");
    eprintln!("unit: {c:?}");
    assert!(c.regions > 100 && c.lines > 80, "{c:?}");
    // Error paths got their own regions, counted per the tests.
    assert_eq!(
        line_count(&e, "shapes/src/lib.rs", "return Err(ShapeError::Empty)"),
        1
    );
    assert_eq!(
        line_count(
            &e,
            "shapes/src/lib.rs",
            "return Err(ShapeError::NonPositive)"
        ),
        0
    );
    assert_eq!(line_count(&e, "shapes/src/lib.rs", "_ => panic!"), 1);
    assert_eq!(
        line_count(&e, "shapes/src/lib.rs", "pub fn never_called"),
        0
    );
    // describe::<i32>, ::<f64>, ::<&str>: three instantiations summed.
    assert_eq!(
        line_count(&e, "shapes/src/lib.rs", "format!(\"{label}: {value}\")"),
        2
    );
    // The `?` of `number(w)?` has a one-column region that ran once (the "ax4" case).
    let lib = file(&e, "shapes/src/lib.rs");
    let text = std::fs::read_to_string(
        e.files
            .keys()
            .find(|p| p.ends_with("shapes/src/lib.rs"))
            .unwrap(),
    )
    .unwrap();
    let (qline, qtext) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("let w = number(w)?;"))
        .unwrap();
    let qcol = qtext.find('?').unwrap() as u32 + 1;
    let q = lib
        .regions
        .iter()
        .find(|r| r.span.start_line == qline as u32 + 1 && r.span.start_col == qcol)
        .expect("region on `?`");
    assert_eq!(
        (q.span.end_col, q.count, q.kind),
        (qcol + 1, 1, RegionKind::Code)
    );
    // helper's #[inline] generics were instantiated here too.
    assert!(file(&e, "helper/src/lib.rs")
        .lines
        .iter()
        .any(|l| l.count > 0));
}

#[test]
fn integration_binary_matches_llvm_cov() {
    let s = shapes();
    let (e, c) = crosscheck(&[(&s.integration, &s.integration_profile)], "integration");
    eprintln!("integration: {c:?}");
    assert!(c.regions > 100, "{c:?}");
    assert_eq!(
        line_count(
            &e,
            "shapes/src/lib.rs",
            "return Err(ShapeError::NonPositive)"
        ),
        1
    );
    assert!(line_count(&e, "helper/src/lib.rs", "best = item;") > 0);
}

#[test]
fn merged_binaries_match_llvm_cov() {
    let s = shapes();
    let (e, c) = crosscheck(
        &[
            (&s.unit, &s.unit_profile),
            (&s.integration, &s.integration_profile),
        ],
        "merged",
    );
    eprintln!("merged: {c:?}");
    // Both binaries' error paths are counted once merged.
    assert_eq!(
        line_count(
            &e,
            "shapes/src/lib.rs",
            "return Err(ShapeError::NonPositive)"
        ),
        1
    );
    assert_eq!(
        line_count(&e, "shapes/src/lib.rs", "return Err(ShapeError::Empty)"),
        1
    );
    assert_eq!(
        line_count(&e, "shapes/src/lib.rs", "pub fn never_called"),
        0
    );
    // The same merge done incrementally gives the same result.
    let mut incremental = Evaluated::default();
    for (exe, profile) in [
        (&s.integration, &s.integration_profile),
        (&s.unit, &s.unit_profile),
    ] {
        let m = BinaryMapping::from_path(exe).unwrap();
        incremental.merge(
            &m.evaluate(&Profile::parse(&std::fs::read(profile).unwrap()).unwrap())
                .unwrap(),
        );
    }
    assert_eq!(incremental, e);
}

#[test]
fn each_test_alone_matches_llvm_cov() {
    let s = shapes();
    let mut total = Compared::default();
    let mut runs = 0;
    for (exe, target) in [(&s.unit, "unit"), (&s.integration, "it")] {
        let tests = list_tests(exe);
        assert!(tests.len() >= 2, "{tests:?}");
        for t in tests {
            let tag = format!("{target}-{}", t.replace("::", "-"));
            let profile = run_test(exe, Some(&t), &tag);
            let (_, c) = crosscheck(&[(exe, &profile)], &tag);
            total.regions += c.regions;
            total.lines += c.lines;
            total.segments += c.segments;
            runs += 1;
        }
    }
    eprintln!("{runs} single-test runs: {total:?}");
    assert_eq!(runs, 7);
}

#[test]
fn inline_functions_have_duplicate_profile_records_that_are_summed() {
    let s = shapes();
    let raw = std::fs::read(&s.integration_profile).unwrap();
    let num_data = u64::from_le_bytes(raw[24..32].try_into().unwrap()) as usize;
    let profile = Profile::parse(&raw).unwrap();
    assert!(
        profile.len() < num_data,
        "expected duplicate (NameRef, hash) records: {num_data} raw, {} distinct",
        profile.len()
    );
}

#[test]
fn continuous_mode_profile_of_an_aborted_process_matches_llvm_cov() {
    let dir = scratch("abort");
    let exe = dir.join("abort");
    run_ok(
        Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
            .args([
                "-C",
                "instrument-coverage",
                "-C",
                "llvm-args=-runtime-counter-relocation",
            ])
            .arg("-o")
            .arg(&exe)
            .arg(fixtures().join("abort/main.rs"))
            .env("LLVM_PROFILE_FILE", dir.join("rustc-%p.profraw")),
    );
    for entry in std::fs::read_dir(&dir).unwrap() {
        let p = entry.unwrap().path();
        if p.file_name().unwrap().to_string_lossy().starts_with("run-") {
            std::fs::remove_file(p).unwrap();
        }
    }
    let status = Command::new(&exe)
        .env("LLVM_PROFILE_FILE", dir.join("run-%c%p.profraw"))
        .status()
        .unwrap();
    assert!(!status.success(), "the fixture aborts");
    let profile = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("run-"))
        .expect("continuous mode leaves a profile");
    let (e, c) = crosscheck(&[(&exe, &profile)], "abort");
    eprintln!("abort: {c:?}");
    assert_eq!(line_count(&e, "abort/main.rs", "x / 2"), 11);
    assert_eq!(line_count(&e, "abort/main.rs", "3 * x + 1"), 5);
    assert_eq!(line_count(&e, "abort/main.rs", "println!(\"never\")"), 0);
}

#[test]
fn profile_of_another_binary_is_a_typed_error() {
    let s = shapes();
    let unit = BinaryMapping::from_path(&s.unit).unwrap();
    let integration = BinaryMapping::from_path(&s.integration).unwrap();
    assert_ne!(unit.build_id(), integration.build_id());
    assert!(unit.build_id().is_some_and(|id| id.len() >= 8));
    let other = Profile::parse(&std::fs::read(&s.integration_profile).unwrap()).unwrap();
    assert_eq!(
        other.binary_ids(),
        [integration.build_id().unwrap().to_vec()]
    );
    let err = unit.evaluate(&other).unwrap_err();
    assert!(matches!(err, EvalError::BinaryIdMismatch { .. }), "{err}");
    assert!(err
        .to_string()
        .contains(&truecov_coverage::read::hex(unit.build_id().unwrap())));
}

#[test]
fn mapping_exposes_demangled_functions_and_files() {
    let s = shapes();
    let m = BinaryMapping::from_path(&s.unit).unwrap();
    assert_eq!(m.version(), 6);
    let names: Vec<&str> = m.functions().iter().map(|f| f.demangled.as_str()).collect();
    assert!(names.contains(&"shapes::parse_rect"), "{names:?}");
    assert!(
        names
            .iter()
            .filter(|n| n.starts_with("shapes::describe"))
            .count()
            >= 3
    );
    assert!(m.files().iter().all(|f| f.starts_with('/')));
    let f = m
        .functions()
        .iter()
        .find(|f| f.demangled == "shapes::parse_rect")
        .unwrap();
    assert!(f.func_hash != 0);
    assert!(f
        .regions
        .iter()
        .all(|r| m.files()[r.file as usize].ends_with("src/lib.rs")));
    // The never-called public function is still mapped (from the lib's unused-function record).
    assert!(names.contains(&"shapes::never_called"));
}

fn section(bytes: &[u8], name: &str) -> (usize, usize) {
    use object::{Object, ObjectSection};
    let f = object::File::parse(bytes).unwrap();
    let s = f.section_by_name(name).unwrap();
    let (off, size) = s.file_range().unwrap();
    (off as usize, size as usize)
}

/// `__llvm_prf_names`, `__llvm_covmap`, `__llvm_covfun` and the profile of a real build.
type Sections = (Vec<u8>, Vec<u8>, Vec<u8>, Vec<u8>);

/// Real sections of the unit binary, for corruption tests.
fn unit_sections() -> &'static Sections {
    static S: OnceLock<Sections> = OnceLock::new();
    S.get_or_init(|| {
        let bin = std::fs::read(&shapes().unit).unwrap();
        let get = |n| {
            let (o, l) = section(&bin, n);
            bin[o..o + l].to_vec()
        };
        let profile = std::fs::read(&shapes().unit_profile).unwrap();
        (
            get("__llvm_prf_names"),
            get("__llvm_covmap"),
            get("__llvm_covfun"),
            profile,
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn corrupted_profiles_error_or_evaluate(cut in 0usize..4096, flips in prop::collection::vec((0usize..4096, 1u8..=255), 0..6)) {
        let (names, covmap, covfun, profile) = unit_sections();
        let mapping = BinaryMapping::from_sections(None, names, covmap, covfun).unwrap();
        let mut p = profile.clone();
        for (at, x) in flips {
            let i = at % p.len();
            p[i] ^= x;
        }
        p.truncate(cut.min(p.len()));
        if let Ok(profile) = Profile::parse(&p) {
            let _ = mapping.evaluate(&profile);
        }
    }

    #[test]
    fn corrupted_mappings_error_or_evaluate(which in 0usize..3, cut in 0usize..100_000, flips in prop::collection::vec((0usize..100_000, 1u8..=255), 1..6)) {
        let (names, covmap, covfun, profile) = unit_sections();
        let mut parts = [names.clone(), covmap.clone(), covfun.clone()];
        let target = &mut parts[which];
        for (at, x) in flips {
            let i = at % target.len();
            target[i] ^= x;
        }
        if cut < target.len() {
            target.truncate(cut);
        }
        if let Ok(m) = BinaryMapping::from_sections(None, &parts[0], &parts[1], &parts[2]) {
            let _ = m.evaluate(&Profile::parse(profile).unwrap());
        }
    }
}

#[test]
fn truncated_real_profile_names_the_problem() {
    let (_, _, _, profile) = unit_sections();
    let err = Profile::parse(&profile[..profile.len() - 9]).unwrap_err();
    assert!(matches!(err, ProfrawError::Truncated { .. }), "{err}");
    assert!(matches!(
        Profile::parse(&[]),
        Err(ProfrawError::Truncated { .. })
    ));
    let (names, covmap, covfun, _) = unit_sections();
    let err = BinaryMapping::from_sections(None, names, &covmap[..20], covfun).unwrap_err();
    assert!(
        matches!(
            err,
            ReadError::Truncated {
                section: "__llvm_covmap",
                offset: 16
            }
        ),
        "{err}"
    );
    let mut future = covmap.clone();
    future[12..16].copy_from_slice(&7u32.to_le_bytes());
    let err = BinaryMapping::from_sections(None, names, &future, covfun).unwrap_err();
    assert!(err.to_string().contains("version 7"), "{err}");
}

/// Decoding speed, printed (run with `--nocapture`); timing bounds are loose so a busy machine
/// does not fail it. `READ_SPEED_BINARY` and `READ_SPEED_PROFILE` measure another binary.
#[test]
fn decoding_speed() {
    use std::time::Instant;
    let (bin, prof) = match (
        std::env::var_os("READ_SPEED_BINARY"),
        std::env::var_os("READ_SPEED_PROFILE"),
    ) {
        (Some(b), Some(p)) => (PathBuf::from(b), PathBuf::from(p)),
        _ => (shapes().unit.clone(), shapes().unit_profile.clone()),
    };
    let bytes = std::fs::read(&bin).unwrap();
    let t = Instant::now();
    let mapping = BinaryMapping::from_bytes(&bytes).unwrap();
    let read_ms = t.elapsed().as_secs_f64() * 1e3;
    let regions: usize = mapping.functions().iter().map(|f| f.regions.len()).sum();

    let raw = std::fs::read(&prof).unwrap();
    // Concatenated copies of the profile: one big input, every record a duplicate to sum.
    let copies = (64 << 20) / raw.len().max(1);
    let mut big = Vec::with_capacity(copies * raw.len());
    for _ in 0..copies {
        big.extend_from_slice(&raw);
    }
    let t = Instant::now();
    let merged = Profile::parse(&big).unwrap();
    let secs = t.elapsed().as_secs_f64();
    let gbps = big.len() as f64 / secs / 1e9;

    let profile = Profile::parse(&raw).unwrap();
    let n = 200;
    let t = Instant::now();
    for _ in 0..n {
        let p = Profile::parse(&raw).unwrap();
        std::hint::black_box(mapping.evaluate(&p).unwrap());
    }
    let per_test_us = t.elapsed().as_secs_f64() * 1e6 / n as f64;
    eprintln!(
        "binary {} ({} functions, {regions} regions): read in {read_ms:.1} ms; \
         profile {} bytes: {:.2} GB/s over {} MB ({} records after summing); \
         parse + evaluate one test: {per_test_us:.0} µs",
        bin.display(),
        mapping.functions().len(),
        raw.len(),
        gbps,
        big.len() >> 20,
        merged.len(),
    );
    assert_eq!(merged.len(), profile.len());
    assert!(per_test_us < 50_000.0 && read_ms < 10_000.0);
    let (_, c) = crosscheck(&[(&bin, &prof)], "speed");
    eprintln!("cross-checked: {c:?}");
}
