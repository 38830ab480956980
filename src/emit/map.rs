//! What a process map shows, shared by the DOT and Mermaid backends so both pictures say
//! the same thing: how each stage looks, how each transition looks, and the legend.

use crate::model::{Forecast, Model, Process, Stage, StageId};
use crate::value::percent;

/// How a stage is drawn: open stages are filled by forecast category; outcomes have their
/// own shape and colour so won and lost stand apart from the flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StageLook {
    Open(Forecast),
    Won,
    Lost,
}

impl StageLook {
    pub fn of(stage: &Stage) -> Self {
        if stage.is_won() {
            StageLook::Won
        } else if stage.is_lost() {
            StageLook::Lost
        } else {
            StageLook::Open(stage.forecast)
        }
    }

    pub fn fill(self) -> &'static str {
        match self {
            StageLook::Open(Forecast::Omitted) => "#eeeeee",
            StageLook::Open(Forecast::Pipeline) => "#dbe9f6",
            StageLook::Open(Forecast::BestCase) => "#fff1b8",
            StageLook::Open(Forecast::Commit) => "#ffd8a8",
            StageLook::Open(Forecast::Closed) => "#d3f0d3",
            StageLook::Won => "#8fd694",
            StageLook::Lost => "#f4b4b4",
        }
    }

    pub fn stroke(self) -> &'static str {
        match self {
            StageLook::Open(_) => "#5f6b7a",
            StageLook::Won => "#1b5e20",
            StageLook::Lost => "#b71c1c",
        }
    }

    /// A name usable as a style class (Mermaid `classDef`).
    pub fn class(self) -> &'static str {
        match self {
            StageLook::Open(f) => f.as_str(),
            StageLook::Won => "won",
            StageLook::Lost => "lost",
        }
    }

    /// What the legend says about this look.
    pub fn legend(self) -> String {
        match self {
            StageLook::Open(Forecast::Omitted) => "Omitted from forecast".into(),
            StageLook::Open(f) => format!("{} forecast", f.label()),
            StageLook::Won => "Won".into(),
            StageLook::Lost => "Lost".into(),
        }
    }

    /// Every look, in legend order.
    fn all() -> impl Iterator<Item = StageLook> {
        Forecast::ALL
            .into_iter()
            .map(StageLook::Open)
            .chain([StageLook::Won, StageLook::Lost])
    }
}

/// How a transition is drawn. A move back to an earlier stage is dashed; a move into a lost
/// stage is light so the main path stands out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct EdgeLook {
    pub backward: bool,
    pub into_lost: bool,
}

/// Light grey for transitions into lost stages.
pub const FADED: &str = "#c4c4c4";
/// The colour of ordinary transitions.
pub const LINE: &str = "#4a4a4a";

/// One transition of the map.
pub struct Link {
    pub from: StageId,
    pub to: StageId,
    pub look: EdgeLook,
}

/// Above this many stages, a lost stage that every open stage leads to is drawn alone, saying
/// so, instead of with a line from every stage: hundreds of long lines hide the flow, and
/// Graphviz lays each one out as a chain of hidden nodes (300 stages took minutes).
pub const MANY_STAGES: usize = 40;

/// What a map of one process draws.
pub struct Map<'a> {
    pub process: &'a Process,
    /// Every transition drawn, in stage order then `next` order.
    pub links: Vec<Link>,
    /// Lost stages drawn without their incoming lines (see [`MANY_STAGES`]).
    pub from_any: Vec<StageId>,
}

impl<'a> Map<'a> {
    pub fn new(process: &'a Process) -> Self {
        let from_any = if process.stages.len() > MANY_STAGES {
            entered_from_every_open_stage(process)
        } else {
            Vec::new()
        };
        let links = process
            .stage_ids()
            .flat_map(|from| {
                process.stage(from).next_ids().map(move |to| Link {
                    from,
                    to,
                    look: EdgeLook {
                        backward: to.0 < from.0,
                        into_lost: process.stage(to).is_lost(),
                    },
                })
            })
            .filter(|link| !from_any.contains(&link.to))
            .collect();
        Map {
            process,
            links,
            from_any,
        }
    }

    /// The lines under a stage's name: "40% · 10 days" and its owner, leaving out what the
    /// file does not say.
    pub fn details(&self, model: &Model, id: StageId) -> Vec<String> {
        let stage = self.process.stage(id);
        let numbers: Vec<String> = [
            stage.probability.map(percent),
            stage.expected.map(|d| d.human()),
        ]
        .into_iter()
        .flatten()
        .collect();
        let mut lines = Vec::new();
        if !numbers.is_empty() {
            lines.push(numbers.join(" · "));
        }
        if let Some(role) = stage.owner {
            lines.push(model.role(role).label.clone());
        }
        if self.from_any.contains(&id) {
            lines.push("from any open stage".into());
        }
        lines
    }

    /// What the legend explains: the stage looks and edge styles this map uses.
    pub fn legend(&self) -> Legend {
        let used: Vec<StageLook> = self.process.stages.iter().map(StageLook::of).collect();
        Legend {
            stages: StageLook::all().filter(|l| used.contains(l)).collect(),
            backward: self.links.iter().any(|l| l.look.backward),
            into_lost: self.links.iter().any(|l| l.look.into_lost),
        }
    }
}

/// Lost stages with a transition from every open stage (typically `from: any`).
fn entered_from_every_open_stage(process: &Process) -> Vec<StageId> {
    let open: Vec<&Stage> = process.stages.iter().filter(|s| s.is_open()).collect();
    process
        .stage_ids()
        .filter(|id| process.stage(*id).is_lost())
        .filter(|id| open.iter().all(|s| s.next_ids().any(|to| to == *id)))
        .collect()
}

/// What the legend explains: the stage looks and edge styles a map uses.
pub struct Legend {
    pub stages: Vec<StageLook>,
    pub backward: bool,
    pub into_lost: bool,
}

/// A sample of an edge style for the legend.
pub struct EdgeSample {
    /// Part of the sample's node ids.
    pub name: &'static str,
    pub text: &'static str,
    pub look: EdgeLook,
}

impl Legend {
    /// The special edge styles this process uses, each with what it means.
    pub fn edge_samples(&self) -> Vec<EdgeSample> {
        let backward = EdgeSample {
            name: "back",
            text: "goes back",
            look: EdgeLook {
                backward: true,
                into_lost: false,
            },
        };
        let into_lost = EdgeSample {
            name: "lost",
            text: "to a lost stage",
            look: EdgeLook {
                backward: false,
                into_lost: true,
            },
        };
        [(self.backward, backward), (self.into_lost, into_lost)]
            .into_iter()
            .filter_map(|(used, sample)| used.then_some(sample))
            .collect()
    }
}

/// Text without characters no picture can show: control characters (other than newlines,
/// which each format turns into its own line break) and the two noncharacters XML forbids
/// become spaces.
pub fn printable(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().filter(|c| *c != '\r').map(|c| match c {
        '\n' => c,
        '\u{fffe}' | '\u{ffff}' => ' ',
        c if c.is_control() => ' ',
        c => c,
    })
}

/// `text` cut to at most `max` characters, ending with `…` when cut: pictures have no room
/// for pages of text, and Graphviz refuses any string over 16,384 bytes.
pub fn clip(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => text.into(),
        Some(_) => {
            let keep: String = text.chars().take(max.saturating_sub(1)).collect();
            format!("{keep}…").into()
        }
    }
}
