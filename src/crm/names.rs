//! Field names in each CRM, and the naming rules a name written in a file must follow so
//! that it can only ever be a name, never code (a Salesforce name is pasted into formulas).

use super::Crm;
use crate::model::{label_from_id, Field};

/// Salesforce's limit on an API name, `__c` included.
const SALESFORCE_MAX: usize = 40;

/// HubSpot's limit on a property's internal name.
const HUBSPOT_MAX: usize = 100;

/// The longest stage value (a picklist value, a pipeline stage name) the CRMs take.
const MAX_STAGE_VALUE: usize = 255;

/// A field's name in `crm`: the existing field the file names, or the one the backends
/// create (LANGUAGE.md section 9). The one function every output uses.
pub fn field_name(crm: Crm, field: &Field) -> String {
    match crm.given(&field.crm) {
        Some(given) => given.name.clone(),
        None => match crm {
            Crm::Salesforce => salesforce_custom_name(&field.id),
            Crm::HubSpot => hubspot_custom_name(&field.id),
            Crm::Pipedrive => field.id.clone(),
        },
    }
}

/// True when the file names an existing field in `crm`, which the backends then leave alone.
pub fn names_existing_field(crm: Crm, field: &Field) -> bool {
    crm.given(&field.crm).is_some()
}

/// The custom field for an id: `decision_maker` becomes `Decision_Maker__c`. A name that
/// would pass Salesforce's 40 characters is cut at a word and given a short hash of the id,
/// so two long ids that start alike still get different names.
pub fn salesforce_custom_name(id: &str) -> String {
    let base = label_from_id(id).replace(' ', "_");
    if base.len() + 3 <= SALESFORCE_MAX {
        return format!("{base}__c");
    }
    let hash = format!("{:04x}", fnv1a(id) & 0xffff);
    let room = SALESFORCE_MAX - 3 - hash.len() - 1;
    let cut = &base[..room];
    let cut = match cut.rfind('_') {
        Some(at) if at >= room / 2 => &cut[..at],
        _ => cut,
    };
    format!("{}_{hash}__c", cut.trim_end_matches('_'))
}

/// The property for an id: the id itself, which is already a valid internal name, cut to
/// HubSpot's 100 characters with a short hash of the id when it is longer.
pub fn hubspot_custom_name(id: &str) -> String {
    if id.len() <= HUBSPOT_MAX {
        return id.to_string();
    }
    let hash = format!("{:04x}", fnv1a(id) & 0xffff);
    let cut = id[..HUBSPOT_MAX - hash.len() - 1].trim_end_matches('_');
    format!("{cut}_{hash}")
}

/// FNV-1a: small, stable across platforms and versions (unlike the standard library's hasher).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Why `name` cannot be a field's name in `crm`, or `None` when it can.
pub fn invalid_name(crm: Crm, name: &str) -> Option<&'static str> {
    match crm {
        Crm::Salesforce => invalid_salesforce(name),
        Crm::HubSpot => {
            let ok = name.starts_with(|c: char| c.is_ascii_lowercase())
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !ok {
                Some("a HubSpot internal name has lowercase letters, digits and underscores, and starts with a letter")
            } else if name.len() > HUBSPOT_MAX {
                Some("a HubSpot internal name has at most 100 characters")
            } else {
                None
            }
        }
        Crm::Pipedrive => {
            let ok = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            (!ok).then_some(
                "a Pipedrive field key has lowercase letters, digits and underscores only",
            )
        }
    }
}

fn invalid_salesforce(name: &str) -> Option<&'static str> {
    let stem = name.strip_suffix("__c").unwrap_or(name);
    if name.len() > SALESFORCE_MAX {
        Some("a Salesforce API name has at most 40 characters, `__c` included")
    } else if !stem.starts_with(|c: char| c.is_ascii_alphabetic())
        || !stem.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        Some("a Salesforce API name has letters, digits and underscores, and starts with a letter")
    } else if stem.contains("__") || stem.ends_with('_') {
        Some("a Salesforce API name has no double underscore (except in `__c`) and does not end with an underscore")
    } else {
        None
    }
}

/// Why `value` cannot be a stage's value in a CRM, or `None` when it can.
pub fn invalid_stage_value(value: &str) -> Option<&'static str> {
    if value.trim().is_empty() {
        Some("a stage value is not empty")
    } else if value.chars().any(char::is_control) {
        Some("a stage value is one line, without tabs or control characters")
    } else if value.chars().count() > MAX_STAGE_VALUE {
        Some("a stage value has at most 255 characters")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_names_fit_in_40_characters_with_their_suffix() {
        assert_eq!(
            salesforce_custom_name("decision_maker"),
            "Decision_Maker__c"
        );
        let long = salesforce_custom_name("economic_buyer_confirmed_by_procurement_team");
        assert!(long.len() <= 40, "{long}");
        assert!(long.starts_with("Economic_Buyer_Confirmed_By_"), "{long}");
        assert_eq!(invalid_name(Crm::Salesforce, &long), None);
        let other = salesforce_custom_name("economic_buyer_confirmed_by_procurement_lead");
        assert_ne!(long, other);
    }

    #[test]
    fn names_follow_each_crms_rules() {
        for ok in [
            "Amount",
            "Decision_Maker__c",
            "X1",
            &format!("{}__c", "A".repeat(37)),
        ] {
            assert_eq!(invalid_name(Crm::Salesforce, ok), None, "{ok}");
        }
        for bad in [
            "Amount) || TRUE || (Amount",
            "1st",
            "a__b__c",
            "trailing_",
            "Name With Space",
            &"A".repeat(41),
            "",
        ] {
            assert!(invalid_name(Crm::Salesforce, bad).is_some(), "{bad}");
        }
        assert_eq!(invalid_name(Crm::HubSpot, "dealname"), None);
        assert!(invalid_name(Crm::HubSpot, "DealName").is_some());
        assert!(invalid_name(Crm::HubSpot, "_x").is_some());
        assert!(invalid_name(Crm::HubSpot, &"a".repeat(101)).is_some());
        let long = hubspot_custom_name(&"a_".repeat(80));
        assert!(long.len() <= 100, "{long}");
        assert_eq!(invalid_name(Crm::HubSpot, &long), None);
        assert_eq!(hubspot_custom_name("decision_maker"), "decision_maker");
        assert_eq!(
            invalid_name(Crm::Pipedrive, "9dc80c50d78a15643bfc4ca79d76156a73a1a3b0"),
            None
        );
        assert!(invalid_name(Crm::Pipedrive, "value; drop").is_some());
        assert_eq!(invalid_stage_value("Proposal (EMEA)"), None);
        assert!(invalid_stage_value(" ").is_some());
        assert!(invalid_stage_value("a\nb").is_some());
    }
}
