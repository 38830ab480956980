use crate::diag::{closest, Diagnostic, Severity};
use crate::rule::{Rule, RuleInfo};
use crate::source::Loc;

pub const INFO: RuleInfo = RuleInfo {
    name: "unknown-reference",
    default: Some(Severity::Error),
    summary: "a name that is not declared (stage, field, tool, role, segment, criteria)",
    explanation: "\
A stage can only send deals to stages of its own process, require fields that are declared,
use declared tools, be owned by a declared role, and test declared fields or criteria. A name
that is not declared is usually a typo, so the report suggests the closest declared name. The
checker then treats the broken reference as unknown rather than missing: a misspelt stage in
`next:` does not also make other stages look unreachable.",
    bad: crate::rule_fixture!("unknown-reference", "bad.sales"),
    good: crate::rule_fixture!("unknown-reference", "good.sales"),
};

pub fn diagnostic(kind: &str, name: &str, loc: Loc, candidates: &[&str]) -> Diagnostic {
    let help = match closest(name, candidates.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None if candidates.is_empty() => format!("declare the {kind} `{name}` first"),
        None => format!("declare the {kind} `{name}`, or use one that is declared"),
    };
    Diagnostic::new(
        Rule::UnknownReference,
        loc,
        format!("there is no {kind} called `{name}`"),
    )
    .label(format!("unknown {kind}"))
    .help(help)
}
