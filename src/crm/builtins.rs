//! The deal fields each CRM has built in. A field whose name in a CRM is one of them (named
//! in the file, or by default, like a field `amount` in HubSpot) is mapped onto it, never
//! created: creating it would fail, or worse, make a second field of the same name.

use super::{field_name, names_existing_field, Crm};
use crate::model::Field;

/// HubSpot's default deal properties (internal names). Every name starting with `hs_` is
/// HubSpot's too: custom properties cannot use that prefix.
const HUBSPOT: &[&str] = &[
    "amount",
    "amount_in_home_currency",
    "closed_lost_reason",
    "closed_won_reason",
    "closedate",
    "createdate",
    "days_to_close",
    "deal_currency_code",
    "dealname",
    "dealstage",
    "dealtype",
    "description",
    "engagements_last_meeting_booked",
    "hubspot_owner_assigneddate",
    "hubspot_owner_id",
    "hubspot_team_id",
    "notes_last_contacted",
    "notes_last_updated",
    "notes_next_activity_date",
    "num_associated_contacts",
    "num_contacted_notes",
    "num_notes",
    "pipeline",
];

/// Pipedrive's standard deal fields (field keys).
const PIPEDRIVE: &[&str] = &[
    "activities_count",
    "add_time",
    "channel",
    "channel_id",
    "close_time",
    "currency",
    "done_activities_count",
    "expected_close_date",
    "first_won_time",
    "id",
    "label",
    "last_activity_date",
    "lost_reason",
    "lost_time",
    "next_activity_date",
    "org_id",
    "origin",
    "origin_id",
    "person_id",
    "pipeline",
    "pipeline_id",
    "probability",
    "product_quantity",
    "products_count",
    "stage_change_time",
    "stage_id",
    "status",
    "title",
    "undone_activities_count",
    "update_time",
    "user_id",
    "value",
    "visible_to",
    "won_time",
];

/// Salesforce's standard Opportunity fields (API names). A default Salesforce name ends in
/// `__c`, so only a name the file gives can be one of them.
const SALESFORCE: &[&str] = &[
    "AccountId",
    "Amount",
    "CampaignId",
    "CloseDate",
    "ContactId",
    "CurrencyIsoCode",
    "Description",
    "ExpectedRevenue",
    "ForecastCategoryName",
    "LeadSource",
    "Name",
    "NextStep",
    "OwnerId",
    "Pricebook2Id",
    "Probability",
    "StageName",
    "TotalOpportunityQuantity",
    "Type",
];

/// True when `name` is a deal field `crm` has built in.
pub fn is_builtin(crm: Crm, name: &str) -> bool {
    match crm {
        Crm::HubSpot => name.starts_with("hs_") || HUBSPOT.contains(&name),
        Crm::Pipedrive => PIPEDRIVE.contains(&name),
        Crm::Salesforce => SALESFORCE.contains(&name),
    }
}

/// True when the backends of `crm` create the field: it names no existing field and its
/// name is not one of the CRM's own.
pub fn creates_field(crm: Crm, field: &Field) -> bool {
    !names_existing_field(crm, field) && !is_builtin(crm, &field_name(crm, field))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_crm_knows_its_own_deal_fields() {
        for name in [
            "amount",
            "closedate",
            "closed_lost_reason",
            "hs_priority",
            "dealname",
        ] {
            assert!(is_builtin(Crm::HubSpot, name), "{name}");
        }
        assert!(!is_builtin(Crm::HubSpot, "decision_maker"));
        assert!(!is_builtin(Crm::HubSpot, "value"));
        for name in ["value", "expected_close_date", "lost_reason", "title"] {
            assert!(is_builtin(Crm::Pipedrive, name), "{name}");
        }
        assert!(!is_builtin(Crm::Pipedrive, "amount"));
        assert!(is_builtin(Crm::Salesforce, "Amount"));
        assert!(!is_builtin(Crm::Salesforce, "Amount__c"));
    }
}
