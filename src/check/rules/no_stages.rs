use super::Context;
use crate::diag::Diagnostic;
use crate::rule::{Level, Rule, RuleInfo};

pub const INFO: RuleInfo = RuleInfo {
    name: "no-stages",
    default: Level::Error,
    summary: "a process without stages",
    explanation: "\
A process is its stages: where a deal enters, how it moves and where it ends. A process with
none cannot hold a deal and would give an empty pipeline in the CRM.",
    example: crate::rule_fixtures!("no-stages"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (i, process) in cx.model.processes.iter().enumerate() {
        if process.stages.is_empty() && !cx.incomplete.get(i).copied().unwrap_or(false) {
            out.push(
                Diagnostic::new(
                    Rule::NoStages,
                    process.loc,
                    format!("process `{}` has no stages", process.id),
                )
                .label("no stages")
                .help("add stages in the order deals move through them, ending with a won and a lost stage"),
            );
        }
    }
}
