//! Diff arguments: a file on disk, or `REV:path` for a file at a git revision.

use crate::session::Input;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A path that exists wins; otherwise `REV:path` is read with `git show`, the path taken
/// relative to the current folder (as every other path on the command line).
pub fn resolve_input(arg: &str) -> Result<Input, String> {
    if Path::new(arg).exists() {
        return Ok(Input::Path(PathBuf::from(arg)));
    }
    match arg.split_once(':') {
        Some((rev, path)) if !rev.is_empty() && !path.is_empty() => git_show(arg, rev, path),
        _ => Err(format!("`{arg}` does not exist")),
    }
}

fn git_show(arg: &str, rev: &str, path: &str) -> Result<Input, String> {
    let relative = if path.starts_with("./") || path.starts_with("../") || path.starts_with('/') {
        path.to_string()
    } else {
        format!("./{path}")
    };
    let output = Command::new("git")
        .args(["show", &format!("{rev}:{relative}")])
        .output()
        .map_err(|e| format!("cannot read `{arg}`: running `git` failed ({e})"))?;
    if !output.status.success() {
        let why = String::from_utf8_lossy(&output.stderr);
        let why = why.lines().next().unwrap_or("git failed").trim();
        return Err(format!(
            "`{arg}` is neither a file nor readable from git: {why}"
        ));
    }
    // Imports are read from the working tree, relative to where the file lives there.
    let base = std::env::current_dir()
        .ok()
        .map(|cwd| cwd.join(path))
        .and_then(|p| p.parent().map(Path::to_path_buf));
    Ok(Input::Text {
        name: arg.to_string(),
        text: output.stdout,
        base,
    })
}
