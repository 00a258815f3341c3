//! Fuzz target `yaml_fast_path`; its body is `newsidx::fuzzing::yaml_fast_path_target`, which `cargo test`
//! replays over `fuzz/seeds/yaml_fast_path/`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| newsidx::fuzzing::yaml_fast_path_target(data));
