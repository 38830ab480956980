//! Custom fields: one per field of the model that does not name an existing Salesforce field,
//! and a formula field on Lead per lead scoring.

use super::formula;
use super::names::{field_api_name, limit};
use super::xml::Xml;
use crate::model::{format_number, Expr, Field, FieldId, FieldType, Literal, Model, Scoring, Test};

/// Salesforce's limits for field labels and descriptions.
const MAX_LABEL: usize = 40;
const MAX_DESCRIPTION: usize = 1000;

/// A field file: its API name (with `__c`) and contents.
pub struct FieldFile {
    pub name: String,
    pub xml: Vec<u8>,
}

/// `objects/Opportunity/fields/<Name>__c.field-meta.xml` for `field`, or `None` when it names
/// an existing field (`salesforce: "Amount"`), which is left as it is.
pub fn custom_field(model: &Model, id: FieldId) -> Option<FieldFile> {
    let field = model.field(id);
    if field.crm.salesforce.is_some() {
        return None;
    }
    let name = field_api_name(field);
    let mut xml = Xml::document("CustomField");
    xml.text("fullName", &name);
    if field.ty == FieldType::Bool {
        xml.text("defaultValue", "false");
    }
    if let Some(description) = &field.description {
        xml.text("description", &limit(description, MAX_DESCRIPTION));
    }
    xml.text("label", &limit(&field.label, MAX_LABEL));
    let decimals = if has_fractional_literal(model, id) {
        2
    } else {
        0
    };
    match &field.ty {
        FieldType::Text => size(&mut xml, Some(255), None, None, "Text"),
        FieldType::Number => size(&mut xml, None, Some(18), Some(decimals), "Number"),
        FieldType::Currency => size(&mut xml, None, Some(18), Some(2), "Currency"),
        FieldType::Percent => size(&mut xml, None, Some(5), Some(2), "Percent"),
        FieldType::Date => size(&mut xml, None, None, None, "Date"),
        FieldType::Bool => {
            xml.text("type", "Checkbox");
        }
        FieldType::Choice(values) => {
            xml.flag("required", false).text("type", "Picklist");
            picklist(&mut xml, values);
        }
    }
    Some(FieldFile {
        name,
        xml: xml.finish(),
    })
}

/// `length`, `precision`, `required`, `scale` and `type`, in the schema's order.
fn size(xml: &mut Xml, length: Option<u32>, precision: Option<u32>, scale: Option<u32>, ty: &str) {
    if let Some(length) = length {
        xml.text("length", &length.to_string());
    }
    if let Some(precision) = precision {
        xml.text("precision", &precision.to_string());
    }
    xml.flag("required", false);
    if let Some(scale) = scale {
        xml.text("scale", &scale.to_string());
    }
    xml.text("type", ty);
}

/// The choices as a restricted value set, in the order written.
fn picklist(xml: &mut Xml, values: &[String]) {
    xml.open("valueSet")
        .flag("restricted", true)
        .open("valueSetDefinition")
        .flag("sorted", false);
    for value in values {
        xml.open("value")
            .text("fullName", value)
            .flag("default", false)
            .text("label", value)
            .close();
    }
    xml.close().close();
}

/// True when some condition compares `field` with a number that has decimals, so the
/// field needs them too.
fn has_fractional_literal(model: &Model, field: FieldId) -> bool {
    let mut found = false;
    for expr in every_condition(model) {
        expr.visit_fields(model, &mut |f, test, _| {
            let literals: &[Literal] = match test {
                Test::Compare(_, value) => std::slice::from_ref(value),
                Test::In(values) => values,
                _ => &[],
            };
            if f == field
                && literals
                    .iter()
                    .any(|l| matches!(l, Literal::Number(n) if n.fract() != 0.0))
            {
                found = true;
            }
        });
    }
    found
}

/// Every condition written in the model: exits, segments, criteria and scoring rules.
fn every_condition(model: &Model) -> Vec<&Expr> {
    let exits = model
        .processes
        .iter()
        .flat_map(|p| p.stages.iter().filter_map(|s| s.exit.as_ref()));
    let segments = model.segments.iter().filter_map(|s| s.when.as_ref());
    let criteria = model
        .criteria
        .iter()
        .flat_map(|c| c.items.iter().map(|i| &i.expr));
    let scores = model
        .scorings
        .iter()
        .flat_map(|s| s.rules.iter().map(|r| &r.when));
    exits
        .chain(segments)
        .chain(criteria)
        .chain(scores)
        .collect()
}

/// `objects/Lead/fields/<Name>__c.field-meta.xml`: the score as a formula adding each rule's
/// points when its condition holds. It assumes the Lead has fields with the same API names as
/// the Opportunity fields the conditions test (this backend does not create them on Lead).
pub fn scoring_field(model: &Model, scoring: &Scoring) -> FieldFile {
    let stand_in = Field {
        id: scoring.id.clone(),
        label: scoring.label.clone(),
        ty: FieldType::Number,
        description: None,
        crm: Default::default(),
        loc: scoring.loc,
    };
    let name = field_api_name(&stand_in);
    let terms: Vec<String> = scoring
        .rules
        .iter()
        .map(|rule| {
            format!(
                "IF({}, {}, 0)",
                formula::condition(model, &rule.when),
                format_number(rule.points)
            )
        })
        .collect();
    let total = if terms.is_empty() {
        "0".to_string()
    } else {
        terms.join(" + ")
    };
    let decimals = if scoring.rules.iter().any(|r| r.points.fract() != 0.0) {
        2
    } else {
        0
    };
    let description = format!(
        "{}: a lead scores {} or more to qualify. The formula reads Lead fields with the same API names as the Opportunity fields of the process.",
        scoring.label,
        format_number(scoring.threshold)
    );
    let mut xml = Xml::document("CustomField");
    xml.text("fullName", &name)
        .text("description", &limit(&description, MAX_DESCRIPTION))
        .text("formula", &total)
        .text("formulaTreatBlanksAs", "BlankAsZero")
        .text("label", &limit(&scoring.label, MAX_LABEL))
        .text("precision", "18")
        .text("scale", &decimals.to_string())
        .text("type", "Number");
    FieldFile {
        name,
        xml: xml.finish(),
    }
}

/// Every field id of a model, in declaration order, for callers that want them all.
pub fn field_ids(model: &Model) -> impl Iterator<Item = FieldId> {
    (0..model.fields.len()).map(FieldId)
}
