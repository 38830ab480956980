use crate::diag::{closest, Diagnostic};
use crate::rule::{Level, Rule, RuleInfo};
use crate::source::Loc;

pub const INFO: RuleInfo = RuleInfo {
    name: "unknown-reference",
    default: Level::Error,
    summary: "a name that is not declared (stage, field, tool, role, segment, criteria)",
    explanation: "\
A stage can only send deals to stages of its own process, require fields that are declared,
use declared tools, be owned by a declared role, and test declared fields or criteria. A name
that is not declared is usually a typo, so the report suggests the closest declared name. The
checker then treats the broken reference as unknown rather than missing: a misspelt stage in
`next:` does not also make other stages look unreachable.",
    example: crate::rule_fixtures!("unknown-reference"),
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

/// A variant's `extends` names no process.
pub fn unknown_base(variant: &str, base: &str, loc: Loc, candidates: &[&str]) -> Diagnostic {
    let fallback = if candidates.len() > 1 {
        "name one of the processes declared in this file or its imports".to_string()
    } else {
        format!("declare the process `{base}` first")
    };
    let help = match closest(base, candidates.iter().copied().filter(|c| *c != variant)) {
        Some(best) => format!("did you mean `{best}`?"),
        None => fallback,
    };
    Diagnostic::new(
        Rule::UnknownReference,
        loc,
        format!("process `{variant}` extends `{base}`, which is not declared"),
    )
    .label("unknown process")
    .help(help)
}

/// A variant's `next:` or `from:` names a stage that is removed from it.
pub fn removed_stage(variant: &str, stage: &str, loc: Loc, removed_at: Loc) -> Diagnostic {
    Diagnostic::new(
        Rule::UnknownReference,
        loc,
        format!("stage `{stage}` is removed from process `{variant}`"),
    )
    .label("removed stage")
    .related(removed_at, "removed here")
    .help(format!(
        "name a stage that `{variant}` keeps, or keep `{stage}` by dropping its `remove stage`"
    ))
}
