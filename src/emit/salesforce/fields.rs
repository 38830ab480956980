//! Custom fields: one per field of the model that does not name an existing Salesforce field,
//! and a formula field on Lead per lead scoring.

use super::formula::{lead_field_name, Formulas, MAX_FORMULA};
use super::names::limit;
use super::xml::Xml;
use crate::check::rules::{salesforce_field_conflict, salesforce_formula_limit};
use crate::crm::{field_name, names_existing_field, salesforce_custom_name, Crm};
use crate::diag::Diagnostic;
use crate::emit::Project;
use crate::model::{format_number, Expr, Field, FieldId, FieldType, Literal, Model, Scoring, Test};
use std::collections::{BTreeMap, BTreeSet};

/// Salesforce's limits for field labels and descriptions.
const MAX_LABEL: usize = 40;
const MAX_DESCRIPTION: usize = 1000;

/// A field file: its API name (with `__c`), contents, and what a permission set may grant.
pub struct FieldFile {
    pub name: String,
    pub xml: Vec<u8>,
    pub access: Access,
}

/// What a permission set grants on a field: Salesforce refuses edit access to a formula
/// field. No generated field is required (a permission set may not name a required field):
/// the validation rules ask for fields stage by stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    ReadEdit,
    Read,
}

/// The custom fields of every model of the build, each API name once, in order of first
/// declaration. Fields that name an existing field (`salesforce: "Amount"`) are left as they
/// are. A field imported into several files is one field, and a choice declared in two files
/// gets the values of both; two different fields that would share one name are an error.
pub fn custom_fields(project: &Project<'_>) -> Result<Vec<FieldFile>, Vec<Diagnostic>> {
    let mut merged: Vec<(&Model, FieldId, FieldType)> = Vec::new();
    let mut by_name: BTreeMap<String, usize> = BTreeMap::new();
    let mut conflicts = Vec::new();
    for unit in &project.units {
        for id in (0..unit.model.fields.len()).map(FieldId) {
            let field = unit.model.field(id);
            let name = field_name(Crm::Salesforce, field);
            // Whether created or mapped to an org field, the stage automation would write it.
            if name.eq_ignore_ascii_case(super::flows::PREVIOUS_STAGE_FIELD) {
                conflicts.push(salesforce_field_conflict::reserved(field, &name));
                continue;
            }
            if names_existing_field(Crm::Salesforce, field) {
                continue;
            }
            match by_name.get(&name) {
                None => {
                    by_name.insert(name, merged.len());
                    merged.push((unit.model, id, field.ty.clone()));
                }
                Some(&at) => {
                    let (model, f, ty) = &mut merged[at];
                    if let Err(why) = merge(model.field(*f), ty, field) {
                        conflicts.push(salesforce_field_conflict::diagnostic(
                            model.field(*f),
                            field,
                            &name,
                            why,
                        ));
                    }
                }
            }
        }
    }
    if !conflicts.is_empty() {
        return Err(conflicts);
    }
    // Which fields need decimals, worked out once per model rather than once per field.
    let mut fractional: Vec<(&Model, BTreeSet<FieldId>)> = Vec::new();
    for unit in &project.units {
        if !fractional.iter().any(|(m, _)| std::ptr::eq(*m, unit.model)) {
            fractional.push((unit.model, fields_with_fractions(unit.model)));
        }
    }
    Ok(merged
        .into_iter()
        .map(|(model, id, ty)| {
            let decimals = fractional
                .iter()
                .any(|(m, set)| std::ptr::eq(*m, model) && set.contains(&id));
            custom_field(model, id, &ty, decimals)
        })
        .collect())
}

/// Folds a later declaration of the same field into `ty`, or says why it cannot be.
fn merge(first: &Field, ty: &mut FieldType, later: &Field) -> Result<(), &'static str> {
    if first.id != later.id {
        return Err("two different fields");
    }
    match (ty, &later.ty) {
        (FieldType::Choice(values), FieldType::Choice(more)) => {
            for value in more {
                if !values.contains(value) {
                    values.push(value.clone());
                }
            }
            Ok(())
        }
        (ty, other) if ty == other => Ok(()),
        _ => Err("one field with two types"),
    }
}

/// `objects/Opportunity/fields/<Name>__c.field-meta.xml` for field `id`, with its type as
/// merged across the build.
fn custom_field(model: &Model, id: FieldId, ty: &FieldType, fractional: bool) -> FieldFile {
    let name = field_name(Crm::Salesforce, model.field(id));
    custom_field_named(model, id, ty, fractional, name, None)
}

/// A custom field for field `id` under `name`, described by `description` when given, else
/// by the field's own description.
fn custom_field_named(
    model: &Model,
    id: FieldId,
    ty: &FieldType,
    fractional: bool,
    name: String,
    description: Option<&str>,
) -> FieldFile {
    let field = model.field(id);
    let mut xml = Xml::document("CustomField");
    xml.text("fullName", &name);
    if *ty == FieldType::Bool {
        xml.text("defaultValue", "false");
    }
    if let Some(description) = description.or(field.description.as_deref()) {
        xml.text("description", &limit(description, MAX_DESCRIPTION));
    }
    xml.text("label", &limit(&field.label, MAX_LABEL));
    let decimals = if fractional { 2 } else { 0 };
    match ty {
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
    FieldFile {
        name,
        xml: xml.finish(),
        access: Access::ReadEdit,
    }
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

/// The fields that some condition compares with a number that has decimals, so they need
/// decimals too.
fn fields_with_fractions(model: &Model) -> BTreeSet<FieldId> {
    let mut found = BTreeSet::new();
    for expr in every_condition(model) {
        expr.visit_own_fields(&mut |f, test, _| {
            let literals: &[Literal] = match test {
                Test::Compare(_, value) => std::slice::from_ref(value),
                Test::In(values) => values,
                _ => &[],
            };
            if literals
                .iter()
                .any(|l| matches!(l, Literal::Number(n) if n.fract() != 0.0))
            {
                found.insert(f);
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

/// A Lead field a lead score reads, and the standard Opportunity field it stands in for, if
/// any (conversion cannot carry a custom Lead field to a standard field).
pub struct LeadField {
    pub file: FieldFile,
    pub stands_for: Option<String>,
}

/// The fields a lead scoring reads, as Lead fields of the same type, so its formula compiles
/// on Lead: custom fields under the same name; standard Opportunity fields Lead lacks
/// (`Amount`) as a custom field named after the field's id (`Amount__c`,
/// [`lead_field_name`]). Standard fields Lead shares (`LeadSource`) are read as they are.
pub fn lead_fields(model: &Model, scoring: &Scoring) -> Vec<LeadField> {
    let mut ids: Vec<FieldId> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut pending: Vec<&Expr> = scoring.rules.iter().rev().map(|r| &r.when).collect();
    while let Some(expr) = pending.pop() {
        expr.visit_own_fields(&mut |f, _, _| {
            if !ids.contains(&f) {
                ids.push(f);
            }
        });
        for criteria in expr.named_criteria() {
            if seen.insert(criteria) {
                pending.extend(model.criteria(criteria).items.iter().rev().map(|i| &i.expr));
            }
        }
    }
    let fractional = fields_with_fractions(model);
    ids.into_iter()
        .filter_map(|f| {
            let field = model.field(f);
            let name = lead_field_name(field);
            if !name.ends_with("__c") {
                return None;
            }
            let opportunity = field_name(Crm::Salesforce, field);
            let stands_for = (opportunity != name).then_some(opportunity);
            let description = stands_for.as_ref().map(|standard| {
                format!(
                    "The lead's {} for the lead scores: Lead has no {standard} field, and \
                     conversion does not copy this one to Opportunity.{standard}.",
                    field.label
                )
            });
            let file = custom_field_named(
                model,
                f,
                &field.ty.clone(),
                fractional.contains(&f),
                name,
                description.as_deref(),
            );
            Some(LeadField { file, stands_for })
        })
        .collect()
}

/// `objects/Lead/fields/<Name>__c.field-meta.xml`: the score as a formula adding each rule's
/// points when its condition holds, measured first: a formula Salesforce cannot hold is a
/// diagnostic. `formulas` read Lead fields: the fields [`lead_fields`] gives.
pub fn scoring_field(
    formulas: &mut Formulas<'_>,
    scoring: &Scoring,
) -> Result<FieldFile, Box<Diagnostic>> {
    let name = salesforce_custom_name(&scoring.id);
    // `IF(<condition>, <points>, 0)` per rule, joined by ` + `.
    let mut length: u64 = 0;
    for rule in &scoring.rules {
        let term = 10 + format_number(rule.points).len() as u64;
        length = length
            .saturating_add(formulas.measure(&rule.when))
            .saturating_add(term);
    }
    if length > MAX_FORMULA {
        return Err(Box::new(salesforce_formula_limit::diagnostic(
            scoring.loc,
            &format!("the rules of scoring `{}`", scoring.id),
            length,
        )));
    }
    let terms: Vec<String> = scoring
        .rules
        .iter()
        .map(|rule| {
            format!(
                "IF({}, {}, 0)",
                formulas.compile(&rule.when),
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
    let stand_ins = lead_fields(formulas.model(), scoring)
        .iter()
        .any(|f| f.stands_for.is_some());
    let description = format!(
        "{}: a lead scores {} or more to qualify. The formula reads Lead fields with the same API names as the Opportunity fields of the process{}.",
        scoring.label,
        format_number(scoring.threshold),
        if stand_ins {
            ", and Lead custom fields for the standard Opportunity fields Lead lacks"
        } else {
            ""
        }
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
    Ok(FieldFile {
        name,
        xml: xml.finish(),
        access: Access::Read,
    })
}

/// `objects/Opportunity/fields/Salespath_Previous_Stage__c.field-meta.xml`: the stage a deal
/// left at its last stage change, kept by a before-save flow for the exit flows. Read only for
/// people: only the flow writes it.
pub fn previous_stage_field() -> FieldFile {
    let name = super::flows::PREVIOUS_STAGE_FIELD.to_string();
    let mut xml = Xml::document("CustomField");
    xml.text("fullName", &name)
        .text(
            "description",
            "The stage this opportunity was in before its last stage change. Set by the flow \
             Opportunity_Previous_Stage; the exit automation flows start when it changes.",
        )
        .text("label", "Previous Stage");
    size(&mut xml, Some(255), None, None, "Text");
    FieldFile {
        name,
        xml: xml.finish(),
        access: Access::Read,
    }
}
