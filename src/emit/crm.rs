//! Pieces shared by the CRM configuration backends (HubSpot, Pipedrive).

use crate::diag::{Diagnostic, Severity};
use crate::model::{format_number, FieldId, Process, Stage};

/// The rule name of the warning a CRM backend gives when the CRM cannot hold a probability
/// exactly. It is the backend's own note, not a checker rule, so configuration does not apply.
pub const ROUNDING_RULE: &str = "crm-rounding";

/// A probability the CRM must round: where it is written, what it was and what it becomes
/// (both in percent).
pub fn rounding_warning(crm: &str, step: &str, stage: &Stage, from: f64, to: f64) -> Diagnostic {
    Diagnostic {
        rule: ROUNDING_RULE,
        severity: Severity::Warning,
        message: format!(
            "{crm} only takes probabilities in {step}: `{}` ({}%) becomes {}%",
            stage.id,
            format_number(from),
            format_number(to)
        ),
        loc: stage.locs.probability.unwrap_or(stage.loc),
        label: Some(format!("{crm} stores {}%", format_number(to))),
        help: format!(
            "write a probability {crm} can store to keep the process file and the CRM in step"
        ),
        related: Vec::new(),
    }
}

/// The probability a CRM gets for a stage, in percent. Won and lost stages are 100% and 0%;
/// an open stage without one (already a `missing-probability` warning) gets 0%, since the
/// CRMs need a number and no other guess is better.
pub fn probability_percent(stage: &Stage) -> f64 {
    match stage.outcome {
        Some(crate::model::Outcome::Won) => 100.0,
        Some(crate::model::Outcome::Lost) => 0.0,
        None => stage.probability.unwrap_or(0.0),
    }
}

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
