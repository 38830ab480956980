use super::Context;
use crate::diag::Diagnostic;
use crate::rule::{Level, Rule, RuleInfo};

pub const INFO: RuleInfo = RuleInfo {
    name: "missing-objective",
    default: Level::Off,
    summary: "an open stage without an objective",
    explanation: "\
Off by default; turn it on in `salespath.yaml` when every stage should state what the stage must achieve to advance the sale.
The sales process matrix and the playbooks show it for each stage, so a stage without one
leaves a gap in what reps are taught.",
    example: crate::rule_fixtures!("missing-objective"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for process in &cx.model.processes {
        for stage in process
            .stages
            .iter()
            .filter(|s| s.is_open() && s.objective.is_none())
        {
            out.push(
                Diagnostic::new(
                    Rule::MissingObjective,
                    stage.loc,
                    format!("stage `{}` has no objective", stage.id),
                )
                .label("no `objective:`")
                .help("add `objective: \"...\"` to this stage"),
            );
        }
    }
}
