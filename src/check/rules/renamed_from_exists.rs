use super::Context;
use crate::diag::Diagnostic;
use crate::model::Renamed;
use crate::rule::{Level, Rule, RuleInfo};
use crate::source::Loc;
use std::collections::BTreeSet;

pub const INFO: RuleInfo = RuleInfo {
    name: "renamed-from-exists",
    default: Level::Error,
    summary: "a `renamed_from:` naming a process, stage or field that still exists",
    explanation: "\
`renamed_from: OLD` tells `salespath diff` that a process, stage or field is the one called OLD
in the earlier version, so the diff reports one rename (and what it does in each CRM) instead of
a removal and an addition. When OLD still exists, the file says two things at once: OLD cannot
be both renamed and kept, and the diff would match the wrong item. Remove `renamed_from:` or
the old declaration.",
    example: crate::rule_fixtures!("renamed-from-exists"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    // A variant repeats its base's stages: each line is reported once.
    let mut reported: BTreeSet<Loc> = BTreeSet::new();
    let mut report = |kind: &str, id: &str, renamed: &Renamed, out: &mut Vec<Diagnostic>| {
        if reported.insert(renamed.loc) {
            out.push(
                Diagnostic::new(
                    Rule::RenamedFromExists,
                    renamed.loc,
                    format!(
                        "{kind} `{id}` is renamed from `{}`, which still exists",
                        renamed.id
                    ),
                )
                .label("the old id is still declared")
                .help(format!(
                    "remove the {kind} `{}`, or remove `renamed_from: {}`",
                    renamed.id, renamed.id
                )),
            );
        }
    };
    for process in &model.processes {
        if let Some(r) = &process.renamed_from {
            if model.processes.iter().any(|p| p.id == r.id) {
                report("process", &process.id, r, out);
            }
        }
        for stage in &process.stages {
            if let Some(r) = &stage.renamed_from {
                if process.stages.iter().any(|s| s.id == r.id) {
                    report("stage", &stage.id, r, out);
                }
            }
        }
    }
    for field in &model.fields {
        if let Some(r) = &field.renamed_from {
            if model.fields.iter().any(|f| f.id == r.id) {
                report("field", &field.id, r, out);
            }
        }
    }
}
