//! Per process: the business process (which stages it offers), the record type that selects
//! it, and the Path with each stage's key fields and guidance.

use super::names::limit;
use super::xml::Xml;
use crate::check::rules::salesforce_path_limit;
use crate::crm::{field_name, stage_value, Crm};
use crate::diag::Diagnostic;
use crate::model::{FieldId, Model, Process, Stage};
use std::collections::BTreeSet;

/// Salesforce's limit for labels and descriptions of these types.
const MAX_LABEL: usize = 80;
const MAX_DESCRIPTION: usize = 255;

/// `objects/Opportunity/businessProcesses/<name>.businessProcess-meta.xml`. Deals enter at
/// the first stage, so it is the default.
pub fn business_process(process: &Process, name: &str) -> Vec<u8> {
    let mut xml = Xml::document("BusinessProcess");
    xml.text("fullName", name);
    if let Some(description) = &process.description {
        xml.text("description", &limit(description, MAX_DESCRIPTION));
    }
    xml.flag("isActive", true);
    let mut listed: BTreeSet<&str> = BTreeSet::new();
    for stage in &process.stages {
        let value = stage_value(Crm::Salesforce, stage);
        if !listed.insert(value) {
            continue;
        }
        xml.open("values")
            .text("fullName", value)
            .flag("default", listed.len() == 1)
            .close();
    }
    xml.finish()
}

/// `objects/Opportunity/recordTypes/<record_type>.recordType-meta.xml`.
pub fn record_type(process: &Process, record_type: &str, business_process: &str) -> Vec<u8> {
    let mut xml = Xml::document("RecordType");
    xml.text("fullName", record_type)
        .flag("active", true)
        .text("businessProcess", business_process);
    if let Some(description) = &process.description {
        xml.text("description", &limit(description, MAX_DESCRIPTION));
    }
    xml.text("label", &limit(&process.label, MAX_LABEL));
    xml.finish()
}

/// Salesforce's limits for one Path step: key fields shown, and characters of guidance
/// (rich text, counted with its HTML).
pub const MAX_KEY_FIELDS: usize = 5;
pub const MAX_GUIDANCE: usize = 1000;

/// `pathAssistants/<record_type>.pathAssistant-meta.xml`: one step per stage with the fields
/// the stage asks for and its objective and guidance, within Salesforce's limits; what does
/// not fit is a warning in `warnings`.
pub fn path_assistant(
    model: &Model,
    process: &Process,
    record_type: &str,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<u8> {
    let mut xml = Xml::document("PathAssistant");
    xml.text("fullName", record_type)
        .flag("active", true)
        .text("entityName", "Opportunity")
        .text("fieldName", "StageName")
        .text("masterLabel", &limit(&process.label, MAX_LABEL));
    let mut listed: BTreeSet<&str> = BTreeSet::new();
    for stage in &process.stages {
        let value = stage_value(Crm::Salesforce, stage);
        if !listed.insert(value) {
            continue;
        }
        xml.open("pathAssistantSteps");
        let fields = key_fields(stage);
        let (shown, rest) = fields.split_at(fields.len().min(MAX_KEY_FIELDS));
        for field in shown {
            xml.text(
                "fieldNames",
                &field_name(Crm::Salesforce, model.field(*field)),
            );
        }
        let rest: Vec<String> = rest.iter().map(|f| model.field(*f).label.clone()).collect();
        if !rest.is_empty() {
            warnings.push(salesforce_path_limit::key_fields(
                stage.loc,
                &stage.id,
                shown.len(),
                &rest,
            ));
        }
        let (info, length) = guidance_html(stage, &rest);
        if length > MAX_GUIDANCE {
            warnings.push(salesforce_path_limit::guidance(
                stage.loc,
                &stage.id,
                length,
                MAX_GUIDANCE,
            ));
        }
        if !info.is_empty() {
            xml.text("info", &info);
        }
        xml.text("picklistValueName", value).close();
    }
    xml.text("recordTypeName", record_type);
    xml.finish()
}

/// The fields a rep collects in a stage: its own `requires:`, those it checks right here
/// first (a closed stage's). Fields earlier stages collected are not repeated on every later
/// step.
pub fn key_fields(stage: &Stage) -> Vec<FieldId> {
    let checked_here = stage
        .requires
        .iter()
        .filter(|f| stage.required_here.contains(f));
    let collected = stage
        .requires
        .iter()
        .filter(|f| !stage.required_here.contains(f));
    let mut fields: Vec<FieldId> = Vec::new();
    for field in checked_here.chain(collected) {
        if !fields.contains(field) {
            fields.push(*field);
        }
    }
    fields
}

/// The step's "guidance for success" as HTML: the objective, the key fields that did not
/// fit, then the guidance with its paragraphs and line breaks kept; within Salesforce's
/// limit, cut after the last sentence (or else word) that fits. Also the length it would
/// have had uncut.
fn guidance_html(stage: &Stage, more_fields: &[String]) -> (String, usize) {
    let escape = crate::emit::html::escape;
    let mut paragraphs: Vec<(String, String)> = Vec::new();
    if let Some(objective) = &stage.objective {
        paragraphs.push(("<p><b>Objective:</b> ".into(), escape(objective)));
    }
    if !more_fields.is_empty() {
        let labels: Vec<String> = more_fields.iter().map(|l| escape(l)).collect();
        paragraphs.push((
            "<p><b>Also fill in:</b> ".into(),
            format!("{}.", crate::emit::english::joined(&labels, "and")),
        ));
    }
    if let Some(guidance) = &stage.guidance {
        for paragraph in guidance.split("\n\n").filter(|p| !p.trim().is_empty()) {
            let lines: Vec<String> = paragraph.trim().lines().map(escape).collect();
            paragraphs.push(("<p>".into(), lines.join("<br>")));
        }
    }
    let full: usize = paragraphs
        .iter()
        .map(|(open, text)| open.chars().count() + text.chars().count() + "</p>".len())
        .sum();
    let mut html = String::new();
    for (open, text) in &paragraphs {
        let room = MAX_GUIDANCE.saturating_sub(html.chars().count() + open.chars().count() + 4);
        if text.chars().count() <= room {
            html.push_str(&format!("{open}{text}</p>"));
            continue;
        }
        if let Some(kept) = cut_html_text(text, room) {
            html.push_str(&format!("{open}{kept}</p>"));
        }
        break;
    }
    (html, full)
}

/// Escaped text cut to at most `room` characters: after the last whole sentence that fits,
/// or else the last whole word with an ellipsis; never inside a word, a character
/// reference or a line break tag. `None` when not even a word fits.
fn cut_html_text(text: &str, room: usize) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    // A space or a tag follows every end of a sentence and of a word; neither occurs
    // inside `&amp;` or `<br>`.
    let boundary = |i: usize| chars.get(i).is_none_or(|c| *c == ' ' || *c == '<');
    let sentence_end =
        (1..=room.min(chars.len())).rfind(|&i| ".!?".contains(chars[i - 1]) && boundary(i));
    if let Some(end) = sentence_end {
        return Some(chars[..end].iter().collect());
    }
    // Room for the ellipsis.
    let word_end = (1..=room.saturating_sub(1).min(chars.len()))
        .rfind(|&i| boundary(i) && chars[i - 1] != ' ')?;
    let kept: String = chars[..word_end].iter().collect();
    let kept = kept.trim_end_matches([',', ';', ':']);
    (!kept.is_empty()).then(|| format!("{kept}…"))
}
