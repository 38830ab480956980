//! `<process>.hubspot.md`: what HubSpot's APIs cannot set, to set by hand, in the order an
//! admin works through it. Every name from the process file is Markdown-escaped.

use super::properties::{property_type, GROUP};
use super::{Scores, StageProbability};
use crate::crm::{field_name, stage_value, written, Crm};
use crate::emit::crm::{self, FieldPlan};
use crate::emit::markdown::{code, text};
use crate::model::{format_number, FieldId, FieldType, Model, Process, Scoring};
use std::fmt::Write as _;

pub(super) fn checklist(
    model: &Model,
    process: &Process,
    stages: &[StageProbability],
    plan: &FieldPlan,
    scores: Scores<'_>,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# HubSpot setup: {}\n", text(&process.label));
    let _ = writeln!(
        out,
        "Import the files first, in this order (`docs/crm/hubspot.md` has the commands): \
         {} creates the deal properties (`POST /crm/v3/properties/deals/batch/create`), then \
         {} the deal pipeline and its stages (`POST /crm/v3/pipelines/deals`). HubSpot's API \
         cannot set what follows: set it by hand in HubSpot.\n",
        code(&format!("{}.hubspot.properties.json", process.id)),
        code(&format!("{}.hubspot.json", process.id))
    );
    properties_section(model, process, plan, scores, &mut out);
    stages_section(model, process, &mut out);
    exit_section(model, process, &mut out);
    automations_section(model, process, &mut out);
    stalled_section(model, process, &mut out);
    scores_section(model, scores, &mut out);
    notes_section(process, stages, &mut out);
    out
}

/// Deal properties the process uses: those a file of the build creates, then the existing
/// ones it maps onto.
fn properties_section(
    model: &Model,
    process: &Process,
    plan: &FieldPlan,
    scores: Scores<'_>,
    out: &mut String,
) {
    let _ = writeln!(out, "## Deal properties to create\n");
    let used = crm::used_fields(model, process, matches!(scores, Scores::Here));
    let (custom, existing) = crm::created_and_existing(Crm::HubSpot, model, &used);
    if custom.is_empty() {
        let _ = writeln!(
            out,
            "None: every field this process uses is an existing HubSpot property.\n"
        );
    } else {
        let _ = writeln!(
            out,
            "The properties file creates these in the group {} (Settings › Properties › \
             *Deal properties*); a property another process also uses is created by the file \
             of the first process built, named in the last column.\n",
            code(GROUP)
        );
        let headers = ["Label", "Internal name", "Field type", "Options"];
        plan.table(
            model,
            &custom,
            "hubspot.properties.json",
            &headers,
            |field| {
                let options: Vec<String> = match &field.ty {
                    FieldType::Choice(choices) => choices.iter().map(|c| text(c)).collect(),
                    _ => Vec::new(),
                };
                let ty = property_type(&field.ty);
                vec![
                    text(&field.label),
                    code(&field_name(Crm::HubSpot, field)),
                    format!("{} (`{}`/`{}`)", ty.settings, ty.ty, ty.field_type),
                    options.join("<br>"),
                ]
            },
            out,
        );
    }
    if !existing.is_empty() {
        let _ = writeln!(
            out,
            "Existing HubSpot properties the process uses (not created): {}.\n",
            property_list(model, &existing)
        );
    }
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
    crm::field_names(model, Crm::HubSpot, fields)
}

/// The exit criteria: HubSpot cannot hold a deal back on a condition, so reps and managers
/// check them; the criteria they name are listed once, below the table.
fn exit_section(model: &Model, process: &Process, out: &mut String) {
    if process.stages.iter().all(|s| s.exit.is_none()) {
        return;
    }
    let _ = writeln!(out, "## Exit criteria\n");
    let _ = writeln!(
        out,
        "HubSpot cannot stop a deal from moving on while a condition does not hold. Put each \
         stage's criteria in the stage's description for reps, and build a report or a \
         workflow that flags deals that moved on without them.\n"
    );
    crm::exit_table(model, process, Crm::HubSpot, out);
}

/// `when entered:`, `when exited:` and follow-ups, as deal-based workflows.
fn automations_section(model: &Model, process: &Process, out: &mut String) {
    let rows = crm::workflow_rows(model, process, Crm::HubSpot);
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Automations\n");
    let _ = writeln!(
        out,
        "In Automation › Workflows, create one deal-based workflow per row: enrol deals of \
         this pipeline when the trigger happens (a deal enters a stage: *Deal stage is any of* \
         the stage; leaves it: *Deal stage is none of* the stage, enrolling only deals that \
         were in it), add the delay, then the action.\n"
    );
    crm::workflow_table(&rows, out);
}

/// Stages with `stale_after:`: HubSpot does not mark deals as stalled by itself.
fn stalled_section(model: &Model, process: &Process, out: &mut String) {
    let stalled: Vec<_> = process
        .stages
        .iter()
        .filter_map(|s| crm::stalled(model, s).map(|st| (s, st)))
        .collect();
    let unlimited: Vec<_> = process
        .stages
        .iter()
        .filter(|s| crm::stale_without_limit(s))
        .collect();
    if stalled.is_empty() && unlimited.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Stalled deals\n");
    if !stalled.is_empty() {
        let _ = writeln!(
            out,
            "HubSpot does not mark a deal as stalled. For each row, create a deal-based \
             workflow: enrol deals when *Deal stage is any of* the stage, delay by the time \
             given, then branch on *Deal stage is any of* the stage again and, when it still \
             is, take the actions.\n"
        );
        let _ = writeln!(out, "| Stage | Stalled after | Actions |");
        let _ = writeln!(out, "|---|---|---|");
        for (stage, (after, actions)) in stalled {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                text(stage_value(Crm::HubSpot, stage)),
                after.human(),
                actions.join("; ")
            );
        }
        out.push('\n');
    }
    for stage in unlimited {
        let _ = writeln!(
            out,
            "- {} has `when stale:` actions but no `stale_after:`: give it one in the process \
             file to know when to run them.",
            text(stage_value(Crm::HubSpot, stage))
        );
    }
    if !out.ends_with("\n\n") {
        out.push('\n');
    }
}

/// Scorings become score properties on contacts, set up by hand in HubSpot.
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
        "A lead score belongs to the contact. In Settings › Properties, choose *Contact \
         properties* and create a property of field type *Score* labelled {} (internal name \
         {}), with these criteria; the fields are deal properties, so add them as *Deal \
         properties* criteria (a contact scores when an associated deal matches):\n",
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
            format_number(rule.points),
            crm::condition(model, &rule.when)
        );
    }
    let _ = writeln!(
        out,
        "\nThreshold: a contact with {} points or more qualifies. Use \
         \"{} is greater than or equal to {}\" as the filter of a list or workflow.\n",
        format_number(scoring.threshold),
        text(&scoring.label),
        format_number(scoring.threshold)
    );
}

/// Where the pipeline differs from the file: rounded or estimated probabilities.
fn notes_section(process: &Process, stages: &[StageProbability], out: &mut String) {
    let mut notes = Vec::new();
    for (stage, p) in process.stages.iter().zip(stages) {
        if p.estimated {
            notes.push(format!(
                "- {} has no probability in the process file. HubSpot needs one, and 0% would \
                 read as closed lost, so it was created with {}, between its neighbours' \
                 probabilities: set the right one in the pipeline settings.",
                text(stage_value(Crm::HubSpot, stage)),
                crate::value::percent(p.percent())
            ));
        } else if p.rounded {
            notes.push(format!(
                "- {} is {} in the process file; HubSpot takes steps of 10%, so it was \
                 created with {}.",
                text(stage_value(Crm::HubSpot, stage)),
                crate::value::percent(written(stage).unwrap_or(0.0)),
                crate::value::percent(p.percent())
            ));
        }
    }
    if !notes.is_empty() {
        let _ = writeln!(out, "## Probabilities to review\n\n{}\n", notes.join("\n"));
    }
}
