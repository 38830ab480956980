//! Building: the selected backends over a checked [`Run`], in memory, so a failing backend
//! writes nothing; then writing every file atomically, or comparing with what is there.
//!
//! Files that do not import each other are independent, and the same name may mean different
//! things in two of them. So a build is made of **units**: a named file that no other named
//! file imports, with everything it imports; a unit builds the processes of the named files
//! among them. With one unit the outputs go straight into the output folder; with several,
//! each unit's outputs go into a folder named after its file (`examples/multi/processes.sales`
//! becomes `multi/processes/`, relative to the folder the named files share), so two units
//! never write the same file. Every backend, the CRM ones too, builds each unit on its own.

use super::run::{Checked, Run};
use crate::diag::{self, Diagnostic, Severity};
use crate::emit::{self, Backend, EmitError, Project, Unit};
use crate::model::ProcessId;
use crate::source::FileId;
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// The backends to run, and which were named explicitly (a missing Graphviz is then an error
/// rather than a note).
pub struct Selection {
    pub backends: Vec<&'static Backend>,
    pub explicit: Vec<&'static str>,
}

#[derive(Debug)]
pub enum SelectError {
    Unknown { name: String, help: String },
    Empty,
}

impl fmt::Display for SelectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SelectError::Unknown { name, help } => write!(f, "`{name}` is not an output: {help}"),
            SelectError::Empty => write!(f, "`--emit` names no outputs"),
        }
    }
}

impl std::error::Error for SelectError {}

/// The backends for an `--emit` list (`all` for every one).
pub fn select(requested: &[String]) -> Result<Selection, SelectError> {
    let mut backends: Vec<&'static Backend> = Vec::new();
    let mut explicit = Vec::new();
    for name in requested.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let chosen: Vec<&'static Backend> = if name == "all" {
            emit::BACKENDS.iter().collect()
        } else {
            let Some(backend) = emit::find(name) else {
                let help = diag::did_you_mean(name, emit::BACKENDS.iter().map(|b| b.name), || {
                    "run `salespath build --list` to see every output".into()
                });
                return Err(SelectError::Unknown {
                    name: name.to_string(),
                    help,
                });
            };
            explicit.push(backend.name);
            vec![backend]
        };
        for backend in chosen {
            if !backends.iter().any(|b| b.name == backend.name) {
                backends.push(backend);
            }
        }
    }
    if backends.is_empty() {
        return Err(SelectError::Empty);
    }
    Ok(Selection { backends, explicit })
}

/// Every file of a build, by path relative to the output folder (`/`-separated).
#[derive(Default)]
pub struct Outputs {
    pub files: BTreeMap<String, Output>,
    /// What backends noticed about the input without refusing it.
    pub warnings: Vec<Diagnostic>,
    /// Backends left out under `all` because Graphviz is missing, and why.
    pub skipped: Vec<(&'static str, String)>,
    /// What backends say about their files, such as labels no installed font draws.
    pub notes: Vec<String>,
}

pub struct Output {
    pub bytes: Vec<u8>,
    pub backend: &'static str,
}

#[derive(Debug)]
pub enum BuildError {
    /// The check found errors; nothing is built.
    CheckFailed { errors: usize },
    /// A backend cannot express the input; the diagnostics say where.
    Inexpressible {
        backend: &'static str,
        diagnostics: Vec<Diagnostic>,
    },
    /// A backend named explicitly needs Graphviz, which is missing.
    NeedsGraphviz { backend: &'static str, why: String },
    /// An external program failed.
    Tool { backend: &'static str, why: String },
    /// Two outputs would be written to one path (or one inside the other).
    Collision {
        path: String,
        first: String,
        second: String,
    },
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::CheckFailed { errors } => {
                write!(f, "build stopped: fix the {errors} error(s) above; nothing was written")
            }
            BuildError::Inexpressible { backend, .. } => write!(
                f,
                "build stopped: `{backend}` cannot express this process; nothing was written"
            ),
            BuildError::NeedsGraphviz { backend, why } => write!(
                f,
                "`{backend}` needs Graphviz: {why}. Install Graphviz (for example `apt-get install graphviz` or `brew install graphviz`) and try again"
            ),
            BuildError::Tool { backend, why } => write!(f, "`{backend}` could not be made: {why}"),
            BuildError::Collision {
                path,
                first,
                second,
            } => write!(
                f,
                "two outputs would both be written to `{path}` ({first}, and {second}); rename one of the processes or files"
            ),
        }
    }
}

impl std::error::Error for BuildError {}

/// An independent part of a build (see the module docs).
pub struct BuildUnit<'r> {
    pub checked: &'r Checked,
    /// The folder its outputs go into, `""` when the build has one unit.
    pub folder: String,
    pub processes: Vec<ProcessId>,
}

impl Run {
    /// The independent units of the run, in the order their files were named.
    pub fn units(&self) -> Vec<BuildUnit<'_>> {
        let named: HashSet<FileId> = self.checked.iter().map(|c| c.root).collect();
        let imported: HashSet<FileId> = self
            .checked
            .iter()
            .flat_map(|c| c.files.iter().filter(move |f| **f != c.root))
            .copied()
            .collect();
        let mut claimed: HashSet<FileId> = HashSet::new();
        let mut units: Vec<BuildUnit<'_>> = Vec::new();
        for checked in &self.checked {
            if imported.contains(&checked.root) || checked.model.is_none() {
                continue;
            }
            // A named file imported by two units is built with the first.
            let mine: Vec<FileId> = checked
                .files
                .iter()
                .filter(|f| named.contains(f) && claimed.insert(**f))
                .copied()
                .collect();
            units.push(BuildUnit {
                checked,
                folder: String::new(),
                processes: checked.processes_in(&mine),
            });
        }
        if units.len() > 1 {
            let names: Vec<PathBuf> = units
                .iter()
                .map(|u| absolute(u.checked.root_name()))
                .collect();
            let base = common_folder(&names);
            for (unit, name) in units.iter_mut().zip(&names) {
                unit.folder = folder_name(name, &base);
            }
        }
        units
    }

    /// Adds what stops the outputs the configuration enables (rules of phase `backend` at
    /// severity error) to the diagnostics of each unit's named file, so `check` fails exactly
    /// where `build` would. Their warnings, such as a probability a CRM rounds, come with the
    /// build of that output. A unit with errors is not looked at: it is not built either.
    pub(crate) fn add_findings(&mut self) {
        let backends: Vec<&Backend> = emit::enabled(&self.config)
            .into_iter()
            .filter(|b| b.findings.is_some())
            .collect();
        let mut found: Vec<(FileId, Vec<Diagnostic>)> = Vec::new();
        for unit in self.units() {
            let Some(model) = unit.checked.model.as_ref() else {
                continue;
            };
            if unit.checked.has_errors() {
                continue;
            }
            let project = Project {
                units: vec![Unit {
                    model,
                    sources: &self.sources,
                    processes: unit.processes.clone(),
                }],
                org_stages: self.config.salesforce.org_stages.as_ref(),
            };
            // Backends that share a check (`sql` and `dbt`) report its findings once.
            let mut diagnostics: Vec<Diagnostic> = Vec::new();
            for found in backends.iter().flat_map(|b| emit::findings(b, &project)) {
                if !diagnostics.contains(&found) {
                    diagnostics.push(found);
                }
            }
            let errors = self
                .config
                .apply(diagnostics)
                .into_iter()
                .filter(|d| d.severity == Severity::Error)
                .collect();
            found.push((unit.checked.root, errors));
        }
        for (root, diagnostics) in found {
            if let Some(checked) = self.checked.iter_mut().find(|c| c.root == root) {
                checked.diagnostics.extend(diagnostics);
            }
        }
    }

    /// Runs every selected backend over the run's units, in memory.
    pub fn build(&self, selection: &Selection) -> Result<Outputs, BuildError> {
        let errors = self
            .diagnostics()
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        if errors > 0 {
            return Err(BuildError::CheckFailed { errors });
        }
        let units = self.units();
        let emit_units: Vec<Unit<'_>> = units
            .iter()
            .filter_map(|u| {
                Some(Unit {
                    model: u.checked.model.as_ref()?,
                    sources: &self.sources,
                    processes: u.processes.clone(),
                })
            })
            .collect();
        let mut outputs = Outputs::default();
        for &backend in &selection.backends {
            // Every backend builds each unit on its own: one name may mean different
            // things in two units.
            let runs = units.iter().zip(&emit_units).map(|(u, e)| {
                let project = Project {
                    units: vec![e.clone()],
                    org_stages: self.config.salesforce.org_stages.as_ref(),
                };
                (&u.folder, project)
            });
            for (folder, project) in runs {
                match emit::run(backend, &project) {
                    Ok(emitted) => {
                        outputs
                            .warnings
                            .extend(self.config.apply(emitted.diagnostics));
                        // Units built alike get the same note: it is said once.
                        for note in emitted.notes {
                            if !outputs.notes.contains(&note) {
                                outputs.notes.push(note);
                            }
                        }
                        // Its errors stopped the check already.
                        let findings = self.config.apply(emit::findings(backend, &project));
                        for found in findings {
                            if found.severity != Severity::Error
                                && !outputs.warnings.contains(&found)
                            {
                                outputs.warnings.push(found);
                            }
                        }
                        for (path, bytes) in emitted.files {
                            let path = if folder.is_empty() {
                                path
                            } else {
                                format!("{folder}/{path}")
                            };
                            outputs.add(path, bytes, backend.name)?;
                        }
                    }
                    Err(EmitError::Graphviz(why))
                        if !selection.explicit.contains(&backend.name) =>
                    {
                        outputs.skipped.push((backend.name, why));
                        break;
                    }
                    Err(EmitError::Graphviz(why)) => {
                        return Err(BuildError::NeedsGraphviz {
                            backend: backend.name,
                            why,
                        })
                    }
                    Err(EmitError::Tool(why)) => {
                        return Err(BuildError::Tool {
                            backend: backend.name,
                            why,
                        })
                    }
                    Err(EmitError::Diagnostics(diagnostics)) => {
                        return Err(BuildError::Inexpressible {
                            backend: backend.name,
                            diagnostics,
                        })
                    }
                }
            }
        }
        outputs.no_file_inside_another()?;
        Ok(outputs)
    }
}

impl Outputs {
    fn add(
        &mut self,
        path: String,
        bytes: Vec<u8>,
        backend: &'static str,
    ) -> Result<(), BuildError> {
        if let Some(first) = self.files.get(&path) {
            return Err(BuildError::Collision {
                second: format!("by `{backend}`"),
                first: format!("by `{}`", first.backend),
                path,
            });
        }
        self.files.insert(path, Output { bytes, backend });
        Ok(())
    }

    /// A file whose path is the folder of another cannot be written.
    fn no_file_inside_another(&self) -> Result<(), BuildError> {
        for (path, output) in &self.files {
            for (at, _) in path.match_indices('/') {
                if let Some(outer) = self.files.get(&path[..at]) {
                    return Err(BuildError::Collision {
                        path: path[..at].to_string(),
                        first: format!("a file by `{}`", outer.backend),
                        second: format!("a folder for `{path}` by `{}`", output.backend),
                    });
                }
            }
        }
        Ok(())
    }
}

/// `name` (a path as given) from the root of the file system, without `.` and `..` steps.
fn absolute(name: &str) -> PathBuf {
    let path = Path::new(name);
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The deepest folder that holds every one of `files`.
fn common_folder(files: &[PathBuf]) -> PathBuf {
    let mut base = files
        .first()
        .and_then(|f| f.parent())
        .map(Path::to_path_buf)
        .unwrap_or_default();
    for file in files {
        while !file.starts_with(&base) {
            if !base.pop() {
                break;
            }
        }
    }
    base
}

/// The unit folder for a named file: its path below `base`, `/`-separated, without `.sales`;
/// text without a file name (standard input) is `stdin`.
fn folder_name(file: &Path, base: &Path) -> String {
    let relative = file.strip_prefix(base).unwrap_or(file).with_extension("");
    let parts: Vec<String> = relative
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .map(|part| part.trim_matches(|c| c == '<' || c == '>').to_string())
        .collect();
    parts.join("/")
}

/// Where a write or a comparison failed.
#[derive(Debug)]
pub struct WriteError {
    pub path: PathBuf,
    pub error: std::io::Error,
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot write `{}`: {}", self.path.display(), self.error)
    }
}

impl std::error::Error for WriteError {}

/// Writes every output under `out_dir`, atomically; returns the paths written.
pub fn write(out_dir: &Path, outputs: &Outputs) -> Result<Vec<PathBuf>, WriteError> {
    let mut written = Vec::new();
    for (path, output) in &outputs.files {
        let target = out_dir.join(path);
        write_atomically(&target, &output.bytes).map_err(|error| WriteError {
            path: target.clone(),
            error,
        })?;
        written.push(target);
    }
    Ok(written)
}

/// How an output differs from the file already in the output folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stale {
    Missing,
    OutOfDate,
}

impl Stale {
    pub fn as_str(self) -> &'static str {
        match self {
            Stale::Missing => "missing",
            Stale::OutOfDate => "out of date",
        }
    }
}

/// `build --check`: every output missing from `out_dir` or different from what the build
/// would write there. Files the build does not produce are not its concern.
pub fn compare(out_dir: &Path, outputs: &Outputs) -> Result<Vec<(Stale, PathBuf)>, WriteError> {
    let mut stale = Vec::new();
    for (path, output) in &outputs.files {
        let target = out_dir.join(path);
        match std::fs::read(&target) {
            Ok(existing) if existing == output.bytes => {}
            Ok(_) => stale.push((Stale::OutOfDate, target)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                stale.push((Stale::Missing, target))
            }
            Err(error) => {
                return Err(WriteError {
                    path: target,
                    error,
                })
            }
        }
    }
    Ok(stale)
}

/// Writes through a temporary file in the same folder, then renames it into place, so a
/// reader never sees half a file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    // Temporary files are private (0600); the output is an ordinary readable file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
