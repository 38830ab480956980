//! Pieces shared by the CRM configuration backends (HubSpot, Pipedrive).

use super::Project;
use crate::check::rules::crm_rounding::{self, Rounded};
use crate::diag::Diagnostic;
use crate::model::{FieldId, Process, Stage};
use crate::source::Loc;
use std::collections::BTreeSet;

/// The `crm-rounding` warnings of one CRM over the build: one per process, naming every
/// stage whose probability `store` changes. Each probability line is reported once, so a
/// variant built with its base reports only the probabilities it writes itself.
pub fn rounding_warnings(
    project: &Project<'_>,
    crm: &str,
    step: &str,
    store: fn(f64) -> f64,
) -> Vec<Diagnostic> {
    let mut reported: BTreeSet<Loc> = BTreeSet::new();
    let mut out = Vec::new();
    for (model, id) in project.processes() {
        let process = model.process(id);
        let rounded: Vec<Rounded<'_>> = process
            .stages
            .iter()
            .filter_map(|stage| {
                let written = probability_percent(stage);
                let stored = store(written);
                let at = stage.locs.probability.unwrap_or(stage.loc);
                ((stored - written).abs() > 1e-9 && reported.insert(at)).then_some(Rounded {
                    stage,
                    written,
                    stored,
                })
            })
            .collect();
        out.extend(crm_rounding::diagnostic(crm, step, &process.id, &rounded));
    }
    out
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
