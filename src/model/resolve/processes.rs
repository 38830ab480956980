//! Processes and their stages, from their flattened form (see `variants`).

use super::variants::{flatten_variants, Flat};
use super::*;

impl<'a> Resolver<'a> {
    pub(super) fn resolve_processes(&mut self, decls: &[(FileId, &'a ast::Declaration)]) {
        let processes: Vec<&'a ast::Process> = decls
            .iter()
            .filter_map(|(_, d)| match d {
                ast::Declaration::Process(p) => Some(p),
                _ => None,
            })
            .collect();
        let flattened = flatten_variants(&processes, &self.processes, &mut self.diagnostics);
        for (index, process) in processes.iter().enumerate() {
            // A second declaration of one name was reported; only the first is resolved.
            if self.processes.get(process.name.text.as_str()) != Some(&index) {
                continue;
            }
            let flat = &flattened[index];
            let resolved = self.process(process, flat);
            self.model.processes.push(resolved.0);
            self.incomplete.push(resolved.1);
        }
        // `base` ids refer to positions in the resolved list.
        let positions: HashMap<String, usize> = self
            .model
            .processes
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        for (index, process) in processes.iter().enumerate() {
            if self.processes.get(process.name.text.as_str()) != Some(&index) {
                continue;
            }
            if let (Some(base), Some(&me)) = (&process.extends, positions.get(&process.name.text)) {
                self.model.processes[me].base = positions.get(&base.text).map(|&i| ProcessId(i));
            }
        }
    }

    /// Resolves one process from its flattened (inherited and restated) form. Returns the
    /// process and whether its graph is incomplete because of an error already reported.
    fn process(&mut self, process: &'a ast::Process, flat: &Flat<'a>) -> (Process, bool) {
        let mut incomplete = flat.broken;
        let segments = match flat.segments {
            Some(list) => list.iter().filter_map(|n| self.segment(n)).collect(),
            None => Vec::new(),
        };
        if flat.orphan {
            // Without its base the stages mean nothing as a process; their own names are
            // still looked up, so a wrong role is reported and a used field is not unused.
            for stage in &flat.stages {
                self.stage(stage);
            }
            let empty = Flat {
                stages: Vec::new(),
                ..flat.clone()
            };
            return (self.finish(process, &empty, segments, Vec::new()), true);
        }

        // Stage ids first, so transitions can refer to any stage.
        let mut index: HashMap<&str, StageId> = HashMap::new();
        let mut stage_decls: Vec<&ast::Stage> = Vec::new();
        for stage in flat.stages.iter().map(AsRef::as_ref) {
            if let Some(&first) = index.get(stage.name.text.as_str()) {
                self.diagnostics.push(duplicate_definition::diagnostic(
                    "stage",
                    &stage.name.text,
                    stage.name.span,
                    stage_decls[first.0].name.span,
                ));
                continue;
            }
            index.insert(&stage.name.text, StageId(stage_decls.len()));
            stage_decls.push(stage);
        }
        let mut stages: Vec<Stage> = stage_decls.iter().map(|s| self.stage(s)).collect();

        if !self.link(flat, &stage_decls, &index, &mut stages) {
            incomplete = true;
        }

        graph::fill_required_here(&mut stages);
        (self.finish(process, flat, segments, stages), incomplete)
    }

    /// The process with its properties and resolved stages.
    fn finish(
        &self,
        process: &ast::Process,
        flat: &Flat<'_>,
        segments: Vec<SegmentId>,
        stages: Vec<Stage>,
    ) -> Process {
        Process {
            id: process.name.text.clone(),
            renamed_from: renamed(process.renamed_from.as_ref()),
            label: match flat.label {
                Some(text) => text.value.clone(),
                None => label_from_id(&process.name.text),
            },
            model: flat.model.map(|m| m.value),
            owner: flat.owner.map(|t| t.value.clone()),
            description: flat.description.map(|t| t.value.clone()),
            segments,
            stages,
            base: None,
            loc: process.name.span,
        }
    }

    fn stage(&mut self, s: &ast::Stage) -> Stage {
        let outcome = s.outcome.as_ref().map(|o| o.value);
        let owner = s.owner.as_ref().and_then(|n| self.role(n));
        let tools = s
            .tools
            .iter()
            .flatten()
            .filter_map(|n| self.tool(n))
            .collect();
        let mut requires: Vec<FieldId> = Vec::new();
        let mut unresolved_requires = false;
        for name in s.requires.iter().flatten() {
            match self.field(name) {
                Some(id) if !requires.contains(&id) => requires.push(id),
                Some(_) => {}
                None => unresolved_requires = true,
            }
        }
        let exit = s.exit.as_ref().and_then(|e| self.expr(e));
        let automations = s
            .automations
            .iter()
            .flatten()
            .filter_map(|a| {
                let action = match &a.action {
                    ast::Action::Task { text, role, due } => Action::Task {
                        text: text.value.clone(),
                        role: match role {
                            Some(r) => Some(self.role(r)?),
                            None => None,
                        },
                        due: *due,
                    },
                    ast::Action::Email { template, after } => Action::Email {
                        template: template.value.clone(),
                        after: *after,
                    },
                    ast::Action::Notify { role } => Action::Notify {
                        role: self.role(role)?,
                    },
                };
                let trigger = match a.trigger {
                    ast::Trigger::Entered => Trigger::Entered,
                    ast::Trigger::Exited => Trigger::Exited,
                    ast::Trigger::Stale => Trigger::Stale,
                };
                Some(Automation { trigger, action })
            })
            .collect();
        let probability = s.probability.as_ref().map(|p| p.value).or(match outcome {
            Some(Outcome::Won) => Some(100.0),
            Some(Outcome::Lost) => Some(0.0),
            None => None,
        });
        let forecast = s
            .forecast
            .as_ref()
            .map(|f| f.value)
            .unwrap_or(match outcome {
                Some(Outcome::Won) => Forecast::Closed,
                Some(Outcome::Lost) => Forecast::Omitted,
                None => Forecast::Pipeline,
            });
        Stage {
            id: s.name.text.clone(),
            renamed_from: renamed(s.renamed_from.as_ref()),
            label: label(&s.name, &s.label),
            owner,
            probability,
            forecast,
            outcome,
            objective: s.objective.as_ref().map(|t| t.value.clone()),
            description: s.description.as_ref().map(|t| t.value.clone()),
            expected: s.expected.as_ref().map(|d| d.value),
            stale_after: s.stale_after.as_ref().map(|d| d.value),
            activities: s
                .activities
                .iter()
                .flatten()
                .map(|t| t.value.clone())
                .collect(),
            tools,
            requires,
            exit,
            follow_ups: s
                .follow_ups
                .iter()
                .flatten()
                .map(|f| FollowUp {
                    text: f.text.value.clone(),
                    after: f.after,
                })
                .collect(),
            automations,
            guidance: s.guidance.as_ref().map(|t| t.value.clone()),
            crm: CrmNames::of(&s.salesforce, &s.hubspot, &s.pipedrive),
            next: Vec::new(),
            required_here: Vec::new(),
            unresolved_next: false,
            unresolved_from: false,
            unresolved_requires,
            loc: s.name.span,
            locs: StageLocs {
                owner: s.owner.as_ref().map(|n| n.span),
                probability: s.probability.as_ref().map(|p| p.span),
                expected: s.expected.as_ref().map(|p| p.span),
                stale_after: s.stale_after.as_ref().map(|p| p.span),
                next: s.next.as_ref().map(|p| p.span),
                exit: s.exit.as_ref().map(|e| e.span()),
            },
        }
    }
}

/// `renamed_from:` as the model keeps it.
pub(super) fn renamed(name: Option<&ast::Name>) -> Option<crate::model::Renamed> {
    name.map(|n| crate::model::Renamed {
        id: n.text.clone(),
        loc: n.span,
    })
}
