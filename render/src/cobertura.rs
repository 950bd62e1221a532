//! Cobertura XML of raw, meaningful or proven coverage (GitLab, Azure DevOps, Jenkins): one package per
//! Cargo package, one class per library file, its functions as methods. Filenames are relative
//! to the repository root, given as the single `<source>`. Hit counts are numbers of tests (see
//! [`super::hits`]); there is no branch data.

use super::hits;
use super::html::esc;
use crate::CoverageKind;
use std::collections::BTreeMap;
use std::fmt::Write;
use truecov_model::{ratio, FileEntry, Report};

/// The XML document. `repo_root` is the absolute repository root, `prefix` the workspace's
/// path relative to it (`""` or ending in `/`), `timestamp` seconds since the Unix epoch.
pub fn render(
    report: &Report,
    kind: CoverageKind,
    repo_root: &str,
    prefix: &str,
    timestamp: u64,
) -> String {
    let mut packages: BTreeMap<&str, Vec<(&FileEntry, hits::LineHits)>> = BTreeMap::new();
    for f in &report.files {
        packages
            .entry(&f.package)
            .or_default()
            .push((f, hits::lines(report, f, kind)));
    }
    let all: Vec<(u32, u64)> = packages
        .values()
        .flatten()
        .flat_map(|(_, lines)| lines.iter().copied())
        .collect();
    let covered = all.iter().filter(|l| l.1 > 0).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE coverage SYSTEM \"http://cobertura.sourceforge.net/xml/coverage-04.dtd\">\n");
    let _ = writeln!(
        out,
        "<coverage line-rate=\"{:.4}\" branch-rate=\"0\" lines-covered=\"{covered}\" lines-valid=\"{}\" branches-covered=\"0\" branches-valid=\"0\" complexity=\"0\" version=\"cargo-truecov {} ({})\" timestamp=\"{timestamp}\">",
        hits::rate(&all),
        all.len(),
        esc(&report.tool_version),
        kind.as_str()
    );
    let _ = writeln!(
        out,
        "<sources><source>{}</source></sources>\n<packages>",
        esc(repo_root)
    );
    for (package, files) in &packages {
        let lines: Vec<(u32, u64)> = files.iter().flat_map(|(_, l)| l.iter().copied()).collect();
        let _ = writeln!(
            out,
            "<package name=\"{}\" line-rate=\"{:.4}\" branch-rate=\"0\" complexity=\"0\"><classes>",
            esc(package),
            hits::rate(&lines)
        );
        for (file, lines) in files {
            class(&mut out, report, kind, prefix, file, lines);
        }
        out.push_str("</classes></package>\n");
    }
    out.push_str("</packages>\n</coverage>\n");
    out
}

fn class(
    out: &mut String,
    report: &Report,
    kind: CoverageKind,
    prefix: &str,
    file: &FileEntry,
    lines: &[(u32, u64)],
) {
    let _ = writeln!(
        out,
        "<class name=\"{0}\" filename=\"{1}{0}\" line-rate=\"{2:.4}\" branch-rate=\"0\" complexity=\"0\"><methods>",
        esc(&file.file),
        esc(prefix),
        hits::rate(lines)
    );
    for f in report.functions.iter().filter(|f| f.file == file.file) {
        let n = hits::function(report, f, kind);
        let covered = match kind {
            CoverageKind::Raw => f.lines_raw,
            CoverageKind::Meaningful => f.lines_meaningful,
            CoverageKind::Proven => f.lines_proven.unwrap_or(0),
        };
        let _ = writeln!(
            out,
            "<method name=\"{}\" signature=\"\" line-rate=\"{:.4}\" branch-rate=\"0\" complexity=\"0\"><lines><line number=\"{}\" hits=\"{n}\"/></lines></method>",
            esc(&f.name),
            ratio(covered, f.lines_coverable).unwrap_or(0.0),
            f.line
        );
    }
    out.push_str("</methods><lines>\n");
    for (line, n) in lines {
        let _ = writeln!(out, "<line number=\"{line}\" hits=\"{n}\"/>");
    }
    out.push_str("</lines></class>\n");
}
