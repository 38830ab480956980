//! `--emit pipedrive`: per process, `<process>.pipedrive.json`: the pipeline and stage bodies
//! of Pipedrive's API v2 (`POST /api/v2/pipelines`, then `POST /api/v2/stages` with the new
//! pipeline's id), and the deal fields with the stages and statuses that require them.
//! Won and lost are deal statuses in Pipedrive, not stages, so only open stages are listed.

use super::{crm, EmitError, Emitted, Project};
use crate::crm::{field_name, rounding, stage_value, stored, written, Crm};
use crate::diag::Diagnostic;
use crate::model::{FieldId, FieldType, Model, Outcome, Process, ProcessId, Stage};
use serde::Serialize;

pub fn emit(model: &Model, id: ProcessId) -> Result<Emitted, EmitError> {
    let process = model.process(id);
    let mut emitted = Emitted::default();
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
    let mut json = serde_json::to_string_pretty(&config).expect("the configuration serialises");
    json.push('\n');
    emitted
        .files
        .push((format!("{}.pipedrive.json", process.id), json.into_bytes()));
    Ok(emitted)
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
    deal_probability: u32,
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
struct FieldOption {
    label: String,
}

/// The probabilities Pipedrive must round, over the whole build.
pub fn findings(project: &Project<'_>) -> Vec<Diagnostic> {
    rounding(project, Crm::Pipedrive)
}

/// An open stage without a probability (already a `missing-probability` warning) gets 0%,
/// since Pipedrive needs a number.
fn pipeline_stage(stage: &Stage) -> PipelineStage {
    PipelineStage {
        name: stage_value(Crm::Pipedrive, stage).to_string(),
        deal_probability: stored(Crm::Pipedrive, written(stage).unwrap_or(0.0)) as u32,
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
fn field_type(ty: &FieldType) -> (&'static str, Option<Vec<FieldOption>>) {
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
