//! `--emit hubspot`: per process, three files. `<process>.hubspot.json` is the body of a
//! HubSpot CRM Pipelines API request that creates the deal pipeline
//! (`POST /crm/v3/pipelines/deals`); `<process>.hubspot.properties.json` the body of
//! `POST /crm/v3/properties/deals/batch/create` with the deal properties to create; and
//! `<process>.hubspot.md` a checklist of what the API cannot set. Properties and score
//! properties are one per portal, not per pipeline: each is created by the file of the first
//! process of the build that uses it, and the checklists of the others point there (so the
//! output grows with the processes, not with their square).

mod checklist;
mod properties;

use super::crm::FieldPlan;
use super::{EmitError, Emitted, Project, Unit};
use crate::crm::{estimated, rounding, stage_value, stored, written, Crm};
use crate::diag::Diagnostic;
use crate::model::{Model, Process, ProcessId};
use serde::Serialize;

/// HubSpot's lowest and highest probability of an open stage, in percent: "0.0" and "1.0"
/// mean closed lost and closed won to people reading the pipeline.
const OPEN_MIN: f64 = 10.0;
const OPEN_MAX: f64 = 90.0;

/// Writes the files of every process of the unit.
pub fn emit(unit: &Unit<'_>) -> Result<Emitted, EmitError> {
    let mut emitted = Emitted::default();
    let plan = FieldPlan::new(Crm::HubSpot, unit.model, &unit.processes);
    let first = unit
        .processes
        .first()
        .map(|p| unit.model.process(*p).id.as_str());
    for (i, (id, created)) in plan.created.iter().enumerate() {
        let scores = match first {
            Some(first) if i > 0 => Scores::In(first),
            _ => Scores::Here,
        };
        emitted
            .files
            .extend(process_files(unit.model, *id, created, &plan, scores));
    }
    Ok(emitted)
}

/// Where a checklist finds the scorings.
#[derive(Clone, Copy)]
enum Scores<'a> {
    Here,
    /// In the checklist of this process.
    In(&'a str),
}

fn process_files(
    model: &Model,
    id: ProcessId,
    created: &[crate::model::FieldId],
    plan: &FieldPlan,
    scores: Scores<'_>,
) -> [(String, Vec<u8>); 3] {
    let process = model.process(id);
    let stages = probabilities(process);
    let checklist = checklist::checklist(model, process, &stages, plan, scores);
    [
        (
            format!("{}.hubspot.json", process.id),
            json(&pipeline(process, &stages)),
        ),
        (
            format!("{}.hubspot.properties.json", process.id),
            json(&properties::batch(model, created)),
        ),
        (format!("{}.hubspot.md", process.id), checklist.into_bytes()),
    ]
}

/// A request body as a JSON file.
fn json<T: Serialize>(body: &T) -> Vec<u8> {
    let mut text = serde_json::to_string_pretty(body).expect("the request body serialises");
    text.push('\n');
    text.into_bytes()
}

/// The probabilities HubSpot must round, over the whole build.
pub fn findings(project: &Project<'_>) -> Vec<Diagnostic> {
    rounding(project, Crm::HubSpot)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Pipeline {
    label: String,
    display_order: u32,
    stages: Vec<PipelineStage>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PipelineStage {
    label: String,
    display_order: usize,
    metadata: StageMetadata,
}

/// HubSpot's stage metadata: every value is a string.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StageMetadata {
    probability: String,
    is_closed: &'static str,
}

/// What HubSpot stores for one stage's probability, in tenths (0..=10).
struct StageProbability {
    tenths: u32,
    /// Set when HubSpot cannot store the written probability exactly.
    rounded: bool,
    /// Set for an open stage without a probability in the file: HubSpot needs one, so the
    /// pipeline gets an estimate (see [`estimated`]) the checklist asks to review.
    estimated: bool,
}

impl StageProbability {
    fn percent(&self) -> f64 {
        f64::from(self.tenths * 10)
    }
}

/// An open stage without a probability (already a `missing-probability` warning) gets the
/// estimate from its neighbours, between 10% and 90%: never "0.0", which reads as closed
/// lost, nor "1.0", which reads as closed won.
fn probabilities(process: &Process) -> Vec<StageProbability> {
    process
        .stages
        .iter()
        .enumerate()
        .map(|(i, stage)| match written(stage) {
            Some(percent) => {
                let stored = stored(Crm::HubSpot, percent);
                StageProbability {
                    tenths: (stored / 10.0) as u32,
                    rounded: (stored - percent).abs() > 1e-9,
                    estimated: false,
                }
            }
            None => {
                let guess =
                    stored(Crm::HubSpot, estimated(&process.stages, i)).clamp(OPEN_MIN, OPEN_MAX);
                StageProbability {
                    tenths: (guess / 10.0) as u32,
                    rounded: false,
                    estimated: true,
                }
            }
        })
        .collect()
}

fn pipeline(process: &Process, stages: &[StageProbability]) -> Pipeline {
    Pipeline {
        label: process.label.clone(),
        display_order: 0,
        stages: process
            .stages
            .iter()
            .zip(stages)
            .enumerate()
            .map(|(i, (stage, p))| PipelineStage {
                label: stage_value(Crm::HubSpot, stage).to_string(),
                display_order: i,
                metadata: StageMetadata {
                    probability: format!("{}.{}", p.tenths / 10, p.tenths % 10),
                    is_closed: if stage.is_open() { "false" } else { "true" },
                },
            })
            .collect(),
    }
}
