//! Which lead scorings the outputs of one process describe. A file may hold many processes
//! and many scorings; listing every scoring with every process would grow with their product,
//! so each process lists the scorings on its own fields, found through an index made once.

use crate::model::{FieldId, Model, Process, Scoring};
use std::collections::{BTreeMap, BTreeSet};

/// The scorings of a model by the fields they test.
pub struct Scorings<'m> {
    model: &'m Model,
    by_field: BTreeMap<FieldId, Vec<usize>>,
}

impl<'m> Scorings<'m> {
    pub fn new(model: &'m Model) -> Self {
        let mut by_field: BTreeMap<FieldId, Vec<usize>> = BTreeMap::new();
        for (i, scoring) in model.scorings.iter().enumerate() {
            for rule in &scoring.rules {
                rule.when.visit_fields(model, &mut |f, _, _| {
                    let list = by_field.entry(f).or_default();
                    if list.last() != Some(&i) {
                        list.push(i);
                    }
                });
            }
        }
        Scorings { model, by_field }
    }

    /// The scorings that test a field the process uses (in a stage's `requires:` or exit
    /// criteria, or in one of its segments), in declaration order; every scoring when the
    /// model has one process.
    pub fn for_process(&self, process: &Process) -> Vec<&'m Scoring> {
        let model = self.model;
        if model.processes.len() <= 1 {
            return model.scorings.iter().collect();
        }
        let used = crate::emit::crm::used_fields(model, process, false);
        let found: BTreeSet<usize> = used
            .iter()
            .filter_map(|f| self.by_field.get(f))
            .flatten()
            .copied()
            .collect();
        found.into_iter().map(|i| &model.scorings[i]).collect()
    }
}
