//! Synthetic coverage data for unit tests: raw profiles and coverage sections written the way
//! LLVM writes them.

use super::md5::hash64;
use super::profraw::{pad8, Layout, MAGIC_64};
use super::region::{CountedRegion, RegionKind};
use truecov_model::Span;

/// A raw profile of `version` with `records` (NameRef, hash, counters) and one binary id.
pub(crate) fn profile(version: u64, records: &[(u64, u64, Vec<u64>)], binary_id: &[u8]) -> Vec<u8> {
    let layout = Layout::of(version).unwrap();
    let rs = layout.record_size;
    let num_counters: u64 = records.iter().map(|r| r.2.len() as u64).sum();
    let mut ids = Vec::new();
    if !binary_id.is_empty() {
        ids.extend((binary_id.len() as u64).to_le_bytes());
        ids.extend_from_slice(binary_id);
        ids.resize(ids.len() + pad8(binary_id.len() as u64) as usize, 0);
    }
    let data_size = records.len() as u64 * rs;
    let pad_before = 16; // anything the header states is honoured
    let counters_delta = data_size + pad_before;
    let names = b"\x00\x00\x00";
    let mut fields = vec![MAGIC_64, version, ids.len() as u64, records.len() as u64];
    fields.extend([pad_before, num_counters, 0]);
    if version >= 9 {
        fields.extend([0, 0]); // bitmap bytes and padding
    }
    fields.push(names.len() as u64);
    fields.push(counters_delta);
    if version >= 9 {
        fields.push(0); // bitmap delta
    }
    fields.push(0); // names delta
    if version >= 10 {
        fields.extend([0, 0]); // vtables, vnames
    }
    fields.push(layout.value_kinds as u64 - 1);
    assert_eq!(fields.len(), layout.header_fields);
    let mut out: Vec<u8> = fields.iter().flat_map(|f| f.to_le_bytes()).collect();
    out.extend(ids);
    let mut offset = 0u64;
    for (i, (name, hash, counts)) in records.iter().enumerate() {
        let mut rec = vec![0u8; rs as usize];
        rec[0..8].copy_from_slice(&name.to_le_bytes());
        rec[8..16].copy_from_slice(&hash.to_le_bytes());
        let ptr = (counters_delta + offset).wrapping_sub(i as u64 * rs);
        rec[16..24].copy_from_slice(&ptr.to_le_bytes());
        let at = layout.num_counters_at;
        rec[at..at + 4].copy_from_slice(&(counts.len() as u32).to_le_bytes());
        out.extend(rec);
        offset += counts.len() as u64 * 8;
    }
    out.extend(vec![0u8; pad_before as usize]);
    for c in records.iter().flat_map(|r| &r.2) {
        out.extend(c.to_le_bytes());
    }
    out.extend_from_slice(names);
    out.resize(out.len() + pad8(names.len() as u64) as usize, 0);
    out
}

/// Appends `v` as ULEB128.
pub(crate) fn uleb(out: &mut Vec<u8>, v: u64) {
    let mut v = v;
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// A region `[counter][delta line][col start][lines][col end]` for an encoded mapping.
pub(crate) fn region(out: &mut Vec<u8>, counter: u64, delta: u64, cols: (u64, u64), lines: u64) {
    for v in [counter, delta, cols.0, lines, cols.1] {
        uleb(out, v);
    }
}

/// A one-file mapping: `exprs` as encoded (lhs, rhs) pairs, `regions` already encoded.
pub(crate) fn mapping(exprs: &[(u64, u64)], n_regions: u64, regions: &[u8]) -> Vec<u8> {
    let mut out = vec![1, 1];
    uleb(&mut out, exprs.len() as u64);
    for &(l, r) in exprs {
        uleb(&mut out, l);
        uleb(&mut out, r);
    }
    uleb(&mut out, n_regions);
    out.extend_from_slice(regions);
    out
}

/// `__llvm_prf_names`, `__llvm_covmap` and `__llvm_covfun` for functions (name, hash, mapping)
/// of one file `/src/lib.rs`.
pub(crate) fn sections(functions: &[(&str, u64, Vec<u8>)]) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let joined = functions
        .iter()
        .map(|f| f.0)
        .collect::<Vec<_>>()
        .join("\x01");
    let mut names = Vec::new();
    uleb(&mut names, joined.len() as u64);
    uleb(&mut names, 0);
    names.extend_from_slice(joined.as_bytes());
    let mut table = vec![2];
    let mut raw = Vec::new();
    for f in ["/src", "lib.rs"] {
        uleb(&mut raw, f.len() as u64);
        raw.extend_from_slice(f.as_bytes());
    }
    uleb(&mut table, raw.len() as u64);
    uleb(&mut table, 0);
    table.extend(raw);
    let mut covmap = Vec::new();
    for v in [0u32, table.len() as u32, 0, 6] {
        covmap.extend(v.to_le_bytes());
    }
    covmap.extend_from_slice(&table);
    covmap.resize(covmap.len().div_ceil(8) * 8, 0);
    let mut covfun = Vec::new();
    for (name, hash, mapping) in functions {
        covfun.extend(hash64(name.as_bytes()).to_le_bytes());
        covfun.extend((mapping.len() as u32).to_le_bytes());
        covfun.extend(hash.to_le_bytes());
        covfun.extend(hash64(&table).to_le_bytes());
        covfun.extend_from_slice(mapping);
        covfun.resize(covfun.len().div_ceil(8) * 8, 0);
    }
    (names, covmap, covfun)
}

/// A counted region from (start line, start column, end line, end column), kind and count.
pub(crate) fn counted(
    sl: u32,
    sc: u32,
    el: u32,
    ec: u32,
    kind: RegionKind,
    count: u64,
) -> CountedRegion {
    CountedRegion {
        span: Span {
            start_line: sl,
            start_col: sc,
            end_line: el,
            end_col: ec,
        },
        kind,
        count,
    }
}
