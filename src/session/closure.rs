//! The files one named file needs, and the import problems seen from it.
//!
//! A depth-first walk over the imports the loader resolved: files come out imports first
//! (the order name resolution wants), a circle is reported at the import that enters it from
//! its first file, and an import that leaves the named file's folder (without
//! `--allow-outside`) is not followed. Marks live in hash maps keyed by file id, so the walk
//! is linear in the number of imports.

use super::load::{display_path, Loader, Target, Unresolved};
use crate::check::rules;
use crate::diag::Diagnostic;
use crate::source::{FileId, Loc};
use std::collections::HashMap;
use std::path::Path;

pub struct Closure {
    /// The files to resolve together, imports before the files that import them.
    pub files: Vec<FileId>,
    pub diagnostics: Vec<Diagnostic>,
    /// A syntax error or an import problem: the files cannot be resolved soundly.
    pub broken: bool,
}

struct Frame {
    file: FileId,
    next_import: usize,
    /// The import this file is following onward, for reporting a circle.
    via: Option<Loc>,
}

enum Mark {
    /// On the walk's stack, at this depth.
    Open(usize),
    Done,
}

pub fn closure(loader: &Loader, root: FileId, fence: Option<&Path>) -> Closure {
    let mut out = Closure {
        files: Vec::new(),
        diagnostics: Vec::new(),
        broken: false,
    };
    let mut marks: HashMap<FileId, Mark> = HashMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    enter(loader, root, &mut stack, &mut marks, &mut out);
    while let Some(top) = stack.len().checked_sub(1) {
        let file = stack[top].file;
        let imports = match &loader.entries[file.0].parsed {
            Some(Ok(parsed)) => &parsed.imports[..],
            _ => &[],
        };
        let Some(import) = imports.get(stack[top].next_import) else {
            stack.pop();
            marks.insert(file, Mark::Done);
            out.files.push(file);
            continue;
        };
        stack[top].next_import += 1;
        let problem = match &import.target {
            Err(Unresolved::NoFolder) => Some((
                "imports are relative to a file, and this input has no folder".to_string(),
                "check a file on disk instead of standard input".to_string(),
            )),
            Err(Unresolved::Missing { dir }) => Some((
                format!(
                    "there is no file `{}`",
                    display_path(&dir.join(&import.written))
                ),
                missing_help(&import.written, dir),
            )),
            Ok(target) if fence.is_some_and(|fence| !target.key.starts_with(fence)) => Some((
                "it is outside the folder of the checked file".into(),
                "move it into that folder, or pass `--allow-outside` to allow it".into(),
            )),
            Ok(target) => match loader.by_path.get(&target.key) {
                Some(Target::File(id)) => {
                    stack[top].via = Some(import.loc);
                    match marks.get(id) {
                        Some(Mark::Done) => {}
                        Some(Mark::Open(depth)) => {
                            let diagnostic = circle(loader, &stack, *depth, import.loc);
                            out.diagnostics.push(diagnostic);
                        }
                        None => enter(loader, *id, &mut stack, &mut marks, &mut out),
                    }
                    None
                }
                Some(Target::Unreadable(reason)) => {
                    Some((reason.clone(), "check that the file can be read".into()))
                }
                None => Some((
                    "it was not read".into(),
                    "check that the file can be read".into(),
                )),
            },
        };
        if let Some((why, help)) = problem {
            out.diagnostics.push(rules::import_not_found::diagnostic(
                &import.written,
                import.loc,
                &why,
                help,
            ));
            out.broken = true;
        }
    }
    out
}

/// Starts walking `file`, unless it does not parse: then its diagnostics stop the closure.
fn enter(
    loader: &Loader,
    file: FileId,
    stack: &mut Vec<Frame>,
    marks: &mut HashMap<FileId, Mark>,
    out: &mut Closure,
) {
    if let Some(Err(diagnostics)) = &loader.entries[file.0].parsed {
        out.diagnostics.extend(diagnostics.iter().cloned());
        out.broken = true;
        marks.insert(file, Mark::Done);
        return;
    }
    marks.insert(file, Mark::Open(stack.len()));
    stack.push(Frame {
        file,
        next_import: 0,
        via: None,
    });
}

/// The circle from the file at `depth` back to itself, reported at the import that enters it
/// from its first file.
fn circle(loader: &Loader, stack: &[Frame], depth: usize, at: Loc) -> Diagnostic {
    let name = |file: FileId| loader.sources.get(file).name.clone();
    let mut chain: Vec<String> = stack[depth..].iter().map(|f| name(f.file)).collect();
    chain.push(name(stack[depth].file));
    rules::import_cycle::diagnostic(&chain, stack[depth].via.unwrap_or(at))
}

fn missing_help(written: &str, dir: &Path) -> String {
    if let Some(near) = nearest_sales_file(&dir.join(written)) {
        let suggestion = Path::new(written).with_file_name(near);
        format!("did you mean `{}`?", suggestion.display())
    } else if written.ends_with(".sales") {
        format!(
            "check the path: it is relative to the folder of this file (`{}`)",
            display_dir(dir)
        )
    } else {
        "import a `.sales` file, with its extension".into()
    }
}

/// The `.sales` file in `missing`'s folder whose name is closest to it, if one is close.
fn nearest_sales_file(missing: &Path) -> Option<String> {
    let wanted = missing.file_name()?.to_str()?;
    let wanted = wanted.strip_suffix(".sales").unwrap_or(wanted);
    let dir = match missing.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut stems: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| Some(n.strip_suffix(".sales")?.to_string()))
        .collect();
    stems.sort();
    // Stems are compared, so the shared extension does not make every name look close.
    let near = crate::diag::closest(wanted, stems.iter().map(String::as_str))?;
    Some(format!("{near}.sales"))
}

/// A folder for a message: `.` rather than nothing for the current one.
fn display_dir(dir: &Path) -> String {
    let shown = display_path(dir);
    if shown.is_empty() {
        ".".into()
    } else {
        shown
    }
}
