#![no_main]
//! `.profraw` decoding: any input decodes or is rejected with an error, never a panic.

use libfuzzer_sys::fuzz_target;
use truecov_coverage::read::Profile;

fuzz_target!(|data: &[u8]| {
    if let Ok(profile) = Profile::parse(data) {
        assert!(profile.len() <= data.len() / 48);
        let _ = profile.binary_ids();
    }
});
