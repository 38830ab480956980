//! Name resolution: from syntax trees to the model. Reports `duplicate-definition`,
//! `unknown-reference`, `type-mismatch` and `extends-cycle`; what cannot be resolved is left
//! out of the model (and marked) so later checks do not report the same mistake again.

use super::graph;
use super::*;
use crate::check::rules::{
    duplicate_definition, extends_cycle, terminal_has_next, type_mismatch, unknown_reference,
};
use crate::diag::Diagnostic;
use crate::source::{FileId, Loc};
use crate::syntax::ast;
use std::borrow::Cow;
use std::collections::HashMap;

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

impl<'a> Resolver<'a> {
    fn declare(&mut self, decls: &[(FileId, &'a ast::Declaration)]) {
        use ast::Declaration as D;
        let mut process_locs: Vec<Loc> = Vec::new();
        for (_, decl) in decls {
            match decl {
                D::Import(_) => {}
                D::Role(role) => {
                    let id = RoleId(self.model.roles.len());
                    let roles = &self.model.roles;
                    if declare(
                        &mut self.roles,
                        |i| roles[i.0].loc,
                        "role",
                        &role.name,
                        id,
                        &mut self.diagnostics,
                    ) {
                        self.model.roles.push(Role {
                            id: role.name.text.clone(),
                            label: label(&role.name, &role.label),
                            loc: role.name.span,
                        });
                    }
                }
                D::Field(field) => {
                    let id = FieldId(self.model.fields.len());
                    let fields = &self.model.fields;
                    if declare(
                        &mut self.fields,
                        |i| fields[i.0].loc,
                        "field",
                        &field.name,
                        id,
                        &mut self.diagnostics,
                    ) {
                        let ty = self.field_type(&field.ty.value);
                        self.model.fields.push(Field {
                            id: field.name.text.clone(),
                            label: label(&field.name, &field.label),
                            ty,
                            description: field.description.as_ref().map(|t| t.value.clone()),
                            crm: CrmNames {
                                salesforce: field.salesforce.as_ref().map(|t| t.value.clone()),
                                hubspot: field.hubspot.as_ref().map(|t| t.value.clone()),
                                pipedrive: field.pipedrive.as_ref().map(|t| t.value.clone()),
                            },
                            loc: field.name.span,
                        });
                    }
                }
                D::Tool(tool) => {
                    let id = ToolId(self.model.tools.len());
                    let tools = &self.model.tools;
                    if declare(
                        &mut self.tools,
                        |i| tools[i.0].loc,
                        "tool",
                        &tool.name,
                        id,
                        &mut self.diagnostics,
                    ) {
                        self.model.tools.push(Tool {
                            id: tool.name.text.clone(),
                            label: label(&tool.name, &tool.label),
                            kind: tool.kind.as_ref().map(|k| k.text.clone()),
                            link: tool.link.as_ref().map(|t| t.value.clone()),
                            description: tool.description.as_ref().map(|t| t.value.clone()),
                            loc: tool.name.span,
                        });
                    }
                }
                D::Segment(segment) => {
                    let id = SegmentId(self.model.segments.len());
                    let segments = &self.model.segments;
                    if declare(
                        &mut self.segments,
                        |i| segments[i.0].loc,
                        "segment",
                        &segment.name,
                        id,
                        &mut self.diagnostics,
                    ) {
                        self.model.segments.push(Segment {
                            id: segment.name.text.clone(),
                            label: label(&segment.name, &segment.label),
                            description: segment.description.as_ref().map(|t| t.value.clone()),
                            when: None,
                            loc: segment.name.span,
                        });
                    }
                }
                D::Criteria(criteria) => {
                    let id = CriteriaId(self.model.criteria.len());
                    let all = &self.model.criteria;
                    if declare(
                        &mut self.criteria,
                        |i| all[i.0].loc,
                        "criteria",
                        &criteria.name,
                        id,
                        &mut self.diagnostics,
                    ) {
                        self.model.criteria.push(Criteria {
                            id: criteria.name.text.clone(),
                            label: label(&criteria.name, &criteria.label),
                            items: Vec::new(),
                            loc: criteria.name.span,
                        });
                    }
                }
                D::Scoring(scoring) => {
                    declare(
                        &mut self.scorings,
                        |loc| loc,
                        "scoring",
                        &scoring.name,
                        scoring.name.span,
                        &mut self.diagnostics,
                    );
                }
                D::Process(process) => {
                    let index = process_locs.len();
                    process_locs.push(process.name.span);
                    let locs = &process_locs;
                    declare(
                        &mut self.processes,
                        |i| locs[i],
                        "process",
                        &process.name,
                        index,
                        &mut self.diagnostics,
                    );
                }
            }
        }
        // Conditions name fields and criteria alike, so the two kinds share one namespace.
        for criteria in &self.model.criteria {
            if let Some(field) = self.fields.get(criteria.id.as_str()) {
                self.diagnostics.push(duplicate_definition::diagnostic(
                    "criteria",
                    &criteria.id,
                    criteria.loc,
                    self.model.fields[field.0].loc,
                ));
            }
        }
        self.usage = Usage {
            roles: vec![false; self.model.roles.len()],
            fields: vec![false; self.model.fields.len()],
            tools: vec![false; self.model.tools.len()],
            segments: vec![false; self.model.segments.len()],
            criteria: vec![false; self.model.criteria.len()],
        };
    }

    fn field_type(&mut self, ty: &ast::FieldType) -> FieldType {
        match ty {
            ast::FieldType::Text => FieldType::Text,
            ast::FieldType::Number => FieldType::Number,
            ast::FieldType::Currency => FieldType::Currency,
            ast::FieldType::Percent => FieldType::Percent,
            ast::FieldType::Date => FieldType::Date,
            ast::FieldType::Bool => FieldType::Bool,
            ast::FieldType::Choice(values) => {
                let mut seen: HashMap<&str, Loc> = HashMap::new();
                let mut out = Vec::new();
                for value in values {
                    if let Some(first) = seen.get(value.value.as_str()) {
                        self.diagnostics.push(duplicate_definition::diagnostic(
                            "choice value",
                            &value.value,
                            value.span,
                            *first,
                        ));
                    } else {
                        seen.insert(&value.value, value.span);
                        out.push(value.value.clone());
                    }
                }
                FieldType::Choice(out)
            }
        }
    }

    /// Segment conditions, criteria items and scorings, once every name is declared.
    fn resolve_conditions(&mut self, decls: &[(FileId, &'a ast::Declaration)]) {
        use ast::Declaration as D;
        for (_, decl) in decls {
            match decl {
                D::Segment(segment) => {
                    let Some(&id) = self.segments.get(segment.name.text.as_str()) else {
                        continue;
                    };
                    if self.model.segments[id.0].loc != segment.name.span {
                        continue;
                    }
                    let when = segment.when.as_ref().and_then(|e| self.expr(e));
                    self.model.segments[id.0].when = when;
                }
                D::Criteria(criteria) => {
                    let Some(&id) = self.criteria.get(criteria.name.text.as_str()) else {
                        continue;
                    };
                    if self.model.criteria[id.0].loc != criteria.name.span {
                        continue;
                    }
                    let mut items = Vec::new();
                    let mut names: HashMap<&str, Loc> = HashMap::new();
                    for item in &criteria.items {
                        if let Some(first) = names.get(item.name.text.as_str()) {
                            self.diagnostics.push(duplicate_definition::diagnostic(
                                "criteria item",
                                &item.name.text,
                                item.name.span,
                                *first,
                            ));
                            continue;
                        }
                        names.insert(&item.name.text, item.name.span);
                        if let Some(expr) = self.expr(&item.expr) {
                            items.push(Criterion {
                                name: item.name.text.clone(),
                                expr,
                                loc: item.name.span,
                            });
                        }
                    }
                    self.model.criteria[id.0].items = items;
                }
                D::Scoring(scoring) => {
                    if self.scorings.get(scoring.name.text.as_str()) != Some(&scoring.name.span) {
                        continue;
                    }
                    let mut rules = Vec::new();
                    let mut incomplete = false;
                    for rule in &scoring.rules {
                        if let Some(when) = self.expr(&rule.when) {
                            rules.push(ScoreRule {
                                points: rule.points.value,
                                when,
                                loc: rule.points.span,
                            });
                        } else {
                            incomplete = true;
                        }
                    }
                    self.model.scorings.push(Scoring {
                        id: scoring.name.text.clone(),
                        label: label(&scoring.name, &scoring.label),
                        rules,
                        threshold: scoring.threshold.as_ref().map_or(0.0, |t| t.value),
                        threshold_loc: scoring
                            .threshold
                            .as_ref()
                            .map_or(scoring.name.span, |t| t.span),
                        incomplete,
                        loc: scoring.name.span,
                    });
                }
                _ => {}
            }
        }
        self.report_criteria_cycles();
    }

    /// A criteria that refers back to itself can never be evaluated.
    fn report_criteria_cycles(&mut self) {
        let n = self.model.criteria.len();
        // 0 = unvisited, 1 = on the path, 2 = done.
        let mut state = vec![0u8; n];
        let mut closing: Vec<(usize, Loc)> = Vec::new();
        for start in 0..n {
            if state[start] != 0 {
                continue;
            }
            // (criteria, the criteria it refers to, how many of those are visited)
            type Frame = (usize, Vec<(CriteriaId, Loc)>, usize);
            let mut stack: Vec<Frame> = Vec::new();
            let refs = |model: &Model, c: usize| -> Vec<(CriteriaId, Loc)> {
                let mut out = Vec::new();
                for item in &model.criteria[c].items {
                    collect_criteria_refs(&item.expr, &mut out);
                }
                out
            };
            state[start] = 1;
            stack.push((start, refs(&self.model, start), 0));
            while let Some((node, children, next)) = stack.last_mut() {
                if *next >= children.len() {
                    state[*node] = 2;
                    stack.pop();
                    continue;
                }
                let (child, loc) = children[*next];
                *next += 1;
                match state[child.0] {
                    0 => {
                        state[child.0] = 1;
                        let grandchildren = refs(&self.model, child.0);
                        stack.push((child.0, grandchildren, 0));
                    }
                    1 => {
                        let via = self.model.criteria[*node].id.clone();
                        let target = self.model.criteria[child.0].id.clone();
                        self.diagnostics
                            .push(type_mismatch::criteria_cycle(&target, &via, loc));
                        closing.push((*node, loc));
                    }
                    _ => {}
                }
            }
        }
        // The model keeps no circle, so nothing that expands criteria can loop, even with
        // the rule turned off.
        for (node, loc) in closing {
            self.model.criteria[node].items.retain(|item| {
                let mut refs = Vec::new();
                collect_criteria_refs(&item.expr, &mut refs);
                !refs.iter().any(|(_, at)| *at == loc)
            });
        }
    }

    /// Resolves a condition. Every part is resolved (to report every independent mistake);
    /// the result is `None` if any part is wrong.
    fn expr(&mut self, expr: &ast::Expr) -> Option<Expr> {
        match expr {
            ast::Expr::Or(a, b) | ast::Expr::And(a, b) => {
                let a = self.expr(a);
                let b = self.expr(b);
                let (a, b) = (Box::new(a?), Box::new(b?));
                Some(match expr {
                    ast::Expr::Or(..) => Expr::Or(a, b),
                    _ => Expr::And(a, b),
                })
            }
            ast::Expr::Not(e, _) => Some(Expr::Not(Box::new(self.expr(e)?))),
            ast::Expr::Condition(c) => self.condition(c),
        }
    }

    fn condition(&mut self, c: &ast::Condition) -> Option<Expr> {
        let name = c.name.text.as_str();
        if let Some(&field) = self.fields.get(name) {
            self.usage.fields[field.0] = true;
            let f = &self.model.fields[field.0];
            let test = match &c.test {
                ast::Test::Holds => {
                    if f.ty != FieldType::Bool {
                        self.diagnostics
                            .push(type_mismatch::not_a_condition(f, c.name.span));
                        return None;
                    }
                    Test::IsTrue
                }
                ast::Test::IsSet => Test::IsSet,
                ast::Test::IsNotSet => Test::IsNotSet,
                ast::Test::Compare { op, op_span, value } => {
                    if let Some(d) = type_mismatch::check_compare(f, *op, *op_span, value) {
                        self.diagnostics.push(d);
                        return None;
                    }
                    Test::Compare(*op, value.value.clone())
                }
                ast::Test::In(values) => {
                    let mut ok = true;
                    for value in values {
                        if let Some(d) =
                            type_mismatch::check_compare(f, CompareOp::Eq, value.span, value)
                        {
                            self.diagnostics.push(d);
                            ok = false;
                            if f.ty == FieldType::Date {
                                break;
                            }
                        }
                    }
                    if !ok {
                        return None;
                    }
                    Test::In(values.iter().map(|v| v.value.clone()).collect())
                }
            };
            return Some(Expr::Field {
                field,
                test,
                loc: c.span,
            });
        }
        if let Some(&criteria) = self.criteria.get(name) {
            self.usage.criteria[criteria.0] = true;
            if c.test != ast::Test::Holds {
                self.diagnostics
                    .push(type_mismatch::criteria_tested(name, c.span));
                return None;
            }
            return Some(Expr::Criteria {
                criteria,
                loc: c.name.span,
            });
        }
        let candidates: Vec<&str> = self
            .model
            .fields
            .iter()
            .map(|f| f.id.as_str())
            .chain(self.model.criteria.iter().map(|c| c.id.as_str()))
            .collect();
        self.diagnostics.push(unknown_reference::diagnostic(
            "field or criteria",
            name,
            c.name.span,
            &candidates,
        ));
        None
    }

    /// Looks `name` up in `table`; reports it (with the closest of `names`, computed only on
    /// failure so that lookups stay cheap) when it is not declared.
    fn lookup<'n, Id: Copy>(
        table: &HashMap<&'a str, Id>,
        names: impl Iterator<Item = &'n str>,
        kind: &str,
        name: &ast::Name,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Id> {
        match table.get(name.text.as_str()) {
            Some(id) => Some(*id),
            None => {
                let names: Vec<&str> = names.collect();
                diagnostics.push(unknown_reference::diagnostic(
                    kind, &name.text, name.span, &names,
                ));
                None
            }
        }
    }

    fn role(&mut self, name: &ast::Name) -> Option<RoleId> {
        let names = self.model.roles.iter().map(|r| r.id.as_str());
        let id = Self::lookup(&self.roles, names, "role", name, &mut self.diagnostics)?;
        self.usage.roles[id.0] = true;
        Some(id)
    }

    fn tool(&mut self, name: &ast::Name) -> Option<ToolId> {
        let names = self.model.tools.iter().map(|t| t.id.as_str());
        let id = Self::lookup(&self.tools, names, "tool", name, &mut self.diagnostics)?;
        self.usage.tools[id.0] = true;
        Some(id)
    }

    fn field(&mut self, name: &ast::Name) -> Option<FieldId> {
        let names = self.model.fields.iter().map(|f| f.id.as_str());
        let id = Self::lookup(&self.fields, names, "field", name, &mut self.diagnostics)?;
        self.usage.fields[id.0] = true;
        Some(id)
    }

    fn segment(&mut self, name: &ast::Name) -> Option<SegmentId> {
        let names = self.model.segments.iter().map(|s| s.id.as_str());
        let id = Self::lookup(
            &self.segments,
            names,
            "segment",
            name,
            &mut self.diagnostics,
        )?;
        self.usage.segments[id.0] = true;
        Some(id)
    }

    fn resolve_processes(&mut self, decls: &[(FileId, &'a ast::Declaration)]) {
        let processes: Vec<&'a ast::Process> = decls
            .iter()
            .filter_map(|(_, d)| match d {
                ast::Declaration::Process(p) => Some(p),
                _ => None,
            })
            .collect();
        let flattened = flatten_variants(&processes, &self.processes, &mut self.diagnostics);
        for (index, process) in processes.iter().enumerate() {
            // A second declaration of one name was reported; only the first is resolved.
            if self.processes.get(process.name.text.as_str()) != Some(&index) {
                continue;
            }
            let flat = &flattened[index];
            let resolved = self.process(process, flat);
            self.model.processes.push(resolved.0);
            self.incomplete.push(resolved.1);
        }
        // `base` ids refer to positions in the resolved list.
        let positions: HashMap<String, usize> = self
            .model
            .processes
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        for (index, process) in processes.iter().enumerate() {
            if self.processes.get(process.name.text.as_str()) != Some(&index) {
                continue;
            }
            if let (Some(base), Some(&me)) = (&process.extends, positions.get(&process.name.text)) {
                self.model.processes[me].base = positions.get(&base.text).map(|&i| ProcessId(i));
            }
        }
    }

    /// Resolves one process from its flattened (inherited and restated) form. Returns the
    /// process and whether its graph is incomplete because of an error already reported.
    fn process(&mut self, process: &'a ast::Process, flat: &Flat<'a>) -> (Process, bool) {
        let mut incomplete = flat.broken;
        let segments = match flat.segments {
            Some(list) => list.iter().filter_map(|n| self.segment(n)).collect(),
            None => Vec::new(),
        };
        if flat.orphan {
            // Without its base the stages mean nothing as a process; their own names are
            // still looked up, so a wrong role is reported and a used field is not unused.
            for stage in &flat.stages {
                self.stage(stage);
            }
            let empty = Flat {
                stages: Vec::new(),
                ..flat.clone()
            };
            return (self.finish(process, &empty, segments, Vec::new()), true);
        }

        // Stage ids first, so transitions can refer to any stage.
        let mut index: HashMap<&str, StageId> = HashMap::new();
        let mut stage_decls: Vec<&ast::Stage> = Vec::new();
        for stage in flat.stages.iter().map(AsRef::as_ref) {
            if let Some(&first) = index.get(stage.name.text.as_str()) {
                self.diagnostics.push(duplicate_definition::diagnostic(
                    "stage",
                    &stage.name.text,
                    stage.name.span,
                    stage_decls[first.0].name.span,
                ));
                continue;
            }
            index.insert(&stage.name.text, StageId(stage_decls.len()));
            stage_decls.push(stage);
        }
        let stage_names: Vec<&str> = stage_decls.iter().map(|s| s.name.text.as_str()).collect();

        let mut stages: Vec<Stage> = stage_decls.iter().map(|s| self.stage(s)).collect();

        // Transitions: `next:` or the default, then `from:`.
        for (i, decl) in stage_decls.iter().enumerate() {
            let open = stages[i].is_open();
            match &decl.next {
                // A terminal stage's `next:` is wrong as a whole (`terminal-has-next`).
                Some(_) if !open => {}
                Some(next) => {
                    for name in &next.value {
                        if flat.stale.contains(&name.span) {
                            stages[i].unresolved_next = true;
                            continue;
                        }
                        match index.get(name.text.as_str()) {
                            Some(&to) => add_transition(
                                &mut stages[i],
                                to,
                                TransitionKind::Listed,
                                name.span,
                            ),
                            None => {
                                self.diagnostics.push(unknown_reference::diagnostic(
                                    "stage",
                                    &name.text,
                                    name.span,
                                    &stage_names,
                                ));
                                stages[i].unresolved_next = true;
                            }
                        }
                    }
                }
                None if open && i + 1 < stages.len() => add_transition(
                    &mut stages[i],
                    StageId(i + 1),
                    TransitionKind::Default,
                    decl.name.span,
                ),
                None => {}
            }
        }
        for (target, decl) in stage_decls.iter().enumerate() {
            let Some(from) = &decl.from else { continue };
            match &from.value {
                ast::From::Any(any) => {
                    for (source, stage) in stages.iter_mut().enumerate() {
                        if source != target && stage.is_open() {
                            add_transition(stage, StageId(target), TransitionKind::From, *any);
                        }
                    }
                }
                ast::From::Stages(names) => {
                    for name in names {
                        if flat.stale.contains(&name.span) {
                            stages[target].unresolved_from = true;
                            continue;
                        }
                        match index.get(name.text.as_str()) {
                            Some(&source) if stages[source.0].is_open() => add_transition(
                                &mut stages[source.0],
                                StageId(target),
                                TransitionKind::From,
                                name.span,
                            ),
                            Some(&source) => {
                                self.diagnostics.push(terminal_has_next::from_terminal(
                                    &stages[source.0].id,
                                    &stages[target].id,
                                    name.span,
                                ))
                            }
                            None => {
                                self.diagnostics.push(unknown_reference::diagnostic(
                                    "stage",
                                    &name.text,
                                    name.span,
                                    &stage_names,
                                ));
                                stages[target].unresolved_from = true;
                            }
                        }
                    }
                }
            }
        }

        // `remove stage`: deals skip the removed stage and go where it would have sent them.
        let mut removed: Vec<usize> = Vec::new();
        for name in &flat.removed {
            match index.get(name.text.as_str()) {
                Some(id) => removed.push(id.0),
                None => {
                    self.diagnostics.push(unknown_reference::diagnostic(
                        "stage",
                        &name.text,
                        name.span,
                        &stage_names,
                    ));
                    incomplete = true;
                }
            }
        }
        if !removed.is_empty() {
            remove_stages(&mut stages, &removed);
        }

        graph::fill_required_here(&mut stages);
        (self.finish(process, flat, segments, stages), incomplete)
    }

    /// The process with its properties and resolved stages.
    fn finish(
        &self,
        process: &ast::Process,
        flat: &Flat<'_>,
        segments: Vec<SegmentId>,
        stages: Vec<Stage>,
    ) -> Process {
        Process {
            id: process.name.text.clone(),
            label: match flat.label {
                Some(text) => text.value.clone(),
                None => label_from_id(&process.name.text),
            },
            model: flat.model.map(|m| m.value),
            owner: flat.owner.map(|t| t.value.clone()),
            description: flat.description.map(|t| t.value.clone()),
            segments,
            stages,
            base: None,
            loc: process.name.span,
        }
    }

    fn stage(&mut self, s: &ast::Stage) -> Stage {
        let outcome = s.outcome.as_ref().map(|o| o.value);
        let owner = s.owner.as_ref().and_then(|n| self.role(n));
        let tools = s
            .tools
            .iter()
            .flatten()
            .filter_map(|n| self.tool(n))
            .collect();
        let mut requires: Vec<FieldId> = Vec::new();
        let mut unresolved_requires = false;
        for name in s.requires.iter().flatten() {
            match self.field(name) {
                Some(id) if !requires.contains(&id) => requires.push(id),
                Some(_) => {}
                None => unresolved_requires = true,
            }
        }
        let exit = s.exit.as_ref().and_then(|e| self.expr(e));
        let automations = s
            .automations
            .iter()
            .flatten()
            .filter_map(|a| {
                let action = match &a.action {
                    ast::Action::Task { text, role, due } => Action::Task {
                        text: text.value.clone(),
                        role: match role {
                            Some(r) => Some(self.role(r)?),
                            None => None,
                        },
                        due: *due,
                    },
                    ast::Action::Email { template, after } => Action::Email {
                        template: template.value.clone(),
                        after: *after,
                    },
                    ast::Action::Notify { role } => Action::Notify {
                        role: self.role(role)?,
                    },
                };
                let trigger = match a.trigger {
                    ast::Trigger::Entered => Trigger::Entered,
                    ast::Trigger::Exited => Trigger::Exited,
                    ast::Trigger::Stale => Trigger::Stale,
                };
                Some(Automation { trigger, action })
            })
            .collect();
        let probability = s.probability.as_ref().map(|p| p.value).or(match outcome {
            Some(Outcome::Won) => Some(100.0),
            Some(Outcome::Lost) => Some(0.0),
            None => None,
        });
        let forecast = s
            .forecast
            .as_ref()
            .map(|f| f.value)
            .unwrap_or(match outcome {
                Some(Outcome::Won) => Forecast::Closed,
                Some(Outcome::Lost) => Forecast::Omitted,
                None => Forecast::Pipeline,
            });
        Stage {
            id: s.name.text.clone(),
            label: label(&s.name, &s.label),
            owner,
            probability,
            forecast,
            outcome,
            objective: s.objective.as_ref().map(|t| t.value.clone()),
            description: s.description.as_ref().map(|t| t.value.clone()),
            expected: s.expected.as_ref().map(|d| d.value),
            stale_after: s.stale_after.as_ref().map(|d| d.value),
            activities: s
                .activities
                .iter()
                .flatten()
                .map(|t| t.value.clone())
                .collect(),
            tools,
            requires,
            exit,
            follow_ups: s
                .follow_ups
                .iter()
                .flatten()
                .map(|f| FollowUp {
                    text: f.text.value.clone(),
                    after: f.after,
                })
                .collect(),
            automations,
            guidance: s.guidance.as_ref().map(|t| t.value.clone()),
            next: Vec::new(),
            required_here: Vec::new(),
            unresolved_next: false,
            unresolved_from: false,
            unresolved_requires,
            loc: s.name.span,
            locs: StageLocs {
                owner: s.owner.as_ref().map(|n| n.span),
                probability: s.probability.as_ref().map(|p| p.span),
                expected: s.expected.as_ref().map(|p| p.span),
                stale_after: s.stale_after.as_ref().map(|p| p.span),
                next: s.next.as_ref().map(|p| p.span),
                exit: s.exit.as_ref().map(|e| e.span()),
            },
        }
    }
}

fn collect_criteria_refs(expr: &Expr, out: &mut Vec<(CriteriaId, Loc)>) {
    match expr {
        Expr::Or(a, b) | Expr::And(a, b) => {
            collect_criteria_refs(a, out);
            collect_criteria_refs(b, out);
        }
        Expr::Not(e) => collect_criteria_refs(e, out),
        Expr::Criteria { criteria, loc } => out.push((*criteria, *loc)),
        Expr::Field { .. } => {}
    }
}

fn add_transition(stage: &mut Stage, to: StageId, kind: TransitionKind, loc: Loc) {
    if !stage.next.iter().any(|t| t.to == to) {
        stage.next.push(Transition { to, kind, loc });
    }
}

/// Drops `removed` stages; a transition into one goes to its forward `next` stages instead.
fn remove_stages(stages: &mut Vec<Stage>, removed: &[usize]) {
    let is_removed = |i: usize| removed.contains(&i);
    // Where a deal that would enter stage `i` goes instead (following chains of removals).
    let mut redirect: HashMap<usize, Vec<usize>> = HashMap::new();
    for &r in removed.iter().rev() {
        let mut targets = Vec::new();
        let mut pending: Vec<usize> = stages[r]
            .next
            .iter()
            .map(|t| t.to.0)
            .filter(|&t| t > r)
            .collect();
        let mut seen = vec![r];
        while let Some(t) = pending.pop() {
            if seen.contains(&t) {
                continue;
            }
            seen.push(t);
            if is_removed(t) {
                pending.extend(stages[t].next.iter().map(|n| n.to.0).filter(|&n| n > t));
            } else if !targets.contains(&t) {
                targets.push(t);
            }
        }
        targets.sort_unstable();
        redirect.insert(r, targets);
    }
    let new_index: Vec<Option<usize>> = {
        let mut next = 0;
        (0..stages.len())
            .map(|i| {
                if is_removed(i) {
                    None
                } else {
                    next += 1;
                    Some(next - 1)
                }
            })
            .collect()
    };
    for (source, stage) in stages.iter_mut().enumerate() {
        let old = std::mem::take(&mut stage.next);
        for t in old {
            let targets = match redirect.get(&t.to.0) {
                Some(targets) => targets.clone(),
                None => vec![t.to.0],
            };
            // A move back to a removed stage that led here is no move at all.
            let redirected = redirect.contains_key(&t.to.0);
            for target in targets
                .into_iter()
                .filter(|&t| !(redirected && t == source))
            {
                if let Some(new) = new_index[target] {
                    add_transition(stage, StageId(new), t.kind, t.loc);
                }
            }
        }
    }
    let mut i = 0;
    stages.retain(|_| {
        let keep = !is_removed(i);
        i += 1;
        keep
    });
}

/// A process with everything it inherits: the base's properties and stages with the
/// variant's restatements applied, in order.
#[derive(Clone, Default)]
struct Flat<'a> {
    label: Option<&'a ast::Text>,
    model: Option<&'a ast::Prop<SellingModel>>,
    owner: Option<&'a ast::Text>,
    description: Option<&'a ast::Text>,
    segments: Option<&'a Vec<ast::Name>>,
    /// Borrowed as written unless a variant restates something.
    stages: Vec<Cow<'a, ast::Stage>>,
    removed: Vec<&'a ast::Name>,
    broken: bool,
    /// Its base is unknown or part of a cycle (reported once): only its own declarations are
    /// looked at, for their own mistakes and for what they use.
    orphan: bool,
    /// Names in a variant's `next:` or `from:` that name a stage removed from it (reported
    /// once, where the variant wrote them); they lead nowhere.
    stale: Vec<Loc>,
}

fn flatten_variants<'a>(
    processes: &[&'a ast::Process],
    by_name: &HashMap<&'a str, usize>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Flat<'a>> {
    let n = processes.len();
    let mut done: Vec<Option<Flat<'a>>> = vec![None; n];
    // Walk each chain of `extends` to its root, then flatten back down.
    for start in 0..n {
        if done[start].is_some() {
            continue;
        }
        let mut chain = vec![start];
        let mut cycle = false;
        let mut unknown = false;
        loop {
            let current = *chain.last().unwrap();
            let Some(base) = &processes[current].extends else {
                break;
            };
            match by_name.get(base.text.as_str()) {
                Some(&b) if done[b].is_some() => {
                    chain.push(b);
                    break;
                }
                Some(&b) if chain.contains(&b) => {
                    cycle = true;
                    // Report the cycle once, at the first declared process in it.
                    let from = chain.iter().position(|&c| c == b).unwrap();
                    let members: Vec<usize> = chain[from..].to_vec();
                    let first = *members.iter().min().unwrap();
                    let names: Vec<&str> = members
                        .iter()
                        .map(|&m| processes[m].name.text.as_str())
                        .collect();
                    let at = processes[first].extends.as_ref().unwrap().span;
                    diagnostics.push(extends_cycle::diagnostic(
                        &names,
                        processes[first].name.text.as_str(),
                        at,
                    ));
                    for m in members {
                        done[m] = Some(Flat {
                            broken: true,
                            orphan: true,
                            ..own(processes[m])
                        });
                    }
                    break;
                }
                Some(&b) => chain.push(b),
                None => {
                    let names: Vec<&str> = processes.iter().map(|p| p.name.text.as_str()).collect();
                    diagnostics.push(unknown_reference::unknown_base(
                        &processes[current].name.text,
                        &base.text,
                        base.span,
                        &names,
                    ));
                    unknown = true;
                    break;
                }
            }
        }
        // Flatten from the deepest known base back to `start`.
        let mut base: Option<Flat<'a>> = None;
        for &p in chain.iter().rev() {
            if let Some(flat) = &done[p] {
                base = Some(flat.clone());
                continue;
            }
            let flat = match base.take() {
                Some(b) if !cycle => inherit(b, processes[p], diagnostics),
                _ => Flat {
                    broken: unknown || cycle,
                    orphan: unknown || cycle,
                    ..own(processes[p])
                },
            };
            done[p] = Some(flat.clone());
            base = Some(flat);
        }
    }
    done.into_iter().map(|f| f.unwrap_or_default()).collect()
}

fn own(process: &ast::Process) -> Flat<'_> {
    Flat {
        label: process.label.as_ref(),
        model: process.model.as_ref(),
        owner: process.owner.as_ref(),
        description: process.description.as_ref(),
        segments: process.segments.as_ref(),
        stages: process.stages.iter().map(Cow::Borrowed).collect(),
        removed: process.removed.iter().collect(),
        broken: false,
        orphan: false,
        stale: Vec::new(),
    }
}

fn inherit<'a>(
    base: Flat<'a>,
    variant: &'a ast::Process,
    diagnostics: &mut Vec<Diagnostic>,
) -> Flat<'a> {
    let mut flat = Flat {
        label: variant.label.as_ref().or(base.label),
        model: variant.model.as_ref().or(base.model),
        owner: variant.owner.as_ref().or(base.owner),
        description: variant.description.as_ref().or(base.description),
        segments: variant.segments.as_ref().or(base.segments),
        stages: base.stages,
        removed: base.removed,
        broken: base.broken,
        orphan: base.orphan,
        stale: base.stale,
    };
    for stage in &variant.stages {
        match flat
            .stages
            .iter_mut()
            .find(|s| s.name.text == stage.name.text)
        {
            Some(inherited) => restate(inherited.to_mut(), stage),
            None => {
                let at = flat
                    .stages
                    .iter()
                    .position(|s| s.outcome.is_some())
                    .unwrap_or(flat.stages.len());
                flat.stages.insert(at, Cow::Borrowed(stage));
            }
        }
    }
    flat.removed.extend(variant.removed.iter());
    if !flat.orphan {
        flat.stale
            .extend(removed_references(variant, &flat.removed, diagnostics));
    }
    flat
}

/// The names in the variant's own `next:` and `from:` that name a stage removed from it,
/// each reported where the variant wrote it.
fn removed_references(
    variant: &ast::Process,
    removed: &[&ast::Name],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Loc> {
    let mut stale = Vec::new();
    for stage in &variant.stages {
        let next = stage.next.iter().flat_map(|n| &n.value);
        let from = stage.from.iter().flat_map(|f| match &f.value {
            ast::From::Stages(names) => names.as_slice(),
            ast::From::Any(_) => &[],
        });
        for name in next.chain(from) {
            if let Some(removal) = removed.iter().find(|r| r.text == name.text) {
                diagnostics.push(unknown_reference::removed_stage(
                    &variant.name.text,
                    &name.text,
                    name.span,
                    removal.span,
                ));
                stale.push(name.span);
            }
        }
    }
    stale
}

/// Applies the properties a variant restates; a restated list replaces the whole list. The
/// stage is then where the variant restates it, so what is wrong with it is reported there.
fn restate(stage: &mut ast::Stage, over: &ast::Stage) {
    stage.name.span = over.name.span;
    macro_rules! take {
        ($($prop:ident),*) => {$(
            if over.$prop.is_some() {
                stage.$prop = over.$prop.clone();
            }
        )*};
    }
    take!(
        label,
        owner,
        probability,
        forecast,
        objective,
        description,
        expected,
        stale_after,
        activities,
        tools,
        requires,
        exit,
        follow_ups,
        automations,
        guidance,
        next,
        from,
        outcome
    );
}
