//! The audit's finding rules (DEALS.md section 6): each declared once, in its own file, with
//! its name, default severity and explanation. `salespath explain` and `salespath.yaml` use
//! this registry.

use crate::config::Level;

pub mod bad_row;
pub mod exit_not_met;
pub mod field_not_in_data;
pub mod illegal_move;
pub mod missing_required;
pub mod probability_mismatch;
pub mod stale_deal;
pub mod unknown_stage;
pub mod wrong_entry;

/// What `explain`, the configuration and the report know about an audit rule.
pub struct AuditRule {
    /// The kebab-case name, as in `salespath.yaml` and the JSON report.
    pub name: &'static str,
    pub default: Level,
    pub summary: &'static str,
    /// What the rule checks and why it matters.
    pub explanation: &'static str,
    /// A few rows of deal data that break the rule, and what the audit says about them.
    pub example: &'static str,
}

/// Every audit rule, in the order of DEALS.md section 6 (also the order of the report).
pub const RULES: &[&AuditRule] = &[
    &bad_row::RULE,
    &unknown_stage::RULE,
    &wrong_entry::RULE,
    &illegal_move::RULE,
    &stale_deal::RULE,
    &missing_required::RULE,
    &exit_not_met::RULE,
    &probability_mismatch::RULE,
    &field_not_in_data::RULE,
];

pub fn find(name: &str) -> Option<&'static AuditRule> {
    RULES.iter().copied().find(|r| r.name == name)
}

pub fn level_name(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "info",
        Level::Off => "off",
    }
}

/// The audit rules with their default severities, for `salespath explain`.
pub fn table() -> String {
    let mut out = String::from("\naudit rules (`salespath audit`, default severity):\n");
    for rule in RULES {
        out.push_str(&format!(
            "  {:<26} {:<8} {}\n",
            rule.name,
            level_name(rule.default),
            rule.summary
        ));
    }
    out
}

/// What `salespath explain RULE` prints for an audit rule (also its page under `docs/rules/`).
pub fn explain_text(rule: &AuditRule) -> String {
    let other = if rule.default == Level::Off {
        "warning"
    } else {
        "off"
    };
    format!(
        "# {name}\n\nAn audit rule of `salespath audit`. Default severity: {level}.\n\n## What it checks\n\nIt reports {summary}.\n\n## Why it matters\n\n{explanation}\n\n## Example\n\n```\n{example}```\n\nChange its severity in `salespath.yaml` (`error`, `warning`, `info` or `off`):\n\n```yaml\nrules:\n  {name}: {other}\n```\n",
        name = rule.name,
        level = level_name(rule.default),
        summary = rule.summary,
        explanation = rule.explanation,
        example = rule.example,
    )
}
