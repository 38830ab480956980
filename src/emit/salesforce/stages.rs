//! The OpportunityStage picklist: one value per stage label across every process of the
//! build, since Salesforce has one stage list for all sales processes.

use super::xml::Xml;
use crate::check::rules::salesforce_stage_conflict;
use crate::diag::Diagnostic;
use crate::emit::Project;
use crate::model::{Outcome, Stage};

/// What Salesforce stores once per stage label; two stages sharing a label must agree on it.
#[derive(PartialEq)]
struct StageValue {
    probability: Option<i64>,
    outcome: Option<Outcome>,
    forecast: &'static str,
}

impl StageValue {
    fn of(stage: &Stage) -> Self {
        StageValue {
            probability: stage.probability.map(|p| p.round() as i64),
            outcome: stage.outcome,
            forecast: stage.forecast.salesforce(),
        }
    }

    /// What differs from `other`, in words, for the diagnostic.
    fn difference(&self, other: &StageValue) -> String {
        if self.probability != other.probability {
            format!(
                "probability {} here and {} there",
                percent(self.probability),
                percent(other.probability)
            )
        } else if self.outcome != other.outcome {
            format!(
                "outcome {} here and {} there",
                outcome(self.outcome),
                outcome(other.outcome)
            )
        } else {
            format!(
                "forecast category {} here and {} there",
                self.forecast, other.forecast
            )
        }
    }
}

fn percent(p: Option<i64>) -> String {
    p.map_or("none".into(), |p| crate::value::percent(p as f64))
}

fn outcome(o: Option<Outcome>) -> &'static str {
    o.map_or("open", Outcome::as_str)
}

/// Every stage of the build, each label once, in order of first appearance.
pub fn distinct_stages<'a>(project: &Project<'a>) -> Result<Vec<&'a Stage>, Vec<Diagnostic>> {
    let mut seen: Vec<&'a Stage> = Vec::new();
    let mut conflicts = Vec::new();
    for (model, process) in project.processes() {
        for stage in &model.process(process).stages {
            match seen.iter().find(|s| s.label == stage.label) {
                None => seen.push(stage),
                Some(first) if StageValue::of(first) != StageValue::of(stage) => {
                    conflicts.push(conflict(first, stage));
                }
                Some(_) => {}
            }
        }
    }
    if conflicts.is_empty() {
        Ok(seen)
    } else {
        Err(conflicts)
    }
}

fn conflict(first: &Stage, second: &Stage) -> Diagnostic {
    let difference = StageValue::of(second).difference(&StageValue::of(first));
    salesforce_stage_conflict::diagnostic(first, second, &difference)
}

/// `standardValueSets/OpportunityStage.standardValueSet-meta.xml`. A deploy deactivates the
/// stages this list leaves out, so it always holds every stage.
pub fn standard_value_set(stages: &[&Stage]) -> Vec<u8> {
    let mut xml = Xml::document("StandardValueSet");
    xml.flag("sorted", false);
    for stage in stages {
        xml.open("standardValue")
            .text("fullName", &stage.label)
            .flag("default", false)
            .text("label", &stage.label)
            .flag("closed", !stage.is_open())
            .text("forecastCategory", stage.forecast.salesforce());
        if let Some(p) = stage.probability {
            xml.text("probability", &(p.round() as i64).to_string());
        }
        xml.flag("won", stage.is_won()).close();
    }
    xml.finish()
}
