//! `__llvm_covfun`: one record per function (`NameRef`, hash, filename table, encoded mapping),
//! and the decoder of the mapping itself (file ids, expressions, regions).

use super::covmap::FilenameTables;
use super::error::ReadError;
use super::leb128::Cursor;
use super::region::RegionKind;
use std::collections::HashMap;

const SECTION: &str = "__llvm_covfun";
const MAPPING: &str = "__llvm_covfun function mapping";

/// Size of a record header: NameRef u64, DataSize u32, FuncHash u64, FilenamesRef u64.
const RECORD_HEADER: usize = 28;

/// Largest line number accepted; larger ones only come from corrupt data (and would make line
/// iteration unbounded).
pub(crate) const MAX_LINE: u32 = 1 << 24;

/// A counter reference: the constant zero, a profile counter, or an expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Counter {
    /// Always zero.
    Zero,
    /// Profile counter `n` of the function.
    Profile(u32),
    /// Expression `n` of the function.
    Expression(u32),
}

/// `lhs - rhs` or `lhs + rhs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Expression {
    /// `true` for addition, `false` for subtraction.
    pub(crate) add: bool,
    pub(crate) lhs: Counter,
    pub(crate) rhs: Counter,
}

/// One decoded mapping region, before evaluation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RawRegion {
    /// Index into the function's file list.
    pub(crate) file_id: u32,
    /// For expansion regions, the file id the region expands to.
    pub(crate) expanded_file_id: Option<u32>,
    pub(crate) kind: RegionKind,
    pub(crate) count: Counter,
    /// Second counter of branch regions; `Zero` otherwise.
    pub(crate) false_count: Counter,
    /// (line, column) of the first byte.
    pub(crate) start: (u32, u32),
    /// (line, column) just past the end.
    pub(crate) end: (u32, u32),
}

/// A decoded function mapping.
#[derive(Clone, Debug, Default)]
pub(crate) struct Mapping {
    /// File id -> index into [`FilenameTables::files`].
    pub(crate) files: Vec<u32>,
    pub(crate) expressions: Vec<Expression>,
    pub(crate) regions: Vec<RawRegion>,
}

/// One function record kept from `__llvm_covfun`, mapping still encoded.
#[derive(Clone, Debug)]
pub(crate) struct RecordRef<'a> {
    pub(crate) name_ref: u64,
    pub(crate) func_hash: u64,
    pub(crate) filenames: &'a [u32],
    pub(crate) mapping: &'a [u8],
    /// Offset of the mapping in the section, for error messages.
    pub(crate) offset: usize,
}

/// Walks `__llvm_covfun` and keeps one record per `NameRef`: the first, unless it is a dummy
/// (hash 0, one zero region) and a later one is real, as LLVM's reader does. Records whose
/// filename table collided are skipped; a record naming no known table is corrupt.
pub(crate) fn parse_records<'a>(
    section: &'a [u8],
    tables: &'a FilenameTables,
) -> Result<Vec<RecordRef<'a>>, ReadError> {
    let err = |e| ReadError::cursor(SECTION, e);
    let mut records: Vec<RecordRef<'a>> = Vec::new();
    let mut by_name: HashMap<u64, usize> = HashMap::new();
    let mut c = Cursor::new(section);
    while !c.is_empty() {
        if c.remaining() < RECORD_HEADER && section[c.pos()..].iter().all(|&b| b == 0) {
            break;
        }
        let at = c.pos();
        let name_ref = c.u64().map_err(err)?;
        let data_size = c.u32().map_err(err)?;
        let func_hash = c.u64().map_err(err)?;
        let filenames_ref = c.u64().map_err(err)?;
        let offset = c.pos();
        let mapping = c.bytes(u64::from(data_size)).map_err(err)?;
        c.align8();
        let filenames = match tables.table(filenames_ref) {
            None => {
                return Err(ReadError::corrupt(
                    SECTION,
                    at,
                    format!("no filename table for function (FilenamesRef {filenames_ref:#x})"),
                ))
            }
            Some(None) => continue,
            Some(Some(files)) => files,
        };
        let record = RecordRef {
            name_ref,
            func_hash,
            filenames,
            mapping,
            offset,
        };
        match by_name.get(&name_ref) {
            None => {
                by_name.insert(name_ref, records.len());
                records.push(record);
            }
            Some(&i) => {
                let old = &records[i];
                if is_dummy(old.func_hash, old.mapping, old.offset)?
                    && !is_dummy(func_hash, mapping, offset)?
                {
                    records[i] = record;
                }
            }
        }
    }
    Ok(records)
}

/// LLVM's `isCoverageMappingDummy`: hash 0 and a mapping of one file, no expression and a
/// single region whose counter is zero.
fn is_dummy(func_hash: u64, mapping: &[u8], offset: usize) -> Result<bool, ReadError> {
    if func_hash != 0 {
        return Ok(false);
    }
    let mut r = MappingReader::new(mapping, offset);
    if r.size()? != 1 {
        return Ok(false);
    }
    r.int_max(u64::from(u32::MAX))?;
    if r.size()? != 0 || r.size()? != 1 {
        return Ok(false);
    }
    Ok(r.int_max(u64::from(u32::MAX))? & 3 == 0)
}

/// Reads the primitives of an encoded mapping with LLVM's range checks.
struct MappingReader<'a> {
    c: Cursor<'a>,
    base: usize,
}

impl<'a> MappingReader<'a> {
    fn new(data: &'a [u8], base: usize) -> Self {
        MappingReader {
            c: Cursor::new(data),
            base,
        }
    }

    fn corrupt(&self, what: impl Into<String>) -> ReadError {
        ReadError::corrupt(MAPPING, self.base + self.c.pos(), what)
    }

    fn uleb(&mut self) -> Result<u64, ReadError> {
        let base = self.base;
        self.c.uleb().map_err(|e| match e {
            super::leb128::CursorError::Truncated { offset } => ReadError::Truncated {
                section: MAPPING,
                offset: base + offset,
            },
            super::leb128::CursorError::Overflow { offset } => {
                ReadError::corrupt(MAPPING, base + offset, "ULEB128 value exceeds 64 bits")
            }
        })
    }

    /// A value that must be below `max_plus_one`.
    fn int_max(&mut self, max_plus_one: u64) -> Result<u64, ReadError> {
        let v = self.uleb()?;
        if v >= max_plus_one {
            return Err(self.corrupt(format!("value {v} is out of range (limit {max_plus_one})")));
        }
        Ok(v)
    }

    /// A count of items that each take at least one byte: at most the bytes left.
    fn size(&mut self) -> Result<u64, ReadError> {
        let v = self.uleb()?;
        if v > self.c.remaining() as u64 {
            return Err(self.corrupt(format!("count {v} exceeds the data left")));
        }
        Ok(v)
    }

    /// Decodes a counter, recording the kind of a referenced expression (the last reference
    /// decides, as in LLVM).
    fn decode_counter(&self, v: u64, exprs: &mut [Expression]) -> Result<Counter, ReadError> {
        let id = (v >> 2) as u32;
        match v & 3 {
            0 => Ok(Counter::Zero),
            1 => Ok(Counter::Profile(id)),
            tag => {
                let e = exprs
                    .get_mut(id as usize)
                    .ok_or_else(|| self.corrupt(format!("expression {id} does not exist")))?;
                e.add = tag == 3;
                Ok(Counter::Expression(id))
            }
        }
    }

    fn counter(&mut self, exprs: &mut [Expression]) -> Result<Counter, ReadError> {
        let v = self.int_max(u64::from(u32::MAX))?;
        self.decode_counter(v, exprs)
    }
}

/// Decodes one function's mapping against its codegen unit's filename table.
pub(crate) fn decode_mapping(record: &RecordRef<'_>) -> Result<Mapping, ReadError> {
    let mut r = MappingReader::new(record.mapping, record.offset);
    let n_files = r.size()?;
    let mut files = Vec::with_capacity(n_files as usize);
    for _ in 0..n_files {
        let i = r.int_max(record.filenames.len() as u64)?;
        files.push(record.filenames[i as usize]);
    }
    let n_exprs = r.size()?;
    let zero = Expression {
        add: false,
        lhs: Counter::Zero,
        rhs: Counter::Zero,
    };
    let mut expressions = vec![zero; n_exprs as usize];
    for i in 0..expressions.len() {
        let lhs = r.counter(&mut expressions)?;
        let rhs = r.counter(&mut expressions)?;
        expressions[i].lhs = lhs;
        expressions[i].rhs = rhs;
    }
    let mut regions = Vec::new();
    for file_id in 0..files.len() as u32 {
        read_regions(&mut r, file_id, files.len(), &mut expressions, &mut regions)?;
    }
    propagate_expansion_counts(&mut regions, files.len());
    Ok(Mapping {
        files,
        expressions,
        regions,
    })
}

fn read_regions(
    r: &mut MappingReader<'_>,
    file_id: u32,
    n_files: usize,
    exprs: &mut [Expression],
    out: &mut Vec<RawRegion>,
) -> Result<(), ReadError> {
    let u32_limit = u64::from(u32::MAX);
    let i16_limit = i16::MAX as u64;
    let n_regions = r.size()?;
    let mut line: u32 = 0;
    for _ in 0..n_regions {
        let mut kind = RegionKind::Code;
        let mut count = Counter::Zero;
        let mut false_count = Counter::Zero;
        let mut expanded_file_id = None;
        let encoded = r.int_max(u32_limit)?;
        if encoded & 3 != 0 {
            count = r.decode_counter(encoded, exprs)?;
        } else if encoded & 4 != 0 {
            kind = RegionKind::Expansion;
            let target = encoded >> 3;
            if target >= n_files as u64 {
                return Err(r.corrupt(format!("expansion to file id {target} does not exist")));
            }
            expanded_file_id = Some(target as u32);
        } else {
            match encoded >> 3 {
                0 => {}
                2 => kind = RegionKind::Skipped,
                4 => {
                    kind = RegionKind::Branch;
                    count = r.counter(exprs)?;
                    false_count = r.counter(exprs)?;
                }
                6 => {
                    kind = RegionKind::McdcBranch;
                    count = r.counter(exprs)?;
                    false_count = r.counter(exprs)?;
                    let id = r.int_max(i16_limit)?;
                    r.int_max(i16_limit)?;
                    r.int_max(i16_limit)?;
                    if id == 0 {
                        return Err(r.corrupt("MC/DC condition id is zero"));
                    }
                }
                5 => {
                    kind = RegionKind::McdcDecision;
                    r.int_max(u32_limit)?;
                    r.int_max(i16_limit)?;
                }
                other => return Err(r.corrupt(format!("region kind {other} is unknown"))),
            }
        }
        let delta = r.int_max(u32_limit)? as u32;
        let mut col_start = r.uleb()?;
        if col_start > u32_limit {
            return Err(r.corrupt("start column is too big"));
        }
        let n_lines = r.int_max(u32_limit)? as u32;
        let mut col_end = r.int_max(u32_limit)?;
        line = line.wrapping_add(delta);
        if col_end & (1 << 31) != 0 {
            kind = RegionKind::Gap;
            col_end &= !(1 << 31);
        }
        if col_start == 0 && col_end == 0 {
            col_start = 1;
            col_end = u32_limit;
        }
        let start = (line, col_start as u32);
        let end = (line.wrapping_add(n_lines), col_end as u32);
        if start > end {
            return Err(r.corrupt("region ends before it starts"));
        }
        if end.0 > MAX_LINE {
            return Err(r.corrupt(format!("line {} is out of range", end.0)));
        }
        out.push(RawRegion {
            file_id,
            expanded_file_id,
            kind,
            count,
            false_count,
            start,
            end,
        });
    }
    Ok(())
}

/// An expansion region counts as the first region of the file it expands to; repeated until
/// nothing changes so nested expansions settle (LLVM's `RawCoverageMappingReader::read`).
fn propagate_expansion_counts(regions: &mut [RawRegion], n_files: usize) {
    // Each pass either settles or copies a counter one level up; n_files + 1 passes settle any
    // acyclic nesting, and bound the work on cyclic (corrupt) expansions.
    for _ in 0..=n_files {
        let mut slot: Vec<Option<usize>> = vec![None; n_files];
        for (i, r) in regions.iter().enumerate() {
            if let Some(target) = r.expanded_file_id {
                slot[target as usize] = Some(i);
            }
        }
        let mut changed = false;
        for i in 0..regions.len() {
            let file = regions[i].file_id as usize;
            if let Some(exp) = slot[file].take() {
                if regions[exp].count != regions[i].count {
                    regions[exp].count = regions[i].count;
                    changed = true;
                }
            }
        }
        if !changed {
            return;
        }
    }
}
