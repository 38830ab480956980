//! How a command ends: an [`Outcome`] when it ran, a [`CliError`] when it could not; `main`
//! turns either into the exit code (0 clean, 1 problems found, 2 usage or I/O error).

use salespath::session::build::{BuildError, SelectError, WriteError};
use salespath::session::SessionError;
use std::fmt;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to report, or only what the user allowed (warnings, safe changes).
    Clean,
    /// Problems found: errors, denied warnings, stale outputs, breaking changes, unformatted
    /// files.
    Found,
}

#[derive(Debug)]
pub enum CliError {
    Session(SessionError),
    Config(salespath::config::ConfigError),
    Select(SelectError),
    Build(BuildError),
    Write(WriteError),
    UnknownRule {
        name: String,
        help: String,
    },
    /// A `diff` argument that is neither a file nor `REV:path` git can read.
    DiffInput(salespath::diff::InputError),
    /// A `diff` side that does not check clean (its errors were shown).
    DiffHasErrors(String),
    Audit(salespath::audit::AuditError),
    /// `init` would overwrite a file.
    Exists(PathBuf),
    Create {
        path: PathBuf,
        error: std::io::Error,
    },
    /// The language server lost its connection to the editor.
    Server(salespath::lsp::BoxError),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Build(
                BuildError::CheckFailed { .. }
                | BuildError::Inexpressible { .. }
                | BuildError::Collision { .. },
            ) => 1,
            _ => 2,
        }
    }
}

impl Outcome {
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Clean => 0,
            Outcome::Found => 1,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Session(e) => write!(f, "{e}"),
            CliError::Config(e) => write!(f, "{e}"),
            CliError::Select(e) => write!(f, "{e}"),
            CliError::Build(e) => write!(f, "{e}"),
            CliError::Write(e) => write!(f, "{e}"),
            CliError::UnknownRule { name, help } => write!(f, "`{name}` is not a rule: {help}"),
            CliError::DiffInput(e) => write!(f, "{e}"),
            CliError::Audit(e) => write!(f, "{e}"),
            CliError::DiffHasErrors(arg) => {
                write!(
                    f,
                    "`{arg}` has errors (shown above); fix them before comparing"
                )
            }
            CliError::Exists(path) => write!(
                f,
                "`{}` already exists; choose another file name or remove it first",
                path.display()
            ),
            CliError::Create { path, error } => {
                write!(f, "cannot create `{}`: {error}", path.display())
            }
            CliError::Server(e) => write!(f, "language server: {e}"),
        }
    }
}

impl From<SessionError> for CliError {
    fn from(e: SessionError) -> Self {
        CliError::Session(e)
    }
}

impl From<SelectError> for CliError {
    fn from(e: SelectError) -> Self {
        CliError::Select(e)
    }
}

impl From<BuildError> for CliError {
    fn from(e: BuildError) -> Self {
        CliError::Build(e)
    }
}

impl From<WriteError> for CliError {
    fn from(e: WriteError) -> Self {
        CliError::Write(e)
    }
}
