use super::{sound_processes, Context};
use crate::diag::{Diagnostic, Severity};
use crate::model::{Expr, FieldId, FieldType, Model, Stage, Test};
use crate::rule::{Rule, RuleInfo};
use crate::source::Loc;

pub const INFO: RuleInfo = RuleInfo {
    name: "field-not-collected",
    default: Some(Severity::Warning),
    summary: "an `exit:` that compares a non-bool field that is neither in the stage's `requires:` nor guaranteed there",
    explanation: "\
An exit criterion that compares a field is only fair if reps were asked to capture that field:
either in the stage itself (`requires:`) or in a stage every deal passes through on its way here.
Otherwise the field may be empty when the deal tries to move on, and the check blocks deals for
data nobody told the rep to collect. Yes/no fields and `is set` tests are exempt: they are
meaningful on an empty field.",
    bad: crate::rule_fixture!("field-not-collected", "bad.sales"),
    good: crate::rule_fixture!("field-not-collected", "good.sales"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for process in sound_processes(cx) {
        if process.stages.iter().any(|s| s.unresolved_requires) {
            continue;
        }
        for stage in &process.stages {
            let Some(exit) = &stage.exit else { continue };
            let mut reported: Vec<FieldId> = Vec::new();
            walk(cx.model, exit, None, &mut Vec::new(), &mut |field, loc| {
                if collected(stage, field) || reported.contains(&field) {
                    return;
                }
                reported.push(field);
                let f = cx.model.field(field);
                out.push(
                    Diagnostic::new(
                        Rule::FieldNotCollected,
                        loc,
                        format!(
                            "the exit of `{}` tests `{}`, which reps are not asked to capture by then",
                            stage.id, f.id
                        ),
                    )
                    .label(format!("`{}` may still be empty here", f.id))
                    .help(format!(
                        "add `{}` to the `requires:` of `{}` or of a stage every deal passes before it",
                        f.id, stage.id
                    )),
                );
            });
        }
    }
}

fn collected(stage: &Stage, field: FieldId) -> bool {
    stage.requires.contains(&field) || stage.required_here.contains(&field)
}

/// Calls `found` for each non-bool field compared in `expr`, at the place in the exit that
/// leads to it (the criteria name, for fields compared inside a criteria).
fn walk(
    model: &Model,
    expr: &Expr,
    via: Option<Loc>,
    stack: &mut Vec<usize>,
    found: &mut dyn FnMut(FieldId, Loc),
) {
    match expr {
        Expr::Or(a, b) | Expr::And(a, b) => {
            walk(model, a, via, stack, found);
            walk(model, b, via, stack, found);
        }
        Expr::Not(e) => walk(model, e, via, stack, found),
        Expr::Field { field, test, loc } => {
            let compares = matches!(test, Test::Compare(..) | Test::In(_));
            if compares && model.field(*field).ty != FieldType::Bool {
                found(*field, via.unwrap_or(*loc));
            }
        }
        Expr::Criteria { criteria, loc } => {
            if stack.contains(&criteria.0) {
                return;
            }
            stack.push(criteria.0);
            for item in &model.criteria(*criteria).items {
                walk(model, &item.expr, Some(via.unwrap_or(*loc)), stack, found);
            }
            stack.pop();
        }
    }
}
