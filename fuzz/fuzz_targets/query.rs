//! Fuzz target `query`; its body is `newsidx::fuzzing::query_target`, which `cargo test`
//! replays over `fuzz/seeds/query/`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| newsidx::fuzzing::query_target(data));
