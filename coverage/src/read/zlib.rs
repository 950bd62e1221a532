//! Bounded zlib inflation for the compressed blobs in coverage sections.

use std::io::Read;

/// Largest inflated size accepted: real filename tables and name lists are a few MiB.
const MAX_INFLATED: u64 = 256 << 20;

/// Inflates `data`, which must decompress to exactly `expected_len` bytes; `None` when it is not
/// valid zlib, has another length, or claims more than [`MAX_INFLATED`] bytes.
pub(crate) fn inflate_exact(data: &[u8], expected_len: u64) -> Option<Vec<u8>> {
    if expected_len > MAX_INFLATED {
        return None;
    }
    let capacity = usize::try_from(expected_len).ok()?;
    let mut out = Vec::with_capacity(capacity.min(data.len().saturating_mul(16)));
    flate2::read::ZlibDecoder::new(data)
        .take(expected_len + 1)
        .read_to_end(&mut out)
        .ok()?;
    (out.len() as u64 == expected_len).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn deflate(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn inflates_only_the_declared_length() {
        let packed = deflate(b"hello hello hello");
        assert_eq!(
            inflate_exact(&packed, 17).as_deref(),
            Some(&b"hello hello hello"[..])
        );
        assert_eq!(inflate_exact(&packed, 16), None);
        assert_eq!(inflate_exact(&packed, 18), None);
        assert_eq!(inflate_exact(&packed[..packed.len() / 2], 17), None);
        assert_eq!(inflate_exact(b"not zlib", 3), None);
        assert_eq!(inflate_exact(&packed, u64::MAX), None);
    }
}
