//! The text `salespath explain` prints, which is also each rule's page under `docs/rules/`.

use super::{Rule, RuleInfo};
use crate::diag::Severity;

/// One rule's page: what it checks, why, a wrong and a right example, and how to change it.
pub(super) fn page(rule: &RuleInfo) -> String {
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

/// Every rule with its default severity and summary.
pub(super) fn table() -> String {
    let mut out = String::from("rules (default severity):\n");
    for rule in Rule::ALL.iter().map(|r| r.info()) {
        let level = rule.default.map_or("off", Severity::as_str);
        out.push_str(&format!(
            "  {:<26} {:<8} {}\n",
            rule.name, level, rule.summary
        ));
    }
    out.push_str("\nrun `salespath explain RULE` for what a rule checks, why, and an example\n");
    out
}

fn ensure_newline(text: &str) -> String {
    if text.ends_with('\n') {
        text.to_string()
    } else {
        format!("{text}\n")
    }
}
