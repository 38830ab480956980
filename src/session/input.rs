//! What a session reads: files, text already in memory, and folders searched for `*.sales`.

use super::error::SessionError;
use std::io::Read;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Let imports read files outside the folder of the file named on the command line.
    pub allow_outside: bool,
}

/// Where a file comes from.
#[derive(Clone, Debug)]
pub enum Input {
    Path(PathBuf),
    /// Text already read, such as standard input or a file at a git revision, with the name
    /// to show for it and the folder its imports are relative to.
    Text {
        name: String,
        text: Vec<u8>,
        base: Option<PathBuf>,
    },
}

/// Command-line paths as inputs: files as given, folders as every `*.sales` below them
/// (sorted; hidden folders and `target` skipped), `-` as standard input.
pub fn from_args(paths: &[String]) -> Result<Vec<Input>, SessionError> {
    let mut inputs = Vec::new();
    for path in paths {
        if path == "-" {
            let mut text = Vec::new();
            std::io::stdin()
                .read_to_end(&mut text)
                .map_err(SessionError::Stdin)?;
            inputs.push(Input::Text {
                name: "<stdin>".into(),
                text,
                base: std::env::current_dir().ok(),
            });
            continue;
        }
        let p = Path::new(path);
        if p.is_dir() {
            let mut found = Vec::new();
            collect_sales_files(p, &mut found).map_err(|error| SessionError::Folder {
                path: path.clone(),
                error,
            })?;
            found.sort();
            inputs.extend(found.into_iter().map(Input::Path));
        } else if p.exists() {
            inputs.push(Input::Path(p.to_path_buf()));
        } else {
            return Err(SessionError::NotFound(path.clone()));
        }
    }
    if inputs.is_empty() {
        return Err(SessionError::NoFiles(paths.to_vec()));
    }
    Ok(inputs)
}

fn collect_sales_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            if !hidden && entry.file_name() != "target" {
                collect_sales_files(&path, out)?;
            }
        } else if path.extension().is_some_and(|e| e == "sales") {
            out.push(
                path.strip_prefix("./")
                    .map(Path::to_path_buf)
                    .unwrap_or(path),
            );
        }
    }
    Ok(())
}
