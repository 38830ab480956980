//! Training playbooks for reps, built from the same file the CRM enforces so training never
//! drifts: `playbook-md` (GitHub-flavoured Markdown) and `playbook-html` (one self-contained
//! page that prints a stage per page).
//!
//! The model is turned once into a format-neutral [`Playbook`] outline whose sentences are
//! already in plain English; the two writers only lay it out and escape it.

mod html;
mod markdown;
mod picture;
mod scoring;
mod variant;

use crate::emit::scorings::Scorings;
use crate::emit::{english, EmitError, Emitted, Unit};
use crate::model::{
    Action, Automation, CriteriaId, Expr, FieldId, FieldType, Model, Process, ProcessId, RoleId,
    Stage, StageId, ToolId, Trigger,
};
use crate::value::{percent, plural};
use std::collections::BTreeSet;

/// The `playbook-md` backend.
pub fn emit_markdown(unit: &Unit<'_>) -> Result<Emitted, EmitError> {
    let scorings = Scorings::new(unit.model);
    let mut emitted = Emitted::default();
    for &process in &unit.processes {
        let text = markdown::render(&outline_with(unit.model, process, &scorings));
        let path = format!("{}.playbook.md", unit.model.process(process).id);
        emitted.files.push((path, text.into_bytes()));
    }
    Ok(emitted)
}

/// The `playbook-html` backend.
pub fn emit_html(unit: &Unit<'_>) -> Result<Emitted, EmitError> {
    let scorings = Scorings::new(unit.model);
    let mut emitted = Emitted::default();
    for &process in &unit.processes {
        let page = page_with(unit.model, process, &scorings);
        let path = format!("{}.playbook.html", unit.model.process(process).id);
        emitted.files.push((path, page.into_bytes()));
    }
    Ok(emitted)
}

/// The HTML playbook of a process, its map drawn as inline SVG by [`picture`]: the same bytes
/// on every machine, with or without Graphviz.
pub fn html_page(model: &Model, process: ProcessId) -> String {
    page_with(model, process, &Scorings::new(model))
}

fn page_with(model: &Model, process: ProcessId, scorings: &Scorings<'_>) -> String {
    html::render(
        &outline_with(model, process, scorings),
        &picture::svg(model, process),
    )
}

/// A link inside the playbook. Anchors are built from ids with a prefix per kind
/// (`stage-proposal`, `field-amount`), so they are stable and unique.
#[derive(Clone, Debug, PartialEq)]
pub struct Ref {
    pub label: String,
    pub anchor: String,
}

/// A tool's link. Only `http:`, `https:` and `mailto:` become links; anything else (such as
/// `javascript:`) is shown as text.
#[derive(Clone, Debug)]
pub struct Link {
    pub url: String,
    pub clickable: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StageKind {
    Open,
    Won,
    Lost,
}

impl StageKind {
    pub fn class(self) -> &'static str {
        match self {
            StageKind::Open => "open",
            StageKind::Won => "won",
            StageKind::Lost => "lost",
        }
    }
}

/// Everything a rep needs to know about one process.
#[derive(Clone, Debug)]
pub struct Playbook {
    pub title: String,
    /// Label and value pairs shown under the title (selling model, owner, stages).
    pub facts: Vec<(&'static str, String)>,
    pub description: Option<String>,
    pub segments: Vec<SegmentInfo>,
    pub variant: Option<variant::Variant>,
    pub mermaid: String,
    pub main_path: MainPath,
    pub stages: Vec<StageSection>,
    pub criteria: Vec<CriteriaSection>,
    pub fields: Vec<FieldEntry>,
    pub tools: Vec<ToolEntry>,
    pub roles: Vec<RoleEntry>,
    pub scorings: Vec<scoring::ScoringSection>,
}

impl Playbook {
    pub fn open_stages(&self) -> impl Iterator<Item = &StageSection> {
        self.stages.iter().filter(|s| s.kind == StageKind::Open)
    }

    /// The table of contents, as (anchor, title), in both formats' order.
    pub fn contents(&self) -> Vec<(&'static str, &'static str)> {
        let mut entries = vec![("who-it-is-for", "Who it is for")];
        if self.variant.is_some() {
            entries.push(("how-this-variant-differs", "How this variant differs"));
        }
        entries.extend([
            ("stages-at-a-glance", "Stages at a glance"),
            ("process-map", "Process map"),
            ("time-to-win", "Time to win"),
            ("stage-by-stage", "Stage by stage"),
        ]);
        if !self.criteria.is_empty() {
            entries.push(("qualification-criteria", "Qualification criteria"));
        }
        if !self.scorings.is_empty() {
            entries.push(("lead-scoring", "Lead scoring"));
        }
        entries.extend([
            ("glossary-of-fields", "Glossary of fields"),
            ("tools", "Tools"),
            ("roles", "Roles"),
        ]);
        entries
    }
}

#[derive(Clone, Debug)]
pub struct SegmentInfo {
    pub label: String,
    pub description: Option<String>,
    /// "Applies when Employees is at least 2,000."
    pub when: Option<String>,
}

/// The usual way through the process, for the "time to win" estimate.
#[derive(Clone, Debug)]
pub struct MainPath {
    pub stages: Vec<Ref>,
    /// What the main path is, then how long it takes.
    pub sentences: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct StageSection {
    pub number: usize,
    pub stage: Ref,
    pub kind: StageKind,
    pub owner: Option<String>,
    pub probability: Option<String>,
    pub forecast: &'static str,
    /// This and `stale_after` in days, so each column of the at-a-glance table has one unit.
    pub expected: Option<String>,
    pub stale_after: Option<String>,
    pub objective: Option<String>,
    pub description: Option<String>,
    pub activities: Vec<String>,
    pub tools: Vec<ToolUse>,
    pub capture: Vec<FieldUse>,
    /// Fields that earlier stages must already have filled in.
    pub known: Vec<Ref>,
    pub exit: Option<Exit>,
    /// How long the stage should take and when a deal counts as stalled.
    pub timing: Vec<String>,
    pub follow_ups: Vec<String>,
    pub automations: Vec<String>,
    /// Coaching text, one entry per line as written.
    pub guidance: Vec<String>,
    pub next: Vec<NextStep>,
    /// Said under the next steps when it applies (exit criteria do not gate losing).
    pub next_note: Option<String>,
}

impl StageSection {
    /// Closing stages need their data to close a deal into them, not to work in them.
    pub fn capture_heading(&self) -> &'static str {
        match self.kind {
            StageKind::Open => "What to capture",
            _ => "What to capture when closing here",
        }
    }
    pub fn known_heading(&self) -> &'static str {
        match self.kind {
            StageKind::Open => "What must already be known",
            _ => "What must already be known to close here",
        }
    }
}

#[derive(Clone, Debug)]
pub struct ToolUse {
    pub tool: Ref,
    pub link: Option<Link>,
}

#[derive(Clone, Debug)]
pub struct FieldUse {
    pub field: Ref,
    pub ty: &'static str,
    pub choices: Vec<String>,
}

/// Exit criteria: a criteria reference expands to its items; anything else is one sentence.
#[derive(Clone, Debug)]
pub struct Exit {
    pub criteria: Option<Ref>,
    pub lines: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct NextStep {
    pub stage: Ref,
    /// "back to an earlier stage", "closes the deal as lost", ...
    pub note: Option<&'static str>,
}

#[derive(Clone, Debug)]
pub struct CriteriaSection {
    pub criteria: Ref,
    /// (item name, condition in words)
    pub items: Vec<(String, String)>,
    pub used_in: Vec<Ref>,
}

#[derive(Clone, Debug)]
pub struct FieldEntry {
    pub field: Ref,
    pub ty: &'static str,
    pub choices: Vec<String>,
    pub description: Option<String>,
    pub captured_in: Vec<Ref>,
    /// Stages whose exit criteria test the field.
    pub checked_in: Vec<Ref>,
}

#[derive(Clone, Debug)]
pub struct ToolEntry {
    pub tool: Ref,
    pub kind: Option<String>,
    pub link: Option<Link>,
    pub description: Option<String>,
    pub used_in: Vec<Ref>,
}

#[derive(Clone, Debug)]
pub struct RoleEntry {
    pub role: Ref,
    pub owns: Vec<Ref>,
    /// Stages whose automations give this role a task or a notification.
    pub involved_in: Vec<Ref>,
}

/// Builds the outline of one process.
pub fn outline(model: &Model, id: ProcessId) -> Playbook {
    outline_with(model, id, &Scorings::new(model))
}

fn outline_with(model: &Model, id: ProcessId, scorings: &Scorings<'_>) -> Playbook {
    let process = model.process(id);
    let scorings = scorings.for_process(process);
    let used = Used::collect(model, process, &scorings);
    Playbook {
        title: process.label.clone(),
        facts: facts(process),
        description: process.description.clone(),
        segments: process
            .segments
            .iter()
            .map(|&s| {
                let segment = model.segment(s);
                SegmentInfo {
                    label: segment.label.clone(),
                    description: segment.description.clone(),
                    when: segment
                        .when
                        .as_ref()
                        .map(|e| format!("Applies when {}.", english::condition(model, e))),
                }
            })
            .collect(),
        variant: process
            .base
            .map(|base| variant::compare(model, model.process(base), process)),
        mermaid: crate::emit::mermaid::flowchart(model, process),
        main_path: main_path(process),
        stages: process
            .stage_ids()
            .map(|s| stage_section(model, process, s))
            .collect(),
        criteria: used
            .criteria
            .iter()
            .map(|&c| criteria_section(model, process, &used, c))
            .collect(),
        fields: used
            .fields
            .iter()
            .map(|&f| field_entry(model, process, &used, f))
            .collect(),
        tools: used
            .tools
            .iter()
            .map(|&t| tool_entry(model, process, t))
            .collect(),
        roles: used
            .roles
            .iter()
            .map(|&r| role_entry(model, process, r))
            .collect(),
        scorings: scorings
            .iter()
            .map(|s| scoring::section(model, s))
            .collect(),
    }
}

fn facts(process: &Process) -> Vec<(&'static str, String)> {
    let mut facts = Vec::new();
    if let Some(m) = process.model {
        facts.push(("Selling model", m.label().to_string()));
    }
    if let Some(owner) = &process.owner {
        facts.push(("Process owner", owner.clone()));
    }
    let open = process.stages.iter().filter(|s| s.is_open()).count();
    facts.push((
        "Stages",
        format!(
            "{} open, then {}",
            open,
            plural(process.stages.len() - open, "closing stage")
        ),
    ));
    facts
}

/// The declarations a process uses, in the model's order (ids are indices, so sets of ids
/// iterate in declaration order).
struct Used {
    fields: BTreeSet<FieldId>,
    criteria: BTreeSet<CriteriaId>,
    tools: BTreeSet<ToolId>,
    roles: BTreeSet<RoleId>,
    /// Per stage, what its exit criteria use: the criteria and the fields they test.
    exits: Vec<ExitUse>,
}

#[derive(Default)]
struct ExitUse {
    criteria: BTreeSet<CriteriaId>,
    fields: BTreeSet<FieldId>,
}

impl Used {
    fn collect(model: &Model, process: &Process, scorings: &[&crate::model::Scoring]) -> Used {
        let mut used = Used {
            fields: BTreeSet::new(),
            criteria: BTreeSet::new(),
            tools: BTreeSet::new(),
            roles: BTreeSet::new(),
            exits: process
                .stages
                .iter()
                .map(|s| {
                    let mut exit = ExitUse::default();
                    if let Some(e) = &s.exit {
                        exit.criteria = e.criteria_used(model);
                        e.visit_fields(model, &mut |f, _, _| {
                            exit.fields.insert(f);
                        });
                    }
                    exit
                })
                .collect(),
        };
        let segment_conditions = process
            .segments
            .iter()
            .filter_map(|&s| model.segment(s).when.as_ref());
        let exits = process.stages.iter().filter_map(|s| s.exit.as_ref());
        let scoring_rules = scorings.iter().flat_map(|s| &s.rules).map(|r| &r.when);
        for expr in segment_conditions.chain(exits).chain(scoring_rules) {
            used.add_expr(model, expr);
        }
        for stage in &process.stages {
            used.fields.extend(&stage.requires);
            used.tools.extend(&stage.tools);
            used.roles.extend(stage.owner);
            used.roles
                .extend(stage.automations.iter().filter_map(automation_role));
        }
        used
    }

    fn add_expr(&mut self, model: &Model, expr: &Expr) {
        expr.visit_fields(model, &mut |field, _, _| {
            self.fields.insert(field);
        });
        self.criteria.extend(expr.criteria_used(model));
    }
}

fn automation_role(automation: &Automation) -> Option<RoleId> {
    match automation.action {
        Action::Task { role, .. } => role,
        Action::Notify { role } => Some(role),
        Action::Email { .. } => None,
    }
}

pub fn stage_ref(process: &Process, id: StageId) -> Ref {
    let stage = process.stage(id);
    Ref {
        label: stage.label.clone(),
        anchor: anchor("stage", &stage.id),
    }
}

fn field_ref(model: &Model, id: FieldId) -> Ref {
    let field = model.field(id);
    Ref {
        label: field.label.clone(),
        anchor: anchor("field", &field.id),
    }
}

fn tool_ref(model: &Model, id: ToolId) -> Ref {
    let tool = model.tool(id);
    Ref {
        label: tool.label.clone(),
        anchor: anchor("tool", &tool.id),
    }
}

/// `stage-needs_assessment`. Ids are already `[a-z][a-z0-9_]*`; anything else is dropped so
/// an anchor can never carry markup.
fn anchor(kind: &str, id: &str) -> String {
    let safe: String = id
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
        .collect();
    format!("{kind}-{safe}")
}

fn stage_kind(stage: &Stage) -> StageKind {
    if stage.is_won() {
        StageKind::Won
    } else if stage.is_lost() {
        StageKind::Lost
    } else {
        StageKind::Open
    }
}

/// How people name a field type.
pub fn type_name(ty: &FieldType) -> &'static str {
    match ty {
        FieldType::Text => "text",
        FieldType::Number => "number",
        FieldType::Currency => "currency amount",
        FieldType::Percent => "percentage",
        FieldType::Date => "date",
        FieldType::Bool => "yes / no",
        FieldType::Choice(_) => "one of a list",
    }
}

fn choices(ty: &FieldType) -> Vec<String> {
    match ty {
        FieldType::Choice(values) => values.clone(),
        _ => Vec::new(),
    }
}

fn stage_section(model: &Model, process: &Process, id: StageId) -> StageSection {
    let stage = process.stage(id);
    let next = next_steps(process, id);
    let next_note = next_note(stage, &next);
    StageSection {
        number: id.0 + 1,
        stage: stage_ref(process, id),
        kind: stage_kind(stage),
        owner: stage.owner.map(|r| model.role(r).label.clone()),
        probability: stage.probability.map(percent),
        forecast: stage.forecast.label(),
        expected: stage.expected.map(|d| d.human_days()),
        stale_after: stage.stale_after.map(|d| d.human_days()),
        objective: stage.objective.clone(),
        description: stage.description.clone(),
        activities: stage.activities.clone(),
        tools: stage
            .tools
            .iter()
            .map(|&t| ToolUse {
                tool: tool_ref(model, t),
                link: model.tool(t).link.as_deref().map(link),
            })
            .collect(),
        capture: stage
            .requires
            .iter()
            .map(|&f| FieldUse {
                field: field_ref(model, f),
                ty: type_name(&model.field(f).ty),
                choices: choices(&model.field(f).ty),
            })
            .collect(),
        known: stage
            .required_here
            .iter()
            .filter(|f| !stage.requires.contains(f))
            .map(|&f| field_ref(model, f))
            .collect(),
        exit: stage.exit.as_ref().map(|e| exit(model, e)),
        timing: timing(stage),
        follow_ups: stage
            .follow_ups
            .iter()
            .map(|f| format!("{} (after {})", f.text, f.after.human()))
            .collect(),
        automations: stage
            .automations
            .iter()
            .map(|a| automation(model, a))
            .collect(),
        guidance: stage
            .guidance
            .as_deref()
            .map(|g| g.lines().map(str::to_string).collect())
            .unwrap_or_default(),
        next,
        next_note,
    }
}

fn link(url: &str) -> Link {
    let lower = url.trim().to_ascii_lowercase();
    let safe_scheme = ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme));
    Link {
        url: url.to_string(),
        clickable: safe_scheme && !url.chars().any(char::is_control),
    }
}

fn exit(model: &Model, expr: &Expr) -> Exit {
    match expr {
        Expr::Criteria { criteria, .. } => Exit {
            criteria: Some(criteria_ref(model, *criteria)),
            lines: english::criteria_items(model, *criteria)
                .into_iter()
                .map(|(name, text)| format!("{name}: {text}"))
                .collect(),
        },
        _ => Exit {
            criteria: None,
            lines: vec![english::condition(model, expr)],
        },
    }
}

fn criteria_ref(model: &Model, id: CriteriaId) -> Ref {
    let criteria = model.criteria(id);
    Ref {
        label: criteria.label.clone(),
        anchor: anchor("criteria", &criteria.id),
    }
}

fn timing(stage: &Stage) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(expected) = stage.expected {
        lines.push(format!(
            "A deal should spend about {} in this stage.",
            expected.human()
        ));
    }
    if let Some(stale) = stage.stale_after {
        lines.push(format!(
            "A deal still here after {} counts as stalled.",
            stale.human()
        ));
    }
    lines
}

fn automation(model: &Model, automation: &Automation) -> String {
    let when = match automation.trigger {
        Trigger::Entered => "When a deal enters this stage",
        Trigger::Exited => "When a deal leaves this stage",
        Trigger::Stale => "When a deal stalls in this stage",
    };
    let what = match &automation.action {
        Action::Task { text, role, due } => {
            let mut what = format!("a task “{text}” is created");
            if let Some(role) = role {
                what.push_str(&format!(" for the {}", model.role(*role).label));
            }
            if let Some(due) = due {
                what.push_str(&format!(", due within {}", due.human()));
            }
            what
        }
        Action::Email { template, after } => match after {
            Some(after) => format!("the email “{template}” is sent {} later", after.human()),
            None => format!("the email “{template}” is sent"),
        },
        Action::Notify { role } => format!("the {} is notified", model.role(*role).label),
    };
    format!("{when}, {what}.")
}

fn next_steps(process: &Process, from: StageId) -> Vec<NextStep> {
    let mut seen = BTreeSet::new();
    process
        .stage(from)
        .next_ids()
        .filter(|to| seen.insert(*to))
        .map(|to| {
            let target = process.stage(to);
            let note = if target.is_lost() {
                Some("closes the deal as lost")
            } else if target.is_won() {
                Some("closes the deal as won")
            } else if to.0 < from.0 {
                Some("back to an earlier stage")
            } else {
                None
            };
            NextStep {
                stage: stage_ref(process, to),
                note,
            }
        })
        .collect()
}

fn next_note(stage: &Stage, next: &[NextStep]) -> Option<String> {
    let can_lose = next
        .iter()
        .any(|n| n.note == Some("closes the deal as lost"));
    match (stage.exit.is_some(), can_lose) {
        (true, true) => Some(
            "Moving forward needs the exit criteria above; a deal can be closed as lost at any time."
                .into(),
        ),
        (true, false) => Some("Moving forward needs the exit criteria above.".into()),
        (false, true) => Some("A deal can be closed as lost at any time.".into()),
        (false, false) => None,
    }
}

/// The main path starts at the entry stage and, at each stage, takes the first move listed
/// that goes forward and not to a lost stage, until it reaches a won stage. Forward moves only,
/// so it always ends.
fn main_path_ids(process: &Process) -> Vec<StageId> {
    let mut path = Vec::new();
    let mut current = process.stage_ids().next();
    while let Some(id) = current {
        path.push(id);
        let stage = process.stage(id);
        if !stage.is_open() {
            break;
        }
        current = stage
            .next_ids()
            .find(|to| to.0 > id.0 && !process.stage(*to).is_lost());
    }
    path
}

fn main_path(process: &Process) -> MainPath {
    let ids = main_path_ids(process);
    let definition = "The main path starts at the first stage and, at each stage, takes the first \
                      move listed that goes forward and not to a lost stage, until a deal is won."
        .to_string();
    let reaches_win = ids.last().is_some_and(|&id| process.stage(id).is_won());
    let open: Vec<&Stage> = ids
        .iter()
        .map(|&id| process.stage(id))
        .filter(|s| s.is_open())
        .collect();
    let hours: u64 = open
        .iter()
        .filter_map(|s| s.expected)
        .map(|d| d.hours)
        .sum();
    let missing: Vec<&str> = open
        .iter()
        .filter(|s| s.expected.is_none())
        .map(|s| s.label.as_str())
        .collect();
    let mut sentences = vec![definition];
    if !reaches_win {
        sentences.push("This path does not reach a won stage, so there is no estimate.".into());
    } else if hours == 0 {
        sentences.push("No stage on it gives an expected time, so there is no estimate.".into());
    } else {
        sentences.push(format!(
            "From the first stage to a win takes {} along it.",
            about(hours)
        ));
        if !missing.is_empty() {
            sentences.push(format!(
                "This leaves out {}, which {} no expected time.",
                missing.join(", "),
                if missing.len() == 1 { "has" } else { "have" }
            ));
        }
    }
    MainPath {
        stages: ids.iter().map(|&id| stage_ref(process, id)).collect(),
        sentences,
    }
}

/// "about 46 days"; less than a day stays in hours.
fn about(hours: u64) -> String {
    if hours < 24 {
        return format!("about {}", plural(hours as usize, "hour"));
    }
    let days = (hours + 12) / 24;
    format!("about {}", plural(days as usize, "day"))
}

fn criteria_section(
    model: &Model,
    process: &Process,
    used: &Used,
    id: CriteriaId,
) -> CriteriaSection {
    CriteriaSection {
        criteria: criteria_ref(model, id),
        items: english::criteria_items(model, id),
        used_in: stages_where(process, |s, _| used.exits[s.0].criteria.contains(&id)),
    }
}

fn field_entry(model: &Model, process: &Process, used: &Used, id: FieldId) -> FieldEntry {
    let field = model.field(id);
    FieldEntry {
        field: field_ref(model, id),
        ty: type_name(&field.ty),
        choices: choices(&field.ty),
        description: field.description.clone(),
        captured_in: stages_where(process, |_, s| s.requires.contains(&id)),
        checked_in: stages_where(process, |s, _| used.exits[s.0].fields.contains(&id)),
    }
}

fn tool_entry(model: &Model, process: &Process, id: ToolId) -> ToolEntry {
    let tool = model.tool(id);
    ToolEntry {
        tool: tool_ref(model, id),
        kind: tool.kind.as_deref().map(crate::model::label_from_id),
        link: tool.link.as_deref().map(link),
        description: tool.description.clone(),
        used_in: stages_where(process, |_, s| s.tools.contains(&id)),
    }
}

fn role_entry(model: &Model, process: &Process, id: RoleId) -> RoleEntry {
    let role = model.role(id);
    RoleEntry {
        role: Ref {
            label: role.label.clone(),
            anchor: anchor("role", &role.id),
        },
        owns: stages_where(process, |_, s| s.owner == Some(id)),
        involved_in: stages_where(process, |_, s| {
            s.owner != Some(id) && s.automations.iter().any(|a| automation_role(a) == Some(id))
        }),
    }
}

fn stages_where(process: &Process, test: impl Fn(StageId, &Stage) -> bool) -> Vec<Ref> {
    process
        .stage_ids()
        .filter(|&s| test(s, process.stage(s)))
        .map(|s| stage_ref(process, s))
        .collect()
}
