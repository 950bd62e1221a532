//! A bounds-checked little-endian byte cursor with ULEB128 decoding, shared by every decoder.

/// Why a read from a [`Cursor`] failed, with the offset (from the start of the cursor's buffer)
/// where the failed read began.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CursorError {
    /// The buffer ends before the value does.
    Truncated { offset: usize },
    /// A ULEB128 value does not fit in 64 bits.
    Overflow { offset: usize },
}

/// Reads fixed-size little-endian integers and ULEB128 values from a byte slice; never reads out
/// of bounds and never panics.
#[derive(Clone, Debug)]
pub(crate) struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `data`.
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Cursor { data, pos: 0 }
    }

    /// Offset of the next byte to read.
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// Bytes left to read.
    pub(crate) fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    /// Whether everything has been read.
    pub(crate) fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// The next `n` bytes.
    pub(crate) fn bytes(&mut self, n: u64) -> Result<&'a [u8], CursorError> {
        let truncated = CursorError::Truncated { offset: self.pos };
        let n = usize::try_from(n).map_err(|_| truncated)?;
        if n > self.remaining() {
            return Err(truncated);
        }
        let out = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    /// Skips `n` bytes.
    pub(crate) fn skip(&mut self, n: u64) -> Result<(), CursorError> {
        self.bytes(n).map(|_| ())
    }

    /// Skips to the next multiple of 8 from the start of the buffer (or to its end, if closer).
    pub(crate) fn align8(&mut self) {
        let aligned = self.pos.div_ceil(8).saturating_mul(8);
        self.pos = aligned.min(self.data.len());
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], CursorError> {
        let bytes = self.bytes(N as u64)?;
        let mut out = [0; N];
        out.copy_from_slice(bytes);
        Ok(out)
    }

    /// A little-endian `u32`.
    pub(crate) fn u32(&mut self) -> Result<u32, CursorError> {
        self.array().map(u32::from_le_bytes)
    }

    /// A little-endian `u64`.
    pub(crate) fn u64(&mut self) -> Result<u64, CursorError> {
        self.array().map(u64::from_le_bytes)
    }

    /// An unsigned LEB128 value of at most 64 bits (redundant zero padding is accepted, as LLVM
    /// accepts it).
    pub(crate) fn uleb(&mut self) -> Result<u64, CursorError> {
        let start = self.pos;
        let mut value: u64 = 0;
        let mut shift = 0u32;
        loop {
            let Some(&byte) = self.data.get(self.pos) else {
                self.pos = start;
                return Err(CursorError::Truncated { offset: start });
            };
            self.pos += 1;
            let low = u64::from(byte & 0x7f);
            if shift >= 64 {
                if low != 0 {
                    self.pos = start;
                    return Err(CursorError::Overflow { offset: start });
                }
            } else {
                let shifted = low << shift;
                if shifted >> shift != low {
                    self.pos = start;
                    return Err(CursorError::Overflow { offset: start });
                }
                value |= shifted;
            }
            if byte & 0x80 == 0 {
                return Ok(value);
            }
            shift = shift.saturating_add(7);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uleb(bytes: &[u8]) -> Result<u64, CursorError> {
        Cursor::new(bytes).uleb()
    }

    #[test]
    fn uleb_decodes_known_values() {
        assert_eq!(uleb(&[0x00]), Ok(0));
        assert_eq!(uleb(&[0x7f]), Ok(127));
        assert_eq!(uleb(&[0x80, 0x01]), Ok(128));
        assert_eq!(uleb(&[0xe5, 0x8e, 0x26]), Ok(624_485));
        // Redundant padding, as some encoders emit.
        assert_eq!(uleb(&[0x80, 0x80, 0x00]), Ok(0));
        let max = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
        assert_eq!(uleb(&max), Ok(u64::MAX));
    }

    #[test]
    fn uleb_rejects_truncation_and_overflow() {
        assert_eq!(uleb(&[]), Err(CursorError::Truncated { offset: 0 }));
        assert_eq!(
            uleb(&[0x80, 0x80]),
            Err(CursorError::Truncated { offset: 0 })
        );
        let too_big = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02];
        assert_eq!(uleb(&too_big), Err(CursorError::Overflow { offset: 0 }));
        let mut long = vec![0x80; 40];
        long.push(0x01);
        assert_eq!(uleb(&long), Err(CursorError::Overflow { offset: 0 }));
    }

    #[test]
    fn cursor_reads_are_bounded() {
        let mut c = Cursor::new(&[1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 9]);
        assert_eq!(c.u32(), Ok(1));
        assert_eq!(c.u64(), Ok(2));
        assert_eq!(c.pos(), 12);
        assert_eq!(c.u32(), Err(CursorError::Truncated { offset: 12 }));
        assert_eq!(
            c.bytes(u64::MAX),
            Err(CursorError::Truncated { offset: 12 })
        );
        c.align8();
        assert_eq!(c.pos(), 13);
        assert!(c.is_empty());
    }
}
