//! The OpportunityStage picklist: one value per Salesforce stage value across every process
//! of the build, since Salesforce has one stage list for all sales processes.

use super::xml::Xml;
use crate::check::rules::salesforce_stage_conflict;
use crate::crm::{salesforce_stages, SalesforceStage};
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

/// `standardValueSets/OpportunityStage.standardValueSet-meta.xml`. A deploy deactivates the
/// stages this list leaves out, so it always holds every stage.
pub fn standard_value_set(stages: &[SalesforceStage<'_>]) -> Vec<u8> {
    let mut xml = Xml::document("StandardValueSet");
    xml.flag("sorted", false);
    for stage in stages {
        xml.open("standardValue")
            .text("fullName", stage.value)
            .flag("default", false)
            .text("label", stage.value)
            .flag("closed", !stage.is_open())
            .text("forecastCategory", stage.forecast);
        if let Some(p) = stage.probability {
            xml.text("probability", &p.to_string());
        }
        xml.flag("won", stage.is_won()).close();
    }
    xml.finish()
}
