use crate::diag::Diagnostic;
use crate::model::Field;
use crate::rule::{Level, Rule, RuleInfo};

pub const INFO: RuleInfo = RuleInfo {
    name: "salesforce-field-conflict",
    default: Level::Error,
    summary: "two different fields that would be one Salesforce field, when the build writes for Salesforce",
    explanation: "\
Each field becomes a custom Opportunity field whose API name is made from its id (`deal_value`
becomes `Deal_Value__c`), cut to Salesforce's length limit. Two fields whose ids give the same
name, or one field declared with two types in files built together, cannot both be created:
the second would overwrite the first. Give one of them another id, or name its Salesforce
field with `salesforce:`. It only concerns builds that write for Salesforce.",
    example: crate::rule_fixtures!("salesforce-field-conflict"),
};

/// `later` and `first` would both be the Salesforce field `name`; `why` says why they
/// cannot be merged.
pub fn diagnostic(first: &Field, later: &Field, name: &str, why: &str) -> Diagnostic {
    Diagnostic::new(
        Rule::SalesforceFieldConflict,
        later.loc,
        format!(
            "field `{}` ({}) and field `{}` ({}) would both be `{name}` in Salesforce: {why}",
            later.id,
            later.ty.name(),
            first.id,
            first.ty.name()
        ),
    )
    .label("this field")
    .related(first.loc, "the other field")
    .help("give one of them another id, or name its Salesforce field with `salesforce:`")
}
