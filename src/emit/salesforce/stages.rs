//! The OpportunityStage picklist: one value per Salesforce stage value across every process
//! of the build, since Salesforce has one stage list for all sales processes. With the org's
//! retrieved list (`salesforce.stage_value_set`) every stage of the org is kept as it was,
//! except for what the process defines.

use super::xml::Xml;
use crate::check::rules::{salesforce_stage_change, salesforce_stage_conflict};
use crate::crm::{salesforce_stages, OrgStage, OrgStages, SalesforceStage};
use crate::diag::Diagnostic;
use crate::emit::Project;

/// Every stage value of the build once, in order of first appearance, or the stages one
/// org cannot hold.
pub fn distinct_stages<'a>(
    project: &Project<'a>,
) -> Result<Vec<SalesforceStage<'a>>, Vec<Diagnostic>> {
    let (stages, conflicts) = salesforce_stages(project);
    if conflicts.is_empty() {
        Ok(stages)
    } else {
        Err(conflicts
            .iter()
            .map(salesforce_stage_conflict::diagnostic)
            .collect())
    }
}

/// One value of the list written: a stage of the build, the org's value of that name, or both.
struct Entry<'s, 'a> {
    stage: Option<&'s SalesforceStage<'a>>,
    org: Option<&'s OrgStage>,
}

impl Entry<'_, '_> {
    fn name(&self) -> &str {
        match (self.stage, self.org) {
            (Some(stage), _) => stage.value,
            (None, Some(org)) => &org.full_name,
            (None, None) => "",
        }
    }

    fn is_open(&self) -> bool {
        match (self.stage, self.org) {
            (Some(stage), _) => stage.is_open(),
            (None, Some(org)) => !org.closed,
            (None, None) => true,
        }
    }
}

/// The list in the order it is written: open stages before closed ones, each in order of
/// first appearance along the processes' paths; a value only the org has goes after the
/// value that precedes it in the org's list (among open or closed ones alike), or first.
fn ordered<'s, 'a>(
    stages: &'s [SalesforceStage<'a>],
    org: Option<&'s OrgStages>,
) -> Vec<Entry<'s, 'a>> {
    let org_value = |name: &str| org.and_then(|o| o.values.iter().find(|v| v.full_name == name));
    let open = stages.iter().filter(|s| s.is_open());
    let closed = stages.iter().filter(|s| !s.is_open());
    let mut list: Vec<Entry<'s, 'a>> = open
        .chain(closed)
        .map(|stage| Entry {
            stage: Some(stage),
            org: org_value(stage.value),
        })
        .collect();
    let Some(org) = org else {
        return list;
    };
    for (at, value) in org.values.iter().enumerate() {
        if stages.iter().any(|s| s.value == value.full_name) {
            continue;
        }
        let entry = Entry {
            stage: None,
            org: Some(value),
        };
        let open = entry.is_open();
        let anchor = org.values[..at].iter().rev().find_map(|earlier| {
            list.iter()
                .position(|e| e.name() == earlier.full_name && e.is_open() == open)
        });
        let position = match anchor {
            Some(anchor) => anchor + 1,
            None if open => 0,
            None => list.iter().position(|e| !e.is_open()).unwrap_or(list.len()),
        };
        list.insert(position, entry);
    }
    list
}

/// `standardValueSets/OpportunityStage.standardValueSet-meta.xml`. A deploy deactivates the
/// stages this list leaves out, so it holds every stage of the build and, when the org's
/// list is known, every stage of the org as it was (inactive ones stay inactive).
pub fn standard_value_set(stages: &[SalesforceStage<'_>], org: Option<&OrgStages>) -> Vec<u8> {
    let mut xml = Xml::document("StandardValueSet");
    xml.flag("sorted", false);
    for entry in ordered(stages, org) {
        let name = entry.name().to_string();
        xml.open("standardValue").text("fullName", &name);
        if let Some(color) = entry.org.and_then(|o| o.color.as_deref()) {
            xml.text("color", color);
        }
        xml.flag("default", entry.org.is_some_and(|o| o.default));
        if let Some(description) = entry.org.and_then(|o| o.description.as_deref()) {
            xml.text("description", description);
        }
        match (entry.stage, entry.org) {
            // A stage of the process is in use: an inactive one of the org comes back.
            (Some(_), Some(org)) if !org.active => {
                xml.flag("isActive", true);
            }
            (None, Some(org)) if !org.active => {
                xml.flag("isActive", false);
            }
            _ => {}
        }
        let label = entry.org.and_then(|o| o.label.as_deref()).unwrap_or(&name);
        xml.text("label", label);
        match (entry.stage, entry.org) {
            (Some(stage), org) => {
                xml.flag("closed", !stage.is_open())
                    .text("forecastCategory", stage.forecast);
                // An open stage without a probability keeps the org's, or has none.
                if let Some(p) = stage.probability.or(org.and_then(|o| o.probability)) {
                    xml.text("probability", &p.to_string());
                }
                xml.flag("won", stage.is_won());
            }
            (None, Some(org)) => {
                xml.flag("closed", org.closed);
                if let Some(forecast) = &org.forecast {
                    xml.text("forecastCategory", forecast);
                }
                if let Some(p) = org.probability {
                    xml.text("probability", &p.to_string());
                }
                xml.flag("won", org.won);
            }
            (None, None) => {}
        }
        xml.close();
    }
    xml.finish()
}

/// A warning for every stage of the org whose probability or forecast category the deploy
/// would change, at the stage of the build that defines it.
pub fn changes(stages: &[SalesforceStage<'_>], org: &OrgStages) -> Vec<Diagnostic> {
    let file = org.path.display().to_string();
    let mut found = Vec::new();
    for stage in stages {
        let Some(value) = org.values.iter().find(|v| v.full_name == stage.value) else {
            continue;
        };
        let percent = |p: Option<i64>| p.map_or("none".into(), |p| format!("{p}%"));
        let mut changes = Vec::new();
        let mut at = stage.stage.loc;
        if let Some(p) = stage.probability {
            if value.probability != Some(p) {
                changes.push(format!(
                    "probability {} becomes {}",
                    percent(value.probability),
                    percent(Some(p))
                ));
                at = stage.stage.locs.probability.unwrap_or(at);
            }
        }
        if value.forecast.as_deref() != Some(stage.forecast) {
            changes.push(format!(
                "forecast category {} becomes {}",
                value.forecast.as_deref().unwrap_or("none"),
                stage.forecast
            ));
        }
        if !changes.is_empty() {
            found.push(salesforce_stage_change::diagnostic(
                stage.value,
                at,
                &changes,
                &file,
                value.line,
            ));
        }
    }
    found
}
