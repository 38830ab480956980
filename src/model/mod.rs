//! The resolved model: names turned into typed ids, defaults applied, `from:` expanded and
//! every transition explicit. Checks and backends read only this.

pub mod graph;
mod resolve;
mod walk;

pub use crate::value::*;
pub use resolve::{resolve, Resolved, Usage};
pub use walk::{criteria_bottom_up, visit_criteria_fields, Leaf};

use crate::source::Loc;

macro_rules! id_type {
    ($($name:ident),*) => {$(
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub usize);
    )*};
}
id_type!(RoleId, FieldId, ToolId, SegmentId, CriteriaId, ScoringId, ProcessId, StageId);

/// Everything declared in a file and the files it imports.
#[derive(Clone, Debug, Default)]
pub struct Model {
    pub roles: Vec<Role>,
    pub fields: Vec<Field>,
    pub tools: Vec<Tool>,
    pub segments: Vec<Segment>,
    pub criteria: Vec<Criteria>,
    pub scorings: Vec<Scoring>,
    pub processes: Vec<Process>,
}

impl Model {
    pub fn role(&self, id: RoleId) -> &Role {
        &self.roles[id.0]
    }
    pub fn field(&self, id: FieldId) -> &Field {
        &self.fields[id.0]
    }
    pub fn tool(&self, id: ToolId) -> &Tool {
        &self.tools[id.0]
    }
    pub fn segment(&self, id: SegmentId) -> &Segment {
        &self.segments[id.0]
    }
    pub fn criteria(&self, id: CriteriaId) -> &Criteria {
        &self.criteria[id.0]
    }
    pub fn process(&self, id: ProcessId) -> &Process {
        &self.processes[id.0]
    }
}

#[derive(Clone, Debug)]
pub struct Role {
    pub id: String,
    pub label: String,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub enum FieldType {
    Text,
    Number,
    Currency,
    Percent,
    Date,
    Bool,
    Choice(Vec<String>),
}

impl FieldType {
    pub fn name(&self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Number => "number",
            FieldType::Currency => "currency",
            FieldType::Percent => "percent",
            FieldType::Date => "date",
            FieldType::Bool => "bool",
            FieldType::Choice(_) => "choice",
        }
    }
}

/// A field's or a stage's name in each CRM, where the file gives one instead of the default
/// (see `crate::crm`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CrmNames {
    pub salesforce: Option<CrmName>,
    pub hubspot: Option<CrmName>,
    pub pipedrive: Option<CrmName>,
}

/// The id a process, stage or field had in an earlier version, for `diff`, and where the
/// file says so.
#[derive(Clone, Debug, PartialEq)]
pub struct Renamed {
    pub id: String,
    pub loc: Loc,
}

/// A name as written for one CRM, with where it is written. Two names are equal when their
/// text is, wherever they are written.
#[derive(Clone, Debug)]
pub struct CrmName {
    pub name: String,
    pub loc: Loc,
}

impl PartialEq for CrmName {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl CrmNames {
    pub fn of(
        salesforce: &Option<crate::syntax::ast::Text>,
        hubspot: &Option<crate::syntax::ast::Text>,
        pipedrive: &Option<crate::syntax::ast::Text>,
    ) -> Self {
        let name = |t: &Option<crate::syntax::ast::Text>| {
            t.as_ref().map(|t| CrmName {
                name: t.value.clone(),
                loc: t.span,
            })
        };
        CrmNames {
            salesforce: name(salesforce),
            hubspot: name(hubspot),
            pipedrive: name(pipedrive),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Field {
    pub id: String,
    pub label: String,
    /// `renamed_from:`: the id this field had before.
    pub renamed_from: Option<Renamed>,
    pub ty: FieldType,
    pub description: Option<String>,
    pub crm: CrmNames,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct Tool {
    pub id: String,
    pub label: String,
    pub kind: Option<String>,
    pub link: Option<String>,
    pub description: Option<String>,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct Segment {
    pub id: String,
    pub label: String,
    pub description: Option<String>,
    pub when: Option<Expr>,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct Criterion {
    pub name: String,
    pub expr: Expr,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct Criteria {
    pub id: String,
    pub label: String,
    pub items: Vec<Criterion>,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct ScoreRule {
    pub points: f64,
    pub when: Expr,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct Scoring {
    pub id: String,
    pub label: String,
    pub rules: Vec<ScoreRule>,
    pub threshold: f64,
    /// Where the threshold is written (or the scoring's name when it is missing).
    pub threshold_loc: Loc,
    /// True when a rule's condition had an error (already reported) and was left out.
    pub incomplete: bool,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct Process {
    pub id: String,
    pub label: String,
    /// `renamed_from:`: the id this process had before.
    pub renamed_from: Option<Renamed>,
    pub model: Option<SellingModel>,
    pub owner: Option<String>,
    pub description: Option<String>,
    pub segments: Vec<SegmentId>,
    /// In display order; the first is where every deal enters.
    pub stages: Vec<Stage>,
    /// The process this one `extends`, if any.
    pub base: Option<ProcessId>,
    pub loc: Loc,
}

impl Process {
    pub fn stage(&self, id: StageId) -> &Stage {
        &self.stages[id.0]
    }
    pub fn stage_ids(&self) -> impl Iterator<Item = StageId> {
        (0..self.stages.len()).map(StageId)
    }
    pub fn find_stage(&self, id: &str) -> Option<StageId> {
        self.stages.iter().position(|s| s.id == id).map(StageId)
    }
}

/// How a transition came to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransitionKind {
    /// Listed in the stage's `next:`.
    Listed,
    /// The stage has no `next:` and goes to the stage listed after it.
    Default,
    /// Added by the target's `from:`.
    From,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Transition {
    pub to: StageId,
    pub kind: TransitionKind,
    /// The `next:` item, the `from:` item, or the source stage's name for a default transition.
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub enum Action {
    Task {
        text: String,
        role: Option<RoleId>,
        due: Option<Duration>,
    },
    Email {
        template: String,
        after: Option<Duration>,
    },
    Notify {
        role: RoleId,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    Entered,
    Exited,
    Stale,
}

impl Trigger {
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::Entered => "entered",
            Trigger::Exited => "exited",
            Trigger::Stale => "stale",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Automation {
    pub trigger: Trigger,
    pub action: Action,
}

#[derive(Clone, Debug)]
pub struct FollowUp {
    pub text: String,
    pub after: Duration,
}

/// Source locations of a stage's properties, for diagnostics.
#[derive(Clone, Debug, Default)]
pub struct StageLocs {
    /// The role named in `owner:`, even when it is not declared.
    pub owner: Option<Loc>,
    pub probability: Option<Loc>,
    pub expected: Option<Loc>,
    pub stale_after: Option<Loc>,
    pub next: Option<Loc>,
    pub exit: Option<Loc>,
}

#[derive(Clone, Debug)]
pub struct Stage {
    pub id: String,
    pub label: String,
    /// `renamed_from:`: the id this stage had before.
    pub renamed_from: Option<Renamed>,
    pub owner: Option<RoleId>,
    /// Percent, 0..100 when valid. Won stages default to 100, lost stages to 0.
    pub probability: Option<f64>,
    pub forecast: Forecast,
    pub outcome: Option<Outcome>,
    pub objective: Option<String>,
    pub description: Option<String>,
    pub expected: Option<Duration>,
    pub stale_after: Option<Duration>,
    pub activities: Vec<String>,
    pub tools: Vec<ToolId>,
    pub requires: Vec<FieldId>,
    pub exit: Option<Expr>,
    pub follow_ups: Vec<FollowUp>,
    pub automations: Vec<Automation>,
    pub guidance: Option<String>,
    /// The stage's value in each CRM, where it is not the label.
    pub crm: CrmNames,
    /// Every way out of this stage: `next:` (or the default) followed by `from:` additions.
    pub next: Vec<Transition>,
    /// Fields that must be set while a deal is in this stage (LANGUAGE.md section 8).
    pub required_here: Vec<FieldId>,
    /// True when a transition named a stage that does not exist (already reported): graph
    /// rules then treat this stage as able to go anywhere, so one typo gives one diagnostic.
    pub unresolved_next: bool,
    /// True when a `from:` named a stage that does not exist: any stage may lead here.
    pub unresolved_from: bool,
    /// True when `requires:` named a field that does not exist: which fields are collected
    /// is then unknown, so `field-not-collected` stays silent in this process.
    pub unresolved_requires: bool,
    pub loc: Loc,
    pub locs: StageLocs,
}

impl Stage {
    /// Where the exit is written, for diagnostics about it: the criteria or test itself when
    /// it is one, else the whole `exit:`.
    pub fn exit_loc(&self) -> Loc {
        match &self.exit {
            Some(Expr::Criteria { loc, .. } | Expr::Field { loc, .. }) => *loc,
            _ => self.locs.exit.unwrap_or(self.loc),
        }
    }

    pub fn is_open(&self) -> bool {
        self.outcome.is_none()
    }
    pub fn is_won(&self) -> bool {
        self.outcome == Some(Outcome::Won)
    }
    pub fn is_lost(&self) -> bool {
        self.outcome == Some(Outcome::Lost)
    }
    pub fn next_ids(&self) -> impl Iterator<Item = StageId> + '_ {
        self.next.iter().map(|t| t.to)
    }
}

/// A resolved condition. Only well-typed expressions reach the model.
#[derive(Clone, Debug)]
pub enum Expr {
    Or(Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Field {
        field: FieldId,
        test: Test,
        loc: Loc,
    },
    Criteria {
        criteria: CriteriaId,
        loc: Loc,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub enum Test {
    /// A bool field is true.
    IsTrue,
    IsSet,
    IsNotSet,
    Compare(CompareOp, Literal),
    In(Vec<Literal>),
}
