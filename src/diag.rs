//! Per-file problems found while building: a `Diagnostic` names the file, the line and column
//! when known, and says what was wrong. Problems are values, not control flow: the build keeps
//! going, and the summary lists errors (file skipped) apart from warnings (noted or skipped).

use std::fmt;

use serde::{Deserialize, Serialize};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file could not be indexed (bad YAML, unclosed or TOML front matter).
    Error,
    /// The file was skipped for a benign reason (empty, binary, too large) or was indexed with
    /// a note (lossy UTF-8, a bad field value, a duplicate).
    Warning,
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Path relative to the archive root.
    pub path: String,
    /// 1-based line in the file, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub col: Option<usize>,
    /// Error or warning.
    pub severity: Severity,
    /// What was wrong, and what was expected.
    pub message: String,
}

impl Diagnostic {
    /// An error in `path` with no known position.
    pub fn error(path: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_owned(),
            line: None,
            col: None,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    /// A warning about `path` with no known position.
    pub fn warning(path: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    /// The same diagnostic at `line` (and `col`).
    pub fn at(mut self, line: usize, col: Option<usize>) -> Self {
        self.line = Some(line);
        self.col = col;
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// `path:line:col: message` for errors, `path[:line]: warning: message` for warnings.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.col {
                write!(f, ":{col}")?;
            }
        }
        match self.severity {
            Severity::Error => write!(f, ": {}", self.message),
            Severity::Warning => write!(f, ": warning: {}", self.message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_like_a_compiler() {
        let err = Diagnostic::error("a/b.md", "mapping values are not allowed").at(3, Some(12));
        assert_eq!(
            err.to_string(),
            "a/b.md:3:12: mapping values are not allowed"
        );
        let warn = Diagnostic::warning("c.txt", "empty file, skipped");
        assert_eq!(warn.to_string(), "c.txt: warning: empty file, skipped");
    }
}
