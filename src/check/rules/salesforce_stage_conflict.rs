use crate::diag::Diagnostic;
use crate::model::Stage;
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
values, or different labels. It only concerns builds that write for Salesforce (`build.emit`
in `salespath.yaml`, or all outputs by default).",
    example: crate::rule_fixtures!("salesforce-stage-conflict"),
};

/// `second` cannot share its label with `first`: `difference` says how they differ.
pub fn diagnostic(first: &Stage, second: &Stage, difference: &str) -> Diagnostic {
    Diagnostic::new(
        Rule::SalesforceStageConflict,
        second.loc,
        format!(
            "stage `{}` cannot be one Salesforce stage: {difference}",
            second.label
        ),
    )
    .label("this stage")
    .related(first.loc, "the same label first appears here")
    .help("Salesforce keeps one stage list for every sales process: give the stages the same probability, outcome and forecast, or different labels")
}
