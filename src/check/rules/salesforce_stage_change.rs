use crate::diag::Diagnostic;
use crate::rule::{Level, Rule, RuleInfo};
use crate::source::Loc;

pub const INFO: RuleInfo = RuleInfo {
    name: "salesforce-stage-change",
    default: Level::Warning,
    summary: "a stage of the Salesforce org whose probability or forecast category the deploy would change, when `salesforce.stage_value_set` names the org's stage list",
    explanation: "\
With `salesforce: stage_value_set:` in `salespath.yaml`, the build keeps every stage of the
org's retrieved stage list and adds the process's stages. A stage the org already has takes
the probability and forecast category the process gives it, which changes every open
opportunity at that stage: its probability, and where it counts in the forecast. The warning
names the stage, the org's values and the new ones, at the stage in the process file. Give
the stage the org's values, a Salesforce stage of its own (`salesforce: \"Proposal (New)\"` in
the stage), or turn the rule off when the change is intended.",
    example: crate::rule_fixtures!("salesforce-stage-change"),
};

/// The deploy would change stage `value` of the org, defined by the stage at `at`; `changes`
/// says how, in words (such as "probability 70% becomes 80%"); `file` and `line` locate the
/// value in the retrieved stage list.
pub fn diagnostic(value: &str, at: Loc, changes: &[String], file: &str, line: u32) -> Diagnostic {
    Diagnostic::new(
        Rule::SalesforceStageChange,
        at,
        format!(
            "deploying changes the org's stage `{value}`: {} (the org's stage list, `{file}` line {line})",
            changes.join(", ")
        ),
    )
    .label("the process defines this stage")
    .help(format!(
        "open opportunities at `{value}` change with it: give the stage the org's values, or a Salesforce stage of its own (`salesforce: \"{value} (2)\"` in the stage)"
    ))
}
