//! Comparing two resolved models.

use super::{Change, Kind};
use crate::crm::{field_name, stage_value, Crm};
use crate::model::{Duration, Expr, Field, FieldType, Model, Process, Stage};
use std::collections::BTreeSet;

/// Every change from `old` to `new`: processes and their stages (in the new order, removals
/// first), then fields, then criteria.
pub fn diff(old: &Model, new: &Model) -> Vec<Change> {
    let mut out = Changes::default();
    for p in &old.processes {
        if !new.processes.iter().any(|n| n.id == p.id) {
            out.process(
                Kind::ProcessRemoved,
                p,
                format!("process `{}` was removed", p.id),
            );
        }
    }
    for p in &new.processes {
        match old.processes.iter().find(|o| o.id == p.id) {
            None => out.process(
                Kind::ProcessAdded,
                p,
                format!("process `{}` was added", p.id),
            ),
            Some(o) => out.compare_process(Pair::new(old, new), o, p),
        }
    }
    out.compare_fields(old, new);
    out.compare_criteria(old, new);
    out.0
}

/// The old and new models, for names.
#[derive(Clone, Copy)]
struct Pair<'m> {
    old: &'m Model,
    new: &'m Model,
}

impl<'m> Pair<'m> {
    fn new(old: &'m Model, new: &'m Model) -> Self {
        Pair { old, new }
    }
}

#[derive(Default)]
struct Changes(Vec<Change>);

impl Changes {
    fn push(
        &mut self,
        kind: Kind,
        process: Option<&str>,
        stage: Option<&str>,
        field: Option<&str>,
        message: String,
    ) {
        self.0.push(Change {
            kind,
            breaking: kind.is_breaking(),
            process: process.map(str::to_string),
            stage: stage.map(str::to_string),
            field: field.map(str::to_string),
            message,
        });
    }

    fn process(&mut self, kind: Kind, p: &Process, message: String) {
        self.push(kind, Some(&p.id), None, None, message);
    }

    fn stage(&mut self, kind: Kind, p: &Process, s: &Stage, message: String) {
        self.push(kind, Some(&p.id), Some(&s.id), None, message);
    }

    fn compare_process(&mut self, m: Pair<'_>, old: &Process, new: &Process) {
        if old.label != new.label {
            let message = format!(
                "process `{}` relabelled from {:?} to {:?}",
                new.id, old.label, new.label
            );
            self.process(Kind::ProcessRelabelled, new, message);
        }
        if old.owner != new.owner {
            let message = format!(
                "owner of process `{}` changed from {} to {}",
                new.id,
                text_or_none(&old.owner),
                text_or_none(&new.owner)
            );
            self.process(Kind::ProcessOwnerChanged, new, message);
        }
        for s in &old.stages {
            if new.find_stage(&s.id).is_none() {
                self.stage(
                    Kind::StageRemoved,
                    new,
                    s,
                    format!("stage `{}` was removed", s.id),
                );
            }
        }
        for s in &new.stages {
            if old.find_stage(&s.id).is_none() {
                self.stage(
                    Kind::StageAdded,
                    new,
                    s,
                    format!("stage `{}` was added", s.id),
                );
            }
        }
        self.compare_order(old, new);
        for s in &new.stages {
            if let Some(o) = old.find_stage(&s.id) {
                self.compare_stage(m, (old, new), old.stage(o), s);
            }
        }
    }

    /// Stages kept in both versions that changed place: those outside the longest run that
    /// kept its relative order.
    fn compare_order(&mut self, old: &Process, new: &Process) {
        let old_ids: Vec<&str> = old
            .stages
            .iter()
            .map(|s| s.id.as_str())
            .filter(|id| new.find_stage(id).is_some())
            .collect();
        let new_ids: Vec<&str> = new
            .stages
            .iter()
            .map(|s| s.id.as_str())
            .filter(|id| old.find_stage(id).is_some())
            .collect();
        let kept = longest_common_subsequence(&old_ids, &new_ids);
        for s in &new.stages {
            let (Some(before), Some(after)) = (old.find_stage(&s.id), new.find_stage(&s.id)) else {
                continue;
            };
            if !kept.contains(s.id.as_str()) {
                let message = format!(
                    "stage `{}` moved from position {} to {}",
                    s.id,
                    before.0 + 1,
                    after.0 + 1
                );
                self.stage(Kind::StageReordered, new, s, message);
            }
        }
    }

    fn compare_stage(
        &mut self,
        m: Pair<'_>,
        (op, np): (&Process, &Process),
        old: &Stage,
        new: &Stage,
    ) {
        let id = &new.id;
        if old.label != new.label {
            self.stage(
                Kind::StageRelabelled,
                np,
                new,
                format!(
                    "stage `{id}` relabelled from {:?} to {:?}",
                    old.label, new.label
                ),
            );
        }
        // A Salesforce stage is its value; HubSpot and Pipedrive stages keep their id when
        // renamed.
        let (before, after) = (
            stage_value(Crm::Salesforce, old),
            stage_value(Crm::Salesforce, new),
        );
        if before != after {
            let message =
                format!("Salesforce stage of `{id}` changed from {before:?} to {after:?}");
            self.stage(Kind::CrmStageChanged, np, new, message);
        }
        if old.probability != new.probability {
            let message = format!(
                "probability of `{id}` changed from {} to {}",
                percent(old.probability),
                percent(new.probability)
            );
            self.stage(Kind::ProbabilityChanged, np, new, message);
        }
        if old.forecast != new.forecast {
            let message = format!(
                "forecast of `{id}` changed from {} to {}",
                old.forecast.as_str(),
                new.forecast.as_str()
            );
            self.stage(Kind::ForecastChanged, np, new, message);
        }
        if old.outcome != new.outcome {
            let show = |o: Option<crate::model::Outcome>| o.map_or("open", |o| o.as_str());
            let message = format!(
                "outcome of `{id}` changed from {} to {}",
                show(old.outcome),
                show(new.outcome)
            );
            self.stage(Kind::OutcomeChanged, np, new, message);
        }
        self.compare_duration(
            np,
            new,
            "expected time",
            Kind::ExpectedChanged,
            old.expected,
            new.expected,
        );
        self.compare_duration(
            np,
            new,
            "stale after",
            Kind::StaleAfterChanged,
            old.stale_after,
            new.stale_after,
        );
        let role =
            |model: &Model, r: Option<crate::model::RoleId>| r.map(|r| model.role(r).id.clone());
        let (before, after) = (role(m.old, old.owner), role(m.new, new.owner));
        if before != after {
            let message = format!(
                "owner of `{id}` changed from {} to {}",
                code_or_none(&before),
                code_or_none(&after)
            );
            self.stage(Kind::OwnerChanged, np, new, message);
        }
        let tools = |model: &Model, s: &Stage| {
            s.tools
                .iter()
                .map(|t| model.tool(*t).id.clone())
                .collect::<Vec<_>>()
        };
        let (added, removed) = set_changes(&tools(m.old, old), &tools(m.new, new));
        for t in added {
            self.stage(
                Kind::ToolAdded,
                np,
                new,
                format!("`{id}` now uses tool `{t}`"),
            );
        }
        for t in removed {
            self.stage(
                Kind::ToolRemoved,
                np,
                new,
                format!("`{id}` no longer uses tool `{t}`"),
            );
        }
        let requires = |model: &Model, s: &Stage| {
            s.requires
                .iter()
                .map(|f| model.field(*f).id.clone())
                .collect::<Vec<_>>()
        };
        let (added, removed) = set_changes(&requires(m.old, old), &requires(m.new, new));
        for f in added {
            self.stage(
                Kind::RequirementAdded,
                np,
                new,
                format!("`{id}` now requires `{f}`"),
            );
        }
        for f in removed {
            self.stage(
                Kind::RequirementRemoved,
                np,
                new,
                format!("`{id}` no longer requires `{f}`"),
            );
        }
        let (added, removed) = set_changes(
            &conjuncts(m.old, old.exit.as_ref()),
            &conjuncts(m.new, new.exit.as_ref()),
        );
        for c in added {
            self.stage(
                Kind::ExitCriterionAdded,
                np,
                new,
                format!("`{id}` has a new exit criterion: `{c}`"),
            );
        }
        for c in removed {
            self.stage(
                Kind::ExitCriterionRemoved,
                np,
                new,
                format!("`{id}` no longer has the exit criterion `{c}`"),
            );
        }
        self.compare_transitions(op, np, old, new);
    }

    /// Moves out of a stage kept in both versions, between stages kept in both versions (moves
    /// into added or removed stages are part of those changes).
    fn compare_transitions(&mut self, op: &Process, np: &Process, old: &Stage, new: &Stage) {
        let targets = |p: &Process, s: &Stage, other: &Process| {
            s.next_ids()
                .map(|t| p.stage(t).id.clone())
                .filter(|t| other.find_stage(t).is_some())
                .collect::<Vec<_>>()
        };
        let (added, removed) = set_changes(&targets(op, old, np), &targets(np, new, op));
        for t in added {
            self.stage(
                Kind::TransitionAdded,
                np,
                new,
                format!("deals can now move from `{}` to `{t}`", new.id),
            );
        }
        for t in removed {
            self.stage(
                Kind::TransitionRemoved,
                np,
                new,
                format!("deals can no longer move from `{}` to `{t}`", new.id),
            );
        }
    }

    fn compare_duration(
        &mut self,
        p: &Process,
        s: &Stage,
        what: &str,
        kind: Kind,
        old: Option<Duration>,
        new: Option<Duration>,
    ) {
        if old != new {
            let show = |d: Option<Duration>| d.map_or("none".to_string(), |d| d.human());
            let message = format!(
                "{what} of `{}` changed from {} to {}",
                s.id,
                show(old),
                show(new)
            );
            self.stage(kind, p, s, message);
        }
    }

    fn field(&mut self, kind: Kind, f: &Field, message: String) {
        self.push(kind, None, None, Some(&f.id), message);
    }

    fn compare_fields(&mut self, old: &Model, new: &Model) {
        for f in &old.fields {
            if !new.fields.iter().any(|n| n.id == f.id) {
                self.field(
                    Kind::FieldRemoved,
                    f,
                    format!("field `{}` was removed", f.id),
                );
            }
        }
        for f in &new.fields {
            match old.fields.iter().find(|o| o.id == f.id) {
                None => self.field(Kind::FieldAdded, f, format!("field `{}` was added", f.id)),
                Some(o) => self.compare_field(o, f),
            }
        }
    }

    fn compare_field(&mut self, old: &Field, new: &Field) {
        let id = &new.id;
        if old.label != new.label {
            self.field(
                Kind::FieldRelabelled,
                new,
                format!(
                    "field `{id}` relabelled from {:?} to {:?}",
                    old.label, new.label
                ),
            );
        }
        match (&old.ty, &new.ty) {
            (FieldType::Choice(before), FieldType::Choice(after)) => {
                let (added, removed) = set_changes(before, after);
                for v in added {
                    self.field(
                        Kind::ChoiceValueAdded,
                        new,
                        format!("field `{id}` has a new choice {v:?}"),
                    );
                }
                for v in removed {
                    self.field(
                        Kind::ChoiceValueRemoved,
                        new,
                        format!("field `{id}` no longer has the choice {v:?}"),
                    );
                }
            }
            (before, after) if before != after => {
                let message = format!(
                    "field `{id}` changed type from {} to {}",
                    before.name(),
                    after.name()
                );
                self.field(Kind::FieldRetyped, new, message);
            }
            _ => {}
        }
        // The names every output uses, from the one source of CRM facts.
        for crm in Crm::ALL {
            let (before, after) = (field_name(crm, old), field_name(crm, new));
            if before != after {
                let message = format!(
                    "{} name of field `{id}` changed from `{before}` to `{after}`",
                    crm.name()
                );
                self.field(Kind::CrmNameChanged, new, message);
            }
        }
    }

    fn compare_criteria(&mut self, old: &Model, new: &Model) {
        for c in &new.criteria {
            let Some(o) = old.criteria.iter().find(|o| o.id == c.id) else {
                continue;
            };
            for item in &o.items {
                if !c.items.iter().any(|i| i.name == item.name) {
                    self.push(
                        Kind::CriteriaItemRemoved,
                        None,
                        None,
                        None,
                        format!("criteria `{}` no longer has the item `{}`", c.id, item.name),
                    );
                }
            }
            for item in &c.items {
                let now = expr_text(new, &item.expr);
                match o.items.iter().find(|i| i.name == item.name) {
                    None => self.push(
                        Kind::CriteriaItemAdded,
                        None,
                        None,
                        None,
                        format!("criteria `{}` has a new item `{}: {now}`", c.id, item.name),
                    ),
                    Some(before) => {
                        let before = expr_text(old, &before.expr);
                        if before != now {
                            let message = format!(
                                "item `{}` of criteria `{}` changed from `{before}` to `{now}`",
                                item.name, c.id
                            );
                            self.push(Kind::CriteriaItemChanged, None, None, None, message);
                        }
                    }
                }
            }
        }
    }
}

/// Values in `after` but not `before`, and in `before` but not `after`, each in its order.
fn set_changes<T: PartialEq + Clone>(before: &[T], after: &[T]) -> (Vec<T>, Vec<T>) {
    let added = after
        .iter()
        .filter(|v| !before.contains(v))
        .cloned()
        .collect();
    let removed = before
        .iter()
        .filter(|v| !after.contains(v))
        .cloned()
        .collect();
    (added, removed)
}

fn longest_common_subsequence<'a>(a: &[&'a str], b: &[&'a str]) -> BTreeSet<&'a str> {
    let mut table = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            table[i][j] = if a[i] == b[j] {
                table[i + 1][j + 1] + 1
            } else {
                table[i + 1][j].max(table[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut kept) = (0, 0, BTreeSet::new());
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            kept.insert(a[i]);
            i += 1;
            j += 1;
        } else if table[i + 1][j] >= table[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    kept
}

/// The items of an exit condition joined by `and`, as source text.
fn conjuncts(model: &Model, expr: Option<&Expr>) -> Vec<String> {
    let items = match expr {
        Some(e @ Expr::And(..)) => e.chain(),
        Some(e) => vec![e],
        None => Vec::new(),
    };
    items.into_iter().map(|e| expr_text(model, e)).collect()
}

/// An expression as source text, with the parentheses precedence needs.
pub fn expr_text(model: &Model, expr: &Expr) -> String {
    crate::emit::source_text::expr_source(model, expr)
}

fn percent(p: Option<f64>) -> String {
    p.map_or("none".to_string(), crate::value::percent)
}

fn text_or_none(text: &Option<String>) -> String {
    text.as_ref()
        .map_or("none".to_string(), |t| format!("{t:?}"))
}

fn code_or_none(id: &Option<String>) -> String {
    id.as_ref().map_or("none".to_string(), |t| format!("`{t}`"))
}
