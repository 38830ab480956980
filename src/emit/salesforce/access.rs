//! Who may use what the build defines: a permission set granting the generated fields and
//! record types, the custom permission that lets integrations pass the process's rules, and
//! the setting that switches Path on.

use super::fields::Access;
use super::xml::Xml;
use std::collections::{BTreeMap, BTreeSet};

/// The permission set for the people who work the process.
pub const PERMISSION_SET: &str = "Salespath_Sales_Process";
/// The custom permission validation rules let pass (`NOT($Permission.Salespath_Bypass_Rules)`).
pub const BYPASS_PERMISSION: &str = "Salespath_Bypass_Rules";

/// `permissionsets/Salespath_Sales_Process.permissionset-meta.xml`: read and edit on every
/// generated field (read only on formula fields) and every generated record type. It does not
/// grant the bypass permission.
pub fn permission_set(
    fields: &BTreeMap<String, Access>,
    record_types: &BTreeSet<String>,
) -> Vec<u8> {
    let mut xml = Xml::document("PermissionSet");
    xml.text(
        "description",
        "Reads and edits the fields and uses the record types of the sales processes salespath generated. \
         It does not grant Salespath_Bypass_Rules, which is for integration users only.",
    );
    for (field, access) in fields {
        let editable = *access == Access::ReadEdit;
        xml.open("fieldPermissions")
            .flag("editable", editable)
            .text("field", field)
            .flag("readable", true)
            .close();
    }
    xml.flag("hasActivationRequired", false)
        .text("label", "Sales process (salespath)");
    for record_type in record_types {
        xml.open("recordTypeVisibilities")
            .text("recordType", record_type)
            .flag("visible", true)
            .close();
    }
    xml.finish()
}

/// `customPermissions/Salespath_Bypass_Rules.customPermission-meta.xml`.
pub fn bypass_permission() -> Vec<u8> {
    let mut xml = Xml::document("CustomPermission");
    xml.text(
        "description",
        "Lets integrations and data loads save opportunities without passing the sales process's validation rules. \
         Grant it only to integration users, never to sales reps.",
    )
    .flag("isLicensed", false)
    .text("label", "Bypass sales process rules");
    xml.finish()
}

/// `settings/PathAssistant.settings-meta.xml`: Path is off in a new org.
pub fn path_settings() -> Vec<u8> {
    let mut xml = Xml::document("PathAssistantSettings");
    xml.flag("pathAssistantEnabled", true);
    xml.finish()
}
