//! The probabilities each CRM stores, and the one rule by which it rounds them.

use super::Crm;
use crate::check::rules::crm_rounding::{self, Rounded};
use crate::diag::Diagnostic;
use crate::emit::Project;
use crate::model::{Outcome, Stage};
use crate::source::Loc;
use std::collections::BTreeSet;

/// A stage's probability in percent as the CRMs get it: 100 for a won stage and 0 for a lost
/// one (set here, once), the stage's own for an open one, none when it has none.
pub fn written(stage: &Stage) -> Option<f64> {
    match stage.outcome {
        Some(Outcome::Won) => Some(100.0),
        Some(Outcome::Lost) => Some(0.0),
        None => stage.probability,
    }
}

/// A stand-in for an open stage without a probability, for a CRM that needs one (HubSpot):
/// the stage's place between the nearest open stages before and after it that have one, as
/// if probabilities rose evenly from 0% before the first stage to 100% at the won stage.
/// `stages` is the process's stages in display order and `index` the stage's place in them.
pub fn estimated(stages: &[Stage], index: usize) -> f64 {
    let open: Vec<(usize, Option<f64>)> = stages
        .iter()
        .enumerate()
        .filter(|(_, s)| s.is_open())
        .map(|(i, s)| (i, s.probability))
        .collect();
    let Some(at) = open.iter().position(|(i, _)| *i == index) else {
        return stages.get(index).and_then(written).unwrap_or(0.0);
    };
    let (before_at, before) = open[..at]
        .iter()
        .enumerate()
        .rev()
        .find_map(|(k, (_, p))| p.map(|p| (k as f64, p)))
        .unwrap_or((-1.0, 0.0));
    let (after_at, after) = open[at + 1..]
        .iter()
        .enumerate()
        .find_map(|(k, (_, p))| p.map(|p| ((at + 1 + k) as f64, p)))
        .unwrap_or((open.len() as f64, 100.0));
    before + (after - before) * (at as f64 - before_at) / (after_at - before_at)
}

/// What `crm` stores for `percent`, in percent: Salesforce and Pipedrive whole percents,
/// HubSpot steps of 10% (a fraction with one decimal). Halves round away from zero.
pub fn stored(crm: Crm, percent: f64) -> f64 {
    let step = step(crm).0;
    ((percent / step).round() * step).clamp(0.0, 100.0)
}

/// The step `crm` stores probabilities in, in percent, and how to say it.
fn step(crm: Crm) -> (f64, &'static str) {
    match crm {
        Crm::Salesforce | Crm::Pipedrive => (1.0, "whole percents"),
        Crm::HubSpot => (10.0, "steps of 10%"),
    }
}

/// The `crm-rounding` warnings of `crm` over the build: one per process, naming every stage
/// whose probability the CRM changes. Each probability line is reported once, so a variant
/// built with its base reports only the probabilities it writes itself.
pub fn rounding(project: &Project<'_>, crm: Crm) -> Vec<Diagnostic> {
    let mut reported: BTreeSet<Loc> = BTreeSet::new();
    let mut out = Vec::new();
    for (model, id) in project.processes() {
        let process = model.process(id);
        let rounded: Vec<Rounded<'_>> = process
            .stages
            .iter()
            .filter_map(|stage| {
                let written = written(stage)?;
                let stored = stored(crm, written);
                let at = stage.locs.probability.unwrap_or(stage.loc);
                ((stored - written).abs() > 1e-9 && reported.insert(at)).then_some(Rounded {
                    stage,
                    written,
                    stored,
                })
            })
            .collect();
        out.extend(crm_rounding::diagnostic(
            crm.name(),
            step(crm).1,
            &process.id,
            &rounded,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_crm_rounds_by_one_rule() {
        assert_eq!(stored(Crm::Salesforce, 12.5), 13.0);
        assert_eq!(stored(Crm::Pipedrive, 12.5), 13.0);
        assert_eq!(stored(Crm::HubSpot, 12.5), 10.0);
        assert_eq!(stored(Crm::HubSpot, 15.0), 20.0);
        assert_eq!(stored(Crm::HubSpot, 100.0), 100.0);
        assert_eq!(stored(Crm::Salesforce, 60.0), 60.0);
    }
}
