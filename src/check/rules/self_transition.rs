use super::Context;
use crate::diag::Diagnostic;
use crate::model::TransitionKind;
use crate::rule::{Level, Rule, RuleInfo};

pub const INFO: RuleInfo = RuleInfo {
    name: "self-transition",
    default: Level::Warning,
    summary: "a stage that lists itself in `next:`",
    explanation: "\
A deal that stays in a stage has not moved, so listing the stage in its own `next:` adds nothing
but a loop in the process map. It is usually a copy-paste slip for another stage.",
    example: crate::rule_fixtures!("self-transition"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for process in &cx.model.processes {
        for (i, stage) in process.stages.iter().enumerate() {
            for t in &stage.next {
                if t.to.0 == i && t.kind == TransitionKind::Listed {
                    out.push(
                        Diagnostic::new(
                            Rule::SelfTransition,
                            t.loc,
                            format!("`{}` lists itself in `next:`", stage.id),
                        )
                        .label("a deal staying here is not a move")
                        .help(format!("remove `{}` from its own `next:`", stage.id)),
                    );
                }
            }
        }
    }
}
