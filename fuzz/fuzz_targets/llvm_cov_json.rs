#![no_main]
//! `llvm-cov export` JSON import (regions, combination and line derivation included).

use libfuzzer_sys::fuzz_target;
use truecov_coverage::read::import;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = import::llvm_cov_json(text);
    }
});
