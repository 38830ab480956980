use super::{sound_processes, Context};
use crate::diag::Diagnostic;
use crate::model::graph;
use crate::rule::{Level, Rule, RuleInfo};

pub const INFO: RuleInfo = RuleInfo {
    name: "unreachable-stage",
    default: Level::Error,
    summary: "a stage that no deal can reach from the entry stage",
    explanation: "\
Every deal enters at the first stage and moves along `next:` (or to the stage listed after, when
a stage has no `next:`) and `from:`. A stage that no such path reaches will never hold a deal:
it is dead weight in the CRM and in training, and usually a sign of a forgotten transition.",
    example: crate::rule_fixtures!("unreachable-stage"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for process in sound_processes(cx) {
        let reachable = graph::reachable(&process.stages);
        // A won stage nothing leads to is what a dead end already says.
        let wins = graph::reaches_won(&process.stages);
        let has_dead_end = (0..process.stages.len())
            .any(|i| reachable[i] && process.stages[i].is_open() && !wins[i]);
        for (stage, _) in process
            .stages
            .iter()
            .zip(&reachable)
            .filter(|(s, r)| !(**r || s.is_won() && has_dead_end))
        {
            out.push(
                Diagnostic::new(
                    Rule::UnreachableStage,
                    stage.loc,
                    format!("no deal can reach stage `{}`", stage.id),
                )
                .label("nothing leads here")
                .help(format!(
                    "nothing leads to `{}` from `{}`, where deals enter: list it in an earlier stage's `next:`, or give it `from:`",
                    stage.id, process.stages[0].id
                )),
            );
        }
    }
}
