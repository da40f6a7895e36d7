//! The error type of the binfmt commands: a message that already says what failed and where,
//! so the CLI prints it as is and exits non-zero.

use std::fmt;
use std::path::Path;

/// A failed binfmt operation, with its context already in the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(pub String);

impl Error {
    pub fn new(msg: impl Into<String>) -> Self {
        Error(msg.into())
    }

    /// An I/O failure on `path` while doing `what` (e.g. "reading", "registering through").
    pub fn io(what: &str, path: &Path, err: &std::io::Error) -> Self {
        Error(format!("{what} {}: {err}", path.display()))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;
