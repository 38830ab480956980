//! One analysis of the workspace: every open document (its editor text) and every `.sales`
//! file of the workspace folder, checked in one session, with each file's names indexed.
//! Requests read the latest analysis; none waits for the next one.

use super::index::{FileIndex, Kind, Occurrence};
use crate::config::Config;
use crate::session::{Checked, Input, Options, Run, Session};
use crate::source::{FileId, Loc};
use crate::syntax;
use lsp_types::Url;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What the analysis is asked to look at.
#[derive(Clone)]
pub struct Job {
    /// Open documents: their address, text and version.
    pub open: Vec<(Url, String, i32)>,
    /// The `.sales` files of the workspace folder, listed when the server starts and when
    /// files are created or deleted.
    pub workspace_files: Arc<Vec<PathBuf>>,
    pub config: Config,
}

pub struct Analysis {
    pub run: Run,
    /// By file id: the document's address, when it has one.
    pub urls: Vec<Option<Url>>,
    /// By file id: its names (empty for a file that does not parse).
    pub indexes: Vec<FileIndex>,
    /// For each open document that does not parse now: the declarations it saw when it last
    /// did, so completion still knows the names.
    pub recovered: HashMap<FileId, FileIndex>,
    /// The version of each open document this analysis read.
    pub versions: HashMap<Url, i32>,
    by_url: HashMap<Url, FileId>,
    by_path: HashMap<PathBuf, FileId>,
}

/// Stops following `extends` past this depth: circles are reported by the checker.
const MAX_EXTENDS: usize = 64;

impl Analysis {
    /// `last_good` holds, per document, what it saw the last time it parsed; the analysis
    /// reads and updates it.
    pub fn build(job: &Job, last_good: &mut HashMap<Url, FileIndex>) -> Analysis {
        let mut session = Session::new(job.config.clone(), Options::default());
        let mut versions = HashMap::new();
        let mut named: HashMap<FileId, Url> = HashMap::new();
        for (url, text, version) in &job.open {
            let file = match url.to_file_path() {
                Ok(path) => Some(session.add_open(&path, text.clone())),
                Err(()) => session
                    .add(Input::Text {
                        name: url.to_string(),
                        text: text.clone().into_bytes(),
                        base: None,
                    })
                    .ok(),
            };
            if let Some(file) = file {
                named.insert(file, url.clone());
                versions.insert(url.clone(), *version);
            }
        }
        for path in job.workspace_files.iter() {
            // A file that vanished since it was listed is simply not part of this run.
            let _ = session.add(Input::Path(path.clone()));
        }
        let run = session.check();
        let sources = &run.sources;
        let mut urls = Vec::with_capacity(sources.len());
        let mut indexes = Vec::with_capacity(sources.len());
        let (mut by_url, mut by_path) = (HashMap::new(), HashMap::new());
        for (id, file) in sources.files() {
            let url = named.get(&id).cloned().or_else(|| {
                let path = std::path::absolute(&file.name).ok()?;
                Url::from_file_path(path).ok()
            });
            if let Some(url) = &url {
                by_url.insert(url.clone(), id);
                if let Ok(path) = url.to_file_path() {
                    by_path.insert(canonical(&path), id);
                }
            }
            urls.push(url);
            let index = match syntax::parse_file(id, &file.text) {
                Ok(tree) => FileIndex::of(&tree),
                Err(_) => FileIndex::default(),
            };
            indexes.push(index);
        }
        let mut analysis = Analysis {
            run,
            urls,
            indexes,
            recovered: HashMap::new(),
            versions,
            by_url,
            by_path,
        };
        analysis.remember(last_good);
        analysis
    }

    fn remember(&mut self, last_good: &mut HashMap<Url, FileIndex>) {
        for (url, &file) in &self.by_url {
            let parses = matches!(syntax_ok(&self.run, file), Some(true));
            if parses {
                let seen = self.visible(file);
                let merged = FileIndex::merged(seen.iter().map(|f| &self.indexes[f.0]));
                last_good.insert(url.clone(), merged);
            } else if let Some(seen) = last_good.get(url) {
                self.recovered.insert(file, seen.clone());
            }
        }
    }

    /// The indexes whose declarations `file` sees (what it saw last, while it does not parse).
    pub fn seen_from(&self, file: FileId) -> Vec<&FileIndex> {
        match self.recovered.get(&file) {
            Some(seen) => vec![seen],
            None => self
                .visible(file)
                .iter()
                .map(|f| &self.indexes[f.0])
                .collect(),
        }
    }

    pub fn file(&self, url: &Url) -> Option<FileId> {
        self.by_url.get(url).copied()
    }

    pub fn url(&self, file: FileId) -> Option<&Url> {
        self.urls.get(file.0)?.as_ref()
    }

    pub fn text(&self, file: FileId) -> &str {
        &self.run.sources.get(file).text
    }

    /// The checked result of `file` as a named file (every file of the analysis is named).
    pub fn checked(&self, file: FileId) -> Option<&Checked> {
        self.run.file(file).or_else(|| {
            self.run
                .checked
                .iter()
                .find(|c| c.files.contains(&file) && c.model.is_some())
        })
    }

    /// The files whose declarations `file` sees: itself first, then what it imports.
    pub fn visible(&self, file: FileId) -> Vec<FileId> {
        let mut files = vec![file];
        if let Some(checked) = self.run.file(file) {
            files.extend(checked.files.iter().rev().filter(|f| **f != file));
        }
        files
    }

    /// The file an import in `from` leads to.
    pub fn import_target(&self, from: FileId, written: &str) -> Option<FileId> {
        let name = &self.run.sources.get(from).name;
        let dir = Path::new(name).parent()?;
        self.by_path.get(&canonical(&dir.join(written))).copied()
    }

    /// Where the name written at `occurrence` (in `file`) is declared.
    pub fn definition(&self, file: FileId, occurrence: &Occurrence) -> Option<(Kind, Loc)> {
        let visible = self.visible(file);
        let find = |kind: Kind| {
            visible
                .iter()
                .find_map(|f| self.indexes[f.0].def(kind, &occurrence.name))
                .map(|loc| (kind, loc))
        };
        match occurrence.kind {
            Kind::Criterion => Some((Kind::Criterion, occurrence.loc)),
            Kind::Value => find(Kind::Field).or_else(|| find(Kind::Criteria)),
            Kind::Stage => {
                let process = occurrence.scope.as_deref()?;
                self.stage_definition(&visible, process, &occurrence.name, 0)
                    .map(|loc| (Kind::Stage, loc))
            }
            kind => find(kind),
        }
    }

    /// A stage of `process` is declared in the process it extends when that one has it (a
    /// variant restating a stage changes the base's stage), else in `process` itself.
    fn stage_definition(
        &self,
        visible: &[FileId],
        process: &str,
        stage: &str,
        depth: usize,
    ) -> Option<Loc> {
        let home = visible
            .iter()
            .find(|f| self.indexes[f.0].def(Kind::Process, process).is_some())?;
        let index = &self.indexes[home.0];
        if depth < MAX_EXTENDS {
            if let Some(base) = index.extends.get(process) {
                if let Some(loc) = self.stage_definition(visible, base, stage, depth + 1) {
                    return Some(loc);
                }
            }
        }
        index.stage(process, stage)
    }

    /// The stages of `process` seen from `file`: those it inherits first, then its own.
    pub fn stages_of(&self, file: FileId, process: &str) -> Vec<String> {
        let seen = self.seen_from(file);
        let mut names = Vec::new();
        let mut process = process.to_string();
        for _ in 0..MAX_EXTENDS {
            let Some(index) = seen
                .iter()
                .find(|index| index.def(Kind::Process, &process).is_some())
            else {
                break;
            };
            let own = index.occurrences.iter().filter(|o| {
                o.def && o.kind == Kind::Stage && o.scope.as_deref() == Some(process.as_str())
            });
            let own: Vec<String> = own
                .map(|o| o.name.clone())
                .filter(|n| !names.contains(n))
                .collect();
            names.splice(0..0, own);
            match index.extends.get(&process) {
                Some(base) => process = base.clone(),
                None => break,
            }
        }
        names
    }

    /// The declaration at `file`, `offset`: the name there and where it is declared.
    pub fn resolve_at(&self, file: FileId, offset: usize) -> Option<(&Occurrence, Kind, Loc)> {
        let occurrence = self.indexes[file.0].at(offset)?;
        let (kind, loc) = self.definition(file, occurrence)?;
        Some((occurrence, kind, loc))
    }

    /// Every place, in every file, whose name is declared at `target`.
    pub fn references(&self, target: Loc) -> Vec<Loc> {
        let mut found = Vec::new();
        for (i, index) in self.indexes.iter().enumerate() {
            for occurrence in &index.occurrences {
                let resolved = self.definition(FileId(i), occurrence);
                if resolved.is_some_and(|(_, loc)| loc == target) {
                    found.push(occurrence.loc);
                }
            }
        }
        found
    }

    /// Every import, in every file, that leads to `target`.
    pub fn importers(&self, target: FileId) -> Vec<Loc> {
        let mut found = Vec::new();
        for (i, index) in self.indexes.iter().enumerate() {
            for import in &index.imports {
                if self.import_target(FileId(i), &import.written) == Some(target) {
                    found.push(import.loc);
                }
            }
        }
        found
    }
}

/// Whether `file` parsed in `run`: a file whose closure or model is missing for a syntax
/// error is not.
fn syntax_ok(run: &Run, file: FileId) -> Option<bool> {
    let checked = run.file(file)?;
    Some(
        !checked
            .diagnostics
            .iter()
            .any(|d| d.rule == crate::rule::Rule::Syntax && d.loc.file == file),
    )
}

/// Every `.sales` file below `folder` (none when it cannot be read).
pub fn list_workspace(folder: &Path) -> Vec<PathBuf> {
    let folder = folder.display().to_string();
    crate::session::from_args(&[folder])
        .unwrap_or_default()
        .into_iter()
        .filter_map(|input| match input {
            Input::Path(path) => Some(path),
            Input::Text { .. } => None,
        })
        .collect()
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}
