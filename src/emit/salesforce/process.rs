//! Per process: the business process (which stages it offers), the record type that selects
//! it, and the Path with each stage's key fields and guidance.

use super::names::limit;
use super::xml::Xml;
use crate::crm::{field_name, stage_value, Crm};
use crate::model::{Model, Process, Stage};
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

/// `pathAssistants/<record_type>.pathAssistant-meta.xml`: one step per stage with the fields
/// the stage asks for and its objective and guidance.
pub fn path_assistant(model: &Model, process: &Process, record_type: &str) -> Vec<u8> {
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
        for field in &stage.requires {
            xml.text(
                "fieldNames",
                &field_name(Crm::Salesforce, model.field(*field)),
            );
        }
        if let Some(info) = guidance_html(stage) {
            xml.text("info", &info);
        }
        xml.text("picklistValueName", value).close();
    }
    xml.text("recordTypeName", record_type);
    xml.finish()
}

/// The step's "guidance for success" as HTML: the objective, then the guidance with its
/// paragraphs and line breaks kept.
fn guidance_html(stage: &Stage) -> Option<String> {
    let mut html = String::new();
    if let Some(objective) = &stage.objective {
        html.push_str(&format!(
            "<p><b>Objective:</b> {}</p>",
            crate::emit::html::escape(objective)
        ));
    }
    if let Some(guidance) = &stage.guidance {
        for paragraph in guidance.split("\n\n").filter(|p| !p.trim().is_empty()) {
            let lines: Vec<String> = paragraph
                .trim()
                .lines()
                .map(crate::emit::html::escape)
                .collect();
            html.push_str(&format!("<p>{}</p>", lines.join("<br>")));
        }
    }
    (!html.is_empty()).then_some(html)
}
