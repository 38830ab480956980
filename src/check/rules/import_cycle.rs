use crate::diag::Diagnostic;
use crate::rule::{Level, Rule, RuleInfo};
use crate::source::Loc;

pub const INFO: RuleInfo = RuleInfo {
    name: "import-cycle",
    default: Level::Error,
    summary: "files that import each other in a circle",
    explanation: "\
Imports form a tree: shared definitions at the bottom, process files on top. When files import
each other in a circle, none of them can be read first, and a change to one silently changes
all. Move what they share into a file that imports nothing of theirs.",
    example: crate::rule_fixtures!("import-cycle"),
};

pub fn diagnostic(chain: &[String], loc: Loc) -> Diagnostic {
    Diagnostic::new(
        Rule::ImportCycle,
        loc,
        format!("files import each other in a circle: {}", chain.join(" → ")),
    )
    .label("this import leads back here")
    .help("move the shared declarations into a file that imports none of these, and import that")
}
