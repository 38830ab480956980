use crate::diag::Diagnostic;
use crate::rule::{Level, Rule, RuleInfo};
use crate::source::Loc;

pub const INFO: RuleInfo = RuleInfo {
    name: "extends-cycle",
    default: Level::Error,
    summary: "processes that extend each other in a circle",
    explanation: "\
A variant (`process smb extends enterprise { ... }`) starts from its base process and changes
part of it. If processes extend each other in a circle, none of them has a starting point, so
none can be resolved. Make one of them the base that extends nothing.",
    example: crate::rule_fixtures!("extends-cycle"),
};

pub fn diagnostic(members: &[&str], first: &str, loc: Loc) -> Diagnostic {
    let mut circle: Vec<&str> = members.to_vec();
    circle.push(members[0]);
    Diagnostic::new(
        Rule::ExtendsCycle,
        loc,
        format!(
            "processes extend each other in a circle: {}",
            circle.join(" → ")
        ),
    )
    .label("closes the circle")
    .help(format!(
        "remove `extends` from `{first}` or from another process in the circle"
    ))
}
