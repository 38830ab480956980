use super::{sound_processes, Context};
use crate::diag::Diagnostic;
use crate::model::{visit_criteria_fields, Expr, FieldId, FieldType, Leaf, Model, Stage, Test};
use crate::rule::{Level, Rule, RuleInfo};
use crate::source::Loc;

pub const INFO: RuleInfo = RuleInfo {
    name: "field-not-collected",
    default: Level::Warning,
    summary: "an `exit:` that compares a non-bool field that is neither in the stage's `requires:` nor guaranteed there",
    explanation: "\
An exit criterion that compares a field is only fair if reps were asked to capture that field:
either in the stage itself (`requires:`) or in a stage every deal passes through on its way here.
Otherwise the field may be empty when the deal tries to move on, and the check blocks deals for
data nobody told the rep to collect. Yes/no fields and `is set` tests are exempt: they are
meaningful on an empty field.",
    example: crate::rule_fixtures!("field-not-collected"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for process in sound_processes(cx) {
        if process.stages.iter().any(|s| s.unresolved_requires) {
            continue;
        }
        for stage in &process.stages {
            let Some(exit) = &stage.exit else { continue };
            let mut reported: Vec<FieldId> = Vec::new();
            compared_fields(cx.model, exit, &mut |field, loc| {
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
fn compared_fields(model: &Model, expr: &Expr, found: &mut dyn FnMut(FieldId, Loc)) {
    let compares = |field: FieldId, test: &Test| {
        matches!(test, Test::Compare(..) | Test::In(_)) && model.field(field).ty != FieldType::Bool
    };
    for leaf in expr.leaves() {
        match leaf {
            Leaf::Field(field, test, loc) => {
                if compares(field, test) {
                    found(field, loc);
                }
            }
            Leaf::Criteria(criteria, at) => {
                visit_criteria_fields(model, criteria, &mut |field, test, _| {
                    if compares(field, test) {
                        found(field, at);
                    }
                });
            }
        }
    }
}
