//! The syntax tree: what the file says, with byte spans, before names are resolved.

use crate::source::Loc;
use crate::value::{CompareOp, Duration, Forecast, Literal, Outcome, SellingModel};

/// An identifier as written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Name {
    pub text: String,
    pub span: Loc,
}

/// A string literal, unescaped.
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    pub value: String,
    pub span: Loc,
}

/// A value with the span of the whole property that set it (`probability: 30%`).
#[derive(Clone, Debug, PartialEq)]
pub struct Prop<T> {
    pub value: T,
    pub span: Loc,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct File {
    pub declarations: Vec<Declaration>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Declaration {
    Import(Import),
    Role(Role),
    Field(Field),
    Tool(Tool),
    Segment(Segment),
    Criteria(Criteria),
    Scoring(Scoring),
    Process(Process),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    pub path: Text,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Role {
    pub name: Name,
    pub label: Option<Text>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum FieldType {
    Text,
    Number,
    Currency,
    Percent,
    Date,
    Bool,
    Choice(Vec<Text>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub name: Name,
    pub label: Option<Text>,
    pub ty: Prop<FieldType>,
    pub description: Option<Text>,
    pub salesforce: Option<Text>,
    pub hubspot: Option<Text>,
    pub pipedrive: Option<Text>,
    /// `renamed_from:`: the id it had before.
    pub renamed_from: Option<Name>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Tool {
    pub name: Name,
    pub label: Option<Text>,
    pub kind: Option<Name>,
    pub link: Option<Text>,
    pub description: Option<Text>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    pub name: Name,
    pub label: Option<Text>,
    pub description: Option<Text>,
    pub when: Option<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Criterion {
    pub name: Name,
    pub expr: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Criteria {
    pub name: Name,
    pub label: Option<Text>,
    pub items: Vec<Criterion>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ScoreRule {
    pub points: Prop<f64>,
    pub when: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scoring {
    pub name: Name,
    pub label: Option<Text>,
    pub rules: Vec<ScoreRule>,
    pub threshold: Option<Prop<f64>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Process {
    pub name: Name,
    pub label: Option<Text>,
    pub extends: Option<Name>,
    pub model: Option<Prop<SellingModel>>,
    pub owner: Option<Text>,
    pub description: Option<Text>,
    pub segments: Option<Vec<Name>>,
    pub stages: Vec<Stage>,
    pub removed: Vec<Name>,
    /// `renamed_from:`: the id it had before.
    pub renamed_from: Option<Name>,
}

/// Where transitions into a stage come from.
#[derive(Clone, Debug, PartialEq)]
pub enum From {
    Any(Loc),
    Stages(Vec<Name>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Trigger {
    Entered,
    Exited,
    Stale,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Task {
        text: Text,
        role: Option<Name>,
        due: Option<Duration>,
    },
    Email {
        template: Text,
        after: Option<Duration>,
    },
    Notify {
        role: Name,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Automation {
    pub trigger: Trigger,
    pub action: Action,
    pub span: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FollowUp {
    pub text: Text,
    pub after: Duration,
    pub span: Loc,
}

/// A stage as written. Properties are optional so a variant can restate only some of them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stage {
    pub name: Name,
    pub label: Option<Text>,
    pub owner: Option<Name>,
    pub probability: Option<Prop<f64>>,
    pub forecast: Option<Prop<Forecast>>,
    pub objective: Option<Text>,
    pub description: Option<Text>,
    pub expected: Option<Prop<Duration>>,
    pub stale_after: Option<Prop<Duration>>,
    pub activities: Option<Vec<Text>>,
    pub tools: Option<Vec<Name>>,
    pub requires: Option<Vec<Name>>,
    pub exit: Option<Expr>,
    pub follow_ups: Option<Vec<FollowUp>>,
    pub automations: Option<Vec<Automation>>,
    pub guidance: Option<Text>,
    pub next: Option<Prop<Vec<Name>>>,
    pub from: Option<Prop<From>>,
    pub outcome: Option<Prop<Outcome>>,
    /// The stage's value in a CRM when it is not its label (`salesforce: "Proposal (EMEA)"`).
    pub salesforce: Option<Text>,
    pub hubspot: Option<Text>,
    pub pipedrive: Option<Text>,
    /// `renamed_from:`: the id it had before.
    pub renamed_from: Option<Name>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Or(Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Not(Box<Expr>, Loc),
    Condition(Condition),
}

impl Expr {
    pub fn span(&self) -> Loc {
        match self {
            Expr::Or(a, b) | Expr::And(a, b) => a.span().to(b.span()),
            Expr::Not(e, span) => span.to(e.span()),
            Expr::Condition(c) => c.span,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    pub name: Name,
    pub test: Test,
    pub span: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Lit {
    pub value: Literal,
    pub span: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Test {
    /// A bare name: a bool field is true, or every item of a criteria holds.
    Holds,
    IsSet,
    IsNotSet,
    Compare {
        op: CompareOp,
        op_span: Loc,
        value: Lit,
    },
    In(Vec<Lit>),
}
