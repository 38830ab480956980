//! What each CRM holds of a process, worked out once: the name of every field and the value
//! of every stage in each CRM, the probabilities each stores, and what one Salesforce org
//! cannot hold. The model output, every CRM backend, `diff` and `check` read these facts
//! from here, so they cannot disagree.

mod builtins;
mod deploy;
mod names;
mod org_stages;
mod probability;
mod stages;

pub use builtins::{creates_field, is_builtin};
pub use deploy::{
    effect, enforces, field_key, salesforce_record_type, Destination, Effect, Event, Gate,
};
pub use names::{
    field_name, hubspot_custom_name, invalid_name, invalid_stage_value, names_existing_field,
    salesforce_custom_name,
};
pub use org_stages::{OrgStage, OrgStages};
pub use probability::{estimated, rounding, stored, written};
pub use stages::{salesforce_stages, stage_value, SalesforceStage, StageConflict};

use crate::model::{CrmName, CrmNames};

/// The CRMs salespath writes for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Crm {
    Salesforce,
    HubSpot,
    Pipedrive,
}

impl Crm {
    pub const ALL: [Crm; 3] = [Crm::Salesforce, Crm::HubSpot, Crm::Pipedrive];

    /// The CRM's name, for people.
    pub fn name(self) -> &'static str {
        match self {
            Crm::Salesforce => "Salesforce",
            Crm::HubSpot => "HubSpot",
            Crm::Pipedrive => "Pipedrive",
        }
    }

    /// The key a `.sales` file writes (`salesforce: "..."`), which is also its output's name.
    pub fn key(self) -> &'static str {
        match self {
            Crm::Salesforce => "salesforce",
            Crm::HubSpot => "hubspot",
            Crm::Pipedrive => "pipedrive",
        }
    }

    /// The name written for this CRM in `names`, if any.
    pub fn given(self, names: &CrmNames) -> Option<&CrmName> {
        match self {
            Crm::Salesforce => names.salesforce.as_ref(),
            Crm::HubSpot => names.hubspot.as_ref(),
            Crm::Pipedrive => names.pipedrive.as_ref(),
        }
    }
}
