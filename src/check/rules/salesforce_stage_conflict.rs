use crate::crm::StageConflict;
use crate::diag::Diagnostic;
use crate::rule::{Level, Rule, RuleInfo};

pub const INFO: RuleInfo = RuleInfo {
    name: "salesforce-stage-conflict",
    default: Level::Error,
    summary: "two stages with one label but a different probability, outcome or forecast category, when the build writes for Salesforce",
    explanation: "\
A Salesforce org has one list of opportunity stages for all its sales processes: each label
is one stage with one probability, one forecast category and one open, won or lost status.
Two processes may share a stage such as \"Proposal\" only when they agree on all of these;
otherwise the second would silently change the first in the org. Give the stages the same
values, different labels, or a Salesforce stage of its own in one of them (`salesforce:
\"Proposal (Renewal)\"` in the stage). It only concerns builds that write for Salesforce
(`build.emit` in `salespath.yaml`, or all outputs by default); `check` reports it too.",
    example: crate::rule_fixtures!("salesforce-stage-conflict"),
};

/// Two stages of a build would be one Salesforce stage value but differ.
pub fn diagnostic(conflict: &StageConflict<'_>) -> Diagnostic {
    Diagnostic::new(
        Rule::SalesforceStageConflict,
        conflict.at,
        format!(
            "stage `{}` cannot be one Salesforce stage: {}",
            conflict.value, conflict.difference
        ),
    )
    .label("this stage")
    .related(conflict.first_at, "the same Salesforce stage is first defined here")
    .help(format!(
        "Salesforce keeps one stage list for every sales process: give the stages the same probability, outcome and forecast, or give this one a Salesforce stage of its own (`salesforce: \"{} (2)\"` in the stage)",
        conflict.value
    ))
}
