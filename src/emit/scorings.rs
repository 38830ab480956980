//! Which lead scorings the outputs of one process describe. A file may hold many processes
//! and many scorings; listing every scoring with every process would grow with their product.

use crate::model::{FieldId, Model, Process, Scoring};
use std::collections::BTreeSet;

/// The scorings that test a field the process uses (in a stage's `requires:` or exit
/// criteria, or in one of its segments), in declaration order; every scoring when the model
/// has one process.
pub fn for_process<'m>(model: &'m Model, process: &Process) -> Vec<&'m Scoring> {
    if model.processes.len() <= 1 {
        return model.scorings.iter().collect();
    }
    let mut used: BTreeSet<FieldId> = BTreeSet::new();
    let mut add = |f: FieldId, _: &_, _| {
        used.insert(f);
    };
    for stage in &process.stages {
        if let Some(exit) = &stage.exit {
            exit.visit_fields(model, &mut add);
        }
    }
    for segment in &process.segments {
        if let Some(when) = &model.segment(*segment).when {
            when.visit_fields(model, &mut add);
        }
    }
    used.extend(process.stages.iter().flat_map(|s| &s.requires));
    model
        .scorings
        .iter()
        .filter(|scoring| {
            let mut tests_used = false;
            for rule in &scoring.rules {
                rule.when
                    .visit_fields(model, &mut |f, _, _| tests_used |= used.contains(&f));
            }
            tests_used
        })
        .collect()
}
