//! Diff arguments: a file on disk, or `REV:path` for a file at a git revision.

use crate::session::Input;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Why a `diff` argument names no text to compare.
#[derive(Debug)]
pub enum InputError {
    /// Neither a file nor of the form `REV:path`.
    NotFound(String),
    /// `git` could not be run.
    NoGit { arg: String, error: std::io::Error },
    /// `git show` refused; `why` is the first line it printed.
    Git { arg: String, why: String },
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::NotFound(arg) => write!(f, "`{arg}` does not exist"),
            InputError::NoGit { arg, error } => {
                write!(f, "cannot read `{arg}`: running `git` failed ({error})")
            }
            InputError::Git { arg, why } => {
                write!(f, "`{arg}` is neither a file nor readable from git: {why}")
            }
        }
    }
}

impl std::error::Error for InputError {}

/// A path that exists wins; otherwise `REV:path` is read with `git show`, the path taken
/// relative to the current folder (as every other path on the command line).
pub fn resolve_input(arg: &str) -> Result<Input, InputError> {
    if Path::new(arg).exists() {
        return Ok(Input::Path(PathBuf::from(arg)));
    }
    match arg.split_once(':') {
        Some((rev, path)) if !rev.is_empty() && !path.is_empty() => git_show(arg, rev, path),
        _ => Err(InputError::NotFound(arg.to_string())),
    }
}

/// A `.sales` file of a git revision, for the imports of a `REV:path` argument to read.
pub struct RevisionFile {
    /// Where it is in the working tree.
    pub path: PathBuf,
    /// `REV:path`, to show.
    pub name: String,
    pub text: Vec<u8>,
}

/// For a `REV:path` argument (not a file on disk): every `.sales` file of that revision, so
/// that its imports read the files as they were then. Empty for a file on disk.
pub fn revision_files(arg: &str) -> Result<Vec<RevisionFile>, InputError> {
    if Path::new(arg).exists() {
        return Ok(Vec::new());
    }
    let Some((rev, _)) = arg.split_once(':') else {
        return Ok(Vec::new());
    };
    let top = git(arg, &["rev-parse", "--show-toplevel"], None)?;
    let top = PathBuf::from(String::from_utf8_lossy(&top).trim());
    let listing = git(
        arg,
        &["ls-tree", "-r", "-z", "--name-only", "--full-tree", rev],
        Some(&top),
    )?;
    let mut files = Vec::new();
    for name in listing.split(|b| *b == 0) {
        let name = String::from_utf8_lossy(name);
        if !name.ends_with(".sales") {
            continue;
        }
        let text = git(arg, &["show", &format!("{rev}:{name}")], Some(&top))?;
        files.push(RevisionFile {
            path: top.join(name.as_ref()),
            name: format!("{rev}:{name}"),
            text,
        });
    }
    Ok(files)
}

/// What `git args` prints, run in `dir` (or the current folder).
fn git(arg: &str, args: &[&str], dir: Option<&Path>) -> Result<Vec<u8>, InputError> {
    let mut command = Command::new("git");
    command.args(args);
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    let output = command.output().map_err(|error| InputError::NoGit {
        arg: arg.to_string(),
        error,
    })?;
    if !output.status.success() {
        let why = String::from_utf8_lossy(&output.stderr);
        let why = why.lines().next().unwrap_or("git failed").trim();
        return Err(InputError::Git {
            arg: arg.to_string(),
            why: why.to_string(),
        });
    }
    Ok(output.stdout)
}

fn git_show(arg: &str, rev: &str, path: &str) -> Result<Input, InputError> {
    let relative = if path.starts_with("./") || path.starts_with("../") || path.starts_with('/') {
        path.to_string()
    } else {
        format!("./{path}")
    };
    let text = git(arg, &["show", &format!("{rev}:{relative}")], None)?;
    // Imports are relative to where the file lives in the working tree; `revision_files`
    // gives them their text at the revision.
    let base = std::env::current_dir()
        .ok()
        .map(|cwd| cwd.join(path))
        .and_then(|p| p.parent().map(Path::to_path_buf));
    Ok(Input::Text {
        name: arg.to_string(),
        text,
        base,
    })
}
