//! Pieces shared by the CRM configuration backends (HubSpot, Pipedrive).

use crate::model::{FieldId, Process};

/// Fields that some stage of the process requires (its own `requires:` or `required_here`),
/// in declaration order.
pub fn required_fields(process: &Process) -> Vec<FieldId> {
    let mut fields: Vec<FieldId> = process
        .stages
        .iter()
        .flat_map(|s| s.requires.iter().chain(&s.required_here))
        .copied()
        .collect();
    fields.sort();
    fields.dedup();
    fields
}
