//! What a change to the process does where the build goes: a deploy to Salesforce, an import
//! into HubSpot or Pipedrive, and the model integrators read. Each keeps things by its own key:
//! Salesforce keys stage values, record types and business processes by their label, so a
//! relabel is a new value; HubSpot and Pipedrive give pipelines and stages an internal id on
//! import, so a relabel is an edit in place; the model keys everything by id. `diff` asks here
//! for every verdict, so what it says matches what the backends write.

use super::builtins::creates_field;
use super::names::field_name;
use super::probability::{stored, written};
use super::stages::stage_value;
use super::Crm;
use crate::emit::salesforce::names::{api_name, MAX_NAME};
use crate::model::{Field, Process, Stage};
use crate::value::percent;

/// Where a build goes: a CRM, or the model for integrators (`--emit json` and `yaml`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Destination {
    Crm(Crm),
    Model,
}

impl Destination {
    pub const ALL: [Destination; 4] = [
        Destination::Crm(Crm::Salesforce),
        Destination::Crm(Crm::HubSpot),
        Destination::Crm(Crm::Pipedrive),
        Destination::Model,
    ];

    /// The key in JSON and on the command line (`--crm salesforce,model`).
    pub fn key(self) -> &'static str {
        match self {
            Destination::Crm(crm) => crm.key(),
            Destination::Model => "model",
        }
    }

    /// The name for people.
    pub fn name(self) -> &'static str {
        match self {
            Destination::Crm(crm) => crm.name(),
            Destination::Model => "Model",
        }
    }

    pub fn from_key(key: &str) -> Option<Destination> {
        Destination::ALL
            .into_iter()
            .find(|d| d.key().eq_ignore_ascii_case(key.trim()))
    }

    /// The destinations of a build that writes `backends` (`build.emit` names): a CRM's own
    /// output, `json` or `yaml` for the model, every one for `all`.
    pub fn of_backends(backends: &[String]) -> Vec<Destination> {
        Destination::ALL
            .into_iter()
            .filter(|d| {
                backends.iter().any(|b| {
                    let b = b.trim();
                    b == "all"
                        || match d {
                            Destination::Crm(crm) => b == crm.key(),
                            Destination::Model => b == "json" || b == "yaml",
                        }
                })
            })
            .collect()
    }
}

/// Whether a destination stops deals over a change, and what it does, in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Effect {
    pub breaking: bool,
    pub text: String,
}

impl Effect {
    fn safe(text: impl Into<String>) -> Effect {
        Effect {
            breaking: false,
            text: text.into(),
        }
    }
    fn breaking(text: impl Into<String>) -> Effect {
        Effect {
            breaking: true,
            text: text.into(),
        }
    }
    fn unchanged() -> Effect {
        Effect::safe(UNCHANGED)
    }

    /// True when the destination has nothing to do.
    pub fn is_unchanged(&self) -> bool {
        self.text == UNCHANGED || self.text == MODEL_ONLY
    }
}

const UNCHANGED: &str = "nothing changes here";
const MODEL_ONLY: &str = "the model changes; no key changes";

/// The Salesforce record type of a process: named after its label, like its business process.
pub fn salesforce_record_type(process: &Process) -> String {
    api_name(&process.label, &process.id, MAX_NAME)
}

/// How a destination recognises a process from one deploy or import to the next.
fn process_key(to: Destination, process: &Process) -> String {
    match to {
        Destination::Crm(Crm::Salesforce) => salesforce_record_type(process),
        Destination::Crm(_) => process.label.clone(),
        Destination::Model => process.id.clone(),
    }
}

/// How a destination recognises a stage. HubSpot and Pipedrive keep the internal id they
/// gave it, but a person matching the pipeline with the file sees its name.
fn stage_key(to: Destination, stage: &Stage) -> String {
    match to {
        Destination::Crm(crm) => stage_value(crm, stage).to_string(),
        Destination::Model => stage.id.clone(),
    }
}

/// A field's key: its name in the CRM, its id in the model.
pub fn field_key(to: Destination, field: &Field) -> String {
    match to {
        Destination::Crm(crm) => field_name(crm, field),
        Destination::Model => field.id.clone(),
    }
}

/// Which parts of a process a destination enforces on deals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// `exit:` conditions: Salesforce validation rules; the model carries them for integrators.
    Exit,
    /// `requires:` on deals already in a stage. HubSpot and Pipedrive ask for required fields
    /// only when a deal moves into the stage.
    RequiresInStage,
    /// `next:`: Salesforce validation rules.
    Transitions,
}

pub fn enforces(to: Destination, gate: Gate) -> bool {
    match (to, gate) {
        (Destination::Crm(Crm::Salesforce) | Destination::Model, _) => true,
        (Destination::Crm(_), Gate::Exit | Gate::RequiresInStage | Gate::Transitions) => false,
    }
}

fn stage_noun(to: Destination) -> &'static str {
    match to {
        Destination::Crm(Crm::Salesforce) => "stage value",
        Destination::Crm(_) => "pipeline stage",
        Destination::Model => "stage id",
    }
}

/// A change to a process, in the terms the destinations care about.
pub enum Event<'a> {
    ProcessAdded(&'a Process),
    /// A process gone; `rest` are the processes of the new version.
    ProcessRemoved {
        process: &'a Process,
        rest: &'a [Process],
    },
    /// One process in both versions whose id or label changed.
    ProcessRenamed {
        old: &'a Process,
        new: &'a Process,
    },
    /// A stage new to its process; `before` is the old version of the process.
    StageAdded {
        stage: &'a Stage,
        before: &'a Process,
    },
    /// A stage gone from its process; `after` is the new version of the process.
    StageRemoved {
        stage: &'a Stage,
        after: &'a Process,
    },
    /// One stage in both versions whose id, label or CRM value changed.
    StageRenamed {
        old: &'a Stage,
        new: &'a Stage,
    },
    ProbabilityChanged {
        old: &'a Stage,
        new: &'a Stage,
    },
    ForecastChanged {
        old: &'a Stage,
        new: &'a Stage,
    },
    OutcomeChanged {
        old: &'a Stage,
        new: &'a Stage,
    },
    StageReordered,
    /// A field a stage now requires.
    RequirementAdded {
        stage: &'a Stage,
        field: &'a str,
    },
    RequirementRemoved,
    /// An exit condition that lets fewer deals move on; `who` names them.
    ExitStricter {
        who: String,
    },
    ExitLooser,
    TransitionAdded,
    TransitionRemoved {
        from: &'a Stage,
        to: &'a Stage,
    },
    FieldAdded(&'a Field),
    /// A field gone; `rest` are the fields of the new version.
    FieldRemoved {
        field: &'a Field,
        rest: &'a [Field],
    },
    /// One field in both versions whose id or CRM name changed.
    FieldRenamed {
        old: &'a Field,
        new: &'a Field,
    },
    FieldRelabelled,
    FieldRetyped(&'a Field),
    ChoiceAdded,
    ChoiceRemoved {
        field: &'a Field,
        value: &'a str,
    },
    /// Owners, tools, times, criteria no exit uses: the playbook and the model only.
    PlaybookOnly,
}

/// What `event` does at `to`.
pub fn effect(to: Destination, event: &Event<'_>) -> Effect {
    let crm = match to {
        Destination::Crm(crm) => Some(crm),
        Destination::Model => None,
    };
    let name = to.name();
    match event {
        Event::ProcessAdded(p) => match crm {
            Some(Crm::Salesforce) => Effect::safe(format!(
                "creates record type {} with business process \"{}\"",
                salesforce_record_type(p),
                p.label
            )),
            Some(_) => Effect::safe(format!("create the pipeline \"{}\"", p.label)),
            None => Effect::safe(format!("new process `{}`", p.id)),
        },
        Event::ProcessRemoved { process, rest } => {
            let key = process_key(to, process);
            if let Some(kept) = rest.iter().find(|p| process_key(to, p) == key) {
                return match crm {
                    Some(Crm::Salesforce) => Effect::safe(format!(
                        "record type {key} stays, now process `{}`: deals keep it",
                        kept.id
                    )),
                    Some(_) => Effect::safe(format!(
                        "the pipeline \"{key}\" stays, now process `{}`: deals keep it",
                        kept.id
                    )),
                    None => Effect::unchanged(),
                };
            }
            match crm {
                Some(Crm::Salesforce) => Effect::breaking(format!(
                    "record type {key} stays in the org but is no longer deployed: its deals \
                     keep a pipeline nothing maintains; move them to another record type"
                )),
                Some(_) => Effect::breaking(format!(
                    "move the deals of the pipeline \"{key}\" before deleting it in {name}"
                )),
                None => Effect::breaking(format!(
                    "process `{key}` leaves the model: integrations that read it must change"
                )),
            }
        }
        Event::ProcessRenamed { old, new } => {
            let (before, after) = (process_key(to, old), process_key(to, new));
            match crm {
                Some(Crm::Salesforce) if before != after => Effect::breaking(format!(
                    "Salesforce keys record types and business processes by label: the deploy \
                     creates record type {after} next to {before}; deals keep {before} until \
                     moved (a data update for deals in flight)"
                )),
                Some(Crm::Salesforce) if old.label != new.label => Effect::safe(format!(
                    "record type {after} is unchanged; relabel its business process \"{}\"",
                    old.label
                )),
                Some(Crm::Salesforce) => {
                    Effect::safe(format!("record type {after} is unchanged: deals keep it"))
                }
                Some(_) if before != after => Effect::safe(format!(
                    "rename the pipeline \"{before}\" to \"{after}\" in {name}'s settings: deals \
                     keep its internal id (importing the new file instead would create a second \
                     pipeline)"
                )),
                Some(_) => Effect::unchanged(),
                None if before != after => Effect::breaking(format!(
                    "process id `{before}` becomes `{after}`: integrations that read it must change"
                )),
                None => Effect::safe("the label changes; the id stays"),
            }
        }
        Event::StageAdded { stage, before } => {
            let key = stage_key(to, stage);
            let existed = before.stages.iter().any(|s| stage_key(to, s) == key);
            match crm {
                _ if existed && crm.is_some() => Effect::safe(format!(
                    "the {} \"{key}\" already exists: deals keep it",
                    stage_noun(to)
                )),
                Some(Crm::Salesforce) => Effect::safe(format!(
                    "adds the stage value \"{key}\" to the stage list and the business process"
                )),
                Some(_) => Effect::safe(format!("add the stage \"{key}\" to the pipeline")),
                None => Effect::safe(format!("new stage `{key}`")),
            }
        }
        Event::StageRemoved { stage, after } => {
            let key = stage_key(to, stage);
            if let Some(kept) = after.stages.iter().find(|s| stage_key(to, s) == key) {
                return match crm {
                    Some(_) => Effect::safe(format!(
                        "the {} \"{key}\" stays, now stage `{}`: deals keep it",
                        stage_noun(to),
                        kept.id
                    )),
                    None => Effect::unchanged(),
                };
            }
            match crm {
                Some(Crm::Salesforce) => Effect::breaking(format!(
                    "the stage value \"{key}\" leaves the business process but stays in the \
                     org's stage list: move its deals to another stage"
                )),
                Some(_) => Effect::breaking(format!(
                    "move the deals in \"{key}\" before deleting the stage in {name}"
                )),
                None => Effect::breaking(format!(
                    "stage `{key}` leaves the model: integrations that read it must change"
                )),
            }
        }
        Event::StageRenamed { old, new } => {
            let (before, after) = (stage_key(to, old), stage_key(to, new));
            match crm {
                _ if before == after => match crm {
                    Some(_) => Effect::safe(format!(
                        "the {} \"{after}\" is unchanged: deals keep it",
                        stage_noun(to)
                    )),
                    None => Effect::safe("the label changes; the id stays"),
                },
                Some(Crm::Salesforce) => Effect::breaking(format!(
                    "Salesforce keys stage values by label: the deploy creates the stage value \
                     \"{after}\" and deals in \"{before}\" stay there; move them (a data update \
                     for deals in flight) and deactivate \"{before}\""
                )),
                Some(_) => Effect::safe(format!(
                    "rename the stage \"{before}\" to \"{after}\" in the pipeline settings: \
                     deals keep its internal stage id (importing the new file instead would \
                     create new stages)"
                )),
                None => Effect::breaking(format!(
                    "stage id `{before}` becomes `{after}`: integrations that read it must change"
                )),
            }
        }
        Event::ProbabilityChanged { old, new } => match crm {
            Some(crm) => {
                let shown = |s: &Stage| written(s).map(|p| stored(crm, p));
                match (shown(old), shown(new)) {
                    (a, b) if a == b => Effect::safe(format!(
                        "{name} stores {} either way",
                        b.map_or("no probability".into(), percent)
                    )),
                    (_, b) => Effect::safe(format!(
                        "the stage's probability becomes {}; deals take it when they next \
                         change stage",
                        b.map_or("none".into(), percent)
                    )),
                }
            }
            None => Effect::safe("the stage's probability changes"),
        },
        Event::ForecastChanged { new, .. } => match crm {
            Some(Crm::Salesforce) => Effect::safe(format!(
                "the stage value's forecast category becomes {}",
                new.forecast.salesforce()
            )),
            Some(_) => Effect::safe(format!("{name} has no forecast category per stage")),
            None => Effect::safe("the stage's forecast category changes"),
        },
        Event::OutcomeChanged { new, .. } => {
            let now = new.outcome.map_or("open", |o| o.as_str());
            match crm {
                Some(Crm::Salesforce) => Effect::breaking(format!(
                    "the stage value \"{}\" becomes {now}: its deals close or reopen",
                    stage_value(Crm::Salesforce, new)
                )),
                Some(Crm::Pipedrive) => Effect::breaking(
                    "won and lost are deal statuses in Pipedrive, not stages: deals must be \
                     moved or have their status set",
                ),
                Some(_) => Effect::breaking(format!(
                    "the stage \"{}\" becomes {now}: its deals close or reopen",
                    stage_value(Crm::HubSpot, new)
                )),
                None => Effect::breaking(format!("the stage's outcome becomes {now}")),
            }
        }
        Event::StageReordered => Effect::safe("the display order changes"),
        Event::RequirementAdded { stage, field } => {
            if enforces(to, Gate::RequiresInStage) {
                let what = match crm {
                    Some(_) => "a validation rule stops saving",
                    None => "integrations that enforce the model stop",
                };
                Effect::breaking(format!(
                    "{what} deals in \"{}\" without {field}: fill it on those deals first",
                    stage.label
                ))
            } else {
                Effect::safe(format!(
                    "{name} asks for {field} when a deal moves into the stage; deals already \
                     there are not checked"
                ))
            }
        }
        Event::ExitStricter { who } => {
            if enforces(to, Gate::Exit) {
                let what = match crm {
                    Some(_) => "the validation rule stops",
                    None => "integrations that enforce the model stop",
                };
                Effect::breaking(format!("{what} {who} from moving on"))
            } else {
                Effect::safe(format!(
                    "{name} does not enforce exit criteria: reps follow them from the playbook"
                ))
            }
        }
        Event::TransitionRemoved { from, to: target } => {
            if enforces(to, Gate::Transitions) {
                Effect::breaking(format!(
                    "deals in \"{}\" can no longer be moved to \"{}\"",
                    from.label, target.label
                ))
            } else {
                Effect::safe(format!("{name} does not restrict moves between stages"))
            }
        }
        Event::FieldAdded(field) => match crm {
            Some(crm) if !creates_field(crm, field) => Effect::safe(format!(
                "uses the existing field {}",
                field_name(crm, field)
            )),
            Some(crm) => Effect::safe(format!("creates the field {}", field_name(crm, field))),
            None => Effect::safe(format!("new field `{}`", field.id)),
        },
        Event::FieldRemoved { field, rest } => {
            let key = field_key(to, field);
            if let Some(kept) = rest.iter().find(|f| field_key(to, f) == key) {
                return Effect::safe(format!(
                    "{key} stays, now field `{}`: its values stay",
                    kept.id
                ));
            }
            match crm {
                Some(crm) if !creates_field(crm, field) => Effect::safe(format!(
                    "the existing field {key} stays; salespath no longer uses it"
                )),
                Some(_) => Effect::breaking(format!(
                    "the field {key} is no longer written: its data stays behind, and rules and \
                     reports that use it must change"
                )),
                None => Effect::breaking(format!(
                    "field `{key}` leaves the model: integrations that read it must change"
                )),
            }
        }
        Event::FieldRenamed { old, new } => {
            let (before, after) = (field_key(to, old), field_key(to, new));
            if before == after {
                return Effect::safe(format!("{after} is unchanged: its values stay"));
            }
            match crm {
                Some(_) => Effect::breaking(format!(
                    "the field becomes {after}: values stay in {before}; copy them (a data \
                     update for deals in flight)"
                )),
                None => Effect::breaking(format!(
                    "field id `{before}` becomes `{after}`: integrations that read it must change"
                )),
            }
        }
        Event::FieldRelabelled => Effect::safe("the field's label changes; its name stays"),
        Event::FieldRetyped(field) => Effect::breaking(format!(
            "{} changes type: existing values may not fit",
            field_key(to, field)
        )),
        Event::ChoiceAdded => Effect::safe("a new picklist value"),
        Event::ChoiceRemoved { field, value } => Effect::breaking(format!(
            "deals holding \"{value}\" in {} no longer fit it",
            field_key(to, field)
        )),
        Event::RequirementRemoved | Event::ExitLooser | Event::TransitionAdded => {
            Effect::safe("fewer checks: nothing to update")
        }
        Event::PlaybookOnly => match crm {
            Some(_) => Effect::unchanged(),
            None => Effect::safe(MODEL_ONLY),
        },
    }
}
