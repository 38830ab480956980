//! `salespath build --watch`: build, then build again whenever a `.sales` file or
//! salespath.yaml under the named paths changes, so outputs open in a browser are a live
//! preview. Changes are polled (no platform watcher to install) and debounced, so an editor
//! saving several files at once gives one build. A build that fails writes nothing, so the
//! last good outputs stay, and its diagnostics are printed.

use super::outcome::{CliError, Outcome};
use salespath::config::FILE_NAME;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How often the files are looked at.
const POLL: Duration = Duration::from_millis(200);
/// How long the files must stay unchanged before building.
const QUIET: Duration = Duration::from_millis(300);

/// What a file looked like: its modification time and size, or nothing when it is gone.
type Stamp = Option<(SystemTime, u64)>;

pub fn run(
    paths: &[String],
    mut build: impl FnMut() -> Result<Outcome, CliError>,
) -> Result<Outcome, CliError> {
    let folders = folders(paths);
    let mut seen = stamps(&folders);
    loop {
        if let Err(error) = build() {
            eprintln!("error: {error}");
        }
        println!("watching for changes (Ctrl-C to stop)");
        seen = wait_for_change(&folders, seen);
        println!("change detected: building");
    }
}

/// The folders to watch: each named folder, and the folder of each named file.
fn folders(paths: &[String]) -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = paths
        .iter()
        .filter(|p| *p != "-")
        .map(|p| {
            let path = Path::new(p);
            if path.is_dir() {
                path.to_path_buf()
            } else {
                match path.parent() {
                    Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
                    _ => PathBuf::from("."),
                }
            }
        })
        .collect();
    folders.sort();
    folders.dedup();
    folders
}

/// Blocks until the files differ from `before` and then stay the same for a moment.
fn wait_for_change(
    folders: &[PathBuf],
    before: BTreeMap<PathBuf, Stamp>,
) -> BTreeMap<PathBuf, Stamp> {
    loop {
        std::thread::sleep(POLL);
        let mut now = stamps(folders);
        if now == before {
            continue;
        }
        loop {
            std::thread::sleep(QUIET);
            let settled = stamps(folders);
            if settled == now {
                return settled;
            }
            now = settled;
        }
    }
}

/// Every `.sales` file and salespath.yaml below `folders` (hidden folders and `target`
/// skipped, as when checking a folder), with its stamp.
fn stamps(folders: &[PathBuf]) -> BTreeMap<PathBuf, Stamp> {
    let mut out = BTreeMap::new();
    for folder in folders {
        collect(folder, &mut out);
    }
    out
}

fn collect(dir: &Path, out: &mut BTreeMap<PathBuf, Stamp>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            let hidden = name.to_string_lossy().starts_with('.');
            if !hidden && name != "target" && name != "node_modules" {
                collect(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "sales") || name == FILE_NAME {
            let stamp = entry
                .metadata()
                .ok()
                .map(|m| (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()));
            out.insert(path, stamp);
        }
    }
}
