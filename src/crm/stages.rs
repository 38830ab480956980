//! Stage values in each CRM, and the one stage list of a Salesforce org.

use super::{probability, Crm};
use crate::emit::Project;
use crate::model::{Outcome, Stage};
use crate::source::Loc;
use std::collections::BTreeMap;

/// A stage's value in `crm`: the one the file gives (`salesforce: "Proposal (EMEA)"`), else
/// its label. In Salesforce the value is the picklist value and its label alike.
pub fn stage_value(crm: Crm, stage: &Stage) -> &str {
    crm.given(&stage.crm)
        .map_or(stage.label.as_str(), |given| given.name.as_str())
}

/// One value of a Salesforce org's stage list, as the build defines it.
pub struct SalesforceStage<'a> {
    pub value: &'a str,
    /// Whole percent; none for an open stage without a probability.
    pub probability: Option<i64>,
    pub outcome: Option<Outcome>,
    pub forecast: &'static str,
    /// The stage that first defines it.
    pub stage: &'a Stage,
}

impl<'a> SalesforceStage<'a> {
    fn of(stage: &'a Stage) -> Self {
        SalesforceStage {
            value: stage_value(Crm::Salesforce, stage),
            probability: probability::written(stage)
                .map(|p| probability::stored(Crm::Salesforce, p) as i64),
            outcome: stage.outcome,
            forecast: stage.forecast.salesforce(),
            stage,
        }
    }

    pub fn is_open(&self) -> bool {
        self.outcome.is_none()
    }

    pub fn is_won(&self) -> bool {
        self.outcome == Some(Outcome::Won)
    }

    /// What differs from `other`, in words; `None` when one value can hold both.
    fn difference(&self, other: &SalesforceStage<'_>) -> Option<String> {
        let percent = |p: Option<i64>| p.map_or("none".into(), |p| crate::value::percent(p as f64));
        let outcome = |o: Option<Outcome>| o.map_or("open", Outcome::as_str);
        if self.probability != other.probability {
            Some(format!(
                "probability {} here and {} there",
                percent(self.probability),
                percent(other.probability)
            ))
        } else if self.outcome != other.outcome {
            Some(format!(
                "outcome {} here and {} there",
                outcome(self.outcome),
                outcome(other.outcome)
            ))
        } else if self.forecast != other.forecast {
            Some(format!(
                "forecast category {} here and {} there",
                self.forecast, other.forecast
            ))
        } else {
            None
        }
    }
}

/// Two stages of the build that would be one Salesforce stage but differ.
pub struct StageConflict<'a> {
    pub value: &'a str,
    /// Where the second stage says what differs (its probability, else its name).
    pub at: Loc,
    /// The same place in the stage that first defines the value.
    pub first_at: Loc,
    /// How the second differs from the first, in words.
    pub difference: String,
}

/// The line to show for a stage: its probability when that is what differs (a variant's own
/// line when it restates it), else its name.
fn where_written(stage: &Stage, probability: bool) -> Loc {
    match stage.locs.probability {
        Some(at) if probability => at,
        _ => stage.loc,
    }
}

/// The Salesforce stage list of the build (every stage value once, in order of first
/// appearance) and the stages that one org cannot hold: a value defined twice, differently.
pub fn salesforce_stages<'a>(
    project: &Project<'a>,
) -> (Vec<SalesforceStage<'a>>, Vec<StageConflict<'a>>) {
    let mut list: Vec<SalesforceStage<'a>> = Vec::new();
    let mut by_value: BTreeMap<&'a str, usize> = BTreeMap::new();
    let mut conflicts = Vec::new();
    for (model, process) in project.processes() {
        for stage in &model.process(process).stages {
            let value = SalesforceStage::of(stage);
            match by_value.get(value.value) {
                None => {
                    by_value.insert(value.value, list.len());
                    list.push(value);
                }
                Some(&at) => {
                    let first = &list[at];
                    if let Some(difference) = value.difference(first) {
                        let probability = first.probability != value.probability;
                        conflicts.push(StageConflict {
                            value: value.value,
                            at: where_written(stage, probability),
                            first_at: where_written(first.stage, probability),
                            difference,
                        });
                    }
                }
            }
        }
    }
    (list, conflicts)
}
