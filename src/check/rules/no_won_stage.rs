use super::{sound_processes, Context};
use crate::diag::{Diagnostic, Severity};
use crate::rule::{Rule, RuleInfo};

pub const INFO: RuleInfo = RuleInfo {
    name: "no-won-stage",
    default: Some(Severity::Error),
    summary: "a process without a stage of outcome won",
    explanation: "\
Every process exists to win deals, and CRMs close a deal as won by moving it into a won stage.
Without one, no deal can ever be won, and the checker cannot tell which stages lead to a win.
It then reports only this, not every stage as a dead end.",
    bad: crate::rule_fixture!("no-won-stage", "bad.sales"),
    good: crate::rule_fixture!("no-won-stage", "good.sales"),
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
