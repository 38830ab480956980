//! `<process>.hubspot.properties.json`: the body of
//! `POST /crm/v3/properties/deals/batch/create`, one input per deal property to create.

use crate::crm::{field_name, Crm};
use crate::model::{Field, FieldId, FieldType, Model};
use serde::Serialize;

/// The property group HubSpot creates every portal with for deals.
pub const GROUP: &str = "dealinformation";

#[derive(Serialize)]
pub struct BatchCreate {
    inputs: Vec<PropertyInput>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PropertyInput {
    name: String,
    label: String,
    #[serde(rename = "type")]
    ty: &'static str,
    field_type: &'static str,
    group_name: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    number_display_hint: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    options: Vec<PropertyOption>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PropertyOption {
    label: String,
    value: String,
    display_order: usize,
}

/// HubSpot's type of a field: the API's `type` and `fieldType`, and how its settings name it.
pub struct PropertyType {
    pub ty: &'static str,
    pub field_type: &'static str,
    pub settings: &'static str,
    number_display_hint: Option<&'static str>,
}

pub fn property_type(ty: &FieldType) -> PropertyType {
    let of = |ty, field_type, settings, hint| PropertyType {
        ty,
        field_type,
        settings,
        number_display_hint: hint,
    };
    match ty {
        FieldType::Text => of("string", "text", "Single-line text", None),
        FieldType::Number => of("number", "number", "Number", None),
        FieldType::Currency => of(
            "number",
            "number",
            "Number, formatted as currency",
            Some("currency"),
        ),
        FieldType::Percent => of(
            "number",
            "number",
            "Number, formatted as percentage",
            Some("percentage"),
        ),
        FieldType::Date => of("date", "date", "Date picker", None),
        FieldType::Bool => of("bool", "booleancheckbox", "Single checkbox", None),
        FieldType::Choice(_) => of("enumeration", "select", "Dropdown select", None),
    }
}

/// The options a property needs: a choice's values, and for a checkbox the two values
/// HubSpot requires of a `bool` property.
fn options(ty: &FieldType) -> Vec<PropertyOption> {
    let option = |(i, (label, value)): (usize, (&str, &str))| PropertyOption {
        label: label.to_string(),
        value: value.to_string(),
        display_order: i,
    };
    match ty {
        FieldType::Bool => [("Yes", "true"), ("No", "false")]
            .into_iter()
            .enumerate()
            .map(option)
            .collect(),
        FieldType::Choice(choices) => choices
            .iter()
            .map(|c| (c.as_str(), c.as_str()))
            .enumerate()
            .map(option)
            .collect(),
        _ => Vec::new(),
    }
}

fn input(field: &Field) -> PropertyInput {
    let ty = property_type(&field.ty);
    PropertyInput {
        name: field_name(Crm::HubSpot, field),
        label: field.label.clone(),
        ty: ty.ty,
        field_type: ty.field_type,
        group_name: GROUP,
        description: field.description.clone(),
        number_display_hint: ty.number_display_hint,
        options: options(&field.ty),
    }
}

/// The request body creating `fields`.
pub fn batch(model: &Model, fields: &[FieldId]) -> BatchCreate {
    BatchCreate {
        inputs: fields.iter().map(|f| input(model.field(*f))).collect(),
    }
}
