//! Reading files into the session's one source map and following their imports.
//!
//! Every file is read and parsed once, however many files import it: files are keyed by
//! canonical path in a hash map, so a chain of thousands of imports loads in linear time.
//! Each new layer of imported files is parsed in parallel. Which imports a named file may
//! follow (its folder fence) and the problems seen from it are worked out per named file by
//! [`super::closure`].

use super::error::io_reason;
use super::parallel;
use crate::diag::Diagnostic;
use crate::rule::Rule;
use crate::source::{FileId, Loc, SourceFile, SourceMap, Span};
use crate::syntax::{self, ast};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// One file the session read.
pub struct Entry {
    /// The folder its imports are relative to, as the user spelt it (`None` for text with no
    /// folder, such as standard input without one).
    pub dir: Option<PathBuf>,
    /// Its syntax tree and imports, or the diagnostics that stop it (syntax, UTF-8);
    /// `None` until parsed.
    pub parsed: Option<Result<Parsed, Vec<Diagnostic>>>,
}

pub struct Parsed {
    pub tree: ast::File,
    pub imports: Vec<Import>,
}

/// One `import` of a file, resolved against the file system.
pub struct Import {
    pub written: String,
    pub loc: Loc,
    pub target: Result<Resolved, Unresolved>,
}

/// A file an import names: the path as written from the importing file's folder, and its
/// canonical form (the key it is read under, worked out once).
pub struct Resolved {
    pub path: PathBuf,
    pub key: PathBuf,
}

/// Why an import names no file.
pub enum Unresolved {
    /// The importing text has no folder (standard input without one).
    NoFolder,
    /// Nothing at that path; `dir` is the folder it was looked for in.
    Missing { dir: PathBuf },
}

/// A canonical path the session looked at: a file it read, or why it could not.
#[derive(Clone)]
pub enum Target {
    File(FileId),
    Unreadable(String),
}

#[derive(Default)]
pub struct Loader {
    pub sources: SourceMap,
    /// By file id.
    pub entries: Vec<Entry>,
    /// By canonical path.
    pub by_path: HashMap<PathBuf, Target>,
}

/// Folders imports may not leave; `None` lets them go anywhere.
pub type Fence = Option<PathBuf>;

impl Loader {
    /// Adds a file's bytes to the source map; bytes that are not UTF-8 are kept (lossily, so
    /// the text can still be shown) with a diagnostic that stops the file.
    pub fn add(&mut self, name: String, bytes: Vec<u8>, dir: Option<PathBuf>) -> FileId {
        let (text, bad_utf8) = match String::from_utf8(bytes) {
            Ok(text) => (text, None),
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                (String::from_utf8_lossy(e.as_bytes()).into_owned(), Some(at))
            }
        };
        let file = self.sources.add(SourceFile::new(name, text));
        let parsed = bad_utf8.map(|at| Err(vec![not_utf8(&self.sources, file, at)]));
        self.entries.push(Entry { dir, parsed });
        file
    }

    /// Reads `path` unless it was read before (by any spelling of it); `key` is its
    /// canonical form.
    pub fn read(&mut self, path: &Path, key: PathBuf) -> Target {
        if let Some(target) = self.by_path.get(&key) {
            return target.clone();
        }
        let target = match std::fs::read(path) {
            Ok(bytes) => {
                let dir = path.parent().map(Path::to_path_buf);
                Target::File(self.add(display_path(path), bytes, dir))
            }
            Err(e) => Target::Unreadable(io_reason(&e)),
        };
        self.by_path.insert(key, target.clone());
        target
    }

    /// Reads and parses everything the `starts` import, directly or not, each under the fence
    /// of the named file it was reached from: an import out of that folder is not followed
    /// (the named file's closure reports it).
    pub fn load(&mut self, starts: &[(FileId, Fence)]) {
        let mut fences: Vec<Fence> = Vec::new();
        let mut layer: Vec<(FileId, usize)> = Vec::new();
        for (file, fence) in starts {
            let index = match fences.iter().position(|f| f == fence) {
                Some(i) => i,
                None => {
                    fences.push(fence.clone());
                    fences.len() - 1
                }
            };
            layer.push((*file, index));
        }
        let mut seen: HashSet<(FileId, usize)> = layer.iter().copied().collect();
        while !layer.is_empty() {
            self.parse_pending(&layer);
            let mut next = Vec::new();
            for &(file, fence) in &layer {
                for (path, key) in self.followed(file, fences[fence].as_deref()) {
                    if let Target::File(id) = self.read(&path, key) {
                        if seen.insert((id, fence)) {
                            next.push((id, fence));
                        }
                    }
                }
            }
            layer = next;
        }
    }

    /// The imports of `file` that lead to a file inside `fence`: their paths and keys.
    fn followed(&self, file: FileId, fence: Option<&Path>) -> Vec<(PathBuf, PathBuf)> {
        let Some(Ok(parsed)) = &self.entries[file.0].parsed else {
            return Vec::new();
        };
        parsed
            .imports
            .iter()
            .filter_map(|import| import.target.as_ref().ok())
            .filter(|target| fence.is_none_or(|fence| target.key.starts_with(fence)))
            .map(|target| (target.path.clone(), target.key.clone()))
            .collect()
    }

    /// Parses, in parallel, every file of `layer` not parsed yet, and resolves its imports.
    fn parse_pending(&mut self, layer: &[(FileId, usize)]) {
        let mut pending: Vec<FileId> = layer
            .iter()
            .map(|(file, _)| *file)
            .filter(|file| self.entries[file.0].parsed.is_none())
            .collect();
        pending.sort();
        pending.dedup();
        let sources = &self.sources;
        let trees = parallel::map(&pending, |&file| {
            syntax::parse_file(file, &sources.get(file).text)
        });
        for (file, tree) in pending.into_iter().zip(trees) {
            let dir = self.entries[file.0].dir.clone();
            let parsed = tree.map(|tree| Parsed {
                imports: imports_of(&tree, dir.as_deref(), &self.by_path),
                tree,
            });
            self.entries[file.0].parsed = Some(parsed);
        }
    }
}

/// The imports of `tree`; a path the session already holds text for (`known`, such as a
/// file at a git revision) resolves even when the working tree no longer has it.
fn imports_of(
    tree: &ast::File,
    dir: Option<&Path>,
    known: &HashMap<PathBuf, Target>,
) -> Vec<Import> {
    tree.declarations
        .iter()
        .filter_map(|decl| match decl {
            ast::Declaration::Import(import) => Some(import),
            _ => None,
        })
        .map(|import| {
            let written = import.path.value.clone();
            let target = match dir {
                None => Err(Unresolved::NoFolder),
                Some(dir) => {
                    let target = dir.join(&written);
                    let given = matches!(known.get(&canonical(&target)), Some(Target::File(_)));
                    if given || target.is_file() {
                        Ok(Resolved {
                            key: canonical(&target),
                            path: target,
                        })
                    } else {
                        Err(Unresolved::Missing {
                            dir: dir.to_path_buf(),
                        })
                    }
                }
            };
            Import {
                written,
                loc: import.path.span,
                target,
            }
        })
        .collect()
}

fn not_utf8(sources: &SourceMap, file: FileId, at: usize) -> Diagnostic {
    let text = &sources.get(file).text;
    let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    Diagnostic::new(
        Rule::Syntax,
        Loc::new(file, Span::new(at, end)),
        "this file is not valid UTF-8 text",
    )
    .label("not UTF-8")
    .help("save the file as UTF-8 (most editors offer it under \"Save with encoding\")")
}

pub fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// A path as users wrote it, without `./` and `dir/../` noise.
pub fn display_path(path: &Path) -> String {
    let mut parts: Vec<std::path::Component> = Vec::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir
                if matches!(parts.last(), Some(std::path::Component::Normal(_))) =>
            {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.iter().collect::<PathBuf>().display().to_string()
}
