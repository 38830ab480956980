//! Backends: pure functions from the model to files. Only the `build` command writes them.

pub mod dot;
pub mod english;
pub mod graphviz;
mod map;
pub mod mermaid;

use crate::diag::Diagnostic;
use crate::model::{Model, ProcessId};
use crate::source::SourceMap;

/// The processes to build from one checked file, with the model they live in.
pub struct Unit<'a> {
    pub model: &'a Model,
    pub sources: &'a SourceMap,
    pub processes: Vec<ProcessId>,
}

/// Everything one `build` covers: each file named on the command line.
pub struct Project<'a> {
    pub units: Vec<Unit<'a>>,
}

impl<'a> Project<'a> {
    /// Every process of the build, in command-line order.
    pub fn processes(&self) -> impl Iterator<Item = (&'a Model, ProcessId)> + '_ {
        self.units
            .iter()
            .flat_map(|u| u.processes.iter().map(move |p| (u.model, *p)))
    }
}

/// Files a backend produced (paths relative to the output folder, `/`-separated), and any
/// warnings it has about the input (such as a probability a CRM must round).
#[derive(Debug, Default)]
pub struct Emitted {
    pub files: Vec<(String, Vec<u8>)>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Emitted {
    pub fn file(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Emitted {
            files: vec![(path.into(), bytes.into())],
            diagnostics: Vec::new(),
        }
    }
}

#[derive(Debug)]
pub enum EmitError {
    /// Graphviz's `dot` is needed and could not be run; the text says why.
    Graphviz(String),
    /// The model cannot be expressed in this target (errors with spans).
    Diagnostics(Vec<Diagnostic>),
}

pub type ProcessFn = fn(&Model, ProcessId) -> Result<Emitted, EmitError>;
pub type ProjectFn = fn(&Project<'_>) -> Result<Emitted, EmitError>;

#[derive(Clone, Copy)]
pub enum Scope {
    /// Called once per process.
    Process(ProcessFn),
    /// Called once for the whole build.
    Project(ProjectFn),
}

#[derive(Clone, Copy)]
pub struct Backend {
    /// The name used with `--emit`.
    pub name: &'static str,
    /// What it writes, for `--help` and docs.
    pub summary: &'static str,
    /// Needs Graphviz's `dot` program; skipped with a note under `all` when it is missing.
    pub needs_graphviz: bool,
    pub scope: Scope,
}

/// Every backend, in the order `all` runs them.
pub const BACKENDS: &[Backend] = &[
    Backend {
        name: "dot",
        summary: "process map in Graphviz DOT (<process>.dot)",
        needs_graphviz: false,
        scope: Scope::Process(dot::emit),
    },
    Backend {
        name: "svg",
        summary: "process map as SVG, drawn by Graphviz (<process>.svg)",
        needs_graphviz: true,
        scope: Scope::Process(graphviz::svg),
    },
    Backend {
        name: "png",
        summary: "process map as PNG, drawn by Graphviz (<process>.png)",
        needs_graphviz: true,
        scope: Scope::Process(graphviz::png),
    },
    Backend {
        name: "pdf",
        summary: "process map as PDF, drawn by Graphviz (<process>.pdf)",
        needs_graphviz: true,
        scope: Scope::Process(graphviz::pdf),
    },
    Backend {
        name: "mermaid",
        summary: "process map as a Mermaid flowchart (<process>.mmd)",
        needs_graphviz: false,
        scope: Scope::Process(mermaid::emit),
    },
];

pub fn find(name: &str) -> Option<&'static Backend> {
    BACKENDS.iter().find(|b| b.name == name)
}

/// Runs one backend over the project.
pub fn run(backend: &Backend, project: &Project<'_>) -> Result<Emitted, EmitError> {
    match backend.scope {
        Scope::Project(f) => f(project),
        Scope::Process(f) => {
            let mut all = Emitted::default();
            for (model, process) in project.processes() {
                let emitted = f(model, process)?;
                all.files.extend(emitted.files);
                all.diagnostics.extend(emitted.diagnostics);
            }
            Ok(all)
        }
    }
}
