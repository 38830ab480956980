use super::{sound_processes, Context};
use crate::diag::Diagnostic;
use crate::rule::{Level, Rule, RuleInfo};

pub const INFO: RuleInfo = RuleInfo {
    name: "no-lost-stage",
    default: Level::Warning,
    summary: "a process without a stage of outcome lost",
    explanation: "\
Most deals are lost, and a process that cannot record it leaves them open forever, inflating
the pipeline. A lost stage with `from: any` lets a deal be closed as lost from any open stage,
and its `requires:` captures why.",
    example: crate::rule_fixtures!("no-lost-stage"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for process in sound_processes(cx) {
        if !process.stages.iter().any(|s| s.is_lost()) {
            out.push(
                Diagnostic::new(
                    Rule::NoLostStage,
                    process.loc,
                    format!("process `{}` has no lost stage", process.id),
                )
                .label("no stage with `outcome: lost`")
                .help("add `stage closed_lost { outcome: lost  from: any }` so deals can be closed as lost from any stage"),
            );
        }
    }
}
