//! Loading a file and its imports, then parsing, resolving and checking them: the whole
//! front end for one file named on the command line.

use crate::check::{self, rules, Context};
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::model::{self, Model, ProcessId};
use crate::source::{FileId, Loc, SourceFile, SourceMap, Span};
use crate::syntax::{self, ast};
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

/// One checked file: every source it read, the model (unless a syntax or import error
/// stopped it) and its diagnostics, sorted, at their configured severities.
pub struct Checked {
    pub sources: SourceMap,
    pub root: FileId,
    pub model: Option<Model>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == crate::diag::Severity::Error)
    }
    pub fn root_name(&self) -> &str {
        &self.sources.get(self.root).name
    }

    /// The processes declared in the checked file itself (an imported file's processes are
    /// built only when that file is named too).
    pub fn own_processes(&self) -> Vec<ProcessId> {
        self.model
            .iter()
            .flat_map(|m| {
                m.processes
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.loc.file == self.root)
                    .map(|(i, _)| ProcessId(i))
            })
            .collect()
    }
}

/// Reads, parses, resolves and checks `input`. Only an unreadable input itself is an `Err`
/// (an I/O error); everything wrong inside files is a diagnostic.
pub fn check_input(input: &Input, config: &Config, options: &Options) -> Result<Checked, String> {
    let (name, bytes, path) = match input {
        Input::Path(path) => {
            let bytes = std::fs::read(path)
                .map_err(|e| format!("cannot read `{}`: {}", path.display(), io_reason(&e)))?;
            (path.display().to_string(), bytes, Some(path.clone()))
        }
        Input::Text { name, text, base } => (
            name.clone(),
            text.clone(),
            base.as_ref().map(|b| b.join("<input>")),
        ),
    };
    let mut loader = Loader {
        sources: SourceMap::default(),
        trees: Vec::new(),
        diagnostics: Vec::new(),
        stack: Vec::new(),
        loaded: Vec::new(),
        fence: path
            .as_ref()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .map(|d| canonical(&d)),
        options: options.clone(),
        broken: false,
    };
    let root = loader.load(name, bytes, path.clone());
    let mut diagnostics = std::mem::take(&mut loader.diagnostics);
    let model = if loader.broken {
        None
    } else {
        let files: Vec<(FileId, &ast::File)> = loader.trees.iter().map(|(f, t)| (*f, t)).collect();
        let resolved = model::resolve(&files);
        diagnostics.extend(resolved.diagnostics);
        let cx = Context {
            model: &resolved.model,
            usage: &resolved.usage,
            incomplete: &resolved.incomplete,
            root,
        };
        diagnostics.extend(check::check(&cx));
        Some(resolved.model)
    };
    let mut diagnostics = config.apply(diagnostics);
    sort_and_dedup(&mut diagnostics, &loader.sources, root);
    Ok(Checked {
        sources: loader.sources,
        root,
        model,
        diagnostics,
    })
}

fn sort_and_dedup(diagnostics: &mut Vec<Diagnostic>, sources: &SourceMap, root: FileId) {
    // The checked file first, then imported files by name; within a file, by position.
    diagnostics.sort_by(|a, b| {
        let key = |d: &Diagnostic| (d.loc.file != root, sources.get(d.loc.file).name.clone());
        key(a)
            .cmp(&key(b))
            .then(a.loc.span.start.cmp(&b.loc.span.start))
            .then(a.rule.name().cmp(b.rule.name()))
            .then(a.message.cmp(&b.message))
    });
    // A variant re-resolves what it inherits; its base already reported those mistakes.
    diagnostics.dedup_by(|a, b| a.rule == b.rule && a.loc == b.loc && a.message == b.message);
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ if e.raw_os_error() == Some(21) => "it is a folder".into(),
        _ => e.to_string(),
    }
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

struct Loader {
    sources: SourceMap,
    /// Parsed files, imports before the files that import them.
    trees: Vec<(FileId, ast::File)>,
    diagnostics: Vec<Diagnostic>,
    /// Files being loaded, with the import that led to the next one.
    stack: Vec<(PathBuf, FileId, Option<Loc>)>,
    loaded: Vec<PathBuf>,
    /// Imports may not leave this folder (unless allowed).
    fence: Option<PathBuf>,
    options: Options,
    /// A syntax error or missing import: the file cannot be resolved soundly.
    broken: bool,
}

impl Loader {
    fn load(&mut self, name: String, bytes: Vec<u8>, path: Option<PathBuf>) -> FileId {
        let (text, bad_utf8) = match String::from_utf8(bytes) {
            Ok(text) => (text, None),
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                (String::from_utf8_lossy(e.as_bytes()).into_owned(), Some(at))
            }
        };
        let file = self.sources.add(SourceFile::new(name, text));
        if let Some(at) = bad_utf8 {
            let text = &self.sources.get(file).text;
            let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            self.diagnostics.push(
                Diagnostic::new(
                    crate::rule::Rule::Syntax,
                    Loc::new(file, Span::new(at, end)),
                    "this file is not valid UTF-8 text",
                )
                .label("not UTF-8")
                .help(
                    "save the file as UTF-8 (most editors offer it under \"Save with encoding\")",
                ),
            );
            self.broken = true;
            return file;
        }
        let text = self.sources.get(file).text.clone();
        let tree = match syntax::parse_file(file, &text) {
            Ok(tree) => tree,
            Err(errors) => {
                self.diagnostics.extend(errors);
                self.broken = true;
                return file;
            }
        };
        let key = path.as_deref().map(canonical);
        if let Some(key) = &key {
            self.loaded.push(key.clone());
        }
        self.stack
            .push((key.clone().unwrap_or_default(), file, None));
        let base_dir = path
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf);
        for decl in &tree.declarations {
            if let ast::Declaration::Import(import) = decl {
                self.import(import, base_dir.as_deref());
            }
        }
        self.stack.pop();
        self.trees.push((file, tree));
        file
    }

    fn import(&mut self, import: &ast::Import, base_dir: Option<&Path>) {
        let written = &import.path.value;
        let loc = import.path.span;
        let Some(base_dir) = base_dir else {
            self.not_found(
                written,
                loc,
                "imports are relative to a file, and this input has no folder",
                "check a file on disk instead of standard input".into(),
            );
            return;
        };
        let target = base_dir.join(written);
        if !target.is_file() {
            let help = if written.ends_with(".sales") {
                format!(
                    "check the path: it is relative to the folder of this file (`{}`)",
                    base_dir.display()
                )
            } else {
                "import a `.sales` file, with its extension".into()
            };
            self.not_found(written, loc, "no such file", help);
            return;
        }
        let key = canonical(&target);
        if let (Some(fence), false) = (&self.fence, self.options.allow_outside) {
            if !key.starts_with(fence) {
                self.not_found(
                    written,
                    loc,
                    "it is outside the folder of the checked file",
                    "move it into that folder, or pass `--allow-outside` to allow it".into(),
                );
                return;
            }
        }
        if let Some(pos) = self.stack.iter().position(|(p, _, _)| *p == key) {
            if let Some(last) = self.stack.last_mut() {
                last.2 = Some(loc);
            }
            // Report at the import that enters the circle from its first file.
            let mut chain: Vec<String> = self.stack[pos..]
                .iter()
                .map(|(_, f, _)| self.sources.get(*f).name.clone())
                .collect();
            chain.push(self.sources.get(self.stack[pos].1).name.clone());
            let at = self.stack[pos].2.unwrap_or(loc);
            self.diagnostics
                .push(rules::import_cycle::diagnostic(&chain, at));
            return;
        }
        if self.loaded.contains(&key) {
            return;
        }
        let bytes = match std::fs::read(&target) {
            Ok(bytes) => bytes,
            Err(e) => {
                self.not_found(
                    written,
                    loc,
                    &io_reason(&e),
                    "check that the file can be read".into(),
                );
                return;
            }
        };
        if let Some(last) = self.stack.last_mut() {
            last.2 = Some(loc);
        }
        let name = display_path(&target);
        self.load(name, bytes, Some(target));
    }

    fn not_found(&mut self, written: &str, loc: Loc, why: &str, help: String) {
        self.diagnostics
            .push(rules::import_not_found::diagnostic(written, loc, why, help));
        self.broken = true;
    }
}

/// A path as users wrote it, without `./` and `dir/../` noise.
fn display_path(path: &Path) -> String {
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
