//! `.profraw` decoding: raw profile versions 8, 9 and 10 (LLVM 15 to 22), including the layout
//! written in continuous mode (`%c`, `-runtime-counter-relocation`), whose padding the header
//! states like any other.

use super::error::ProfrawError;
use super::leb128::Cursor;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Magic of a 64-bit little-endian raw profile: `\xfflprofr\x81`.
pub(crate) const MAGIC_64: u64 = 0xff6c_7072_6f66_7281;
/// Magic of a 32-bit raw profile (`...R\x81`).
const MAGIC_32: u64 = 0xff6c_7072_6f66_5281;
/// The upper 32 bits of the version word hold variant flags.
const VARIANT_MASKS: u64 = 0xffff_ffff_0000_0000;
const VARIANT_DEBUG_INFO_CORRELATE: u64 = 1 << 59;
const VARIANT_BYTE_COVERAGE: u64 = 1 << 60;
const VARIANT_TEMPORAL: u64 = 1 << 63;
/// Size of one `VTableProfileData` record (name hash, pointer, size; 8-aligned).
const VTABLE_RECORD: u64 = 24;

/// A hasher for keys that are already uniformly distributed (MD5-derived `NameRef`s).
#[derive(Default, Clone, Copy)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = self.0.rotate_left(32) ^ n;
    }
}

/// A map keyed by `NameRef`s.
pub(crate) type IdMap<V> = HashMap<u64, V, BuildHasherDefault<IdHasher>>;

/// Where the fields of header and data records are, per raw format version.
pub(crate) struct Layout {
    /// Number of u64 header fields.
    pub(crate) header_fields: usize,
    /// Size of one data record.
    pub(crate) record_size: u64,
    /// Offset of `NumCounters` (u32) in a data record; `NumValueSites` (u16 each) follows.
    pub(crate) num_counters_at: usize,
    /// Number of value kinds (`IPVK_Last + 1`).
    pub(crate) value_kinds: usize,
}

/// The header, normalized over versions (fields a version lacks are zero).
#[derive(Default)]
struct Header {
    binary_ids_size: u64,
    num_data: u64,
    padding_before_counters: u64,
    num_counters: u64,
    padding_after_counters: u64,
    num_bitmap_bytes: u64,
    padding_after_bitmap: u64,
    names_size: u64,
    counters_delta: u64,
    num_vtables: u64,
    vnames_size: u64,
}

impl Layout {
    /// The version switch. Version 11 (expected with LLVM 23) gets its arm here once its layout
    /// is known; until then it is rejected by name like any unknown version.
    pub(crate) fn of(version: u64) -> Result<Layout, ProfrawError> {
        match version {
            8 => Ok(Layout {
                header_fields: 11,
                record_size: 48,
                num_counters_at: 40,
                value_kinds: 2,
            }),
            9 => Ok(Layout {
                header_fields: 14,
                record_size: 64,
                num_counters_at: 48,
                value_kinds: 2,
            }),
            10 => Ok(Layout {
                header_fields: 16,
                record_size: 64,
                num_counters_at: 48,
                value_kinds: 3,
            }),
            other => Err(ProfrawError::UnsupportedVersion(other)),
        }
    }

    fn header(&self, f: &[u64]) -> Header {
        let mut h = Header {
            binary_ids_size: f[2],
            num_data: f[3],
            padding_before_counters: f[4],
            num_counters: f[5],
            padding_after_counters: f[6],
            ..Header::default()
        };
        if self.header_fields == 11 {
            h.names_size = f[7];
            h.counters_delta = f[8];
        } else {
            h.num_bitmap_bytes = f[7];
            h.padding_after_bitmap = f[8];
            h.names_size = f[9];
            h.counters_delta = f[10];
        }
        if self.header_fields == 16 {
            h.num_vtables = f[13];
            h.vnames_size = f[14];
        }
        h
    }
}

/// Counters of one function in a profile.
#[derive(Clone, Copy, Debug)]
struct Record {
    func_hash: u64,
    start: usize,
    len: usize,
    /// Next record with the same `NameRef` (another hash), `u32::MAX` for none.
    next: u32,
}

/// What a profile holds for one function of the mapping.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Lookup<'a> {
    /// The function's counters.
    Found(&'a [u64]),
    /// The profile has the name only with other structural hashes, one of them of the same
    /// kind ([`same_kind`]): LLVM drops the record.
    HashMismatch,
    /// The profile does not have the function, or has its name only with hashes of the other
    /// kind: LLVM loads the record with zero counters.
    Unknown,
}

/// Bit 60 of a function hash flags a context-sensitive profile record (LLVM's
/// `CS_FLAG_IN_FUNC_HASH`); LLVM calls a lookup a hash mismatch only when a record of the
/// name has a hash with the same bit, and otherwise takes the function as missing. Rust's
/// hashes set the bit at random, and the record of a function a binary links without
/// instantiating it has hash 0, so it is dropped or loaded with zero counters depending on
/// the real hash (docs/tests.md#lines-as-cargo-llvm-cov-counts-them).
pub(crate) fn same_kind(a: u64, b: u64) -> bool {
    const CS_FLAG_IN_FUNC_HASH: u32 = 60;
    (a >> CS_FLAG_IN_FUNC_HASH) & 1 == (b >> CS_FLAG_IN_FUNC_HASH) & 1
}

/// A decoded `.profraw`: counters per (`NameRef`, function hash), records of the same function
/// summed (as `llvm-profdata merge` does), and the binary ids of the program that wrote it.
#[derive(Clone, Debug, Default)]
pub struct Profile {
    version: u64,
    binary_ids: Vec<Vec<u8>>,
    index: IdMap<u32>,
    records: Vec<Record>,
    counters: Vec<u64>,
}

/// Bytes of zero padding after `n` bytes to reach a multiple of 8.
pub(crate) fn pad8(n: u64) -> u64 {
    (8 - n % 8) % 8
}

impl Profile {
    /// Decodes a raw profile (one or several concatenated, as the runtime may append).
    pub fn parse(data: &[u8]) -> Result<Profile, ProfrawError> {
        let mut profile = Profile::default();
        let mut at = 0usize;
        loop {
            at += profile.parse_one(&data[at..])?;
            while data.get(at) == Some(&0) {
                at += 1;
            }
            if at >= data.len() {
                return Ok(profile);
            }
            if at % 8 != 0 {
                return Err(ProfrawError::Corrupt(format!(
                    "trailing data at offset {at} is not an aligned profile"
                )));
            }
        }
    }

    /// Raw format version (without variant flags) of the (first) profile.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Build ids of the program that wrote the profile (usually one).
    pub fn binary_ids(&self) -> &[Vec<u8>] {
        &self.binary_ids
    }

    /// Number of distinct (`NameRef`, hash) functions.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether the profile has no function.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Every `NameRef` in the profile.
    pub(crate) fn name_refs(&self) -> impl Iterator<Item = u64> + '_ {
        self.index.keys().copied()
    }

    /// Counters of the function (`name_ref`, `func_hash`).
    pub(crate) fn lookup(&self, name_ref: u64, func_hash: u64) -> Lookup<'_> {
        let Some(&first) = self.index.get(&name_ref) else {
            return Lookup::Unknown;
        };
        let mut i = first;
        let mut mismatch = false;
        while let Some(r) = self.records.get(i as usize) {
            if r.func_hash == func_hash {
                return Lookup::Found(&self.counters[r.start..r.start + r.len]);
            }
            mismatch |= same_kind(r.func_hash, func_hash);
            i = r.next;
        }
        if mismatch {
            Lookup::HashMismatch
        } else {
            Lookup::Unknown
        }
    }

    fn add(&mut self, name_ref: u64, func_hash: u64, values: impl ExactSizeIterator<Item = u64>) {
        let len = values.len();
        let mut last = None;
        if let Some(&first) = self.index.get(&name_ref) {
            let mut i = first;
            while let Some(r) = self.records.get(i as usize).copied() {
                if r.func_hash == func_hash {
                    // Same function again (e.g. an `#[inline]` function in several codegen
                    // units): sum; a different counter count is dropped, as llvm-profdata does.
                    if r.len == len {
                        for (c, v) in self.counters[r.start..r.start + len].iter_mut().zip(values) {
                            *c = c.saturating_add(v);
                        }
                    }
                    return;
                }
                last = Some(i);
                i = r.next;
            }
        }
        let id = self.records.len() as u32;
        self.records.push(Record {
            func_hash,
            start: self.counters.len(),
            len,
            next: u32::MAX,
        });
        self.counters.extend(values);
        match last {
            Some(prev) => self.records[prev as usize].next = id,
            None => {
                self.index.insert(name_ref, id);
            }
        }
    }

    /// Decodes one profile at the start of `data`; returns the bytes it spans.
    fn parse_one(&mut self, data: &[u8]) -> Result<usize, ProfrawError> {
        let len = data.len() as u64;
        let mut c = Cursor::new(data);
        let truncated = |what, needed| ProfrawError::Truncated { what, needed, len };
        let magic = c.u64().map_err(|_| truncated("magic", 8))?;
        match magic {
            MAGIC_64 => {}
            m if m == MAGIC_64.swap_bytes() || m == MAGIC_32.swap_bytes() => {
                return Err(ProfrawError::ForeignEndian)
            }
            MAGIC_32 => return Err(ProfrawError::PointerWidth),
            m => return Err(ProfrawError::BadMagic(m)),
        }
        let version_word = c.u64().map_err(|_| truncated("version", 16))?;
        let version = version_word & !VARIANT_MASKS;
        let layout = Layout::of(version)?;
        if self.records.is_empty() && self.binary_ids.is_empty() {
            self.version = version;
        }
        let header_size = layout.header_fields as u64 * 8;
        let mut fields = [0u64; 16];
        for f in &mut fields[2..layout.header_fields] {
            *f = c.u64().map_err(|_| truncated("header", header_size))?;
        }
        let h = layout.header(&fields);
        if version_word & VARIANT_DEBUG_INFO_CORRELATE != 0
            || (h.num_data == 0 && h.num_counters > 0)
        {
            return Err(ProfrawError::UnsupportedVariant(
                "correlated profile without data records (debug-info or binary correlation)",
            ));
        }
        let counter_size: u64 = if version_word & VARIANT_BYTE_COVERAGE != 0 {
            1
        } else {
            8
        };
        let temporal = version_word & VARIANT_TEMPORAL != 0;

        // Offsets of every part, overflow-checked.
        let overflow = || ProfrawError::Corrupt("section sizes overflow".into());
        let add = |a: u64, b: u64| a.checked_add(b).ok_or_else(overflow);
        let mul = |a: u64, b: u64| a.checked_mul(b).ok_or_else(overflow);
        if h.binary_ids_size % 8 != 0 {
            return Err(ProfrawError::Corrupt(format!(
                "binary ids size {} is not a multiple of 8",
                h.binary_ids_size
            )));
        }
        let data_at = add(header_size, h.binary_ids_size)?;
        let counters_at = add(
            add(data_at, mul(h.num_data, layout.record_size)?)?,
            h.padding_before_counters,
        )?;
        let counters_size = mul(h.num_counters, counter_size)?;
        let bitmap_at = add(add(counters_at, counters_size)?, h.padding_after_counters)?;
        let names_at = add(add(bitmap_at, h.num_bitmap_bytes)?, h.padding_after_bitmap)?;
        let vtables_at = add(add(names_at, h.names_size)?, pad8(h.names_size))?;
        let vtables_size = mul(h.num_vtables, VTABLE_RECORD)?;
        let vnames_at = add(add(vtables_at, vtables_size)?, pad8(vtables_size))?;
        let values_at = add(add(vnames_at, h.vnames_size)?, pad8(h.vnames_size))?;
        if values_at > len {
            return Err(truncated("sections announced by the header", values_at));
        }
        // All offsets below are within `data` from here on.
        self.read_binary_ids(&data[header_size as usize..data_at as usize])?;
        let records = &data[data_at as usize..(data_at + h.num_data * layout.record_size) as usize];
        let counters = &data[counters_at as usize..(counters_at + counters_size) as usize];
        let mut value_sizes_at = values_at;
        for (i, rec) in records
            .chunks_exact(layout.record_size as usize)
            .enumerate()
        {
            let name_ref = le_u64(rec, 0);
            let func_hash = le_u64(rec, 8);
            let counter_ptr = le_u64(rec, 16);
            let sites = &rec[layout.num_counters_at..];
            let num_counters = u32::from_le_bytes([sites[0], sites[1], sites[2], sites[3]]);
            let has_values = sites[4..4 + 2 * layout.value_kinds].iter().any(|&b| b != 0);
            if num_counters == 0 {
                return Err(ProfrawError::Corrupt(format!(
                    "record {i} has zero counters"
                )));
            }
            // CounterPtr is relative to the record; CountersDelta to the first record.
            let offset = counter_ptr
                .wrapping_add((i as u64).wrapping_mul(layout.record_size))
                .wrapping_sub(h.counters_delta) as i64;
            if offset < 0 || offset as u64 >= counters_size {
                return Err(ProfrawError::Corrupt(format!(
                    "record {i}: counter offset {offset} is outside the counters ({counters_size} bytes)"
                )));
            }
            let offset = offset as usize;
            let n = u64::from(num_counters);
            if n > (counters_size - offset as u64) / counter_size {
                return Err(ProfrawError::Corrupt(format!(
                    "record {i}: {n} counters do not fit after offset {offset}"
                )));
            }
            let bytes = &counters[offset..offset + (n * counter_size) as usize];
            let skip = usize::from(temporal);
            if counter_size == 8 {
                let values = bytes
                    .chunks_exact(8)
                    .skip(skip)
                    .map(|b| u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]));
                self.add(name_ref, func_hash, values);
            } else {
                // Single-byte coverage: 0 means covered. A temporal timestamp takes 8 bytes.
                let values = bytes.iter().skip(skip * 8).map(|&b| u64::from(b == 0));
                self.add(name_ref, func_hash, values);
            }
            if has_values {
                value_sizes_at = skip_value_data(data, value_sizes_at)?;
            }
        }
        Ok(value_sizes_at as usize)
    }

    fn read_binary_ids(&mut self, mut ids: &[u8]) -> Result<(), ProfrawError> {
        while !ids.is_empty() {
            let mut c = Cursor::new(ids);
            let n = c
                .u64()
                .map_err(|_| ProfrawError::Corrupt("binary id length is truncated".into()))?;
            if n == 0 {
                return Err(ProfrawError::Corrupt("binary id length is 0".into()));
            }
            let id = c.bytes(n).map_err(|_| {
                ProfrawError::Corrupt(format!("binary id of {n} bytes does not fit"))
            })?;
            if !self.binary_ids.iter().any(|known| known == id) {
                self.binary_ids.push(id.to_vec());
            }
            let used = (8 + n + pad8(n)).min(ids.len() as u64) as usize;
            ids = &ids[used..];
        }
        Ok(())
    }
}

/// The little-endian u64 at `at` (0 past the end; callers stay within records of at least 48
/// bytes).
fn le_u64(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 8)
        .and_then(|s| s.try_into().ok())
        .map_or(0, u64::from_le_bytes)
}

/// Skips one function's value profile data (`ValueProfData`, led by its u32 total size).
fn skip_value_data(data: &[u8], at: u64) -> Result<u64, ProfrawError> {
    let mut c = Cursor::new(data);
    c.skip(at).and_then(|_| c.u32()).map_or_else(
        |_| {
            Err(ProfrawError::Truncated {
                what: "value profile data",
                needed: at + 8,
                len: data.len() as u64,
            })
        },
        |size| {
            let end = at + u64::from(size);
            if size < 8 || size % 8 != 0 || end > data.len() as u64 {
                Err(ProfrawError::Corrupt(format!(
                    "value profile data size {size} at offset {at} is invalid"
                )))
            } else {
                Ok(end)
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::super::synth::profile as write;
    use super::*;

    fn counts(p: &Profile, name: u64, hash: u64) -> Option<Vec<u64>> {
        match p.lookup(name, hash) {
            Lookup::Found(c) => Some(c.to_vec()),
            _ => None,
        }
    }

    #[test]
    fn versions_8_9_10_decode_alike() {
        let records = [(1, 10, vec![5, 0, 7]), (2, 20, vec![1])];
        for version in [8, 9, 10] {
            let p = Profile::parse(&write(version, &records, b"\xab\xcd\xef")).unwrap();
            assert_eq!(p.version(), version);
            assert_eq!(p.binary_ids(), [vec![0xab, 0xcd, 0xef]]);
            assert_eq!(p.len(), 2);
            assert_eq!(counts(&p, 1, 10), Some(vec![5, 0, 7]), "version {version}");
            assert_eq!(counts(&p, 2, 20), Some(vec![1]));
            assert!(matches!(p.lookup(1, 11), Lookup::HashMismatch));
            assert!(matches!(p.lookup(3, 10), Lookup::Unknown));
        }
    }

    #[test]
    fn a_hash_of_the_other_kind_is_no_mismatch() {
        let cs = 1u64 << 60;
        let p = Profile::parse(&write(10, &[(1, cs | 5, vec![3]), (2, 5, vec![4])], b"")).unwrap();
        assert!(
            matches!(p.lookup(1, 0), Lookup::Unknown),
            "LLVM loads it with zeros"
        );
        assert!(matches!(p.lookup(1, cs | 6), Lookup::HashMismatch));
        assert!(matches!(p.lookup(2, 0), Lookup::HashMismatch));
        assert!(matches!(p.lookup(2, cs), Lookup::Unknown));
    }

    #[test]
    fn unknown_versions_are_named() {
        let mut raw = write(10, &[(1, 1, vec![1])], b"");
        for v in [7u64, 11, 12] {
            raw[8..16].copy_from_slice(&v.to_le_bytes());
            let err = Profile::parse(&raw).unwrap_err();
            assert!(matches!(err, ProfrawError::UnsupportedVersion(x) if x == v));
            assert!(err.to_string().contains(&format!("version {v}")), "{err}");
        }
    }

    #[test]
    fn foreign_endianness_and_pointer_width_are_named() {
        let mut raw = write(10, &[(1, 1, vec![1])], b"");
        raw[..8].copy_from_slice(&MAGIC_64.to_be_bytes());
        assert!(matches!(
            Profile::parse(&raw),
            Err(ProfrawError::ForeignEndian)
        ));
        raw[..8].copy_from_slice(&MAGIC_32.to_le_bytes());
        assert!(matches!(
            Profile::parse(&raw),
            Err(ProfrawError::PointerWidth)
        ));
        raw[..8].copy_from_slice(&42u64.to_le_bytes());
        assert!(matches!(
            Profile::parse(&raw),
            Err(ProfrawError::BadMagic(42))
        ));
    }

    #[test]
    fn duplicate_records_are_summed_and_mismatched_lengths_dropped() {
        let records = [
            (1, 10, vec![5, 1]),
            (1, 10, vec![2, 3]),
            (1, 10, vec![100]),
            (1, 11, vec![9]),
        ];
        let p = Profile::parse(&write(10, &records, b"")).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(counts(&p, 1, 10), Some(vec![7, 4]));
        assert_eq!(counts(&p, 1, 11), Some(vec![9]));
    }

    #[test]
    fn concatenated_profiles_are_merged() {
        let mut raw = write(10, &[(1, 10, vec![1, 2])], b"\x01");
        raw.extend([0u8; 8]);
        raw.extend(write(
            10,
            &[(1, 10, vec![10, 20]), (2, 5, vec![3])],
            b"\x01",
        ));
        let p = Profile::parse(&raw).unwrap();
        assert_eq!(counts(&p, 1, 10), Some(vec![11, 22]));
        assert_eq!(counts(&p, 2, 5), Some(vec![3]));
        raw.push(7);
        assert!(matches!(
            Profile::parse(&raw),
            Err(ProfrawError::Truncated { .. })
        ));
        raw.insert(raw.len() - 1, 0);
        assert!(matches!(
            Profile::parse(&raw),
            Err(ProfrawError::Corrupt(_))
        ));
    }

    #[test]
    fn bad_counter_offsets_and_sizes_are_corrupt() {
        let raw = write(10, &[(1, 10, vec![1, 2])], b"");
        let data_at = 16 * 8;
        let mut bad = raw.clone();
        bad[data_at + 16..data_at + 24].copy_from_slice(&u64::MAX.to_le_bytes());
        assert!(matches!(
            Profile::parse(&bad),
            Err(ProfrawError::Corrupt(_))
        ));
        let mut bad = raw.clone();
        bad[data_at + 48..data_at + 52].copy_from_slice(&3u32.to_le_bytes());
        assert!(matches!(
            Profile::parse(&bad),
            Err(ProfrawError::Corrupt(_))
        ));
        let mut bad = raw.clone();
        bad[data_at + 48..data_at + 52].copy_from_slice(&0u32.to_le_bytes());
        assert!(matches!(
            Profile::parse(&bad),
            Err(ProfrawError::Corrupt(_))
        ));
        let mut bad = raw.clone();
        bad[40..48].copy_from_slice(&u64::MAX.to_le_bytes()); // NumCounters
        assert!(matches!(
            Profile::parse(&bad),
            Err(ProfrawError::Corrupt(_))
        ));
        assert!(matches!(
            Profile::parse(&raw[..raw.len() - 9]),
            Err(ProfrawError::Truncated { .. })
        ));
    }
}
