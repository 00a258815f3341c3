//! Differential: whatever YAML the fast reader takes, it must read exactly as serde_yaml does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsidx::parse::front_matter::fast_path_agrees;

fuzz_target!(|data: &[u8]| {
    if let Ok(yaml) = std::str::from_utf8(data) {
        assert!(fast_path_agrees(yaml), "the fast reader disagrees on {yaml:?}");
    }
});
