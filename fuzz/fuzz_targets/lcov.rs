#![no_main]
//! lcov import.

use libfuzzer_sys::fuzz_target;
use truecov_coverage::read::import;

fuzz_target!(|data: &[u8]| {
    let _ = import::lcov(&String::from_utf8_lossy(data));
});
