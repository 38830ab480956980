//! The resolved model as data (`--emit json`, `--emit yaml`): the processes of one independent
//! unit of the build (a named file with what it imports) with defaults applied and every
//! transition explicit (LANGUAGE.md section 8), plus the declarations they can use. A build of
//! several units writes one document per unit, each in its unit's folder, since one name may
//! mean different things in two units. `docs/model.schema.json` describes the shape; JSON and
//! YAML carry the same data because both serialise the one view below.

use super::{condition_tree, english, source_text, EmitError, Emitted, Unit};
use crate::crm::{field_name, stage_value, stored, written, Crm};
use crate::model::{
    Action, Automation, Criteria, Duration, Expr, Field, FieldType, Model, Process, ProcessId,
    Role, Scoring, Segment, Stage, Tool,
};
use serde::{Serialize, Serializer};

/// Bumped when a key changes meaning or disappears (adding keys keeps the version).
pub const FORMAT_VERSION: u32 = 1;

/// `--emit json`: `model.json`.
pub fn emit_json(unit: &Unit<'_>) -> Result<Emitted, EmitError> {
    let document = document(unit);
    let mut text = serde_json::to_string_pretty(&document).expect("the model view serialises");
    text.push('\n');
    Ok(Emitted::file("model.json", text))
}

/// `--emit yaml`: `model.yaml`, the same data as `model.json`.
pub fn emit_yaml(unit: &Unit<'_>) -> Result<Emitted, EmitError> {
    let document = document(unit);
    let value = serde_json::to_value(&document).expect("the model view serialises");
    let text = super::yaml::to_string(&value);
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

#[derive(Serialize)]
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

#[derive(Serialize)]
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
    crm: StageCrmView,
}

/// The stage as each CRM holds it (from `crate::crm`, like every CRM output).
#[derive(Serialize)]
struct StageCrmView {
    salesforce: SalesforceStageView,
    hubspot: CrmStageView<Option<String>>,
    pipedrive: CrmStageView<Option<Number>>,
}

#[derive(Serialize)]
struct SalesforceStageView {
    stage: String,
    /// A whole percent.
    probability: Option<Number>,
    forecast_category: &'static str,
}

/// The stage's value and its probability as the CRM stores it (HubSpot: "0.0" to "1.0").
#[derive(Serialize)]
struct CrmStageView<P> {
    stage: String,
    probability: P,
}

/// A condition as written, in plain English, and as a tree for programs.
#[derive(Serialize)]
struct Condition {
    source: String,
    english: String,
    tree: condition_tree::Tree,
}

#[derive(Serialize)]
struct FollowUpView {
    text: String,
    after_days: Number,
}

#[derive(Serialize)]
struct AutomationView {
    trigger: &'static str,
    action: ActionView,
}

#[derive(Serialize)]
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

#[derive(Serialize)]
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
#[derive(Serialize)]
struct CrmNamesView {
    salesforce: String,
    hubspot: String,
    pipedrive: String,
}

#[derive(Serialize)]
struct ToolView {
    id: String,
    label: String,
    kind: Option<String>,
    link: Option<String>,
    description: Option<String>,
}

#[derive(Serialize)]
struct RoleView {
    id: String,
    label: String,
}

#[derive(Serialize)]
struct SegmentView {
    id: String,
    label: String,
    description: Option<String>,
    when: Option<Condition>,
}

#[derive(Serialize)]
struct CriteriaView {
    id: String,
    label: String,
    items: Vec<CriterionView>,
}

#[derive(Serialize)]
struct CriterionView {
    name: String,
    condition: Condition,
}

#[derive(Serialize)]
struct ScoringView {
    id: String,
    label: String,
    rules: Vec<ScoreRuleView>,
    threshold: Number,
}

#[derive(Serialize)]
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

fn document(unit: &Unit<'_>) -> Document {
    let model = unit.model;
    Document {
        format_version: FORMAT_VERSION,
        processes: unit
            .processes
            .iter()
            .map(|&id| process_view(model, id))
            .collect(),
        fields: model.fields.iter().map(field_view).collect(),
        tools: model.tools.iter().map(tool_view).collect(),
        roles: model.roles.iter().map(role_view).collect(),
        segments: model
            .segments
            .iter()
            .map(|s| segment_view(model, s))
            .collect(),
        criteria: model
            .criteria
            .iter()
            .map(|c| criteria_view(model, c))
            .collect(),
        scorings: model
            .scorings
            .iter()
            .map(|s| scoring_view(model, s))
            .collect(),
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
        crm: stage_crm_view(stage),
    }
}

fn stage_crm_view(stage: &Stage) -> StageCrmView {
    let stored = |crm: Crm| written(stage).map(|p| stored(crm, p));
    StageCrmView {
        salesforce: SalesforceStageView {
            stage: stage_value(Crm::Salesforce, stage).to_string(),
            probability: stored(Crm::Salesforce).map(Number),
            forecast_category: stage.forecast.salesforce(),
        },
        hubspot: CrmStageView {
            stage: stage_value(Crm::HubSpot, stage).to_string(),
            probability: stored(Crm::HubSpot).map(|p| format!("{:.1}", p / 100.0)),
        },
        pipedrive: CrmStageView {
            stage: stage_value(Crm::Pipedrive, stage).to_string(),
            probability: stored(Crm::Pipedrive).map(Number),
        },
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
        tree: condition_tree::tree(model, expr),
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
            salesforce: field_name(Crm::Salesforce, field),
            hubspot: field_name(Crm::HubSpot, field),
            pipedrive: field_name(Crm::Pipedrive, field),
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
