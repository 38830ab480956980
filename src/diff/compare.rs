//! Comparing two resolved models. Processes, stages and fields are matched by id, or by
//! `renamed_from:` when the new version says it was renamed; exit conditions are compared
//! clause by clause, criteria expanded to their items, and a bound that moved is one change.

use super::text::Text;
use super::{Change, Kind, Verdict, Verdicts};
use crate::crm::{effect, Crm, Destination, Event};
use crate::emit::english;
use crate::model::{
    CompareOp, CriteriaId, Duration, Expr, Field, FieldType, Literal, Model, Process, Stage,
};
use std::collections::BTreeSet;

/// Every change from `old` to `new`, judged for every destination.
pub fn diff(old: &Model, new: &Model) -> Vec<Change> {
    diff_for(old, new, &Destination::ALL)
}

/// Every change from `old` to `new`, judged for the destinations `to`: processes and their
/// stages (in the new order, removals first), then fields, then criteria no exit uses.
pub fn diff_for(old: &Model, new: &Model, to: &[Destination]) -> Vec<Change> {
    let mut out = Changes {
        to,
        list: Vec::new(),
    };
    // Stages and criteria are compared with the old fields under their new ids, so a renamed
    // field is one change, not a change in every condition that uses it.
    let renamed_fields = with_new_field_ids(old, new);
    let full_old = old;
    let old = &renamed_fields;
    let m = Pair { old, new };
    let pairs = pair_up(&old.processes, &new.processes, |p| {
        (&p.id, p.renamed_from.as_ref().map(|r| r.id.as_str()))
    });
    for (i, p) in old.processes.iter().enumerate() {
        if !pairs.iter().any(|(o, _)| *o == i) {
            let text = Text::new()
                .words("process ")
                .name(&p.label, &p.id)
                .words(" was removed");
            let hint = new
                .processes
                .iter()
                .enumerate()
                .filter(|(j, _)| !pairs.iter().any(|(_, n)| n == j))
                .find(|(_, n)| n.label == p.label)
                .map(|(_, n)| rename_hint(&p.label, &p.id, &n.id));
            out.push(
                Kind::ProcessRemoved,
                Place::process(p),
                text,
                hint,
                &Event::ProcessRemoved {
                    process: p,
                    rest: &new.processes,
                },
            );
        }
    }
    for (j, p) in new.processes.iter().enumerate() {
        match pairs.iter().find(|(_, n)| *n == j) {
            None => out.push(
                Kind::ProcessAdded,
                Place::process(p),
                Text::new()
                    .words("process ")
                    .name(&p.label, &p.id)
                    .words(" was added"),
                None,
                &Event::ProcessAdded(p),
            ),
            Some((o, _)) => out.compare_process(m, &old.processes[*o], p),
        }
    }
    out.compare_fields(full_old, new);
    out.compare_criteria(old, new);
    out.list
}

/// `old` with each field that `new` renames (`renamed_from:`) under its new id.
fn with_new_field_ids(old: &Model, new: &Model) -> Model {
    let mut model = old.clone();
    let pairs = pair_up(&old.fields, &new.fields, |f| {
        (&f.id, f.renamed_from.as_ref().map(|r| r.id.as_str()))
    });
    for (i, j) in pairs {
        model.fields[i].id = new.fields[j].id.clone();
    }
    model
}

/// Pairs of (old index, new index): first every `renamed_from:` that names an old item, then
/// the same id.
fn pair_up<T>(
    old: &[T],
    new: &[T],
    key: impl Fn(&T) -> (&String, Option<&str>),
) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (j, n) in new.iter().enumerate() {
        if let Some(from) = key(n).1 {
            if let Some(i) = old.iter().position(|o| key(o).0 == from) {
                if !pairs.iter().any(|(o, _)| *o == i) {
                    pairs.push((i, j));
                }
            }
        }
    }
    for (j, n) in new.iter().enumerate() {
        if pairs.iter().any(|(_, p)| *p == j) {
            continue;
        }
        if let Some(i) = old.iter().position(|o| key(o).0 == key(n).0) {
            if !pairs.iter().any(|(o, _)| *o == i) {
                pairs.push((i, j));
            }
        }
    }
    pairs
}

fn rename_hint(label: &str, old_id: &str, new_id: &str) -> Text {
    Text::new()
        .words(format!("{label} looks renamed from "))
        .code(old_id)
        .words(" to ")
        .code(new_id)
        .words(": write ")
        .code(format!("renamed_from: {old_id}"))
        .words(" in ")
        .code(new_id)
        .words(" to compare them as one")
}

/// The old and new models, for names.
#[derive(Clone, Copy)]
struct Pair<'m> {
    old: &'m Model,
    new: &'m Model,
}

/// Where a change is.
#[derive(Default)]
struct Place {
    process: Option<String>,
    stage: Option<String>,
    field: Option<String>,
}

impl Place {
    fn process(p: &Process) -> Place {
        Place {
            process: Some(p.id.clone()),
            ..Place::default()
        }
    }
    fn stage(p: &Process, s: &Stage) -> Place {
        Place {
            process: Some(p.id.clone()),
            stage: Some(s.id.clone()),
            field: None,
        }
    }
    fn field(f: &Field) -> Place {
        Place {
            field: Some(f.id.clone()),
            ..Place::default()
        }
    }
}

struct Changes<'t> {
    to: &'t [Destination],
    list: Vec<Change>,
}

impl Changes<'_> {
    fn push(&mut self, kind: Kind, place: Place, text: Text, hint: Option<Text>, event: &Event) {
        let verdicts: Vec<(Destination, Verdict)> = self
            .to
            .iter()
            .map(|&to| {
                let e = effect(to, event);
                let verdict = if e.breaking { "breaking" } else { "safe" };
                (
                    to,
                    Verdict {
                        verdict,
                        quiet: e.is_unchanged(),
                        effect: e.text,
                    },
                )
            })
            .collect();
        self.list.push(Change {
            kind,
            breaking: verdicts.iter().any(|(_, v)| v.is_breaking()),
            process: place.process,
            stage: place.stage,
            field: place.field,
            message: text.plain(),
            text,
            hint: hint.as_ref().map(Text::plain),
            hint_text: hint,
            crm: Verdicts(verdicts),
        });
    }

    fn compare_process(&mut self, m: Pair<'_>, old: &Process, new: &Process) {
        if old.id != new.id || old.label != new.label {
            let (kind, text) = if old.id != new.id {
                (
                    Kind::ProcessRenamed,
                    Text::new()
                        .words("process ")
                        .name(&old.label, &old.id)
                        .words(" renamed to ")
                        .name(&new.label, &new.id),
                )
            } else {
                (
                    Kind::ProcessRelabelled,
                    Text::new().words(format!(
                        "process \"{}\" relabelled \"{}\" (",
                        old.label, new.label
                    )),
                )
            };
            let text = if old.id == new.id {
                text.code(&new.id).words(")")
            } else {
                text
            };
            self.push(
                kind,
                Place::process(new),
                text,
                None,
                &Event::ProcessRenamed { old, new },
            );
        }
        if old.owner != new.owner {
            let text = Text::new().words(format!(
                "owner of {} changed from {} to {}",
                new.label,
                text_or_none(&old.owner),
                text_or_none(&new.owner)
            ));
            self.push(
                Kind::ProcessOwnerChanged,
                Place::process(new),
                text,
                None,
                &Event::PlaybookOnly,
            );
        }
        let pairs = pair_up(&old.stages, &new.stages, |s| {
            (&s.id, s.renamed_from.as_ref().map(|r| r.id.as_str()))
        });
        let added: Vec<usize> = (0..new.stages.len())
            .filter(|j| !pairs.iter().any(|(_, n)| n == j))
            .collect();
        for (i, s) in old.stages.iter().enumerate() {
            if pairs.iter().any(|(o, _)| *o == i) {
                continue;
            }
            let hint = added
                .iter()
                .map(|&j| &new.stages[j])
                .find(|n| n.label == s.label || same_properties(m, s, n))
                .map(|n| rename_hint(&s.label, &s.id, &n.id));
            let text = Text::new()
                .words(format!("stage {} (", s.label))
                .code(&s.id)
                .words(format!(") was removed from {}", new.label));
            self.push(
                Kind::StageRemoved,
                Place::stage(new, s),
                text,
                hint,
                &Event::StageRemoved {
                    stage: s,
                    after: new,
                },
            );
        }
        for &j in &added {
            let s = &new.stages[j];
            let text = Text::new()
                .words(format!("stage {} (", s.label))
                .code(&s.id)
                .words(format!(") was added to {}", new.label));
            self.push(
                Kind::StageAdded,
                Place::stage(new, s),
                text,
                None,
                &Event::StageAdded {
                    stage: s,
                    before: old,
                },
            );
        }
        let kept: Vec<(&Stage, &Stage)> = pairs
            .iter()
            .map(|&(i, j)| (&old.stages[i], &new.stages[j]))
            .collect();
        self.compare_order(new, &pairs);
        for s in &new.stages {
            if let Some((o, _)) = kept.iter().find(|(_, n)| n.id == s.id) {
                self.compare_stage(m, (old, new), &kept, o, s);
            }
        }
    }

    /// Stages kept in both versions that changed place: those outside the longest run that
    /// kept its relative order.
    fn compare_order(&mut self, new: &Process, pairs: &[(usize, usize)]) {
        let mut by_old: Vec<(usize, usize)> = pairs.to_vec();
        by_old.sort();
        let old_order: Vec<usize> = by_old.iter().map(|(_, j)| *j).collect();
        let mut new_order = old_order.clone();
        new_order.sort();
        let kept = longest_common_subsequence(&old_order, &new_order);
        for &(i, j) in pairs {
            if !kept.contains(&j) {
                let s = &new.stages[j];
                let text = Text::new()
                    .words(format!("stage {} (", s.label))
                    .code(&s.id)
                    .words(format!(") moved from position {} to {}", i + 1, j + 1));
                self.push(
                    Kind::StageReordered,
                    Place::stage(new, s),
                    text,
                    None,
                    &Event::StageReordered,
                );
            }
        }
    }

    fn compare_stage(
        &mut self,
        m: Pair<'_>,
        (op, np): (&Process, &Process),
        kept: &[(&Stage, &Stage)],
        old: &Stage,
        new: &Stage,
    ) {
        let here = || Text::new().name(&new.label, &new.id);
        let place = || Place::stage(np, new);
        let values_differ = Crm::ALL
            .iter()
            .any(|&crm| crate::crm::stage_value(crm, old) != crate::crm::stage_value(crm, new));
        if old.id != new.id || old.label != new.label || values_differ {
            let (kind, text) = if old.id != new.id {
                (
                    Kind::StageRenamed,
                    Text::new()
                        .words("stage ")
                        .name(&old.label, &old.id)
                        .words(" renamed to ")
                        .name(&new.label, &new.id),
                )
            } else if old.label != new.label {
                (
                    Kind::StageRelabelled,
                    Text::new()
                        .words(format!(
                            "stage \"{}\" relabelled \"{}\" (",
                            old.label, new.label
                        ))
                        .code(&new.id)
                        .words(")"),
                )
            } else {
                (
                    Kind::CrmStageChanged,
                    here().words(": its value in a CRM changed"),
                )
            };
            self.push(kind, place(), text, None, &Event::StageRenamed { old, new });
        }
        if old.probability != new.probability {
            let text = here().words(format!(
                ": probability changed from {} to {}",
                percent(old.probability),
                percent(new.probability)
            ));
            self.push(
                Kind::ProbabilityChanged,
                place(),
                text,
                None,
                &Event::ProbabilityChanged { old, new },
            );
        }
        if old.forecast != new.forecast {
            let text = here().words(format!(
                ": forecast category changed from {} to {}",
                old.forecast.label(),
                new.forecast.label()
            ));
            self.push(
                Kind::ForecastChanged,
                place(),
                text,
                None,
                &Event::ForecastChanged { old, new },
            );
        }
        if old.outcome != new.outcome {
            let show = |o: Option<crate::model::Outcome>| o.map_or("open", |o| o.as_str());
            let text = here().words(format!(
                ": outcome changed from {} to {}",
                show(old.outcome),
                show(new.outcome)
            ));
            self.push(
                Kind::OutcomeChanged,
                place(),
                text,
                None,
                &Event::OutcomeChanged { old, new },
            );
        }
        for (what, kind, before, after) in [
            (
                "expected time",
                Kind::ExpectedChanged,
                old.expected,
                new.expected,
            ),
            (
                "stale after",
                Kind::StaleAfterChanged,
                old.stale_after,
                new.stale_after,
            ),
        ] {
            if before != after {
                let show = |d: Option<Duration>| d.map_or("none".to_string(), |d| d.human());
                let text = here().words(format!(
                    ": {what} changed from {} to {}",
                    show(before),
                    show(after)
                ));
                self.push(kind, place(), text, None, &Event::PlaybookOnly);
            }
        }
        let role =
            |model: &Model, r: Option<crate::model::RoleId>| r.map(|r| model.role(r).label.clone());
        let (before, after) = (role(m.old, old.owner), role(m.new, new.owner));
        if before != after {
            let text = here().words(format!(
                ": owner changed from {} to {}",
                before.as_deref().unwrap_or("none"),
                after.as_deref().unwrap_or("none")
            ));
            self.push(
                Kind::OwnerChanged,
                place(),
                text,
                None,
                &Event::PlaybookOnly,
            );
        }
        // Compared by id, named by the label of the side they are on.
        let tools = |model: &Model, s: &Stage| {
            s.tools
                .iter()
                .map(|t| {
                    let t = model.tool(*t);
                    (t.id.clone(), t.label.clone())
                })
                .collect::<Vec<_>>()
        };
        let (added, removed) = by_id(&tools(m.old, old), &tools(m.new, new));
        for (id, label) in added {
            let text = here().words(": now uses ").name(&label, &id);
            self.push(Kind::ToolAdded, place(), text, None, &Event::PlaybookOnly);
        }
        for (id, label) in removed {
            let text = here().words(": no longer uses ").name(&label, &id);
            self.push(Kind::ToolRemoved, place(), text, None, &Event::PlaybookOnly);
        }
        let requires = |model: &Model, s: &Stage| {
            s.requires
                .iter()
                .map(|f| {
                    let f = model.field(*f);
                    (f.id.clone(), f.label.clone())
                })
                .collect::<Vec<_>>()
        };
        let (added, removed) = by_id(&requires(m.old, old), &requires(m.new, new));
        for (id, label) in added {
            let text = here().words(": now requires ").name(&label, &id);
            let event = Event::RequirementAdded {
                stage: new,
                field: &label,
            };
            self.push(Kind::RequirementAdded, place(), text, None, &event);
        }
        for (id, label) in removed {
            let text = here().words(": no longer requires ").name(&label, &id);
            let event = Event::RequirementRemoved;
            self.push(Kind::RequirementRemoved, place(), text, None, &event);
        }
        self.compare_exit(m, np, old, new);
        self.compare_transitions(op, np, kept, old, new);
    }

    /// The exit conditions clause by clause (criteria expanded to their items): a bound that
    /// moved on one field is one change, raised or lowered; other clauses are added or removed.
    fn compare_exit(&mut self, m: Pair<'_>, np: &Process, old: &Stage, new: &Stage) {
        let before = clauses(m.old, old.exit.as_ref());
        let after = clauses(m.new, new.exit.as_ref());
        let mut removed: Vec<&Clause> = before
            .iter()
            .filter(|c| !after.iter().any(|a| a.source == c.source))
            .collect();
        let mut added: Vec<&Clause> = after
            .iter()
            .filter(|c| !before.iter().any(|b| b.source == c.source))
            .collect();
        let place = || Place::stage(np, new);
        let exit_of = |via: &Option<(String, String)>| {
            let text = Text::new().words("exit of ").name(&new.label, &new.id);
            match via {
                Some((label, id)) => text.words(", in criteria ").name(label, id),
                None => text,
            }
        };
        let mut i = 0;
        while i < added.len() {
            let a = added[i];
            let paired = a.bound.as_ref().and_then(|nb| {
                removed
                    .iter()
                    .position(|r| r.bound.as_ref().is_some_and(|ob| ob.same_side(nb)))
            });
            let (Some(at), Some(nb)) = (paired, a.bound.as_ref()) else {
                i += 1;
                continue;
            };
            let r = removed.remove(at);
            added.remove(i);
            let ob = r.bound.as_ref().expect("paired on a bound");
            let change = Threshold {
                stage: &new.label,
                old: ob,
                new: nb,
            };
            let text = exit_of(&a.via)
                .words(format!(": {}", change.summary()))
                .words(" (")
                .code(&a.source)
                .words(")");
            let event = if change.stricter() {
                Event::ExitStricter { who: change.who() }
            } else {
                Event::ExitLooser
            };
            self.push(Kind::ExitThresholdChanged, place(), text, None, &event);
        }
        for c in added {
            let text = exit_of(&c.via)
                .words(format!(": clause added: {} (", c.words))
                .code(&c.source)
                .words(")");
            let event = Event::ExitStricter {
                who: format!("deals in {} where {}", new.label, c.unmet),
            };
            self.push(Kind::ExitCriterionAdded, place(), text, None, &event);
        }
        for c in removed {
            let text = exit_of(&c.via)
                .words(format!(": clause removed: {} (", c.words))
                .code(&c.source)
                .words(")");
            self.push(
                Kind::ExitCriterionRemoved,
                place(),
                text,
                None,
                &Event::ExitLooser,
            );
        }
    }

    /// Moves out of a stage kept in both versions, between stages kept in both versions (moves
    /// into added or removed stages are part of those changes).
    fn compare_transitions(
        &mut self,
        op: &Process,
        np: &Process,
        kept: &[(&Stage, &Stage)],
        old: &Stage,
        new: &Stage,
    ) {
        // Targets as new ids, so a renamed stage is one target.
        let before: Vec<&str> = old
            .next_ids()
            .filter_map(|t| {
                let t = op.stage(t);
                kept.iter()
                    .find(|(o, _)| o.id == t.id)
                    .map(|(_, n)| n.id.as_str())
            })
            .collect();
        let after: Vec<&str> = new
            .next_ids()
            .map(|t| np.stage(t).id.as_str())
            .filter(|t| kept.iter().any(|(_, n)| n.id == *t))
            .collect();
        let (added, removed) = set_changes(&before, &after);
        let here = || Text::new().words("deals in ").name(&new.label, &new.id);
        for t in added {
            let target = np.find_stage(t).map(|t| np.stage(t)).expect("a kept stage");
            let text = here()
                .words(" can now move to ")
                .name(&target.label, &target.id);
            self.push(
                Kind::TransitionAdded,
                Place::stage(np, new),
                text,
                None,
                &Event::TransitionAdded,
            );
        }
        for t in removed {
            let target = np.find_stage(t).map(|t| np.stage(t)).expect("a kept stage");
            let text = here()
                .words(" can no longer move to ")
                .name(&target.label, &target.id);
            let event = Event::TransitionRemoved {
                from: new,
                to: target,
            };
            self.push(
                Kind::TransitionRemoved,
                Place::stage(np, new),
                text,
                None,
                &event,
            );
        }
    }

    fn compare_fields(&mut self, old: &Model, new: &Model) {
        let pairs = pair_up(&old.fields, &new.fields, |f| {
            (&f.id, f.renamed_from.as_ref().map(|r| r.id.as_str()))
        });
        let added: Vec<usize> = (0..new.fields.len())
            .filter(|j| !pairs.iter().any(|(_, n)| n == j))
            .collect();
        for (i, f) in old.fields.iter().enumerate() {
            if pairs.iter().any(|(o, _)| *o == i) {
                continue;
            }
            let hint = added
                .iter()
                .map(|&j| &new.fields[j])
                .find(|n| {
                    n.label == f.label
                        || (n.ty == f.ty && n.crm == f.crm && n.crm != Default::default())
                })
                .map(|n| rename_hint(&f.label, &f.id, &n.id));
            let text = Text::new()
                .words("field ")
                .name(&f.label, &f.id)
                .words(" was removed");
            self.push(
                Kind::FieldRemoved,
                Place::field(f),
                text,
                hint,
                &Event::FieldRemoved {
                    field: f,
                    rest: &new.fields,
                },
            );
        }
        for &j in &added {
            let f = &new.fields[j];
            let text = Text::new()
                .words("field ")
                .name(&f.label, &f.id)
                .words(" was added");
            self.push(
                Kind::FieldAdded,
                Place::field(f),
                text,
                None,
                &Event::FieldAdded(f),
            );
        }
        for (j, f) in new.fields.iter().enumerate() {
            if let Some((i, _)) = pairs.iter().find(|(_, n)| *n == j) {
                self.compare_field(&old.fields[*i], f);
            }
        }
    }

    fn compare_field(&mut self, old: &Field, new: &Field) {
        let here = || Text::new().words("field ").name(&new.label, &new.id);
        let place = || Place::field(new);
        let names_differ = Crm::ALL
            .iter()
            .any(|&crm| crate::crm::field_name(crm, old) != crate::crm::field_name(crm, new));
        if old.id != new.id {
            let text = Text::new()
                .words("field ")
                .name(&old.label, &old.id)
                .words(" renamed to ")
                .name(&new.label, &new.id);
            self.push(
                Kind::FieldRenamed,
                place(),
                text,
                None,
                &Event::FieldRenamed { old, new },
            );
        } else if names_differ {
            let mut text = here().words(": CRM name changed:");
            for crm in Crm::ALL {
                let (before, after) = (
                    crate::crm::field_name(crm, old),
                    crate::crm::field_name(crm, new),
                );
                if before != after {
                    text = text
                        .words(format!(" {} ", crm.name()))
                        .code(before)
                        .words(" to ")
                        .code(after);
                }
            }
            self.push(
                Kind::CrmNameChanged,
                place(),
                text,
                None,
                &Event::FieldRenamed { old, new },
            );
        }
        if old.label != new.label && old.id == new.id {
            let text = Text::new()
                .words(format!(
                    "field \"{}\" relabelled \"{}\" (",
                    old.label, new.label
                ))
                .code(&new.id)
                .words(")");
            self.push(
                Kind::FieldRelabelled,
                place(),
                text,
                None,
                &Event::FieldRelabelled,
            );
        }
        match (&old.ty, &new.ty) {
            (FieldType::Choice(before), FieldType::Choice(after)) => {
                let (added, removed) = set_changes(before, after);
                for v in added {
                    let text = here().words(format!(": new choice \"{v}\""));
                    self.push(
                        Kind::ChoiceValueAdded,
                        place(),
                        text,
                        None,
                        &Event::ChoiceAdded,
                    );
                }
                for v in removed {
                    let text = here().words(format!(": choice \"{v}\" removed"));
                    let event = Event::ChoiceRemoved {
                        field: new,
                        value: &v,
                    };
                    self.push(Kind::ChoiceValueRemoved, place(), text, None, &event);
                }
            }
            (before, after) if before != after => {
                let text = here().words(format!(
                    ": type changed from {} to {}",
                    before.name(),
                    after.name()
                ));
                self.push(
                    Kind::FieldRetyped,
                    place(),
                    text,
                    None,
                    &Event::FieldRetyped(new),
                );
            }
            _ => {}
        }
    }

    /// Item changes of criteria that no exit uses (those an exit uses are compared there, in
    /// the words of the stage): nothing in a CRM checks them.
    fn compare_criteria(&mut self, old: &Model, new: &Model) {
        let in_exits = |model: &Model| {
            let mut used: BTreeSet<String> = BTreeSet::new();
            for p in &model.processes {
                for s in &p.stages {
                    if let Some(exit) = &s.exit {
                        used.extend(
                            exit.criteria_used(model)
                                .into_iter()
                                .map(|c| model.criteria(c).id.clone()),
                        );
                    }
                }
            }
            used
        };
        let (used_before, used_after) = (in_exits(old), in_exits(new));
        for c in &new.criteria {
            let Some(o) = old.criteria.iter().find(|o| o.id == c.id) else {
                continue;
            };
            if used_before.contains(&c.id) || used_after.contains(&c.id) {
                continue;
            }
            let here = || Text::new().words("criteria ").name(&c.label, &c.id);
            for item in &o.items {
                if !c.items.iter().any(|i| i.name == item.name) {
                    let text = here().words(": item removed: ").code(format!(
                        "{}: {}",
                        item.name,
                        expr_text(old, &item.expr)
                    ));
                    self.push(
                        Kind::CriteriaItemRemoved,
                        Place::default(),
                        text,
                        None,
                        &Event::PlaybookOnly,
                    );
                }
            }
            for item in &c.items {
                let now = expr_text(new, &item.expr);
                match o.items.iter().find(|i| i.name == item.name) {
                    None => {
                        let text = here()
                            .words(": item added: ")
                            .code(format!("{}: {now}", item.name));
                        self.push(
                            Kind::CriteriaItemAdded,
                            Place::default(),
                            text,
                            None,
                            &Event::PlaybookOnly,
                        );
                    }
                    Some(before) => {
                        let before = expr_text(old, &before.expr);
                        if before != now {
                            let text = here()
                                .words(format!(": item {} changed from ", item.name))
                                .code(before)
                                .words(" to ")
                                .code(now);
                            self.push(
                                Kind::CriteriaItemChanged,
                                Place::default(),
                                text,
                                None,
                                &Event::PlaybookOnly,
                            );
                        }
                    }
                }
            }
        }
    }
}

/// Whether two stages say the same beyond their names: a removed and an added stage alike
/// this way are likely one renamed.
fn same_properties(m: Pair<'_>, old: &Stage, new: &Stage) -> bool {
    let fields = |model: &Model, s: &Stage| {
        s.requires
            .iter()
            .map(|f| model.field(*f).id.clone())
            .collect::<Vec<_>>()
    };
    let exit = |model: &Model, s: &Stage| s.exit.as_ref().map(|e| expr_text(model, e));
    let says_something =
        old.probability.is_some() || old.exit.is_some() || !old.requires.is_empty();
    says_something
        && old.outcome == new.outcome
        && old.probability == new.probability
        && old.forecast == new.forecast
        && fields(m.old, old) == fields(m.new, new)
        && exit(m.old, old) == exit(m.new, new)
}

/// One clause of an exit condition: an operand of its top `and`, with criteria expanded.
struct Clause {
    /// As written in the file.
    source: String,
    /// In words.
    words: String,
    /// Its negation in words: the deals it stops.
    unmet: String,
    /// The criteria it comes from: (label, id).
    via: Option<(String, String)>,
    /// A numeric bound on one field, which can be raised or lowered.
    bound: Option<Bound>,
}

/// `field > value`, `field <= value` and the like.
struct Bound {
    field: String,
    label: String,
    op: CompareOp,
    value: f64,
    literal: Literal,
    ty: FieldType,
}

impl Bound {
    fn of(model: &Model, expr: &Expr) -> Option<Bound> {
        let (field, op, literal) = expr.bound()?;
        let value = match literal {
            Literal::Number(n) | Literal::Percent(n) => *n,
            _ => return None,
        };
        let f = model.field(field);
        Some(Bound {
            field: f.id.clone(),
            label: f.label.clone(),
            op,
            value,
            literal: literal.clone(),
            ty: f.ty.clone(),
        })
    }

    /// True for `>` and `>=`: a lower bound.
    fn is_lower(&self) -> bool {
        matches!(self.op, CompareOp::Gt | CompareOp::Ge)
    }

    fn same_side(&self, other: &Bound) -> bool {
        self.field == other.field && self.is_lower() == other.is_lower()
    }

    fn shown(&self) -> String {
        english::literal(&self.ty, &self.literal)
    }
}

/// A bound that moved.
struct Threshold<'a> {
    stage: &'a str,
    old: &'a Bound,
    new: &'a Bound,
}

impl Threshold<'_> {
    /// Whether fewer deals pass.
    fn stricter(&self) -> bool {
        let (o, n) = (self.old, self.new);
        let inclusive = |b: &Bound| matches!(b.op, CompareOp::Ge | CompareOp::Le);
        if o.is_lower() {
            n.value > o.value || (n.value == o.value && inclusive(o) && !inclusive(n))
        } else {
            n.value < o.value || (n.value == o.value && inclusive(o) && !inclusive(n))
        }
    }

    fn summary(&self) -> String {
        let (o, n) = (self.old, self.new);
        if o.value == n.value {
            return format!(
                "{} threshold {} now {}",
                o.label,
                o.shown(),
                if self.stricter() {
                    "excluded"
                } else {
                    "included"
                }
            );
        }
        let moved = if n.value > o.value {
            "raised"
        } else {
            "lowered"
        };
        let (low, high) = if o.value < n.value { (o, n) } else { (n, o) };
        let consequence = if self.stricter() {
            "can no longer move on"
        } else {
            "can now move on"
        };
        format!(
            "{} threshold {moved} from {} to {}: deals in {} with {} between {} and {} {consequence}",
            o.label,
            o.shown(),
            n.shown(),
            self.stage,
            o.label,
            low.shown(),
            high.shown()
        )
    }

    /// The deals that can no longer move on.
    fn who(&self) -> String {
        let (o, n) = (self.old, self.new);
        let (low, high) = if o.value < n.value { (o, n) } else { (n, o) };
        if o.value == n.value {
            format!(
                "deals in {} with {} of exactly {}",
                self.stage,
                o.label,
                o.shown()
            )
        } else {
            format!(
                "deals in {} with {} between {} and {}",
                self.stage,
                o.label,
                low.shown(),
                high.shown()
            )
        }
    }
}

/// The clauses of an exit condition: the operands of its top `and`, each criteria replaced by
/// its items (each criteria once, walked with a stack).
fn clauses(model: &Model, expr: Option<&Expr>) -> Vec<Clause> {
    let Some(expr) = expr else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut seen: BTreeSet<CriteriaId> = BTreeSet::new();
    let mut stack: Vec<(&Expr, Option<(String, String)>)> = operands(expr)
        .into_iter()
        .rev()
        .map(|e| (e, None))
        .collect();
    while let Some((e, via)) = stack.pop() {
        if let Expr::Criteria { criteria, .. } = e {
            if seen.insert(*criteria) {
                let c = model.criteria(*criteria);
                let here = Some((c.label.clone(), c.id.clone()));
                for item in c.items.iter().rev() {
                    for part in operands(&item.expr).into_iter().rev() {
                        stack.push((part, here.clone()));
                    }
                }
            }
            continue;
        }
        out.push(Clause {
            source: expr_text(model, e),
            words: english::condition(model, e),
            unmet: english::condition(model, &Expr::Not(Box::new(e.clone()))),
            via,
            bound: Bound::of(model, e),
        });
    }
    out
}

fn operands(expr: &Expr) -> Vec<&Expr> {
    match expr {
        Expr::And(..) => expr.chain(),
        e => vec![e],
    }
}

/// An id with its label.
type Named = (String, String);

/// Items in `after` but not `before`, and in `before` but not `after`, by id.
fn by_id(before: &[Named], after: &[Named]) -> (Vec<Named>, Vec<Named>) {
    let has = |list: &[Named], id: &str| list.iter().any(|(i, _)| i == id);
    let added = after
        .iter()
        .filter(|(id, _)| !has(before, id))
        .cloned()
        .collect();
    let removed = before
        .iter()
        .filter(|(id, _)| !has(after, id))
        .cloned()
        .collect();
    (added, removed)
}

/// Values in `after` but not `before`, and in `before` but not `after`, each in its order.
fn set_changes<T: PartialEq + Clone>(before: &[T], after: &[T]) -> (Vec<T>, Vec<T>) {
    let added = after
        .iter()
        .filter(|v| !before.contains(v))
        .cloned()
        .collect();
    let removed = before
        .iter()
        .filter(|v| !after.contains(v))
        .cloned()
        .collect();
    (added, removed)
}

fn longest_common_subsequence(a: &[usize], b: &[usize]) -> BTreeSet<usize> {
    let mut table = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            table[i][j] = if a[i] == b[j] {
                table[i + 1][j + 1] + 1
            } else {
                table[i + 1][j].max(table[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut kept) = (0, 0, BTreeSet::new());
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            kept.insert(a[i]);
            i += 1;
            j += 1;
        } else if table[i + 1][j] >= table[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    kept
}

/// An expression as source text, with the parentheses precedence needs.
pub fn expr_text(model: &Model, expr: &Expr) -> String {
    crate::emit::source_text::expr_source(model, expr)
}

fn percent(p: Option<f64>) -> String {
    p.map_or("none".to_string(), crate::value::percent)
}

fn text_or_none(text: &Option<String>) -> String {
    text.as_ref()
        .map_or("none".to_string(), |t| format!("\"{t}\""))
}
