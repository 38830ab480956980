//! `salespath diff`: what changed between two versions of a process file, matched by process,
//! stage and field ids, each change classified as breaking or safe for deals in flight and
//! CRM data.

mod compare;
mod input;
mod render;

pub use compare::diff;
pub use input::{resolve_input, InputError};
pub use render::{render, DiffFormat};

use serde::Serialize;

/// One difference between the old and the new model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    pub kind: Kind,
    pub breaking: bool,
    pub process: Option<String>,
    pub stage: Option<String>,
    pub field: Option<String>,
    pub message: String,
}

macro_rules! kinds {
    ($($variant:ident = $name:literal, $breaking:literal, $why:literal;)*) => {
        /// The kinds of change, with whether each is breaking and why.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Kind { $($variant),* }

        impl Kind {
            pub const ALL: &'static [Kind] = &[$(Kind::$variant),*];
            pub fn as_str(self) -> &'static str {
                match self { $(Kind::$variant => $name),* }
            }
            pub fn is_breaking(self) -> bool {
                match self { $(Kind::$variant => $breaking),* }
            }
            /// For a breaking kind: what it does to deals in flight or CRM data.
            pub fn why(self) -> &'static str {
                match self { $(Kind::$variant => $why),* }
            }
        }
    };
}

kinds! {
    ProcessAdded = "process-added", false, "";
    ProcessRemoved = "process-removed", true, "deals in this process lose their pipeline";
    ProcessRelabelled = "process-relabelled", false, "";
    ProcessOwnerChanged = "process-owner-changed", false, "";
    StageAdded = "stage-added", false, "";
    StageRemoved = "stage-removed", true, "deals in this stage must be moved before it goes";
    StageReordered = "stage-reordered", false, "";
    StageRelabelled = "stage-relabelled", false, "";
    CrmStageChanged = "salesforce-stage-changed", true, "deals in Salesforce keep the old stage value, which stays in the org's stage list";
    ProbabilityChanged = "probability-changed", false, "";
    ForecastChanged = "forecast-changed", false, "";
    OutcomeChanged = "outcome-changed", true, "deals in this stage change between open, won and lost";
    TransitionAdded = "transition-added", false, "";
    TransitionRemoved = "transition-removed", true, "deals can no longer make a move they could make before";
    RequirementAdded = "requirement-added", true, "deals already past this point may lack the field";
    RequirementRemoved = "requirement-removed", false, "";
    ExitCriterionAdded = "exit-criterion-added", true, "deals in this stage may no longer be able to move on";
    ExitCriterionRemoved = "exit-criterion-removed", false, "";
    ExpectedChanged = "expected-changed", false, "";
    StaleAfterChanged = "stale-after-changed", false, "";
    OwnerChanged = "owner-changed", false, "";
    ToolAdded = "tool-added", false, "";
    ToolRemoved = "tool-removed", false, "";
    FieldAdded = "field-added", false, "";
    FieldRemoved = "field-removed", true, "the CRM field and its data go away";
    FieldRetyped = "field-retyped", true, "existing values may not fit the new type";
    FieldRelabelled = "field-relabelled", false, "";
    CrmNameChanged = "crm-name-changed", true, "values stay in the old CRM field";
    ChoiceValueAdded = "choice-value-added", false, "";
    ChoiceValueRemoved = "choice-value-removed", true, "deals holding this value no longer fit the field";
    CriteriaItemAdded = "criteria-item-added", true, "every exit that uses this criteria becomes stricter";
    CriteriaItemRemoved = "criteria-item-removed", false, "";
    CriteriaItemChanged = "criteria-item-changed", true, "every exit that uses this criteria may become stricter";
}

impl Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Counts of (breaking, safe) changes.
pub fn tally(changes: &[Change]) -> (usize, usize) {
    let breaking = changes.iter().filter(|c| c.breaking).count();
    (breaking, changes.len() - breaking)
}
