//! `<process>.pipedrive.md`: how to import the files, and what Pipedrive's API cannot set,
//! to set by hand. Every name from the process file is Markdown-escaped.

use super::field_type;
use crate::crm::{field_name, stage_value, Crm};
use crate::emit::crm::{self, FieldPlan};
use crate::emit::markdown::{code, text};
use crate::model::{FieldId, FieldType, Model, Outcome, Process};
use std::fmt::Write as _;

pub(super) fn checklist(model: &Model, process: &Process, plan: &FieldPlan) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Pipedrive setup: {}\n", text(&process.label));
    import_section(process, &mut out);
    let used = crm::used_fields(model, process, false);
    fields_section(model, &used, plan, &mut out);
    required_section(model, process, &mut out);
    exit_section(model, process, &mut out);
    automations_section(model, process, &mut out);
    lost_reasons_section(model, process, &used, &mut out);
    notes_section(process, &mut out);
    out
}

fn import_section(process: &Process, out: &mut String) {
    let id = &process.id;
    let _ = writeln!(out, "## Import\n");
    let _ = writeln!(
        out,
        "Create the pipeline, then its stages (they need the new pipeline's id), then the deal \
         fields. Pipedrive makes won and lost deal statuses, not stages, so only the open \
         stages are created. With an API token (Personal preferences › API) and your \
         company's subdomain (`docs/crm/pipedrive.md` says more):\n"
    );
    let _ = writeln!(
        out,
        "```sh\n\
         export PIPEDRIVE_API_TOKEN=...   PIPEDRIVE_DOMAIN=yourcompany\n\
         api=\"https://$PIPEDRIVE_DOMAIN.pipedrive.com/api\"\n\
         post() {{ curl -sf -X POST \"$api/$1\" -H \"x-api-token: $PIPEDRIVE_API_TOKEN\" \\\n\
         \x20 -H 'Content-Type: application/json' --data @-; }}\n\
         pipeline=$(jq '.pipeline' {id}.pipedrive.json | post v2/pipelines | jq '.data.id')\n\
         jq -c '.stages[]' {id}.pipedrive.json | while read -r stage; do\n\
         \x20 echo \"$stage\" | jq --argjson id \"$pipeline\" '. + {{pipeline_id: $id}}' | post v2/stages\n\
         done\n\
         jq -c '.[]' {id}.pipedrive.fields.json | while read -r field; do\n\
         \x20 echo \"$field\" | post v1/dealFields\n\
         done\n\
         ```\n"
    );
}

/// Deal fields the process uses: those a file of the build creates, then the standard
/// fields it maps onto.
fn fields_section(model: &Model, used: &[FieldId], plan: &FieldPlan, out: &mut String) {
    let (custom, existing) = crm::created_and_existing(Crm::Pipedrive, model, used);
    let _ = writeln!(out, "## Deal fields\n");
    if custom.is_empty() {
        let _ = writeln!(
            out,
            "None to create: every field this process uses is an existing Pipedrive field.\n"
        );
    } else {
        let _ = writeln!(
            out,
            "Pipedrive gives each new field a key of its own (a long hash): after the import, \
             look it up in Settings › Data fields to use the field in the API. A field \
             another process also uses is created by the file of the first process built, \
             named in the last column; create it once only, since Pipedrive accepts two \
             fields of one name.\n"
        );
        let headers = ["Name", "Field type", "Options"];
        plan.table(
            model,
            &custom,
            "pipedrive.fields.json",
            &headers,
            |field| {
                let (ty, options) = field_type(&field.ty);
                let options: Vec<String> = options
                    .unwrap_or_default()
                    .iter()
                    .map(|o| text(&o.label))
                    .collect();
                vec![text(&field.label), code(ty), options.join("<br>")]
            },
            out,
        );
    }
    if !existing.is_empty() {
        let _ = writeln!(
            out,
            "Existing Pipedrive fields the process uses (not created): {}.\n",
            crm::field_names(model, Crm::Pipedrive, &existing)
        );
    }
}

fn required_section(model: &Model, process: &Process, out: &mut String) {
    let _ = writeln!(out, "## Required fields per stage\n");
    let _ = writeln!(
        out,
        "In Settings › Data fields › Deal, edit each field of *Required to enter* and make it \
         required in those stages of this pipeline (and mark the fields of *Captured here* as \
         important in their stage), so a deal cannot move into a stage without them. The won \
         and lost rows are the fields to require when a deal is marked won or lost.\n"
    );
    let _ = writeln!(out, "| Stage | Required to enter | Captured here |");
    let _ = writeln!(out, "|---|---|---|");
    let names = |fields: &[FieldId]| crm::field_names(model, Crm::Pipedrive, fields);
    for stage in &process.stages {
        let name = match stage.outcome {
            None => text(stage_value(Crm::Pipedrive, stage)),
            Some(Outcome::Won) => format!("won ({})", text(&stage.label)),
            Some(Outcome::Lost) => format!("lost ({})", text(&stage.label)),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            name,
            names(&stage.required_here),
            names(&stage.requires)
        );
    }
    out.push('\n');
}

fn exit_section(model: &Model, process: &Process, out: &mut String) {
    if process.stages.iter().all(|s| s.exit.is_none()) {
        return;
    }
    let _ = writeln!(out, "## Exit criteria\n");
    let _ = writeln!(
        out,
        "Pipedrive cannot stop a deal from moving on while a condition does not hold. Put \
         each stage's criteria in the pipeline's stage descriptions or a deal checklist for \
         reps, and review deals that moved on without them.\n"
    );
    crm::exit_table(model, process, Crm::Pipedrive, out);
}

/// `when entered:`, `when exited:`, follow-ups and stalled deals, as Pipedrive automations.
fn automations_section(model: &Model, process: &Process, out: &mut String) {
    let rows = crm::workflow_rows(model, process, Crm::Pipedrive);
    let stalled: Vec<_> = process
        .stages
        .iter()
        .filter(|s| s.is_open())
        .filter_map(|s| crm::stalled(model, s).map(|st| (s, st)))
        .collect();
    if rows.is_empty() && stalled.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Automations\n");
    if !rows.is_empty() {
        let _ = writeln!(
            out,
            "In Automations, create one automation per row: the trigger *Deal updated* with \
             the condition *Stage* is the stage (entering it) or *Stage* was the stage \
             (leaving it), a delay step when there is one, then the action (a task becomes an \
             activity).\n"
        );
        crm::workflow_table(&rows, out);
    }
    if !stalled.is_empty() {
        let _ = writeln!(
            out,
            "Stalled deals: the stages' rotting (`days_to_rotten`) is set by the import, so \
             Pipedrive shows these deals as rotten. Take these actions on them, by hand or \
             with an automation:\n"
        );
        let _ = writeln!(out, "| Stage | Rotten after | Actions |");
        let _ = writeln!(out, "|---|---|---|");
        for (stage, (after, actions)) in stalled {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                text(stage_value(Crm::Pipedrive, stage)),
                after.human(),
                actions.join("; ")
            );
        }
        out.push('\n');
    }
}

/// Pipedrive closes a deal as lost with a reason: several lost stages, or a choice field
/// mapped onto `lost_reason`, become its predefined lost reasons.
fn lost_reasons_section(model: &Model, process: &Process, used: &[FieldId], out: &mut String) {
    let mut reasons: Vec<String> = Vec::new();
    let lost: Vec<_> = process.stages.iter().filter(|s| s.is_lost()).collect();
    if lost.len() > 1 {
        // Several lost stages are one lost status with a reason each.
        reasons.extend(
            lost.iter()
                .map(|s| stage_value(Crm::Pipedrive, s).to_string()),
        );
    }
    // A choice a deal needs to close as lost is its reason, whatever the field is called.
    let asked_when_lost = |id: FieldId| lost.iter().any(|s| s.required_here.contains(&id));
    for &id in used {
        let field = model.field(id);
        if let FieldType::Choice(choices) = &field.ty {
            if field_name(Crm::Pipedrive, field) == "lost_reason" || asked_when_lost(id) {
                reasons.extend(choices.iter().cloned());
            }
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    reasons.retain(|r| seen.insert(r.clone()));
    let _ = writeln!(out, "## Lost reasons\n");
    if reasons.is_empty() {
        let _ = writeln!(
            out,
            "Moving a deal to a lost stage means marking it lost in Pipedrive; the process \
             names no lost reasons.\n"
        );
        return;
    }
    let _ = writeln!(
        out,
        "In Settings › Company settings › Lost reasons, turn on predefined lost reasons and \
         add these, so reps pick one when they mark a deal lost:\n"
    );
    for reason in reasons {
        let _ = writeln!(out, "- {}", text(&reason));
    }
    out.push('\n');
}

fn notes_section(process: &Process, out: &mut String) {
    let missing: Vec<String> = process
        .stages
        .iter()
        .filter(|s| s.is_open() && s.probability.is_none())
        .map(|s| format!("- {}", text(stage_value(Crm::Pipedrive, s))))
        .collect();
    if !missing.is_empty() {
        let _ = writeln!(
            out,
            "## Probabilities to review\n\nThese stages have no probability in the process \
             file, so their bodies leave `deal_probability` out: set it in the pipeline \
             settings.\n\n{}\n",
            missing.join("\n")
        );
    }
}
