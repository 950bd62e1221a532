//! What `cargo truecov explain` prints: why a test has its verdict (the oracles and tautologies
//! the scan found, what the test ran) or a function its class (the tests that ran it, the error
//! sites each reached and what its mutants showed).

use std::fmt::Write;
use truecov_model::{FunctionClass, FunctionEntry, OracleKind, Report, Scan, TestCase, Verdict};

fn kind_name(k: OracleKind) -> &'static str {
    match k {
        OracleKind::Meaningful => "meaningful",
        OracleKind::ErrorObserving => "meaningful, observes a failure",
        OracleKind::Smoke => "smoke",
        OracleKind::Tautological => "tautological",
    }
}

/// Why a test has its verdict: its checks and findings, and, from the report, how it ran and
/// what it executed.
pub fn test(t: &TestCase, report: Option<&Report>) -> String {
    // The report knows what the build made of the test (`not_built`); the scan only its body.
    let entry = report.and_then(|r| {
        let i = r
            .tests
            .iter()
            .position(|e| e.package == t.package && e.target == t.target && e.name == t.name)?;
        Some((r, i))
    });
    let verdict = entry.map_or(t.verdict, |(r, i)| r.tests[i].verdict);
    let mut out = format!("{}:{}  {} — {}\n", t.file, t.line, t.name, verdict);
    if t.oracles.is_empty() {
        out.push_str("  checks: none\n");
    } else {
        out.push_str("  checks:\n");
        for o in &t.oracles {
            let _ = writeln!(
                out,
                "    {}:{}  {}  ({})",
                o.file,
                o.line,
                o.what,
                kind_name(o.kind)
            );
        }
    }
    for f in &t.findings {
        let _ = writeln!(out, "  [{}] :{} {}", f.rule, f.line, f.message);
    }
    if let Some((r, i)) = entry {
        let e = &r.tests[i];
        if let Some(o) = &e.outcome {
            let _ = writeln!(
                out,
                "  ran alone: {o}{}",
                e.duration_ms
                    .map(|d| format!(" in {d} ms"))
                    .unwrap_or_default()
            );
        }
        if let Some(printed) = &e.failure {
            out.push_str("  it printed:\n");
            for line in printed.lines() {
                let _ = writeln!(out, "    {line}");
            }
        }
        let ran: Vec<&FunctionEntry> = r
            .functions
            .iter()
            .filter(|f| f.executed_by.contains(&i))
            .collect();
        if !ran.is_empty() {
            let _ = writeln!(out, "  executed {} library functions:", ran.len());
            for f in ran.iter().take(12) {
                let _ = writeln!(
                    out,
                    "    {}:{}  {}",
                    f.file,
                    f.line,
                    crate::run::short_name(&f.name)
                );
            }
        }
    }
    match verdict {
        Verdict::Meaningful => {}
        Verdict::Smoke => out.push_str("  to make it meaningful: assert on the values it returns, not only that nothing failed.\n"),
        Verdict::Tautological => out.push_str("  to make it meaningful: compare what the code computed with a value worked out independently.\n"),
        Verdict::AssertionFree => out.push_str("  to make it meaningful: add an assertion on what the code under test returned or changed.\n"),
        Verdict::Unknown => out.push_str("  the scan could not read its body: write it as a plain test function, or as a `macro_rules!` of this crate.\n"),
        Verdict::NotBuilt => {
            let why = t.cfg_off.as_ref().map_or_else(|| "a `cfg` of the build removed it".to_string(), |c| format!("`#[cfg({})]` removed it", c.cfg));
            let _ = writeln!(out, "  no test binary contains it: {why}; it was not run and counts nowhere.");
        }
    }
    out
}

/// Why a function has its class: the tests that ran it, the error sites each reached, and what
/// its mutants showed when it was proved.
pub fn function(f: &FunctionEntry, r: &Report, scan: &Scan) -> String {
    let mut out = format!(
        "{}:{}  {}  — {}\n",
        f.file,
        f.line,
        crate::run::short_name(&f.name),
        f.class
    );
    let verdict_of = |i: usize| r.tests[i].verdict;
    let mut counts: Vec<String> = Vec::new();
    for v in Verdict::ALL {
        let n = f
            .executed_by
            .iter()
            .filter(|&&i| verdict_of(i) == v)
            .count();
        if n > 0 {
            counts.push(format!("{n} {v}"));
        }
    }
    let _ = writeln!(
        out,
        "  executed by {} tests{}",
        f.executed_by.len(),
        if counts.is_empty() {
            String::new()
        } else {
            format!(": {}", counts.join(", "))
        }
    );
    let proven = f
        .lines_proven
        .map_or(String::new(), |n| format!(", {n} proven"));
    let _ = writeln!(
        out,
        "  lines: {} coverable, {} run, {} run by meaningful tests{proven}",
        f.lines_coverable, f.lines_raw, f.lines_meaningful
    );
    let describe = |i: usize| {
        let t = &r.tests[i];
        let why = match t.verdict {
            Verdict::Meaningful if !t.observes_errors => {
                "meaningful; checks only Ok values".to_string()
            }
            Verdict::Meaningful => "meaningful; checks the failure".to_string(),
            v => {
                let first = t
                    .findings
                    .first()
                    .map(|f| format!(": {}", f.message))
                    .unwrap_or_default();
                format!("{v}{first}")
            }
        };
        format!("{} ({why})", t.name)
    };
    if !f.sites.is_empty() {
        out.push_str("  error sites:\n");
        for s in &f.sites {
            let by = if s.executed_by.is_empty() {
                "never executed".to_string()
            } else {
                let shown: Vec<String> =
                    s.executed_by.iter().take(3).map(|&i| describe(i)).collect();
                let more = s.executed_by.len().saturating_sub(3);
                format!(
                    "executed by {}{}",
                    shown.join(", "),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    }
                )
            };
            let _ = writeln!(out, "    :{:<4} {:<28} {by}", s.line, s.text);
        }
    }
    if let Some(p) = &f.prove {
        out.push_str(&crate::prove::explain(p, r));
    }
    let _ = scan;
    match f.class {
        FunctionClass::Unchecked | FunctionClass::Untested => {
            let _ = writeln!(out, "  to check it: make it fail in a test and assert on the failure (is_err / matches!(.., Err(..)) / assert_eq!(.., Err(..)) / #[should_panic]).");
        }
        FunctionClass::Uncovered => out.push_str("  to check it: no test runs it yet.\n"),
        _ => {}
    }
    out
}
