//! Pieces shared by the CRM configuration backends (HubSpot, Pipedrive): which fields a
//! process uses and which file of the build creates each, the criteria its exits name, and
//! its automations as workflows to build by hand.

use super::english;
use super::markdown::code;
use super::markdown::text;
use crate::crm::{creates_field, stage_value, Crm};
use crate::model::{
    Action, CriteriaId, Duration, Field, FieldId, Model, Process, ProcessId, Role, Stage, Trigger,
};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// Fields that some stage of the process requires (its own `requires:` or `required_here`),
/// in declaration order.
pub fn required_fields(process: &Process) -> Vec<FieldId> {
    let mut fields: Vec<FieldId> = process
        .stages
        .iter()
        .flat_map(|s| s.requires.iter().chain(&s.required_here))
        .copied()
        .collect();
    fields.sort();
    fields.dedup();
    fields
}

/// Fields the process refers to: stage requirements, exit conditions (with the criteria they
/// name), its segments' rules and, with `scorings`, the score conditions; in declaration order.
pub fn used_fields(model: &Model, process: &Process, scorings: bool) -> Vec<FieldId> {
    let mut fields = required_fields(process);
    let mut add = |f: FieldId, _: &_, _| fields.push(f);
    for stage in &process.stages {
        if let Some(exit) = &stage.exit {
            exit.visit_fields(model, &mut add);
        }
    }
    for segment in &process.segments {
        if let Some(when) = &model.segment(*segment).when {
            when.visit_fields(model, &mut add);
        }
    }
    if scorings {
        for scoring in &model.scorings {
            for rule in &scoring.rules {
                rule.when.visit_fields(model, &mut add);
            }
        }
    }
    fields.sort();
    fields.dedup();
    fields
}

/// The fields a CRM's account holds once, whatever the number of pipelines: each process's
/// fields to create, leaving out those an earlier process of the build already creates, so
/// importing every file in order creates each field once. `scorings` says which process's
/// file also covers the score conditions (the first one).
pub struct FieldPlan {
    /// Per process, in build order: the fields its file creates.
    pub created: Vec<(ProcessId, Vec<FieldId>)>,
    creators: BTreeMap<FieldId, ProcessId>,
}

impl FieldPlan {
    pub fn new(crm: Crm, model: &Model, processes: &[ProcessId]) -> FieldPlan {
        let mut creators: BTreeMap<FieldId, ProcessId> = BTreeMap::new();
        let created = processes
            .iter()
            .enumerate()
            .map(|(i, &id)| {
                let fields = used_fields(model, model.process(id), i == 0)
                    .into_iter()
                    .filter(|f| {
                        creates_field(crm, model.field(*f)) && {
                            let first = !creators.contains_key(f);
                            creators.entry(*f).or_insert(id);
                            first
                        }
                    })
                    .collect();
                (id, fields)
            })
            .collect();
        FieldPlan { created, creators }
    }

    /// The process whose file creates `field`, if any.
    pub fn creator(&self, field: FieldId) -> Option<ProcessId> {
        self.creators.get(&field).copied()
    }

    /// A checklist's table of the fields to create: a row per field of `custom` with the
    /// CRM's own `cells` under `headers`, then the file (`<process>.<file>`) that creates it.
    pub fn table(
        &self,
        model: &Model,
        custom: &[FieldId],
        file: &str,
        headers: &[&str],
        cells: impl Fn(&Field) -> Vec<String>,
        out: &mut String,
    ) {
        let _ = writeln!(out, "| {} | Created by |", headers.join(" | "));
        let _ = writeln!(out, "|{}---|", "---|".repeat(headers.len()));
        for &id in custom {
            let creator = self.creator(id).map_or("none".to_string(), |p| {
                code(&format!("{}.{file}", model.process(p).id))
            });
            let _ = writeln!(
                out,
                "| {} | {creator} |",
                cells(model.field(id)).join(" | ")
            );
        }
        out.push('\n');
    }
}

/// The fields of `used` that a file of the build creates in `crm`, and those it maps onto
/// fields the CRM already has.
pub fn created_and_existing(
    crm: Crm,
    model: &Model,
    used: &[FieldId],
) -> (Vec<FieldId>, Vec<FieldId>) {
    used.iter()
        .copied()
        .partition(|f| creates_field(crm, model.field(*f)))
}

/// Every criteria the exits of the process use, directly or through other criteria, in
/// declaration order: a checklist lists their items once, where the exits name them.
pub fn exit_criteria(model: &Model, process: &Process) -> Vec<CriteriaId> {
    let mut used = BTreeSet::new();
    for stage in &process.stages {
        if let Some(exit) = &stage.exit {
            used.extend(exit.criteria_used(model));
        }
    }
    used.into_iter().collect()
}

/// One automation a CRM cannot import: a workflow to build by hand, in words.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Workflow {
    /// What starts it, e.g. "a deal enters Proposal".
    pub trigger: String,
    /// How long to wait before the action, if at all.
    pub delay: Option<Duration>,
    /// What it does, e.g. "create a task \"Send the deck\" for Account Executive, due in 2 days".
    pub action: String,
}

/// The workflows of a stage, Markdown-escaped: its `when entered:` and `when exited:`
/// automations and its follow-ups (a task once the delay is over), each once. A `when
/// stale:` automation is a stalled-deal rule ([`stalled`]), not listed here.
pub fn workflows(model: &Model, stage: &Stage, stage_name: &str) -> Vec<Workflow> {
    let mut out: Vec<Workflow> = Vec::new();
    let mut push = |w: Workflow| {
        if !out.contains(&w) {
            out.push(w);
        }
    };
    for automation in &stage.automations {
        let trigger = match automation.trigger {
            Trigger::Entered => format!("a deal enters {}", text(stage_name)),
            Trigger::Exited => format!("a deal leaves {}", text(stage_name)),
            Trigger::Stale => continue,
        };
        let (delay, action) = action(model, &automation.action);
        push(Workflow {
            trigger,
            delay,
            action,
        });
    }
    for follow_up in &stage.follow_ups {
        push(Workflow {
            trigger: format!("a deal enters {}", text(stage_name)),
            delay: Some(follow_up.after),
            action: format!(
                "if the deal is still in {}, create a task \"{}\" for the deal owner",
                text(stage_name),
                text(&follow_up.text)
            ),
        });
    }
    out
}

/// What happens to a deal that stays in the stage longer than `stale_after:`, Markdown-escaped:
/// its `when stale:` actions, or a notification of the deal owner when it has none. `None`
/// when the stage does not say when a deal is stalled.
pub fn stalled(model: &Model, stage: &Stage) -> Option<(Duration, Vec<String>)> {
    let after = stage.stale_after?;
    let mut actions: Vec<String> = Vec::new();
    for automation in &stage.automations {
        if automation.trigger == Trigger::Stale {
            let (delay, what) = action(model, &automation.action);
            let what = match delay {
                Some(delay) => format!("after {} more, {what}", delay.human()),
                None => what,
            };
            if !actions.contains(&what) {
                actions.push(what);
            }
        }
    }
    if actions.is_empty() {
        actions.push("notify the deal owner".to_string());
    }
    Some((after, actions))
}

/// A `when stale:` automation of a stage that has no `stale_after:`: the CRM cannot know when
/// to run it.
pub fn stale_without_limit(stage: &Stage) -> bool {
    stage.stale_after.is_none()
        && stage
            .automations
            .iter()
            .any(|a| a.trigger == Trigger::Stale)
}

/// An action in words, Markdown-escaped, and its delay.
fn action(model: &Model, action: &Action) -> (Option<Duration>, String) {
    let role = |r: &Role| text(&r.label);
    match action {
        Action::Task {
            text: t,
            role: r,
            due,
        } => {
            let mut what = format!("create a task \"{}\"", text(t));
            match r {
                Some(r) => what.push_str(&format!(" for {}", role(model.role(*r)))),
                None => what.push_str(" for the deal owner"),
            }
            if let Some(due) = due {
                what.push_str(&format!(", due in {}", due.human()));
            }
            (None, what)
        }
        Action::Email { template, after } => (
            *after,
            format!("send the email template \"{}\"", text(template)),
        ),
        Action::Notify { role: r } => (
            None,
            format!("send an internal notification to {}", role(model.role(*r))),
        ),
    }
}

/// A condition in words, Markdown-escaped.
pub fn condition(model: &Model, expr: &crate::model::Expr) -> String {
    text(&english::condition(model, expr))
}

/// The table of exit criteria, stage by stage, then the items of every criteria they name,
/// each once.
pub fn exit_table(model: &Model, process: &Process, crm: Crm, out: &mut String) {
    let _ = writeln!(out, "| Stage | A deal moves on when |");
    let _ = writeln!(out, "|---|---|");
    for stage in &process.stages {
        if let Some(exit) = &stage.exit {
            let _ = writeln!(
                out,
                "| {} | {} |",
                text(stage_value(crm, stage)),
                condition(model, exit)
            );
        }
    }
    out.push('\n');
    for id in exit_criteria(model, process) {
        let _ = writeln!(
            out,
            "A deal meets {} when all of these hold:\n",
            text(&model.criteria(id).label)
        );
        for (name, condition) in english::criteria_items(model, id) {
            let _ = writeln!(out, "- {}: {}", text(&name), text(&condition));
        }
        out.push('\n');
    }
}

/// The process's workflows as table rows (trigger, delay, action), each once.
pub fn workflow_rows(model: &Model, process: &Process, crm: Crm) -> Vec<String> {
    let mut rows: Vec<String> = Vec::new();
    let mut seen: BTreeSet<Workflow> = BTreeSet::new();
    for stage in &process.stages {
        for workflow in workflows(model, stage, stage_value(crm, stage)) {
            if seen.contains(&workflow) {
                continue;
            }
            rows.push(format!(
                "| {} | {} | {} |",
                workflow.trigger,
                workflow.delay.map_or("none".to_string(), |d| d.human()),
                workflow.action
            ));
            seen.insert(workflow);
        }
    }
    rows
}

/// A table of workflow rows.
pub fn workflow_table(rows: &[String], out: &mut String) {
    let _ = writeln!(out, "| Trigger | Delay | Action |");
    let _ = writeln!(out, "|---|---|---|");
    for row in rows {
        let _ = writeln!(out, "{row}");
    }
    out.push('\n');
}

/// A field's name and type for a checklist: "Deal value (`amount`)".
pub fn field_names(model: &Model, crm: Crm, fields: &[FieldId]) -> String {
    if fields.is_empty() {
        return "none".to_string();
    }
    fields
        .iter()
        .map(|f| {
            let field = model.field(*f);
            format!(
                "{} ({})",
                text(&field.label),
                code(&crate::crm::field_name(crm, field))
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}
