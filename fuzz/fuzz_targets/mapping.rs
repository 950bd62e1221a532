#![no_main]
//! Coverage mapping decoding (`__llvm_prf_names`, `__llvm_covmap`, `__llvm_covfun`), then
//! evaluation of what decodes (with no counters) into regions, segments and lines.

use libfuzzer_sys::fuzz_target;
use truecov_coverage::read::{BinaryMapping, Profile};

fuzz_target!(|data: &[u8]| {
    let [a, b, rest @ ..] = data else {
        return;
    };
    let (names, rest) = rest.split_at((*a as usize).min(rest.len()));
    let split = (usize::from(*b) * 4).min(rest.len());
    let (covmap, covfun) = rest.split_at(split);
    if let Ok(mapping) = BinaryMapping::from_sections(None, names, covmap, covfun) {
        let evaluated = mapping
            .evaluate(&Profile::default())
            .expect("an empty profile pairs");
        for file in evaluated.files.values() {
            assert!(file.regions.iter().all(|r| r.count == 0));
        }
    }
});
