//! Coverage engine for cargo-truecov.
//!
//! Builds a workspace's test targets with `-C instrument-coverage`, runs each test alone, and
//! decodes LLVM coverage mappings and `.profraw` profiles natively (no llvm-tools at run time)
//! into per-test executed regions and lines. It knows nothing of verdicts.
