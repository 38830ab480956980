//! Diagnostics: what the checker reports, and how it is shown to people and machines.

mod github;
mod human;
mod json;
mod sarif;

pub use github::render_github;
pub use human::{render_human, HumanOptions};
pub use json::{render_json, JsonDiagnostic, JsonReport};
pub use sarif::{render_sarif, SARIF_SCHEMA};

use crate::rule::Rule;
use crate::source::Loc;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A secondary place shown with a diagnostic, such as the first of two declarations.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub loc: Loc,
    pub message: String,
}

/// One problem found in the input. Wording follows one style: lowercase, no final full stop,
/// names in backticks, advice in `help`.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub rule: Rule,
    pub severity: Severity,
    pub message: String,
    pub loc: Loc,
    /// Text shown under the primary span.
    pub label: Option<String>,
    pub help: String,
    pub related: Vec<Label>,
}

impl Diagnostic {
    /// A diagnostic of `rule` at its default severity (the configuration may change it later).
    pub fn new(rule: Rule, loc: Loc, message: impl Into<String>) -> Self {
        let severity = rule.default_severity().unwrap_or(Severity::Error);
        Diagnostic {
            rule,
            severity,
            message: message.into(),
            loc,
            label: None,
            help: String::new(),
            related: Vec::new(),
        }
    }
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = help.into();
        self
    }
    pub fn related(mut self, loc: Loc, message: impl Into<String>) -> Self {
        self.related.push(Label {
            loc,
            message: message.into(),
        });
        self
    }
}

/// The closest name to `name` among `candidates`, if one is close enough to be a likely typo.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = name.chars().count().div_ceil(3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| (strsim::damerau_levenshtein(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// "did you mean `x`?" when a close candidate exists, else `fallback`.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    fallback: impl FnOnce() -> String,
) -> String {
    match closest(name, candidates) {
        Some(best) => format!("did you mean `{best}`?"),
        None => fallback(),
    }
}

/// Counts of errors and warnings.
pub fn tally(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    (errors, diagnostics.len() - errors)
}

/// Joins names as "`a`, `b` and `c`".
pub fn list_names<S: AsRef<str>>(names: &[S]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{}`", n.as_ref())).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        n => format!("{} and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}
