//! The function name list of `__llvm_prf_names`: `NameRef` (MD5 of a mangled name) to name.

use super::error::ReadError;
use super::leb128::Cursor;
use super::md5::hash64;
use super::zlib::inflate_exact;
use std::collections::HashMap;

const SECTION: &str = "__llvm_prf_names";

/// Separator between names inside one (possibly compressed) chunk.
const NAME_SEPARATOR: u8 = 0x01;

/// Decodes the names section: repeated `[uleb ulen][uleb clen][data]` chunks (zlib when
/// `clen > 0`), names separated by 0x01, zero padding between chunks. Returns NameRef -> name.
pub(crate) fn parse_names(section: &[u8]) -> Result<HashMap<u64, String>, ReadError> {
    let mut names = HashMap::new();
    let mut c = Cursor::new(section);
    loop {
        while section.get(c.pos()) == Some(&0) {
            c.skip(1).map_err(|e| ReadError::cursor(SECTION, e))?;
        }
        if c.is_empty() {
            return Ok(names);
        }
        let start = c.pos();
        let ulen = c.uleb().map_err(|e| ReadError::cursor(SECTION, e))?;
        let clen = c.uleb().map_err(|e| ReadError::cursor(SECTION, e))?;
        let chunk = if clen == 0 {
            c.bytes(ulen)
                .map_err(|e| ReadError::cursor(SECTION, e))?
                .to_vec()
        } else {
            let packed = c.bytes(clen).map_err(|e| ReadError::cursor(SECTION, e))?;
            inflate_exact(packed, ulen).ok_or(ReadError::Decompress { section: SECTION })?
        };
        for name in chunk.split(|&b| b == NAME_SEPARATOR) {
            if name.is_empty() {
                continue;
            }
            let text = std::str::from_utf8(name)
                .map_err(|_| ReadError::corrupt(SECTION, start, "function name is not UTF-8"))?;
            names.entry(hash64(name)).or_insert_with(|| text.to_owned());
        }
    }
}

/// Demangles a Rust symbol (v0 or legacy), without the legacy hash suffix; other names unchanged.
pub(crate) fn demangle(name: &str) -> String {
    match rustc_demangle::try_demangle(name) {
        Ok(d) => format!("{d:#}"),
        Err(_) => name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn chunk(data: &[u8], compress: bool) -> Vec<u8> {
        let mut out = vec![data.len() as u8];
        if compress {
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(data).unwrap();
            let packed = e.finish().unwrap();
            out.push(packed.len() as u8);
            out.extend(packed);
        } else {
            out.push(0);
            out.extend_from_slice(data);
        }
        out
    }

    #[test]
    fn parses_raw_and_compressed_chunks_with_padding() {
        let mut section = chunk(b"_RNvCs1_3foo3bar\x01main", true);
        section.extend([0, 0, 0]);
        section.extend(chunk(b"plain", false));
        let names = parse_names(&section).unwrap();
        assert_eq!(names.len(), 3);
        assert_eq!(names[&hash64(b"main")], "main");
        assert_eq!(names[&hash64(b"plain")], "plain");
        assert_eq!(names[&hash64(b"_RNvCs1_3foo3bar")], "_RNvCs1_3foo3bar");
    }

    #[test]
    fn rejects_truncated_and_corrupt_chunks() {
        let section = chunk(b"abcdef", false);
        assert!(matches!(
            parse_names(&section[..4]),
            Err(ReadError::Truncated { .. })
        ));
        let mut bad = chunk(b"abcdef", true);
        let last = bad.len() - 1;
        bad[last] ^= 0xff;
        assert!(matches!(
            parse_names(&bad),
            Err(ReadError::Decompress { .. })
        ));
    }

    #[test]
    fn demangles_v0_and_legacy() {
        assert_eq!(demangle("_RNvCs1234_7mycrate3foo"), "mycrate::foo");
        assert_eq!(
            demangle("_ZN7mycrate3foo17h0123456789abcdefE"),
            "mycrate::foo"
        );
        assert_eq!(demangle("main"), "main");
    }
}
