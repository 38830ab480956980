//! `salespath diff`: what changed between two versions of a process file, in the words of the
//! process (labels first, ids in parentheses), each change judged where the build goes: what
//! Salesforce, HubSpot and Pipedrive do on deploy or import and what the model's integrators
//! see, breaking in one and safe in another where the CRMs differ (the facts are `crate::crm`'s).

mod compare;
mod input;
mod render;
mod text;

pub use compare::{diff, diff_for};
pub use input::{resolve_input, revision_files, InputError, RevisionFile};
pub use render::{render, DiffFormat};
pub use text::{Piece, Text};

use crate::crm::Destination;
use serde::ser::SerializeMap;
use serde::Serialize;

/// One difference between the old and the new model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    pub kind: Kind,
    /// Breaking in at least one destination of the build.
    pub breaking: bool,
    pub process: Option<String>,
    pub stage: Option<String>,
    pub field: Option<String>,
    /// The change in words, for people; `text` is the same with its code marked.
    pub message: String,
    #[serde(skip)]
    pub text: Text,
    /// A suggestion, such as a removed and an added stage that look like one renamed.
    pub hint: Option<String>,
    #[serde(skip)]
    pub hint_text: Option<Text>,
    /// What the change does in each destination of the build.
    pub crm: Verdicts,
}

/// What one destination does with a change.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verdict {
    /// `breaking` or `safe`.
    pub verdict: &'static str,
    pub effect: String,
    /// True when the destination has nothing to do.
    #[serde(skip)]
    pub quiet: bool,
}

impl Verdict {
    pub fn is_breaking(&self) -> bool {
        self.verdict == "breaking"
    }
}

/// Verdicts in the order of [`Destination::ALL`], written as a JSON object keyed by
/// destination (`salesforce`, `hubspot`, `pipedrive`, `model`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Verdicts(pub Vec<(Destination, Verdict)>);

impl Serialize for Verdicts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (to, verdict) in &self.0 {
            map.serialize_entry(to.key(), verdict)?;
        }
        map.end()
    }
}

macro_rules! kinds {
    ($($variant:ident = $name:literal;)*) => {
        /// The kinds of change.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Kind { $($variant),* }

        impl Kind {
            pub const ALL: &'static [Kind] = &[$(Kind::$variant),*];
            pub fn as_str(self) -> &'static str {
                match self { $(Kind::$variant => $name),* }
            }
        }
    };
}

kinds! {
    ProcessAdded = "process-added";
    ProcessRemoved = "process-removed";
    ProcessRenamed = "process-renamed";
    ProcessRelabelled = "process-relabelled";
    ProcessOwnerChanged = "process-owner-changed";
    StageAdded = "stage-added";
    StageRemoved = "stage-removed";
    StageRenamed = "stage-renamed";
    StageReordered = "stage-reordered";
    StageRelabelled = "stage-relabelled";
    CrmStageChanged = "crm-stage-value-changed";
    ProbabilityChanged = "probability-changed";
    ForecastChanged = "forecast-changed";
    OutcomeChanged = "outcome-changed";
    TransitionAdded = "transition-added";
    TransitionRemoved = "transition-removed";
    RequirementAdded = "requirement-added";
    RequirementRemoved = "requirement-removed";
    ExitCriterionAdded = "exit-criterion-added";
    ExitCriterionRemoved = "exit-criterion-removed";
    ExitThresholdChanged = "exit-threshold-changed";
    ExpectedChanged = "expected-changed";
    StaleAfterChanged = "stale-after-changed";
    OwnerChanged = "owner-changed";
    ToolAdded = "tool-added";
    ToolRemoved = "tool-removed";
    FieldAdded = "field-added";
    FieldRemoved = "field-removed";
    FieldRenamed = "field-renamed";
    FieldRetyped = "field-retyped";
    FieldRelabelled = "field-relabelled";
    CrmNameChanged = "crm-name-changed";
    ChoiceValueAdded = "choice-value-added";
    ChoiceValueRemoved = "choice-value-removed";
    CriteriaItemAdded = "criteria-item-added";
    CriteriaItemRemoved = "criteria-item-removed";
    CriteriaItemChanged = "criteria-item-changed";
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
