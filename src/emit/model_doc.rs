//! The resolved model as data (`--emit json`, `--emit yaml`): every process of the build with
//! defaults applied and every transition explicit (LANGUAGE.md section 8), plus the
//! declarations they use. `docs/model.schema.json` describes the shape; JSON and YAML carry
//! the same data because both serialise the one view below.

use super::{english, source_text, EmitError, Emitted, Project};
use crate::diag::Diagnostic;
use crate::model::{
    Action, Automation, Criteria, Duration, Expr, Field, FieldType, Model, Process, ProcessId,
    Role, Scoring, Segment, Stage, Tool,
};
use crate::rule::Rule;
use crate::source::Loc;
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

/// Bumped when a key changes meaning or disappears (adding keys keeps the version).
pub const FORMAT_VERSION: u32 = 1;

/// `--emit json`: `model.json`.
pub fn emit_json(project: &Project<'_>) -> Result<Emitted, EmitError> {
    let document = document(project)?;
    let mut text = serde_json::to_string_pretty(&document).expect("the model view serialises");
    text.push('\n');
    Ok(Emitted::file("model.json", text))
}

/// `--emit yaml`: `model.yaml`, the same data as `model.json`.
pub fn emit_yaml(project: &Project<'_>) -> Result<Emitted, EmitError> {
    let document = document(project)?;
    let text = serde_yaml::to_string(&document).expect("the model view serialises");
    Ok(Emitted::file("model.yaml", text))
}

#[derive(Serialize)]
struct Document {
    format_version: u32,
    processes: Vec<ProcessView>,
    fields: Vec<FieldView>,
    tools: Vec<ToolView>,
    roles: Vec<RoleView>,
    segments: Vec<SegmentView>,
    criteria: Vec<CriteriaView>,
    scorings: Vec<ScoringView>,
}

#[derive(Serialize, PartialEq)]
struct ProcessView {
    id: String,
    label: String,
    model: Option<&'static str>,
    owner: Option<String>,
    description: Option<String>,
    segments: Vec<String>,
    extends: Option<String>,
    stages: Vec<StageView>,
}

#[derive(Serialize, PartialEq)]
struct StageView {
    id: String,
    label: String,
    owner: Option<String>,
    probability: Option<Number>,
    forecast: &'static str,
    outcome: Option<&'static str>,
    objective: Option<String>,
    description: Option<String>,
    expected_days: Option<Number>,
    stale_after_days: Option<Number>,
    activities: Vec<String>,
    tools: Vec<String>,
    requires: Vec<String>,
    required_here: Vec<String>,
    exit: Option<Condition>,
    follow_ups: Vec<FollowUpView>,
    automations: Vec<AutomationView>,
    guidance: Option<String>,
    next: Vec<String>,
}

/// A condition both as written and in plain English.
#[derive(Serialize, PartialEq)]
struct Condition {
    source: String,
    english: String,
}

#[derive(Serialize, PartialEq)]
struct FollowUpView {
    text: String,
    after_days: Number,
}

#[derive(Serialize, PartialEq)]
struct AutomationView {
    trigger: &'static str,
    action: ActionView,
}

#[derive(Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum ActionView {
    Task {
        text: String,
        role: Option<String>,
        due_days: Option<Number>,
    },
    Email {
        template: String,
        after_days: Option<Number>,
    },
    Notify {
        role: String,
    },
}

#[derive(Serialize, PartialEq)]
struct FieldView {
    id: String,
    label: String,
    #[serde(rename = "type")]
    ty: &'static str,
    choices: Option<Vec<String>>,
    description: Option<String>,
    crm: CrmNamesView,
}

/// The field's name in each CRM, defaults applied (LANGUAGE.md section 9).
#[derive(Serialize, PartialEq)]
struct CrmNamesView {
    salesforce: String,
    hubspot: String,
    pipedrive: String,
}

#[derive(Serialize, PartialEq)]
struct ToolView {
    id: String,
    label: String,
    kind: Option<String>,
    link: Option<String>,
    description: Option<String>,
}

#[derive(Serialize, PartialEq)]
struct RoleView {
    id: String,
    label: String,
}

#[derive(Serialize, PartialEq)]
struct SegmentView {
    id: String,
    label: String,
    description: Option<String>,
    when: Option<Condition>,
}

#[derive(Serialize, PartialEq)]
struct CriteriaView {
    id: String,
    label: String,
    items: Vec<CriterionView>,
}

#[derive(Serialize, PartialEq)]
struct CriterionView {
    name: String,
    condition: Condition,
}

#[derive(Serialize, PartialEq)]
struct ScoringView {
    id: String,
    label: String,
    rules: Vec<ScoreRuleView>,
    threshold: Number,
}

#[derive(Serialize, PartialEq)]
struct ScoreRuleView {
    points: Number,
    when: Condition,
}

/// A number written without a needless `.0` (`30`, `12.5`), so JSON and YAML read the same.
#[derive(Clone, Copy, PartialEq)]
struct Number(f64);

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let n = self.0;
        if n.fract() == 0.0 && n.abs() < 9.0e15 {
            serializer.serialize_i64(n as i64)
        } else {
            serializer.serialize_f64(n)
        }
    }
}

fn days(duration: Duration) -> Number {
    Number(duration.days())
}

fn document(project: &Project<'_>) -> Result<Document, EmitError> {
    let mut doc = Document {
        format_version: FORMAT_VERSION,
        processes: Vec::new(),
        fields: Vec::new(),
        tools: Vec::new(),
        roles: Vec::new(),
        segments: Vec::new(),
        criteria: Vec::new(),
        scorings: Vec::new(),
    };
    let mut seen = Seen::default();
    for unit in &project.units {
        let model = unit.model;
        let at = |loc: Loc| Origin {
            loc,
            file: unit.sources.get(loc.file).name.clone(),
        };
        for &id in &unit.processes {
            let loc = model.process(id).loc;
            seen.add(
                &mut doc.processes,
                process_view(model, id),
                "process",
                at(loc),
            );
        }
        for f in &model.fields {
            seen.add(&mut doc.fields, field_view(f), "field", at(f.loc));
        }
        for t in &model.tools {
            seen.add(&mut doc.tools, tool_view(t), "tool", at(t.loc));
        }
        for r in &model.roles {
            seen.add(&mut doc.roles, role_view(r), "role", at(r.loc));
        }
        for s in &model.segments {
            seen.add(
                &mut doc.segments,
                segment_view(model, s),
                "segment",
                at(s.loc),
            );
        }
        for c in &model.criteria {
            seen.add(
                &mut doc.criteria,
                criteria_view(model, c),
                "criteria",
                at(c.loc),
            );
        }
        for s in &model.scorings {
            seen.add(
                &mut doc.scorings,
                scoring_view(model, s),
                "scoring",
                at(s.loc),
            );
        }
    }
    if seen.conflicts.is_empty() {
        Ok(doc)
    } else {
        Err(EmitError::Diagnostics(seen.conflicts))
    }
}

/// Where a declaration was read from.
struct Origin {
    loc: Loc,
    file: String,
}

/// Every view has an id, the key of its list.
trait Keyed: PartialEq {
    fn key(&self) -> &str;
}

macro_rules! keyed {
    ($($view:ty),*) => {$(
        impl Keyed for $view {
            fn key(&self) -> &str {
                &self.id
            }
        }
    )*};
}
keyed!(
    ProcessView,
    FieldView,
    ToolView,
    RoleView,
    SegmentView,
    CriteriaView,
    ScoringView
);

/// The files of one build share one list per kind of declaration: the same declaration seen
/// again (an import shared by two files) is listed once, and two different ones with one id
/// cannot both be described, so they are an error.
#[derive(Default)]
struct Seen {
    /// Where each listed declaration came from, by kind and id (looked up, never iterated).
    origins: BTreeMap<(&'static str, String), Origin>,
    conflicts: Vec<Diagnostic>,
}

impl Seen {
    fn add<V: Keyed>(&mut self, list: &mut Vec<V>, view: V, kind: &'static str, origin: Origin) {
        let Some(listed) = list.iter().find(|v| v.key() == view.key()) else {
            self.origins.insert((kind, view.key().to_string()), origin);
            list.push(view);
            return;
        };
        if *listed == view {
            return;
        }
        // Reported at the first declaration: its unit comes first in the build, so the
        // report reads the right source text.
        let first = &self.origins[&(kind, view.key().to_string())];
        let message = format!(
            "{kind} `{}` is declared differently in `{}`",
            view.key(),
            origin.file
        );
        self.conflicts.push(
            Diagnostic::new(Rule::DuplicateDefinition, first.loc, message)
                .label(format!("also declared in `{}`", origin.file))
                .help("the model lists each name once: rename one of them, or build the files separately"),
        );
    }
}

fn process_view(model: &Model, id: ProcessId) -> ProcessView {
    let process: &Process = model.process(id);
    ProcessView {
        id: process.id.clone(),
        label: process.label.clone(),
        model: process.model.map(|m| m.as_str()),
        owner: process.owner.clone(),
        description: process.description.clone(),
        segments: process
            .segments
            .iter()
            .map(|s| model.segment(*s).id.clone())
            .collect(),
        extends: process.base.map(|b| model.process(b).id.clone()),
        stages: process
            .stages
            .iter()
            .map(|s| stage_view(model, process, s))
            .collect(),
    }
}

fn stage_view(model: &Model, process: &Process, stage: &Stage) -> StageView {
    let field_ids = |ids: &[crate::model::FieldId]| -> Vec<String> {
        ids.iter().map(|f| model.field(*f).id.clone()).collect()
    };
    StageView {
        id: stage.id.clone(),
        label: stage.label.clone(),
        owner: stage.owner.map(|r| model.role(r).id.clone()),
        probability: stage.probability.map(Number),
        forecast: stage.forecast.as_str(),
        outcome: stage.outcome.map(|o| o.as_str()),
        objective: stage.objective.clone(),
        description: stage.description.clone(),
        expected_days: stage.expected.map(days),
        stale_after_days: stage.stale_after.map(days),
        activities: stage.activities.clone(),
        tools: stage
            .tools
            .iter()
            .map(|t| model.tool(*t).id.clone())
            .collect(),
        requires: field_ids(&stage.requires),
        required_here: field_ids(&stage.required_here),
        exit: stage.exit.as_ref().map(|e| condition(model, e)),
        follow_ups: stage
            .follow_ups
            .iter()
            .map(|f| FollowUpView {
                text: f.text.clone(),
                after_days: days(f.after),
            })
            .collect(),
        automations: stage
            .automations
            .iter()
            .map(|a| automation_view(model, a))
            .collect(),
        guidance: stage.guidance.clone(),
        next: stage
            .next_ids()
            .map(|s| process.stage(s).id.clone())
            .collect(),
    }
}

fn automation_view(model: &Model, automation: &Automation) -> AutomationView {
    let action = match &automation.action {
        Action::Task { text, role, due } => ActionView::Task {
            text: text.clone(),
            role: role.map(|r| model.role(r).id.clone()),
            due_days: due.map(days),
        },
        Action::Email { template, after } => ActionView::Email {
            template: template.clone(),
            after_days: after.map(days),
        },
        Action::Notify { role } => ActionView::Notify {
            role: model.role(*role).id.clone(),
        },
    };
    AutomationView {
        trigger: automation.trigger.as_str(),
        action,
    }
}

fn condition(model: &Model, expr: &Expr) -> Condition {
    Condition {
        source: source_text::expr_source(model, expr),
        english: english::condition(model, expr),
    }
}

fn field_view(field: &Field) -> FieldView {
    FieldView {
        id: field.id.clone(),
        label: field.label.clone(),
        ty: field.ty.name(),
        choices: match &field.ty {
            FieldType::Choice(choices) => Some(choices.clone()),
            _ => None,
        },
        description: field.description.clone(),
        crm: CrmNamesView {
            salesforce: field.salesforce_name(),
            hubspot: field.hubspot_name().to_string(),
            pipedrive: field.pipedrive_name().to_string(),
        },
    }
}

fn tool_view(tool: &Tool) -> ToolView {
    ToolView {
        id: tool.id.clone(),
        label: tool.label.clone(),
        kind: tool.kind.clone(),
        link: tool.link.clone(),
        description: tool.description.clone(),
    }
}

fn role_view(role: &Role) -> RoleView {
    RoleView {
        id: role.id.clone(),
        label: role.label.clone(),
    }
}

fn segment_view(model: &Model, segment: &Segment) -> SegmentView {
    SegmentView {
        id: segment.id.clone(),
        label: segment.label.clone(),
        description: segment.description.clone(),
        when: segment.when.as_ref().map(|e| condition(model, e)),
    }
}

fn criteria_view(model: &Model, criteria: &Criteria) -> CriteriaView {
    CriteriaView {
        id: criteria.id.clone(),
        label: criteria.label.clone(),
        items: criteria
            .items
            .iter()
            .map(|item| CriterionView {
                name: item.name.clone(),
                condition: condition(model, &item.expr),
            })
            .collect(),
    }
}

fn scoring_view(model: &Model, scoring: &Scoring) -> ScoringView {
    ScoringView {
        id: scoring.id.clone(),
        label: scoring.label.clone(),
        rules: scoring
            .rules
            .iter()
            .map(|rule| ScoreRuleView {
                points: Number(rule.points),
                when: condition(model, &rule.when),
            })
            .collect(),
        threshold: Number(scoring.threshold),
    }
}
