//! Name resolution: from syntax trees to the model. Reports `duplicate-definition`,
//! `unknown-reference`, `type-mismatch` and `extends-cycle`; what cannot be resolved is left
//! out of the model (and marked) so later checks do not report the same mistake again.
//!
//! In order: `declarations` gives every name its id, `conditions` types segment rules,
//! criteria and scorings, `variants` flattens each process with what it inherits, and
//! `processes` resolves its stages, with `transitions` linking them; `names` looks names up.

use super::graph;
use super::*;
use crate::check::rules::{
    duplicate_definition, extends_cycle, terminal_has_next, type_mismatch, unknown_reference,
};
use crate::diag::Diagnostic;
use crate::source::{FileId, Loc};
use crate::syntax::ast;
use std::collections::HashMap;

mod conditions;
mod declarations;
mod names;
mod processes;
mod transitions;
mod variants;

/// Which declarations something refers to, for `unused-definition`. References inside
/// conditions that fail to resolve still count, so one mistake gives one diagnostic.
#[derive(Clone, Debug, Default)]
pub struct Usage {
    pub roles: Vec<bool>,
    pub fields: Vec<bool>,
    pub tools: Vec<bool>,
    pub segments: Vec<bool>,
    pub criteria: Vec<bool>,
}

/// The outcome of resolution: the model, what was found wrong, and what is used.
pub struct Resolved {
    pub model: Model,
    pub usage: Usage,
    pub diagnostics: Vec<Diagnostic>,
    /// Processes whose graph is unreliable because of an error already reported.
    pub incomplete: Vec<bool>,
}

/// Resolves the syntax trees of a file and everything it imports (in load order).
pub fn resolve(files: &[(FileId, &ast::File)]) -> Resolved {
    let mut r = Resolver::default();
    let decls: Vec<(FileId, &ast::Declaration)> = files
        .iter()
        .flat_map(|(file, tree)| tree.declarations.iter().map(move |d| (*file, d)))
        .collect();
    r.declare(&decls);
    r.resolve_conditions(&decls);
    r.resolve_processes(&decls);
    Resolved {
        model: r.model,
        usage: r.usage,
        diagnostics: r.diagnostics,
        incomplete: r.incomplete,
    }
}

#[derive(Default)]
struct Resolver<'a> {
    model: Model,
    usage: Usage,
    diagnostics: Vec<Diagnostic>,
    incomplete: Vec<bool>,
    roles: HashMap<&'a str, RoleId>,
    fields: HashMap<&'a str, FieldId>,
    tools: HashMap<&'a str, ToolId>,
    segments: HashMap<&'a str, SegmentId>,
    criteria: HashMap<&'a str, CriteriaId>,
    scorings: HashMap<&'a str, Loc>,
    processes: HashMap<&'a str, usize>,
}

fn label(name: &ast::Name, label: &Option<ast::Text>) -> String {
    match label {
        Some(text) => text.value.clone(),
        None => label_from_id(&name.text),
    }
}

/// Declares `name` in `table` unless it is there already (then reports it and returns false).
fn declare<'a, Id: Copy>(
    table: &mut HashMap<&'a str, Id>,
    locs: impl Fn(Id) -> Loc,
    kind: &str,
    name: &'a ast::Name,
    id: Id,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    if let Some(first) = table.get(name.text.as_str()) {
        diagnostics.push(duplicate_definition::diagnostic(
            kind,
            &name.text,
            name.span,
            locs(*first),
        ));
        return false;
    }
    table.insert(&name.text, id);
    true
}
