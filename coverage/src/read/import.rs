//! Imports of aggregate coverage written by other tools, into the same types as the native
//! readers: `llvm-cov export` JSON (`-format=text`) and lcov tracefiles.

use super::counts::{Evaluated, FileCounts};
use super::covfun::MAX_LINE;
use super::error::ImportError;
use super::lines::{segment_line_counts, Segment};
use super::region::{CountedRegion, LineCount, RegionKind};
use serde::Deserialize;
use std::collections::BTreeMap;
use truecov_model::Span;

#[derive(Deserialize)]
struct Export {
    data: Vec<ExportData>,
}

#[derive(Deserialize)]
struct ExportData {
    #[serde(default)]
    files: Vec<ExportFile>,
    #[serde(default)]
    functions: Vec<ExportFunction>,
}

#[derive(Deserialize)]
struct ExportFile {
    filename: String,
    #[serde(default)]
    segments: Vec<Vec<serde_json::Value>>,
}

#[derive(Deserialize)]
struct ExportFunction {
    #[serde(default)]
    regions: Vec<Vec<u64>>,
    #[serde(default)]
    filenames: Vec<String>,
}

fn kind_of(value: u64) -> Option<RegionKind> {
    Some(match value {
        0 => RegionKind::Code,
        1 => RegionKind::Expansion,
        2 => RegionKind::Skipped,
        3 => RegionKind::Gap,
        4 => RegionKind::Branch,
        5 => RegionKind::McdcDecision,
        6 => RegionKind::McdcBranch,
        _ => return None,
    })
}

fn bad(what: String) -> ImportError {
    ImportError::JsonValue(what)
}

fn line_number(v: u64) -> Result<u32, ImportError> {
    u32::try_from(v)
        .ok()
        .filter(|&l| l <= MAX_LINE)
        .ok_or_else(|| bad(format!("line {v} is out of range")))
}

fn column(v: u64) -> Result<u32, ImportError> {
    u32::try_from(v).map_err(|_| bad(format!("column {v} is out of range")))
}

/// A region array `[line_start, col_start, line_end, col_end, count, file_id, expanded_file_id,
/// kind]` of an export function, with its file id.
fn region(r: &[u64]) -> Result<(CountedRegion, usize), ImportError> {
    let [ls, cs, le, ce, count, file_id, _, kind] = r else {
        return Err(bad(format!("region has {} fields, expected 8", r.len())));
    };
    let kind = kind_of(*kind).ok_or_else(|| bad(format!("region kind {kind} is unknown")))?;
    let span = Span {
        start_line: line_number(*ls)?,
        start_col: column(*cs)?,
        end_line: line_number(*le)?,
        end_col: column(*ce)?,
    };
    let file_id = usize::try_from(*file_id).map_err(|_| bad("file id out of range".into()))?;
    Ok((
        CountedRegion {
            span,
            kind,
            count: *count,
        },
        file_id,
    ))
}

/// A segment array `[line, col, count, has_count, is_region_entry(, is_gap)]`.
fn segment(s: &[serde_json::Value]) -> Result<Segment, ImportError> {
    let num = |i: usize| {
        s.get(i)
            .and_then(serde_json::Value::as_u64)
            .ok_or_else(|| bad(format!("segment field {i} is not a number")))
    };
    let flag = |i: usize| s.get(i).and_then(serde_json::Value::as_bool);
    let missing = |i: usize| bad(format!("segment field {i} is not a boolean"));
    Ok(Segment {
        line: line_number(num(0)?)?,
        col: column(num(1)?)?,
        count: num(2)?,
        has_count: flag(3).ok_or_else(|| missing(3))?,
        is_region_entry: flag(4).ok_or_else(|| missing(4))?,
        is_gap: flag(5).unwrap_or(false),
    })
}

/// Reads `llvm-cov export -format=text` JSON. Files covered by function records get their
/// regions (combined across functions and instantiations) and lines derived from them, exactly
/// as `llvm-cov` derives them; files without function data (`-skip-functions`) get their lines
/// from the exported segments and no regions.
pub fn llvm_cov_json(json: &str) -> Result<Evaluated, ImportError> {
    let export: Export = serde_json::from_str(json)?;
    let mut regions: BTreeMap<String, Vec<CountedRegion>> = BTreeMap::new();
    let mut segments: BTreeMap<String, Vec<Segment>> = BTreeMap::new();
    for data in &export.data {
        for f in &data.functions {
            for r in &f.regions {
                let (region, file_id) = region(r)?;
                let file = f.filenames.get(file_id).ok_or_else(|| {
                    bad(format!(
                        "file id {file_id} is not among the function's files"
                    ))
                })?;
                if region.kind.is_line_region() {
                    regions.entry(file.clone()).or_default().push(region);
                }
            }
        }
        for file in &data.files {
            let list = segments.entry(file.filename.clone()).or_default();
            for s in &file.segments {
                list.push(segment(s)?);
            }
        }
    }
    let mut out = Evaluated::default();
    for (path, segs) in segments {
        if !regions.contains_key(&path) {
            let lines = segment_line_counts(&segs);
            out.files.insert(
                path,
                FileCounts {
                    regions: Vec::new(),
                    lines,
                },
            );
        }
    }
    for (path, r) in regions {
        out.files.insert(path, FileCounts::from_regions(r));
    }
    Ok(out)
}

/// Reads an lcov tracefile (`SF:`, `DA:line,count[,checksum]`, `end_of_record`); other records
/// are ignored. Records of the same file are summed. Files get lines only, no regions.
pub fn lcov(text: &str) -> Result<Evaluated, ImportError> {
    let mut files: BTreeMap<String, BTreeMap<u32, u64>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let err = |what: &str| ImportError::Lcov {
            line: line_no,
            what: what.to_string(),
        };
        let line = raw.trim();
        if let Some(path) = line.strip_prefix("SF:") {
            files.entry(path.to_string()).or_default();
            current = Some(path.to_string());
        } else if let Some(rest) = line.strip_prefix("DA:") {
            let file = current
                .as_ref()
                .ok_or_else(|| err("DA record outside of a file (no SF before it)"))?;
            let mut fields = rest.split(',');
            let number = fields
                .next()
                .and_then(|f| f.trim().parse::<u32>().ok())
                .filter(|&l| (1..=MAX_LINE).contains(&l))
                .ok_or_else(|| err("DA line number is not a valid line"))?;
            let count = fields
                .next()
                .and_then(|f| f.trim().parse::<u64>().ok())
                .ok_or_else(|| err("DA count is not a non-negative integer"))?;
            let slot = files
                .entry(file.clone())
                .or_default()
                .entry(number)
                .or_default();
            *slot = slot.saturating_add(count);
        } else if line == "end_of_record" {
            current = None;
        }
    }
    Ok(Evaluated {
        files: files
            .into_iter()
            .map(|(path, lines)| {
                let lines = lines
                    .into_iter()
                    .map(|(line, count)| LineCount { line, count })
                    .collect();
                (
                    path,
                    FileCounts {
                        regions: Vec::new(),
                        lines,
                    },
                )
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lcov_sums_records_of_one_file() {
        let text =
            "TN:\nSF:/a.rs\nDA:1,2\nDA:3,0\nend_of_record\nSF:/a.rs\nDA:1,1,abc\nend_of_record\n";
        let e = lcov(text).unwrap();
        assert_eq!(
            e.files["/a.rs"].lines,
            [
                LineCount { line: 1, count: 3 },
                LineCount { line: 3, count: 0 }
            ]
        );
        assert!(matches!(
            lcov("DA:1,1\n"),
            Err(ImportError::Lcov { line: 1, .. })
        ));
        assert!(matches!(
            lcov("SF:x\nDA:0,1\n"),
            Err(ImportError::Lcov { line: 2, .. })
        ));
        assert!(matches!(
            lcov("SF:x\nDA:1,-1\n"),
            Err(ImportError::Lcov { line: 2, .. })
        ));
    }

    #[test]
    fn json_regions_and_segment_fallback() {
        let json = r#"{"data":[{"files":[
            {"filename":"/a.rs","segments":[[1,1,5,true,true,false],[2,1,0,false,false,false]]},
            {"filename":"/b.rs","segments":[[3,1,4,true,true,false],[3,9,0,false,false,false]]}],
          "functions":[{"name":"f","filenames":["/a.rs"],
            "regions":[[1,1,2,1,5,0,0,0],[1,1,2,1,2,0,0,0],[1,5,1,6,0,0,0,4]]}]}]}"#;
        let e = llvm_cov_json(json).unwrap();
        let a = &e.files["/a.rs"];
        assert_eq!(a.regions.len(), 1);
        assert_eq!(a.regions[0].count, 7);
        assert_eq!(
            a.lines,
            [
                LineCount { line: 1, count: 7 },
                LineCount { line: 2, count: 7 }
            ]
        );
        assert!(e.files["/b.rs"].regions.is_empty());
        assert_eq!(e.files["/b.rs"].lines, [LineCount { line: 3, count: 4 }]);
        let bad_kind =
            r#"{"data":[{"functions":[{"filenames":["/a"],"regions":[[1,1,1,2,0,0,0,9]]}]}]}"#;
        assert!(matches!(
            llvm_cov_json(bad_kind),
            Err(ImportError::JsonValue(_))
        ));
        assert!(matches!(llvm_cov_json("{"), Err(ImportError::Json(_))));
    }
}
