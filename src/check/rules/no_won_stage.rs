use super::{sound_processes, Context};
use crate::diag::Diagnostic;
use crate::rule::{Level, Rule, RuleInfo};

pub const INFO: RuleInfo = RuleInfo {
    name: "no-won-stage",
    default: Level::Error,
    summary: "a process without a stage of outcome won",
    explanation: "\
Every process exists to win deals, and CRMs close a deal as won by moving it into a won stage.
Without one, no deal can ever be won, and the checker cannot tell which stages lead to a win.
It then reports only this, not every stage as a dead end.",
    example: crate::rule_fixtures!("no-won-stage"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for process in sound_processes(cx) {
        if !process.stages.iter().any(|s| s.is_won()) {
            out.push(
                Diagnostic::new(
                    Rule::NoWonStage,
                    process.loc,
                    format!("process `{}` has no won stage", process.id),
                )
                .label("no stage with `outcome: won`")
                .help(
                    "add a stage such as `stage closed_won { outcome: won }` and lead deals to it",
                ),
            );
        }
    }
}
