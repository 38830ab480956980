//! `--emit pipedrive`: per process, three files. `<process>.pipedrive.json` holds the
//! pipeline and stage bodies of Pipedrive's API v2 (`POST /api/v2/pipelines`, then
//! `POST /api/v2/stages` with the new pipeline's id), and the deal fields with the stages and
//! statuses that require them. `<process>.pipedrive.fields.json` is the list of
//! `POST /v1/dealFields` bodies creating the custom deal fields, and `<process>.pipedrive.md`
//! the checklist of the import and of what the API cannot set.
//! Won and lost are deal statuses in Pipedrive, not stages, so only open stages are listed.
//! Deal fields belong to the account, not a pipeline: each is created by the file of the
//! first process of the build that uses it.

mod checklist;

use super::crm::FieldPlan;
use super::{crm, EmitError, Emitted, Project, Unit};
use crate::crm::{field_name, rounding, stage_value, stored, written, Crm};
use crate::diag::Diagnostic;
use crate::model::{FieldId, FieldType, Model, Outcome, Process, ProcessId, Stage};
use serde::Serialize;

/// Writes the files of every process of the unit.
pub fn emit(unit: &Unit<'_>) -> Result<Emitted, EmitError> {
    let plan = FieldPlan::new(Crm::Pipedrive, unit.model, &unit.processes);
    let mut emitted = Emitted::default();
    for (id, created) in &plan.created {
        emitted
            .files
            .extend(process_files(unit.model, *id, created, &plan));
    }
    Ok(emitted)
}

fn json<T: Serialize>(body: &T) -> Vec<u8> {
    let mut text = serde_json::to_string_pretty(body).expect("the request body serialises");
    text.push('\n');
    text.into_bytes()
}

fn process_files(
    model: &Model,
    id: ProcessId,
    created: &[FieldId],
    plan: &FieldPlan,
) -> [(String, Vec<u8>); 3] {
    let process = model.process(id);
    let config = Config {
        pipeline: Pipeline {
            name: process.label.clone(),
            is_deal_probability_enabled: true,
        },
        stages: process
            .stages
            .iter()
            .filter(|s| s.is_open())
            .map(pipeline_stage)
            .collect(),
        deal_fields: crm::required_fields(process)
            .into_iter()
            .map(|f| deal_field(model, process, f))
            .collect(),
    };
    let fields: Vec<NewDealField> = created
        .iter()
        .map(|f| new_deal_field(model.field(*f)))
        .collect();
    [
        (format!("{}.pipedrive.json", process.id), json(&config)),
        (
            format!("{}.pipedrive.fields.json", process.id),
            json(&fields),
        ),
        (
            format!("{}.pipedrive.md", process.id),
            checklist::checklist(model, process, plan).into_bytes(),
        ),
    ]
}

/// The body of `POST /v1/dealFields`. Pipedrive gives the field its key (a hash) itself.
#[derive(Serialize)]
struct NewDealField {
    name: String,
    field_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    options: Option<Vec<FieldOption>>,
}

fn new_deal_field(field: &crate::model::Field) -> NewDealField {
    let (field_type, options) = field_type(&field.ty);
    NewDealField {
        name: field.label.clone(),
        field_type,
        options,
    }
}

#[derive(Serialize)]
struct Config {
    pipeline: Pipeline,
    stages: Vec<PipelineStage>,
    deal_fields: Vec<DealField>,
}

/// The body of addPipeline.
#[derive(Serialize)]
struct Pipeline {
    name: String,
    is_deal_probability_enabled: bool,
}

/// The body of addStage, without `pipeline_id`, which exists only once the pipeline does.
#[derive(Serialize)]
struct PipelineStage {
    name: String,
    /// Left out for an open stage without a probability: Pipedrive then keeps its default,
    /// which the checklist asks to set, rather than a 0% that reads as lost.
    #[serde(skip_serializing_if = "Option::is_none")]
    deal_probability: Option<u32>,
    is_deal_rot_enabled: bool,
    /// Left out when rotting is off: the API takes an integer or nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    days_to_rotten: Option<u64>,
}

#[derive(Serialize)]
struct DealField {
    key: String,
    name: String,
    field_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    options: Option<Vec<FieldOption>>,
    /// Stages a deal cannot be in without the field (its `required_here`).
    required_in_stages: Vec<String>,
    /// Stages where reps capture the field (its `requires:`).
    important_in_stages: Vec<String>,
    /// `won` and/or `lost`: closing a deal with that status needs the field.
    required_for_statuses: Vec<&'static str>,
}

#[derive(Serialize)]
pub(crate) struct FieldOption {
    pub label: String,
}

/// The probabilities Pipedrive must round, over the whole build.
pub fn findings(project: &Project<'_>) -> Vec<Diagnostic> {
    rounding(project, Crm::Pipedrive)
}

/// An open stage without a probability (already a `missing-probability` warning) gets none.
fn pipeline_stage(stage: &Stage) -> PipelineStage {
    PipelineStage {
        name: stage_value(Crm::Pipedrive, stage).to_string(),
        deal_probability: written(stage).map(|p| stored(Crm::Pipedrive, p) as u32),
        is_deal_rot_enabled: stage.stale_after.is_some(),
        days_to_rotten: stage.stale_after.map(|d| d.hours.div_ceil(24)),
    }
}

fn deal_field(model: &Model, process: &Process, id: FieldId) -> DealField {
    let field = model.field(id);
    let (field_type, options) = field_type(&field.ty);
    let open_stages = || process.stages.iter().filter(|s| s.is_open());
    let names = |keep: &dyn Fn(&Stage) -> bool| -> Vec<String> {
        open_stages()
            .filter(|s| keep(s))
            .map(|s| stage_value(Crm::Pipedrive, s).to_string())
            .collect()
    };
    let closes_into = |outcome: Outcome| {
        process
            .stages
            .iter()
            .any(|s| s.outcome == Some(outcome) && s.required_here.contains(&id))
    };
    DealField {
        key: field_name(Crm::Pipedrive, field),
        name: field.label.clone(),
        field_type,
        options,
        required_in_stages: names(&|s| s.required_here.contains(&id)),
        important_in_stages: names(&|s| s.requires.contains(&id)),
        required_for_statuses: [Outcome::Won, Outcome::Lost]
            .into_iter()
            .filter(|o| closes_into(*o))
            .map(Outcome::as_str)
            .collect(),
    }
}

/// Pipedrive's field type, with the options of an enum. Pipedrive has no yes/no or percent
/// type: a bool is an enum of Yes and No, a percent a plain number.
pub(crate) fn field_type(ty: &FieldType) -> (&'static str, Option<Vec<FieldOption>>) {
    let options = |labels: &[&str]| {
        labels
            .iter()
            .map(|l| FieldOption {
                label: l.to_string(),
            })
            .collect()
    };
    match ty {
        FieldType::Text => ("varchar", None),
        FieldType::Number | FieldType::Percent => ("double", None),
        FieldType::Currency => ("monetary", None),
        FieldType::Date => ("date", None),
        FieldType::Bool => ("enum", Some(options(&["Yes", "No"]))),
        FieldType::Choice(choices) => {
            let labels: Vec<&str> = choices.iter().map(String::as_str).collect();
            ("enum", Some(options(&labels)))
        }
    }
}
