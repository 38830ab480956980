//! One run of salespath: the library API that the command line, the tests, the benchmarks
//! and editors all use.
//!
//! A [`Session`] owns the run's one [`SourceMap`]: every file it reads gets its [`FileId`]
//! there, once, so diagnostics from any step of any command point into the same map.
//!
//! ```no_run
//! use salespath::config::Config;
//! use salespath::session::{Input, Options, Session};
//!
//! let mut session = Session::new(Config::default(), Options::default());
//! session.add_args(&["examples".to_string()])?;   // files, folders (every `*.sales`), `-`
//! session.add(Input::Text { name: "draft.sales".into(), text: b"role ae".to_vec(), base: None })?;
//! let run = session.check();                        // loads imports, checks in parallel
//! for diagnostic in run.diagnostics() {             // each problem once
//!     println!("{}: {}", run.sources.get(diagnostic.loc.file).name, diagnostic.message);
//! }
//! let selection = salespath::session::build::select(&["json".to_string()])?;
//! let outputs = run.build(&selection)?;             // every output in memory
//! salespath::session::build::write(std::path::Path::new("out"), &outputs)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! - [`Session::add`] and [`Session::add_args`] name the files to check (reading them now, so
//!   a missing file is a [`SessionError`], exit code 2); naming a file twice names it once.
//! - [`Session::check`] reads every import (each file once, however many files import it),
//!   parses and checks on every core with a generous stack (deep nesting gets its diagnostic
//!   in every command), and returns a [`Run`]: one [`Checked`] per named file, and
//!   [`Run::diagnostics`], each problem once however many files import it.
//! - [`Run::build`] groups the named files into independent units (a named file with all it
//!   imports; files that do not import each other are independent, so one name may mean
//!   different things in two of them) and runs the backends in memory ([`build`]).
//! - [`Session::format`] formats the named files, for `salespath fmt`.
//! - [`check_one`] checks a single input: the short way for tests and tools.

pub mod build;
mod closure;
mod error;
mod format;
mod input;
mod load;
mod parallel;
mod run;

pub use error::SessionError;
pub use format::{Formatted, FormattedFile};
pub use input::{from_args, Input, Options};
pub use run::{Checked, Run};

use crate::config::Config;
use crate::source::{FileId, SourceMap};
use load::{canonical, Loader, Target};
use run::Root;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub struct Session {
    config: Config,
    options: Options,
    loader: Loader,
    roots: Vec<Root>,
}

impl Session {
    pub fn new(config: Config, options: Options) -> Self {
        Session {
            config,
            options,
            loader: Loader::default(),
            roots: Vec::new(),
        }
    }

    /// Names one file to check and reads it.
    pub fn add(&mut self, input: Input) -> Result<FileId, SessionError> {
        let (file, fence) = match input {
            Input::Path(path) => {
                let file = self.read_named(&path)?;
                (file, path.parent().map(fence_of))
            }
            Input::Text { name, text, base } => {
                let file = self.loader.add(name, text, base.clone());
                (file, base.as_deref().map(fence_of))
            }
        };
        let fence = fence.filter(|_| !self.options.allow_outside);
        if !self.roots.iter().any(|r| r.file == file) {
            self.roots.push(Root { file, fence });
        }
        Ok(file)
    }

    /// Names a file on disk with the text an editor holds for it (unsaved changes): every
    /// import of that path reads this text too, so name open files before the others.
    pub fn add_open(&mut self, path: &Path, text: String) -> FileId {
        let key = canonical(path);
        let file = match self.loader.by_path.get(&key) {
            Some(Target::File(file)) => *file,
            _ => {
                let dir = path.parent().map(Path::to_path_buf);
                let file = self
                    .loader
                    .add(path.display().to_string(), text.into_bytes(), dir);
                self.loader.by_path.insert(key, Target::File(file));
                file
            }
        };
        let fence = path.parent().map(fence_of);
        let fence = fence.filter(|_| !self.options.allow_outside);
        if !self.roots.iter().any(|r| r.file == file) {
            self.roots.push(Root { file, fence });
        }
        file
    }

    /// Gives the text that an import of `path` reads instead of the file on disk (a file at a
    /// git revision, say), shown as `name`, without naming it to check. Text given first wins.
    pub fn add_import_text(&mut self, path: &Path, name: String, text: Vec<u8>) {
        let key = canonical(path);
        if self.loader.by_path.contains_key(&key) {
            return;
        }
        let dir = path.parent().map(Path::to_path_buf);
        let file = self.loader.add(name, text, dir);
        self.loader.by_path.insert(key, Target::File(file));
    }

    /// Names every file that command-line `paths` stand for (see [`from_args`]).
    pub fn add_args(&mut self, paths: &[String]) -> Result<Vec<FileId>, SessionError> {
        from_args(paths)?
            .into_iter()
            .map(|input| self.add(input))
            .collect()
    }

    /// The files named so far, in order.
    pub fn roots(&self) -> Vec<FileId> {
        self.roots.iter().map(|r| r.file).collect()
    }

    pub fn sources(&self) -> &SourceMap {
        &self.loader.sources
    }

    /// Reads the imports, then resolves and checks every named file, in parallel.
    pub fn check(self) -> Run {
        parallel::roomy(|| self.check_here())
    }

    fn check_here(mut self) -> Run {
        let starts: Vec<_> = self
            .roots
            .iter()
            .map(|r| (r.file, r.fence.clone()))
            .collect();
        self.loader.load(&starts);
        let (loader, config) = (&self.loader, &self.config);
        let parts = parallel::map(&self.roots, |root| run::check_root(loader, root, config));
        let sources = Arc::new(std::mem::take(&mut self.loader.sources));
        let mut run = Run {
            checked: parts
                .into_iter()
                .map(|p| p.with_sources(&sources))
                .collect(),
            sources,
            config: self.config,
        };
        run.add_findings();
        run
    }

    /// Formats every named file (imports are not read).
    pub fn format(self) -> Formatted {
        format::format(self.loader, &self.roots)
    }

    fn read_named(&mut self, path: &Path) -> Result<FileId, SessionError> {
        let key = canonical(path);
        if let Some(Target::File(file)) = self.loader.by_path.get(&key) {
            return Ok(*file);
        }
        let bytes = std::fs::read(path).map_err(|e| SessionError::Unreadable {
            path: path.to_path_buf(),
            reason: error::io_reason(&e),
        })?;
        let dir = path.parent().map(Path::to_path_buf);
        let file = self.loader.add(path.display().to_string(), bytes, dir);
        self.loader.by_path.insert(key, Target::File(file));
        Ok(file)
    }
}

/// The folder a named file's imports may not leave.
fn fence_of(dir: &Path) -> PathBuf {
    if dir.as_os_str().is_empty() {
        canonical(Path::new("."))
    } else {
        canonical(dir)
    }
}

/// Checks one input with its imports: a session of one file.
pub fn check_one(
    input: &Input,
    config: &Config,
    options: &Options,
) -> Result<Checked, SessionError> {
    let mut session = Session::new(config.clone(), options.clone());
    session.add(input.clone())?;
    let run = session.check();
    Ok(run
        .checked
        .into_iter()
        .next()
        .expect("a session of one named file checks one file"))
}
