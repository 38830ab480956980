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
the second would overwrite the first. The same goes for a field named
`Salespath_Previous_Stage__c`, which the build writes for its exit automation. Give one of
them another id, or name its Salesforce field with `salesforce:`. It only concerns builds
that write for Salesforce.",
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

/// `field` would be the Salesforce field `name`, which the build writes for itself.
pub fn reserved(field: &Field, name: &str) -> Diagnostic {
    Diagnostic::new(
        Rule::SalesforceFieldConflict,
        field.loc,
        format!(
            "field `{}` would be `{name}` in Salesforce, which the build writes for its stage automation",
            field.id
        ),
    )
    .label("this field")
    .help("give it another id, or name its Salesforce field with `salesforce:`")
}
