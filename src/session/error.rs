//! What stops a session before any file is checked: usage and I/O problems (exit code 2).
//! Everything wrong inside a file is a diagnostic instead.

use std::fmt;
use std::path::PathBuf;

#[derive(Debug)]
pub enum SessionError {
    /// A path on the command line that does not exist.
    NotFound(String),
    /// A file named on the command line that cannot be read.
    Unreadable {
        path: PathBuf,
        reason: String,
    },
    /// A folder whose files cannot be listed.
    Folder {
        path: String,
        error: std::io::Error,
    },
    Stdin(std::io::Error),
    /// The paths held no `.sales` file.
    NoFiles(Vec<String>),
}

impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SessionError::NotFound(path) => write!(f, "`{path}` does not exist"),
            SessionError::Unreadable { path, reason } => {
                write!(f, "cannot read `{}`: {reason}", path.display())
            }
            SessionError::Folder { path, error } => {
                write!(f, "cannot read the folder `{path}`: {error}")
            }
            SessionError::Stdin(error) => write!(f, "cannot read standard input: {error}"),
            SessionError::NoFiles(paths) => {
                write!(f, "no `.sales` files found in {}", paths.join(", "))
            }
        }
    }
}

impl std::error::Error for SessionError {}

/// Why a file cannot be read, in the words a user expects.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ if e.raw_os_error() == Some(21) => "it is a folder".into(),
        _ => e.to_string(),
    }
}
