//! What a variant (`process X extends BASE`) changes: stages added, removed, and stages whose
//! properties differ, comparing the resolved stages of both processes by id.

use super::{stage_ref, Ref};
use crate::emit::english;
use crate::model::{Model, Process, Stage};
use crate::value::percent;

#[derive(Clone, Debug)]
pub struct Variant {
    pub base: String,
    pub added: Vec<Ref>,
    pub removed: Vec<String>,
    pub changed: Vec<(Ref, Vec<Change>)>,
}

/// One property of a stage that differs from the base, both values in words.
#[derive(Clone, Debug)]
pub struct Change {
    pub property: &'static str,
    pub base: String,
    pub now: String,
}

pub fn compare(model: &Model, base: &Process, variant: &Process) -> Variant {
    let added = variant
        .stage_ids()
        .filter(|&s| base.find_stage(&variant.stage(s).id).is_none())
        .map(|s| stage_ref(variant, s))
        .collect();
    let removed = base
        .stages
        .iter()
        .filter(|s| variant.find_stage(&s.id).is_none())
        .map(|s| s.label.clone())
        .collect();
    let changed = variant
        .stage_ids()
        .filter_map(|s| {
            let old = base.find_stage(&variant.stage(s).id)?;
            let changes = changes(
                &properties(model, base, base.stage(old)),
                &properties(model, variant, variant.stage(s)),
            );
            (!changes.is_empty()).then(|| (stage_ref(variant, s), changes))
        })
        .collect();
    Variant {
        base: base.label.clone(),
        added,
        removed,
        changed,
    }
}

fn changes(base: &[(&'static str, String)], now: &[(&'static str, String)]) -> Vec<Change> {
    base.iter()
        .zip(now)
        .filter(|(old, new)| old.1 != new.1)
        .map(|(old, new)| Change {
            property: old.0,
            base: old.1.clone(),
            now: new.1.clone(),
        })
        .collect()
}

/// A stage's properties as words, always in the same order so two stages line up.
fn properties(model: &Model, process: &Process, stage: &Stage) -> Vec<(&'static str, String)> {
    let list = |items: Vec<String>| {
        if items.is_empty() {
            "none".to_string()
        } else {
            items.join("; ")
        }
    };
    let text = |t: &Option<String>| t.clone().unwrap_or_else(|| "none".into());
    vec![
        ("Label", stage.label.clone()),
        (
            "Owner",
            text(&stage.owner.map(|r| model.role(r).label.clone())),
        ),
        ("Probability", text(&stage.probability.map(percent))),
        ("Forecast", stage.forecast.label().to_string()),
        (
            "Outcome",
            text(&stage.outcome.map(|o| o.as_str().to_string())),
        ),
        ("Objective", text(&stage.objective)),
        ("Description", text(&stage.description)),
        ("Expected time", text(&stage.expected.map(|d| d.human()))),
        ("Stalled after", text(&stage.stale_after.map(|d| d.human()))),
        ("Activities", list(stage.activities.clone())),
        (
            "Tools",
            list(
                stage
                    .tools
                    .iter()
                    .map(|&t| model.tool(t).label.clone())
                    .collect(),
            ),
        ),
        (
            "Captures",
            list(
                stage
                    .requires
                    .iter()
                    .map(|&f| model.field(f).label.clone())
                    .collect(),
            ),
        ),
        (
            "Exit criteria",
            text(&stage.exit.as_ref().map(|e| english::condition(model, e))),
        ),
        (
            "Follow-ups",
            list(
                stage
                    .follow_ups
                    .iter()
                    .map(|f| format!("{} after {}", f.text, f.after.human()))
                    .collect(),
            ),
        ),
        (
            "Automations",
            list(
                stage
                    .automations
                    .iter()
                    .map(|a| super::automation(model, a))
                    .collect(),
            ),
        ),
        ("Guidance", text(&stage.guidance)),
        (
            "Next",
            list(
                stage
                    .next_ids()
                    .map(|s| process.stage(s).label.clone())
                    .collect(),
            ),
        ),
    ]
}
