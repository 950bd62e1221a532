//! Typed errors of the readers: each names what is wrong and where.

use super::leb128::CursorError;
use std::path::PathBuf;

/// Why a binary's coverage mapping could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The bytes are not an object file `object` can parse.
    #[error("not a readable object file: {0}")]
    Object(String),
    /// The binary is big-endian; only little-endian binaries are read.
    #[error(
        "the binary is big-endian (foreign endianness); only little-endian binaries are supported"
    )]
    ForeignEndian,
    /// A section the reader needs is absent.
    #[error("section {0} is missing: the binary was not built with -C instrument-coverage")]
    MissingSection(&'static str),
    /// The `__llvm_covmap` header carries a format version this reader does not know.
    #[error(
        "unsupported coverage mapping version {0} (format Version{v}); supported: 3 to 6 (Version4 to Version7, LLVM 11 to 22)",
        v = u64::from(*.0) + 1
    )]
    UnsupportedVersion(u32),
    /// A section ends in the middle of a value.
    #[error("{section} is truncated at offset {offset}")]
    Truncated {
        /// Section (or encoded blob) being read.
        section: &'static str,
        /// Offset of the value that does not fit.
        offset: usize,
    },
    /// A value is out of range or inconsistent.
    #[error("{section} is corrupt at offset {offset}: {what}")]
    Corrupt {
        /// Section (or encoded blob) being read.
        section: &'static str,
        /// Offset where the problem was found.
        offset: usize,
        /// What is wrong.
        what: String,
    },
    /// Compressed data does not inflate to its declared size.
    #[error("zlib data in {section} is corrupt or does not match its declared size")]
    Decompress {
        /// Section holding the compressed data.
        section: &'static str,
    },
}

impl ReadError {
    /// A cursor failure inside `section`.
    pub(crate) fn cursor(section: &'static str, e: CursorError) -> Self {
        match e {
            CursorError::Truncated { offset } => ReadError::Truncated { section, offset },
            CursorError::Overflow { offset } => ReadError::Corrupt {
                section,
                offset,
                what: "ULEB128 value exceeds 64 bits".into(),
            },
        }
    }

    /// A corrupt value inside `section`.
    pub(crate) fn corrupt(section: &'static str, offset: usize, what: impl Into<String>) -> Self {
        ReadError::Corrupt {
            section,
            offset,
            what: what.into(),
        }
    }
}

/// Why a `.profraw` profile could not be decoded.
#[derive(Debug, thiserror::Error)]
pub enum ProfrawError {
    /// The file ends before a part its header announces.
    #[error("profile is truncated: {what} needs bytes up to offset {needed}, the file has {len}")]
    Truncated {
        /// The part that does not fit.
        what: &'static str,
        /// End offset the part needs.
        needed: u64,
        /// Length of the data.
        len: u64,
    },
    /// The first 8 bytes are not a raw profile magic.
    #[error("not a raw LLVM profile (magic {0:#018x})")]
    BadMagic(u64),
    /// The profile was written by a big-endian machine.
    #[error(
        "the profile is big-endian (foreign endianness); only little-endian profiles are supported"
    )]
    ForeignEndian,
    /// The profile was written by a 32-bit program.
    #[error("the profile was written by a 32-bit program; only 64-bit profiles are supported")]
    PointerWidth,
    /// The raw format version is not one this reader knows.
    #[error("unsupported raw profile version {0}; supported: 8 (LLVM 15-17), 9 (LLVM 18), 10 (LLVM 19-22)")]
    UnsupportedVersion(u64),
    /// The profile uses a variant (debug-info correlation, ...) that needs data this reader does not have.
    #[error("unsupported raw profile variant: {0}")]
    UnsupportedVariant(&'static str),
    /// A value is out of range or inconsistent.
    #[error("profile is corrupt: {0}")]
    Corrupt(String),
}

/// Why a profile cannot be evaluated against a binary.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The profile's binary ids do not include the binary's build id.
    #[error("profile belongs to another binary: its binary ids are [{profile}], the binary's build id is {binary}")]
    BinaryIdMismatch {
        /// The profile's binary ids, hex, comma-separated.
        profile: String,
        /// The binary's build id, hex.
        binary: String,
    },
    /// No function of the profile is a function of the binary.
    #[error("profile belongs to another binary: none of its {0} functions is in the binary's coverage mapping")]
    NoCommonFunctions(usize),
}

/// Why an `llvm-cov export` JSON or lcov file could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The JSON does not parse or does not have the export shape.
    #[error("invalid llvm-cov export JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The JSON parses but a value is out of range.
    #[error("invalid llvm-cov export JSON: {0}")]
    JsonValue(String),
    /// An lcov line is malformed.
    #[error("invalid lcov at line {line}: {what}")]
    Lcov {
        /// 1-based line of the lcov file.
        line: usize,
        /// What is wrong.
        what: String,
    },
}
