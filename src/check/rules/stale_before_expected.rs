use super::Context;
use crate::diag::Diagnostic;
use crate::rule::{Level, Rule, RuleInfo};

pub const INFO: RuleInfo = RuleInfo {
    name: "stale-before-expected",
    default: Level::Warning,
    summary: "a `stale_after` shorter than `expected`",
    explanation: "\
`expected` is how long a deal normally spends in a stage and `stale_after` is when it counts as
stalled. If a deal is called stalled before it is even expected to be done, every healthy deal
gets flagged, reps learn to ignore the alerts, and the CRM's rotting deals view becomes noise.",
    example: crate::rule_fixtures!("stale-before-expected"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for process in &cx.model.processes {
        for stage in &process.stages {
            let (Some(expected), Some(stale), Some(loc)) =
                (stage.expected, stage.stale_after, stage.locs.stale_after)
            else {
                continue;
            };
            if stale < expected {
                out.push(
                    Diagnostic::new(
                        Rule::StaleBeforeExpected,
                        loc,
                        format!(
                            "`{}` counts a deal as stalled after {}, before the {} it is expected to take",
                            stage.id,
                            stale.human(),
                            expected.human()
                        ),
                    )
                    .label("shorter than `expected`")
                    .help(format!(
                        "make `stale_after` at least `{}`, or shorten `expected`",
                        expected.source()
                    )),
                );
            }
        }
    }
}
