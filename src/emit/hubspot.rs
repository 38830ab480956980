//! `--emit hubspot`: per process, `<process>.hubspot.json`, the body of a HubSpot CRM
//! Pipelines API request that creates the deal pipeline (`POST /crm/v3/pipelines/deals`), and
//! `<process>.hubspot.md`, a checklist of what the API cannot set: the properties to create,
//! the properties each stage requires, and the score properties. A score property is one per
//! portal, not per pipeline: the scorings are listed once, in the checklist of the first
//! process built, and the others point there (so the checklists grow with the processes, not
//! with their square).

use super::markdown::{code, text};
use super::{crm, english, EmitError, Emitted, Project, Unit};
use crate::crm::{field_name, rounding, stage_value, stored, written, Crm};
use crate::diag::Diagnostic;
use crate::model::{FieldId, FieldType, Model, Process, ProcessId, Scoring, Stage};
use serde::Serialize;
use std::fmt::Write as _;

/// Writes both files of every process of the unit.
pub fn emit(unit: &Unit<'_>) -> Result<Emitted, EmitError> {
    let mut emitted = Emitted::default();
    let first = unit
        .processes
        .first()
        .map(|p| unit.model.process(*p).id.as_str());
    for (i, &id) in unit.processes.iter().enumerate() {
        let scores = match first {
            Some(_) if i == 0 => Scores::Here,
            Some(first) => Scores::In(first),
            None => Scores::Here,
        };
        emitted.files.extend(process_files(unit.model, id, scores));
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

fn process_files(model: &Model, id: ProcessId, scores: Scores<'_>) -> [(String, Vec<u8>); 2] {
    let process = model.process(id);
    let stages: Vec<StageProbability> = process.stages.iter().map(probability).collect();
    let pipeline = pipeline(process, &stages);
    let mut json = serde_json::to_string_pretty(&pipeline).expect("the pipeline serialises");
    json.push('\n');
    let checklist = checklist(model, process, &stages, scores);
    [
        (format!("{}.hubspot.json", process.id), json.into_bytes()),
        (format!("{}.hubspot.md", process.id), checklist.into_bytes()),
    ]
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
    /// True for an open stage that has no probability in the file.
    missing: bool,
}

/// An open stage without a probability (already a `missing-probability` warning) gets 0%,
/// since HubSpot needs one; the checklist asks to set it.
fn probability(stage: &Stage) -> StageProbability {
    let percent = written(stage).unwrap_or(0.0);
    let stored = stored(Crm::HubSpot, percent);
    StageProbability {
        tenths: (stored / 10.0) as u32,
        rounded: (stored - percent).abs() > 1e-9,
        missing: stage.is_open() && stage.probability.is_none(),
    }
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

fn checklist(
    model: &Model,
    process: &Process,
    stages: &[StageProbability],
    scores: Scores<'_>,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# HubSpot setup: {}\n", text(&process.label));
    let _ = writeln!(
        out,
        "{} creates the deal pipeline and its stages (CRM Pipelines API, \
         `POST /crm/v3/pipelines/deals`). HubSpot's API cannot set what follows: set it by hand \
         in HubSpot's settings.\n",
        code(&format!("{}.hubspot.json", process.id))
    );
    properties_section(model, process, scores, &mut out);
    stages_section(model, process, &mut out);
    scores_section(model, scores, &mut out);
    notes_section(process, stages, &mut out);
    out
}

/// Deal properties the process uses that do not name an existing HubSpot property.
fn properties_section(model: &Model, process: &Process, scores: Scores<'_>, out: &mut String) {
    let _ = writeln!(out, "## Deal properties to create\n");
    let custom: Vec<FieldId> = used_fields(model, process, scores)
        .into_iter()
        .filter(|f| model.field(*f).crm.hubspot.is_none())
        .collect();
    if custom.is_empty() {
        let _ = writeln!(
            out,
            "None: every field this process uses names an existing HubSpot property.\n"
        );
        return;
    }
    let _ = writeln!(
        out,
        "In Settings › Properties, choose *Deal properties* and create each property below \
         with this internal name. Fields that name an existing property (`hubspot:` in the \
         process file) are not listed.\n"
    );
    let _ = writeln!(out, "| Label | Internal name | Field type | Options |");
    let _ = writeln!(out, "|---|---|---|---|");
    for id in custom {
        let field = model.field(id);
        let options = match &field.ty {
            FieldType::Choice(choices) => choices.iter().map(|c| text(c)).collect::<Vec<_>>(),
            _ => Vec::new(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            text(&field.label),
            code(&field_name(Crm::HubSpot, field)),
            field_type(&field.ty),
            options.join("<br>")
        );
    }
    out.push('\n');
}

/// HubSpot's field type for a field type, as its settings name it, with the API's
/// `type`/`fieldType`.
fn field_type(ty: &FieldType) -> &'static str {
    match ty {
        FieldType::Text => "Single-line text (`string`/`text`)",
        FieldType::Number => "Number (`number`/`number`)",
        FieldType::Currency => "Number, formatted as currency (`number`/`number`)",
        FieldType::Percent => "Number, formatted as percentage (`number`/`number`)",
        FieldType::Date => "Date picker (`date`/`date`)",
        FieldType::Bool => "Single checkbox (`bool`/`booleancheckbox`)",
        FieldType::Choice(_) => "Dropdown select (`enumeration`/`select`)",
    }
}

/// Fields the process refers to: stage requirements, exit conditions, its segments' rules,
/// and the score conditions when the checklist describes them.
fn used_fields(model: &Model, process: &Process, scores: Scores<'_>) -> Vec<FieldId> {
    let mut fields = crm::required_fields(process);
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
    if let Scores::Here = scores {
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

fn stages_section(model: &Model, process: &Process, out: &mut String) {
    let _ = writeln!(out, "## Required properties per stage\n");
    let _ = writeln!(
        out,
        "In Settings › Objects › Deals › Pipelines, choose the pipeline and edit each stage's \
         conditional stage properties: add the properties of *Required to enter* and make them \
         required, so a deal cannot move into the stage without them. *Captured here* is what \
         reps fill in during the stage; the stages a deal reaches only through it require it.\n"
    );
    let _ = writeln!(out, "| Stage | Required to enter | Captured here |");
    let _ = writeln!(out, "|---|---|---|");
    for stage in &process.stages {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            text(stage_value(Crm::HubSpot, stage)),
            property_list(model, &stage.required_here),
            property_list(model, &stage.requires)
        );
    }
    out.push('\n');
}

fn property_list(model: &Model, fields: &[FieldId]) -> String {
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
                code(&field_name(Crm::HubSpot, field))
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Scorings become score properties, set up by hand in HubSpot.
fn scores_section(model: &Model, scores: Scores<'_>, out: &mut String) {
    match scores {
        Scores::Here => {
            for scoring in &model.scorings {
                score(model, scoring, out);
            }
        }
        Scores::In(first) if !model.scorings.is_empty() => {
            let _ = writeln!(
                out,
                "## Scores\n\nHubSpot has one set of score properties for every pipeline: \
                 they are listed in {}.\n",
                code(&format!("{first}.hubspot.md"))
            );
        }
        Scores::In(_) => {}
    }
}

fn score(model: &Model, scoring: &Scoring, out: &mut String) {
    let _ = writeln!(out, "## Score: {}\n", text(&scoring.label));
    let _ = writeln!(
        out,
        "In Settings › Properties, create a property of field type *Score* labelled {} \
         (internal name {}), with these criteria:\n",
        text(&scoring.label),
        code(&scoring.id)
    );
    let _ = writeln!(out, "| Points | When |");
    let _ = writeln!(out, "|---|---|");
    for rule in &scoring.rules {
        let sign = if rule.points >= 0.0 { "+" } else { "" };
        let _ = writeln!(
            out,
            "| {sign}{} | {} |",
            crate::model::format_number(rule.points),
            text(&english::condition(model, &rule.when))
        );
    }
    let _ = writeln!(
        out,
        "\nThreshold: a record with {} points or more qualifies. Use \
         \"{} is greater than or equal to {}\" as the filter of a list or workflow.\n",
        crate::model::format_number(scoring.threshold),
        text(&scoring.label),
        crate::model::format_number(scoring.threshold)
    );
}

/// Where the pipeline differs from the file: rounded or missing probabilities.
fn notes_section(process: &Process, stages: &[StageProbability], out: &mut String) {
    let mut notes = Vec::new();
    for (stage, p) in process.stages.iter().zip(stages) {
        if p.missing {
            notes.push(format!(
                "- {} has no probability in the process file, so it was created with 0%: \
                 set it in the pipeline settings.",
                text(stage_value(Crm::HubSpot, stage))
            ));
        } else if p.rounded {
            notes.push(format!(
                "- {} is {} in the process file; HubSpot takes steps of 10%, so it was \
                 created with {}.",
                text(stage_value(Crm::HubSpot, stage)),
                crate::value::percent(written(stage).unwrap_or(0.0)),
                crate::value::percent(f64::from(p.tenths * 10))
            ));
        }
    }
    if !notes.is_empty() {
        let _ = writeln!(out, "## Probabilities to review\n\n{}\n", notes.join("\n"));
    }
}
