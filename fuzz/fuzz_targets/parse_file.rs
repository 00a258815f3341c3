//! Fuzz target `parse_file`; its body is `newsidx::fuzzing::parse_file_target`, which `cargo test`
//! replays over `fuzz/seeds/parse_file/`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| newsidx::fuzzing::parse_file_target(data));
