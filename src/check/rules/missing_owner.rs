use super::Context;
use crate::diag::Diagnostic;
use crate::rule::{Level, Rule, RuleInfo};

pub const INFO: RuleInfo = RuleInfo {
    name: "missing-owner",
    default: Level::Off,
    summary: "an open stage without an owner",
    explanation: "\
Off by default; turn it on in `salespath.yaml` when every stage should state the role accountable for deals in this stage.
The sales process matrix and the playbooks show it for each stage, so a stage without one
leaves a gap in what reps are taught.",
    example: crate::rule_fixtures!("missing-owner"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for process in &cx.model.processes {
        for stage in process
            .stages
            .iter()
            .filter(|s| s.is_open() && s.locs.owner.is_none())
        {
            out.push(
                Diagnostic::new(
                    Rule::MissingOwner,
                    stage.loc,
                    format!("stage `{}` has no owner", stage.id),
                )
                .label("no `owner:`")
                .help("add `owner: ROLE` to this stage"),
            );
        }
    }
}
