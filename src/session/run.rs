//! A checked session: every named file's model and diagnostics over the one source map.

use super::closure::closure;
use super::load::Loader;
use crate::check::{self, Context};
use crate::config::Config;
use crate::diag::{Diagnostic, Severity};
use crate::model::{self, Model, ProcessId};
use crate::source::{FileId, SourceMap};
use crate::syntax::ast;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

/// One named file, checked with its imports: the model (unless a syntax or import error
/// stopped it) and its diagnostics, sorted, at their configured severities.
pub struct Checked {
    /// The session's source map, shared by every file of the run.
    pub sources: Arc<SourceMap>,
    pub root: FileId,
    /// The files resolved together: imports first, the named file last.
    pub files: Vec<FileId>,
    pub model: Option<Model>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
    pub fn root_name(&self) -> &str {
        &self.sources.get(self.root).name
    }

    /// The processes declared in the named file itself (an imported file's processes are
    /// built only when that file is named too).
    pub fn own_processes(&self) -> Vec<ProcessId> {
        self.processes_in(&[self.root])
    }

    /// The processes declared in any of `files`, in model order.
    pub fn processes_in(&self, files: &[FileId]) -> Vec<ProcessId> {
        self.model
            .iter()
            .flat_map(|m| {
                m.processes
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| files.contains(&p.loc.file))
                    .map(|(i, _)| ProcessId(i))
            })
            .collect()
    }
}

/// The outcome of [`super::Session::check`].
pub struct Run {
    /// The configuration the files were checked with; backends' findings follow it too.
    pub config: Config,
    pub sources: Arc<SourceMap>,
    /// One per named file, in the order they were named.
    pub checked: Vec<Checked>,
}

impl Run {
    /// Every diagnostic of the run once, file by file in the order the files were named: two
    /// named files that import one file would otherwise both report its problems.
    pub fn diagnostics(&self) -> Vec<&Diagnostic> {
        let mut seen = HashSet::new();
        self.checked
            .iter()
            .flat_map(|c| &c.diagnostics)
            .filter(|d| seen.insert((d.loc, d.rule, &d.message)))
            .collect()
    }

    /// (errors, warnings) among [`Run::diagnostics`].
    pub fn counts(&self) -> (usize, usize) {
        let all = self.diagnostics();
        let errors = all.iter().filter(|d| d.severity == Severity::Error).count();
        (errors, all.len() - errors)
    }

    /// The named file `root`'s result.
    pub fn file(&self, root: FileId) -> Option<&Checked> {
        self.checked.iter().find(|c| c.root == root)
    }
}

/// A named file and the folder its imports may not leave.
pub struct Root {
    pub file: FileId,
    pub fence: Option<PathBuf>,
}

/// Resolves and checks one named file with what the loader read.
pub fn check_root(loader: &Loader, root: &Root, config: &Config) -> CheckedParts {
    let found = closure(loader, root.file, root.fence.as_deref());
    let mut diagnostics = found.diagnostics;
    let model = if found.broken {
        None
    } else {
        let trees: Vec<(FileId, &ast::File)> = found
            .files
            .iter()
            .filter_map(|&file| match &loader.entries[file.0].parsed {
                Some(Ok(parsed)) => Some((file, &parsed.tree)),
                _ => None,
            })
            .collect();
        let resolved = model::resolve(&trees);
        diagnostics.extend(resolved.diagnostics);
        let cx = Context {
            model: &resolved.model,
            usage: &resolved.usage,
            incomplete: &resolved.incomplete,
            root: root.file,
        };
        diagnostics.extend(check::check(&cx));
        Some(resolved.model)
    };
    let mut diagnostics = config.apply(diagnostics);
    sort_and_dedup(&mut diagnostics, &loader.sources, root.file);
    CheckedParts {
        root: root.file,
        files: found.files,
        model,
        diagnostics,
    }
}

/// A [`Checked`] before the source map is shared.
pub struct CheckedParts {
    pub root: FileId,
    pub files: Vec<FileId>,
    pub model: Option<Model>,
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckedParts {
    pub fn with_sources(self, sources: &Arc<SourceMap>) -> Checked {
        Checked {
            sources: Arc::clone(sources),
            root: self.root,
            files: self.files,
            model: self.model,
            diagnostics: self.diagnostics,
        }
    }
}

fn sort_and_dedup(diagnostics: &mut Vec<Diagnostic>, sources: &SourceMap, root: FileId) {
    // The named file first, then imported files by name; within a file, by position.
    diagnostics.sort_by(|a, b| {
        let key = |d: &Diagnostic| (d.loc.file != root, sources.get(d.loc.file).name.as_str());
        key(a)
            .cmp(&key(b))
            .then(a.loc.span.start.cmp(&b.loc.span.start))
            .then(a.rule.name().cmp(b.rule.name()))
            .then(a.message.cmp(&b.message))
    });
    // A variant re-resolves what it inherits; its base already reported those mistakes.
    diagnostics.dedup_by(|a, b| a.rule == b.rule && a.loc == b.loc && a.message == b.message);
}
