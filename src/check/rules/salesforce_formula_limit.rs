use crate::diag::Diagnostic;
use crate::emit::salesforce::formula::MAX_FORMULA;
use crate::rule::{Level, Rule, RuleInfo};
use crate::source::Loc;
use crate::value::group_thousands;

pub const INFO: RuleInfo = RuleInfo {
    name: "salesforce-formula-limit",
    default: Level::Error,
    summary: "an exit, a set of required fields, the next stages of a stage or a lead scoring whose Salesforce formula would pass Salesforce's limit of 3,900 characters, when the build writes for Salesforce",
    explanation: "\
Salesforce checks exit criteria, required fields and moves between stages with validation
rules, and computes lead scores with formula fields. An exit too long for one rule is split
into one rule per clause, but a single clause can still be too long. A formula has no names to refer to, so every criteria it uses is
spelt out in full, and criteria that use a criteria twice double in length with each level.
Salesforce refuses a formula over 3,900 characters, so the deploy would fail. The build
measures each formula before writing it and reports the stage or scoring instead. Shorten the
condition, or use fewer levels of criteria that use criteria. It only concerns builds that
write for Salesforce.",
    example: crate::rule_fixtures!("salesforce-formula-limit"),
};

/// A validation rule or formula field for `subject` (such as "the exit criteria of stage
/// `demo`") that would be `length` characters, over Salesforce's limit.
pub fn diagnostic(loc: Loc, subject: &str, length: u64) -> Diagnostic {
    let shown = if length == u64::MAX {
        "more than 18 quintillion".to_string()
    } else {
        group_thousands(length as f64)
    };
    Diagnostic::new(
        Rule::SalesforceFormulaLimit,
        loc,
        format!(
            "{subject} make a Salesforce formula of {shown} characters, over Salesforce's limit of {}",
            group_thousands(MAX_FORMULA as f64)
        ),
    )
    .label("too long for a Salesforce formula")
    .help("a formula spells every criteria out in full: shorten the condition, or use fewer levels of criteria that use criteria")
}
