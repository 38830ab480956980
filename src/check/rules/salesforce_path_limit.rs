use crate::diag::Diagnostic;
use crate::rule::{Level, Rule, RuleInfo};
use crate::source::Loc;

pub const INFO: RuleInfo = RuleInfo {
    name: "salesforce-path-limit",
    default: Level::Warning,
    summary: "a stage whose Salesforce Path step would pass Salesforce's limits of 5 key fields or 1,000 characters of guidance, when the build writes for Salesforce",
    explanation: "\
Each stage becomes a step of the Salesforce Path, showing its key fields and its guidance for
success. Salesforce shows at most 5 key fields per step and keeps at most 1,000 characters of
guidance, counting the HTML that formats it. The build lists the fields a deal must already
have first, then the stage's own `requires:`, and names the fields that do not fit in the
step's guidance instead; guidance that is too long is cut at the end of a sentence or a word.
Either way reps see less on the Path than the process says. Require fewer fields in the
stage (move some to an earlier one), or shorten its objective and guidance. It only concerns
builds that write for Salesforce.",
    example: crate::rule_fixtures!("salesforce-path-limit"),
};

/// The Path step of stage `stage` shows `shown` key fields; `rest` (labels) are named in its
/// guidance instead.
pub fn key_fields(loc: Loc, stage: &str, shown: usize, rest: &[String]) -> Diagnostic {
    let total = shown + rest.len();
    Diagnostic::new(
        Rule::SalesforcePathLimit,
        loc,
        format!(
            "stage `{stage}` has {total} key fields for its Salesforce Path step, over Salesforce's limit of {shown}: {} named in its guidance instead",
            crate::emit::english::joined(
                &rest.iter().map(|l| format!("`{l}`")).collect::<Vec<_>>(),
                "and"
            ) + if rest.len() == 1 { " is" } else { " are" }
        ),
    )
    .label("too many key fields for one Path step")
    .help("require fewer fields in this stage, for instance by requiring some in an earlier stage")
}

/// The guidance of stage `stage` makes `length` characters of Path guidance, cut to `max`.
pub fn guidance(loc: Loc, stage: &str, length: usize, max: usize) -> Diagnostic {
    Diagnostic::new(
        Rule::SalesforcePathLimit,
        loc,
        format!(
            "the objective and guidance of stage `{stage}` make {} characters of Salesforce Path guidance, over Salesforce's limit of {}: the rest is cut",
            crate::value::group_thousands(length as f64),
            crate::value::group_thousands(max as f64)
        ),
    )
    .label("guidance too long for a Path step")
    .help("shorten the stage's objective and guidance; HTML formatting counts towards the limit")
}
