//! `__llvm_covmap`: one header and filename table per codegen unit, found again by the MD5 of the
//! encoded table (`FilenamesRef`).

use super::error::ReadError;
use super::leb128::Cursor;
use super::md5::hash64;
use super::zlib::inflate_exact;
use std::collections::HashMap;

const SECTION: &str = "__llvm_covmap";
const BLOB: &str = "__llvm_covmap filename table";

/// Oldest mapping format read: Version4 (value 3, LLVM 11), the first with `__llvm_covfun`.
const OLDEST_VERSION: u32 = 3;
/// Newest mapping format read: Version7 (value 6, LLVM 18 to 22).
const NEWEST_VERSION: u32 = 6;
/// From Version6 (value 5) on, entry 0 is the compilation directory and the others are relative.
const VERSION_WITH_COMPILATION_DIR: u32 = 5;
/// Size of a pre-Version4 function record that a header may still announce (skipped).
const LEGACY_RECORD_SIZE: u64 = 28;

/// The filename tables of every codegen unit of a binary, over one deduplicated file list.
#[derive(Debug, Default)]
pub(crate) struct FilenameTables {
    /// Every distinct file, as recorded (absolute after resolution against the compilation dir).
    pub(crate) files: Vec<String>,
    /// `FilenamesRef` -> indices into `files`; `None` marks a hash collision (records skipped).
    tables: HashMap<u64, Option<Vec<u32>>>,
}

impl FilenameTables {
    /// The table a function record refers to: `Ok(None)` for a collided (unusable) reference.
    pub(crate) fn table(&self, filenames_ref: u64) -> Option<Option<&[u32]>> {
        self.tables.get(&filenames_ref).map(|t| t.as_deref())
    }

    fn intern(&mut self, index: &mut HashMap<String, u32>, name: String) -> Result<u32, ReadError> {
        if let Some(&id) = index.get(&name) {
            return Ok(id);
        }
        let id = u32::try_from(self.files.len())
            .map_err(|_| ReadError::corrupt(SECTION, 0, "too many files"))?;
        index.insert(name.clone(), id);
        self.files.push(name);
        Ok(id)
    }
}

/// Decodes every header of `__llvm_covmap`; returns the tables and the format version.
pub(crate) fn parse_covmap(section: &[u8]) -> Result<(FilenameTables, u32), ReadError> {
    let err = |e| ReadError::cursor(SECTION, e);
    let mut out = FilenameTables::default();
    let mut index = HashMap::new();
    let mut c = Cursor::new(section);
    let mut version = None;
    while !c.is_empty() {
        let header_at = c.pos();
        let n_records = c.u32().map_err(err)?;
        let filenames_size = c.u32().map_err(err)?;
        let coverage_size = c.u32().map_err(err)?;
        let this_version = c.u32().map_err(err)?;
        if !(OLDEST_VERSION..=NEWEST_VERSION).contains(&this_version) {
            return Err(ReadError::UnsupportedVersion(this_version));
        }
        if *version.get_or_insert(this_version) != this_version {
            return Err(ReadError::corrupt(
                SECTION,
                header_at,
                format!("header version {this_version} differs from the first header's"),
            ));
        }
        if coverage_size != 0 {
            return Err(ReadError::corrupt(
                SECTION,
                header_at,
                "coverage mapping size is not zero",
            ));
        }
        c.skip(u64::from(n_records) * LEGACY_RECORD_SIZE)
            .map_err(err)?;
        let blob = c.bytes(u64::from(filenames_size)).map_err(err)?;
        let names = decode_filenames(blob, this_version)?;
        let mut ids = Vec::with_capacity(names.len());
        for name in names {
            ids.push(out.intern(&mut index, name)?);
        }
        match out.tables.get_mut(&hash64(blob)) {
            None => {
                out.tables.insert(hash64(blob), Some(ids));
            }
            Some(existing) => {
                if existing.as_deref() != Some(&ids[..]) {
                    *existing = None;
                }
            }
        }
        c.align8();
    }
    Ok((out, version.unwrap_or(NEWEST_VERSION)))
}

/// Decodes one filename table: `[uleb N][uleb ulen][uleb clen][zlib or raw]`, each name
/// `[uleb len][bytes]`; from Version6 on, relative names are resolved against entry 0.
fn decode_filenames(blob: &[u8], version: u32) -> Result<Vec<String>, ReadError> {
    let err = |e| ReadError::cursor(BLOB, e);
    let mut c = Cursor::new(blob);
    let count = c.uleb().map_err(err)?;
    if count == 0 {
        return Err(ReadError::corrupt(BLOB, 0, "number of filenames is zero"));
    }
    if count > c.remaining() as u64 {
        return Err(ReadError::corrupt(
            BLOB,
            0,
            format!("{count} filenames do not fit"),
        ));
    }
    let ulen = c.uleb().map_err(err)?;
    let clen = c.uleb().map_err(err)?;
    let inflated;
    let mut names = if clen > 0 {
        let packed = c.bytes(clen).map_err(err)?;
        inflated = inflate_exact(packed, ulen).ok_or(ReadError::Decompress { section: BLOB })?;
        Cursor::new(&inflated)
    } else {
        c
    };
    let mut out: Vec<String> = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let len = names.uleb().map_err(err)?;
        let raw = names.bytes(len).map_err(err)?;
        let name = String::from_utf8_lossy(raw).into_owned();
        let resolved = if version >= VERSION_WITH_COMPILATION_DIR && !out.is_empty() {
            resolve(&out[0], &name)
        } else {
            name
        };
        out.push(resolved);
    }
    Ok(out)
}

/// LLVM's resolution of a recorded filename: absolute names stay; relative ones are appended to
/// the compilation directory, then `.` and `..` components are removed.
fn resolve(dir: &str, name: &str) -> String {
    if name.starts_with('/') {
        return name.to_owned();
    }
    let joined = if dir.is_empty() {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    };
    remove_dots(&joined)
}

/// `llvm::sys::path::remove_dots(path, remove_dot_dot = true)` for POSIX paths.
fn remove_dots(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if absolute => {}
                _ => parts.push(part),
            },
            _ => parts.push(part),
        }
    }
    let body = parts.join("/");
    if absolute {
        format!("/{body}")
    } else {
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(names: &[&str]) -> Vec<u8> {
        let mut raw = Vec::new();
        for n in names {
            raw.push(n.len() as u8);
            raw.extend_from_slice(n.as_bytes());
        }
        let mut blob = vec![names.len() as u8, raw.len() as u8, 0];
        blob.extend(raw);
        blob
    }

    fn header(blob: &[u8], version: u32) -> Vec<u8> {
        let mut out = Vec::new();
        for v in [0, blob.len() as u32, 0, version] {
            out.extend(v.to_le_bytes());
        }
        out.extend_from_slice(blob);
        while out.len() % 8 != 0 {
            out.push(0);
        }
        out
    }

    #[test]
    fn resolves_relative_names_against_the_compilation_dir() {
        let blob = table(&[
            "/work/crate",
            "src/lib.rs",
            "../dep/./src/x.rs",
            "/abs/y.rs",
        ]);
        let (tables, version) = parse_covmap(&header(&blob, 6)).unwrap();
        assert_eq!(version, 6);
        assert_eq!(
            tables.files,
            [
                "/work/crate",
                "/work/crate/src/lib.rs",
                "/work/dep/src/x.rs",
                "/abs/y.rs"
            ]
        );
        assert_eq!(tables.table(hash64(&blob)), Some(Some(&[0, 1, 2, 3][..])));
        assert_eq!(tables.table(1), None);
    }

    #[test]
    fn remove_dots_matches_llvm() {
        assert_eq!(remove_dots("/a/b/../../../c"), "/c");
        assert_eq!(remove_dots("a/../../b"), "../b");
        assert_eq!(remove_dots("/a//b/./c/"), "/a/b/c");
    }

    #[test]
    fn rejects_unknown_versions_by_name() {
        let blob = table(&["/d", "f.rs"]);
        for v in [2, 7, 11] {
            let err = parse_covmap(&header(&blob, v)).unwrap_err();
            assert!(matches!(err, ReadError::UnsupportedVersion(x) if x == v));
            assert!(err.to_string().contains(&format!("version {v}")), "{err}");
        }
    }

    #[test]
    fn rejects_truncated_and_empty_tables() {
        let blob = table(&["/d", "f.rs"]);
        let section = header(&blob, 6);
        assert!(matches!(
            parse_covmap(&section[..20]),
            Err(ReadError::Truncated { .. })
        ));
        assert!(matches!(
            parse_covmap(&header(&[0, 0, 0], 6)),
            Err(ReadError::Corrupt { .. })
        ));
    }
}
