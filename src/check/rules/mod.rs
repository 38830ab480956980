//! The rule registry. Each rule lives in its own file with its explanation; `explain` shows
//! the explanation with the rule's own test fixtures as the wrong and the right example.

use super::Context;
use crate::diag::{Diagnostic, Severity};

pub mod dead_end;
pub mod duplicate_definition;
pub mod extends_cycle;
pub mod field_not_collected;
pub mod import_cycle;
pub mod import_not_found;
pub mod invalid_probability;
pub mod missing_objective;
pub mod missing_owner;
pub mod missing_probability;
pub mod no_lost_stage;
pub mod no_stages;
pub mod no_won_stage;
pub mod probability_order;
pub mod self_transition;
pub mod stale_before_expected;
pub mod syntax;
pub mod terminal_has_next;
pub mod type_mismatch;
pub mod unknown_reference;
pub mod unreachable_stage;
pub mod unreachable_threshold;
pub mod unused_definition;

/// What `explain` and the docs say about a rule.
pub struct RuleInfo {
    /// The kebab-case name users write in `salespath.yaml`.
    pub name: &'static str,
    /// `None` when the rule is off unless turned on.
    pub default: Option<Severity>,
    pub summary: &'static str,
    /// What the rule checks and why it matters.
    pub explanation: &'static str,
    /// A file that breaks the rule (its test fixture).
    pub bad: &'static str,
    /// The same file, fixed (its test fixture).
    pub good: &'static str,
}

macro_rules! fixture {
    ($rule:literal, $file:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/rules/",
            $rule,
            "/",
            $file
        ))
    };
}
pub(crate) use fixture;

/// Every rule, in the order of LANGUAGE.md section 6.
pub const RULES: &[&RuleInfo] = &[
    &syntax::INFO,
    &duplicate_definition::INFO,
    &unknown_reference::INFO,
    &type_mismatch::INFO,
    &invalid_probability::INFO,
    &no_stages::INFO,
    &no_won_stage::INFO,
    &terminal_has_next::INFO,
    &unreachable_stage::INFO,
    &dead_end::INFO,
    &probability_order::INFO,
    &field_not_collected::INFO,
    &stale_before_expected::INFO,
    &self_transition::INFO,
    &no_lost_stage::INFO,
    &unused_definition::INFO,
    &missing_probability::INFO,
    &missing_objective::INFO,
    &missing_owner::INFO,
    &import_not_found::INFO,
    &import_cycle::INFO,
    &extends_cycle::INFO,
    &unreachable_threshold::INFO,
];

/// The rules that inspect the resolved model (the others report while parsing or resolving).
pub const CHECKS: &[fn(&Context<'_>, &mut Vec<Diagnostic>)] = &[
    invalid_probability::check,
    no_stages::check,
    no_won_stage::check,
    terminal_has_next::check,
    unreachable_stage::check,
    dead_end::check,
    probability_order::check,
    field_not_collected::check,
    stale_before_expected::check,
    self_transition::check,
    no_lost_stage::check,
    unused_definition::check,
    missing_probability::check,
    missing_objective::check,
    missing_owner::check,
    unreachable_threshold::check,
];

pub fn find(name: &str) -> Option<&'static RuleInfo> {
    RULES.iter().copied().find(|r| r.name == name)
}

/// The default severity of `rule`; `None` when it is off by default or unknown.
pub fn default_severity(rule: &str) -> Option<Severity> {
    find(rule).and_then(|r| r.default)
}

/// Processes whose graph rules may run: with stages and no earlier error making them unsound.
pub(crate) fn sound_processes<'a>(
    cx: &'a Context<'a>,
) -> impl Iterator<Item = &'a crate::model::Process> + 'a {
    cx.model
        .processes
        .iter()
        .enumerate()
        .filter(|(i, p)| !cx.incomplete.get(*i).copied().unwrap_or(false) && !p.stages.is_empty())
        .map(|(_, p)| p)
}

/// Whether a stage's probability is a valid percentage (invalid ones are reported once, by
/// `invalid-probability`, and other rules leave them alone).
pub(crate) fn valid_probability(p: Option<f64>) -> Option<f64> {
    p.filter(|p| (0.0..=100.0).contains(p))
}

/// What `salespath explain RULE` prints (also the rule's page under `docs/rules/`).
pub fn explain_text(rule: &RuleInfo) -> String {
    let level = rule.default.map_or("off", Severity::as_str);
    format!(
        "# {name}\n\nDefault severity: {level}.\n\n## What it checks\n\nIt reports {summary}.\n\n## Why it matters\n\n{explanation}\n\n## Wrong\n\n```\n{bad}```\n\n## Right\n\n```\n{good}```\n\nChange its severity in `salespath.yaml`:\n\n```yaml\nrules:\n  {name}: {other}\n```\n",
        name = rule.name,
        summary = rule.summary,
        explanation = rule.explanation,
        bad = ensure_newline(rule.bad),
        good = ensure_newline(rule.good),
        other = if rule.default.is_some() { "off" } else { "warning" },
    )
}

fn ensure_newline(text: &str) -> String {
    if text.ends_with('\n') {
        text.to_string()
    } else {
        format!("{text}\n")
    }
}
