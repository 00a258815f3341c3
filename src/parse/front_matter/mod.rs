//! Front matter: the fences that delimit it (`fences`) and the YAML between them (`yaml`).

mod fences;
mod yaml;

pub use fences::{looks_like_yaml, missing_opening_fence, split_front_matter, Fences};
#[cfg(test)]
pub(crate) use yaml::parse_yaml_fully;
pub use yaml::{fast_path_agrees, parse_yaml, repeated_top_level_keys, Yaml, YamlError};
