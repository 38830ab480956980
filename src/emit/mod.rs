//! Backends: pure functions from the model to files. Only the `build` command writes them.

pub mod condition_tree;
pub mod crm;
pub mod dot;
pub mod english;
mod fonts;
pub mod graphviz;
pub mod html;
pub mod hubspot;
mod map;
pub mod markdown;
pub mod matrix;
pub mod mermaid;
pub mod model_doc;
pub mod pipedrive;
pub mod playbook;
pub mod salesforce;
mod scorings;
pub mod source_text;
pub mod sql;
mod yaml;

use crate::diag::Diagnostic;
use crate::model::{Model, ProcessId};
use crate::source::SourceMap;

/// An independent part of a build: a named file with everything it imports, the processes
/// to build from it, and the model they live in.
#[derive(Clone)]
pub struct Unit<'a> {
    pub model: &'a Model,
    pub sources: &'a SourceMap,
    pub processes: Vec<ProcessId>,
}

/// Everything one `build` covers: its independent units, and what the configuration says
/// about the CRMs written for.
pub struct Project<'a> {
    pub units: Vec<Unit<'a>>,
    /// The Salesforce org's stage list as retrieved (`salesforce.stage_value_set`), kept by
    /// the Salesforce output.
    pub org_stages: Option<&'a crate::crm::OrgStages>,
}

impl<'a> Project<'a> {
    /// The sources that hold `file`, for showing a backend's diagnostics.
    pub fn sources_for(&self, file: crate::source::FileId) -> Option<&'a SourceMap> {
        self.units
            .iter()
            .find(|u| u.sources.contains(file))
            .map(|u| u.sources)
    }

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
    /// What the build should tell about the files, such as labels no installed font draws.
    pub notes: Vec<String>,
}

impl Emitted {
    pub fn file(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Emitted {
            files: vec![(path.into(), bytes.into())],
            diagnostics: Vec::new(),
            notes: Vec::new(),
        }
    }
}

#[derive(Debug)]
pub enum EmitError {
    /// Graphviz's `dot` is needed and is not installed; the text says what was looked for.
    Graphviz(String),
    /// An external program or library failed; the text carries what it said.
    Tool(String),
    /// The model cannot be expressed in this target (errors with spans).
    Diagnostics(Vec<Diagnostic>),
}

pub type ProcessFn = fn(&Model, ProcessId) -> Result<Emitted, EmitError>;
pub type UnitFn = fn(&Unit<'_>) -> Result<Emitted, EmitError>;
pub type ProjectFn = fn(&Project<'_>) -> Result<Emitted, EmitError>;

#[derive(Clone, Copy)]
pub enum Scope {
    /// Called once per process.
    Process(ProcessFn),
    /// Called once per independent unit: the names in it mean one thing.
    Unit(UnitFn),
    /// Called once with all the units of a project (a build passes one unit at a time).
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
    /// What this output cannot hold as written (rules of phase `backend`), over the whole
    /// build; the files are still written.
    pub findings: Option<fn(&Project<'_>) -> Vec<Diagnostic>>,
}

/// Every backend, in the order `all` runs them.
pub const BACKENDS: &[Backend] = &[
    Backend {
        name: "dot",
        summary: "process map in Graphviz DOT (<process>.dot)",
        needs_graphviz: false,
        scope: Scope::Process(dot::emit),
        findings: None,
    },
    Backend {
        name: "svg",
        summary: "process map as SVG, drawn by Graphviz (<process>.svg)",
        needs_graphviz: true,
        scope: Scope::Process(graphviz::svg),
        findings: None,
    },
    Backend {
        name: "png",
        summary: "process map as PNG, drawn by Graphviz (<process>.png)",
        needs_graphviz: true,
        scope: Scope::Process(graphviz::png),
        findings: None,
    },
    Backend {
        name: "pdf",
        summary: "process map as PDF, drawn by Graphviz (<process>.pdf)",
        needs_graphviz: true,
        scope: Scope::Process(graphviz::pdf),
        findings: None,
    },
    Backend {
        name: "mermaid",
        summary: "process map as a Mermaid flowchart (<process>.mmd)",
        needs_graphviz: false,
        scope: Scope::Process(mermaid::emit),
        findings: None,
    },
    Backend {
        name: "json",
        summary: "model.json: the resolved model of every process, with defaults applied",
        needs_graphviz: false,
        scope: Scope::Unit(model_doc::emit_json),
        findings: None,
    },
    Backend {
        name: "yaml",
        summary: "model.yaml: the same data as model.json, in YAML",
        needs_graphviz: false,
        scope: Scope::Unit(model_doc::emit_yaml),
        findings: None,
    },
    Backend {
        name: "hubspot",
        summary: "<process>.hubspot.json (create-pipeline request), .hubspot.properties.json (deal properties) and a setup checklist",
        needs_graphviz: false,
        scope: Scope::Unit(hubspot::emit),
        findings: Some(hubspot::findings),
    },
    Backend {
        name: "pipedrive",
        summary: "<process>.pipedrive.json (pipeline, open stages), .pipedrive.fields.json (deal fields) and a setup checklist",
        needs_graphviz: false,
        scope: Scope::Unit(pipedrive::emit),
        findings: Some(pipedrive::findings),
    },
    Backend {
        name: "matrix-md",
        summary: "sales process matrix as Markdown tables (<process>.matrix.md)",
        needs_graphviz: false,
        scope: Scope::Unit(matrix::emit_markdown),
        findings: None,
    },
    Backend {
        name: "matrix-csv",
        summary: "sales process matrix as CSV (<process>.matrix.csv)",
        needs_graphviz: false,
        scope: Scope::Unit(matrix::emit_csv),
        findings: None,
    },
    Backend {
        name: "matrix-html",
        summary: "sales process matrix as a self-contained web page (<process>.matrix.html)",
        needs_graphviz: false,
        scope: Scope::Unit(matrix::emit_html),
        findings: None,
    },
    Backend {
        name: "matrix-xlsx",
        summary: "sales process matrix as an Excel workbook (<process>.matrix.xlsx)",
        needs_graphviz: false,
        scope: Scope::Unit(matrix::emit_xlsx),
        findings: None,
    },
    Backend {
        name: "salesforce",
        summary: "Salesforce metadata (SFDX source): stages, record types, Path, validation rules, fields",
        needs_graphviz: false,
        scope: Scope::Project(salesforce::emit),
        findings: Some(salesforce::findings),
    },
    Backend {
        name: "playbook-md",
        summary: "training playbook for reps, Markdown (<process>.playbook.md)",
        needs_graphviz: false,
        scope: Scope::Unit(playbook::emit_markdown),
        findings: None,
    },
    Backend {
        name: "playbook-html",
        summary: "training playbook for reps, one printable HTML page (<process>.playbook.html)",
        needs_graphviz: false,
        scope: Scope::Unit(playbook::emit_html),
        findings: None,
    },
    Backend {
        name: "sql",
        summary: "the audit as SQL views for a warehouse (<process>.audit.sql; --sql-dialect)",
        needs_graphviz: false,
        scope: Scope::Process(sql::emit),
        findings: Some(sql::findings),
    },
    Backend {
        name: "dbt",
        summary: "the audit as a dbt package: models, sources and a test on error findings (<process>_dbt/)",
        needs_graphviz: false,
        scope: Scope::Process(sql::dbt::emit),
        findings: Some(sql::findings),
    },
];

pub fn find(name: &str) -> Option<&'static Backend> {
    BACKENDS.iter().find(|b| b.name == name)
}

/// The backends a configuration enables: `build.emit`, or every one.
pub fn enabled(config: &crate::config::Config) -> Vec<&'static Backend> {
    match &config.build.emit {
        None => BACKENDS.iter().collect(),
        Some(names) => BACKENDS
            .iter()
            .filter(|b| {
                names
                    .iter()
                    .any(|n| n.trim() == "all" || n.trim() == b.name)
            })
            .collect(),
    }
}

/// What `backend` cannot hold of the project as written, without writing its files: the
/// check reports these for the outputs the configuration enables, so `check` and `build`
/// say the same.
pub fn findings(backend: &Backend, project: &Project<'_>) -> Vec<Diagnostic> {
    backend.findings.map_or_else(Vec::new, |f| f(project))
}

/// Runs one backend over the project. What it cannot hold comes from [`findings`], which the
/// check reports; a backend refuses (with the diagnostics) only what it cannot write at all.
pub fn run(backend: &Backend, project: &Project<'_>) -> Result<Emitted, EmitError> {
    match backend.scope {
        Scope::Project(f) => f(project),
        Scope::Unit(f) => {
            let mut all = Emitted::default();
            for unit in &project.units {
                let emitted = f(unit)?;
                all.files.extend(emitted.files);
                all.diagnostics.extend(emitted.diagnostics);
                all.notes.extend(emitted.notes);
            }
            Ok(all)
        }
        Scope::Process(f) => {
            let mut all = Emitted::default();
            for (model, process) in project.processes() {
                let emitted = f(model, process)?;
                all.files.extend(emitted.files);
                all.diagnostics.extend(emitted.diagnostics);
                all.notes.extend(emitted.notes);
            }
            Ok(all)
        }
    }
}
