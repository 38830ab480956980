use crate::diag::Diagnostic;
use crate::rule::{Level, Rule, RuleInfo};
use crate::source::Loc;

pub const INFO: RuleInfo = RuleInfo {
    name: "duplicate-definition",
    default: Level::Error,
    summary: "a name declared twice in its kind (stage names within a process)",
    explanation: "\
Every role, field, tool, segment, criteria, scoring and process needs a name of its own, and
so does every stage within its process. With two declarations of one name nobody can tell which
one a reference means, and CRM configuration generated from the file would carry two fields or
stages where the CRM accepts one. The report points at both declarations. Fields and criteria
share one set of names, because conditions refer to both by bare name.",
    example: crate::rule_fixtures!("duplicate-definition"),
};

pub fn diagnostic(kind: &str, name: &str, second: Loc, first: Loc) -> Diagnostic {
    Diagnostic::new(
        Rule::DuplicateDefinition,
        second,
        format!("the {kind} `{name}` is declared twice"),
    )
    .label("declared again here")
    .related(first, "first declared here")
    .help(format!(
        "rename one of them, or remove the second declaration of `{name}`"
    ))
}
