use super::Context;
use crate::crm::{invalid_name, invalid_stage_value, Crm};
use crate::diag::Diagnostic;
use crate::model::{CrmName, Model};
use crate::rule::{Level, Rule, RuleInfo};
use std::collections::BTreeSet;

pub const INFO: RuleInfo = RuleInfo {
    name: "invalid-crm-name",
    default: Level::Error,
    summary: "a field's name for a CRM that breaks that CRM's naming rules, or a stage value that is empty, over 255 characters or more than one line",
    explanation: "\
`salesforce:`, `hubspot:` and `pipedrive:` in a field block name a field the CRM already has.
Such a name must be one the CRM can have: Salesforce API names have letters, digits and
underscores, start with a letter, have no double underscore except in `__c`, do not end with
an underscore and have at most 40 characters; HubSpot internal names have lowercase letters,
digits and underscores and start with a letter; Pipedrive keys have lowercase letters, digits
and underscores. Salesforce names are written into validation formulas, so anything else
could change what a rule does (`Amount) || TRUE || (Amount` would make a rule always fire).
A stage's value in a CRM is one line of at most 255 characters.",
    example: crate::rule_fixtures!("invalid-crm-name"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    out.extend(diagnostics(cx.model, &Crm::ALL));
}

/// Every name for one of `crms` in `model` that its CRM cannot have, once each (a
/// variant's inherited stage holds the same name as its base). A backend refuses these even
/// when the rule is off, so such a name never reaches its files.
pub fn diagnostics(model: &Model, crms: &[Crm]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for field in &model.fields {
        for &crm in crms {
            if let Some(given) = crm.given(&field.crm) {
                if let Some(why) = invalid_name(crm, &given.name) {
                    out.push(diagnostic(crm, given, "field", why));
                }
            }
        }
    }
    let mut seen = BTreeSet::new();
    for stage in model.processes.iter().flat_map(|p| &p.stages) {
        for &crm in crms {
            if let Some(given) = crm.given(&stage.crm) {
                if !seen.insert(given.loc) {
                    continue;
                }
                if let Some(why) = invalid_stage_value(&given.name) {
                    out.push(diagnostic(crm, given, "stage", why));
                }
            }
        }
    }
    out
}

fn diagnostic(crm: Crm, given: &CrmName, kind: &str, why: &str) -> Diagnostic {
    Diagnostic::new(
        Rule::InvalidCrmName,
        given.loc,
        format!("{:?} is not a {} {kind} name", given.name, crm.name()),
    )
    .label(format!("not a {} name", crm.name()))
    .help(why)
}
