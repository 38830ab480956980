use super::Context;
use crate::diag::Diagnostic;
use crate::rule::{Level, Rule, RuleInfo};
use crate::source::Loc;

pub const INFO: RuleInfo = RuleInfo {
    name: "terminal-has-next",
    default: Level::Error,
    summary: "a stage with an outcome that lists `next:`",
    explanation: "\
A stage with `outcome: won` or `outcome: lost` is where a deal ends: it is closed in the CRM
and does not move on. A `next:` there (or a `from:` that names it as a source) describes a move
that cannot happen. To reopen lost deals, model a separate open stage such as `nurture`.",
    example: crate::rule_fixtures!("terminal-has-next"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for process in &cx.model.processes {
        for stage in &process.stages {
            if let (Some(outcome), Some(loc)) = (stage.outcome, stage.locs.next) {
                out.push(
                    Diagnostic::new(
                        Rule::TerminalHasNext,
                        loc,
                        format!(
                            "`{}` is a {} stage, so deals cannot move on from it",
                            stage.id,
                            outcome.as_str()
                        ),
                    )
                    .label("a closed deal does not move")
                    .help("remove `next:` from this stage, or remove `outcome:` if deals should continue from it"),
                );
            }
        }
    }
}

/// A `from:` that names a terminal stage as a source.
pub fn from_terminal(source: &str, target: &str, loc: Loc) -> Diagnostic {
    Diagnostic::new(
        Rule::TerminalHasNext,
        loc,
        format!("`{source}` is a terminal stage, so no deal can move from it to `{target}`"),
    )
    .label("terminal stage")
    .help(format!("remove `{source}` from this `from:` list"))
}
