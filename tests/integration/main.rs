//! Integration tests: the real `newsidx` binary on copies of `fixtures/archive` and on archives
//! generated in temp folders. One test binary, so the crate links once.

mod contract;
mod harness;

mod archives;
mod build;
mod cli;
mod concurrency;
mod disk_full;
mod dups;
mod engines;
mod errors;
mod fuzz_seeds;
mod golden;
mod incremental;
mod index_folder;
mod permissions;
mod query;
mod readme;
mod related;
mod scripts;
mod search;
