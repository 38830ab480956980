//! The text `salespath explain` prints, which is also each rule's page under `docs/rules/`.

use super::{Example, Level, Phase, Rule};

/// One rule's page: what it checks, why, its example, and how to change its severity.
pub(super) fn page(rule: Rule) -> String {
    let info = rule.info();
    let level = info.default.as_str();
    let intro = match rule.phase() {
        Phase::Audit => format!("An audit rule of `salespath audit`. Default severity: {level}."),
        _ => format!("Default severity: {level}."),
    };
    let example = match &info.example {
        Example::Fixtures { bad, good } => format!(
            "## Wrong\n\n```\n{}```\n\n## Right\n\n```\n{}```\n",
            ensure_newline(bad),
            ensure_newline(good)
        ),
        Example::Data(rows) => format!("## Example\n\n```\n{}```\n", ensure_newline(rows)),
    };
    let levels = match rule.phase() {
        Phase::Audit => " (`error`, `warning`, `info` or `off`)",
        _ => "",
    };
    let other = if info.default == Level::Off {
        "warning"
    } else {
        "off"
    };
    format!(
        "# {name}\n\n{intro}\n\n## What it checks\n\nIt reports {summary}.\n\n## Why it matters\n\n{explanation}\n\n{example}\nChange its severity in `salespath.yaml`{levels}:\n\n```yaml\nrules:\n  {name}: {other}\n```\n",
        name = info.name,
        summary = info.summary,
        explanation = info.explanation,
    )
}

/// Every rule with its default severity and summary: the checker's, then the audit's.
pub(super) fn table() -> String {
    let mut out = String::from("rules (default severity):\n");
    let (audit, checker): (Vec<Rule>, Vec<Rule>) =
        Rule::ALL.iter().partition(|r| r.phase() == Phase::Audit);
    list(&mut out, &checker);
    out.push_str("\naudit rules (`salespath audit`, default severity):\n");
    list(&mut out, &audit);
    out.push_str("\nrun `salespath explain RULE` for what a rule checks, why, and an example\n");
    out
}

fn list(out: &mut String, rules: &[Rule]) {
    for info in rules.iter().map(|r| r.info()) {
        out.push_str(&format!(
            "  {:<26} {:<8} {}\n",
            info.name,
            info.default.as_str(),
            info.summary
        ));
    }
}

fn ensure_newline(text: &str) -> String {
    if text.ends_with('\n') {
        text.to_string()
    } else {
        format!("{text}\n")
    }
}
