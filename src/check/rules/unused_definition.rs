use super::Context;
use crate::diag::Diagnostic;
use crate::rule::{Level, Rule, RuleInfo};
use crate::source::Loc;

pub const INFO: RuleInfo = RuleInfo {
    name: "unused-definition",
    default: Level::Warning,
    summary: "a role, field, tool, segment or criteria that nothing uses",
    explanation: "\
A declaration that no stage, condition or process refers to does nothing: the field is never
captured, the tool never shown to reps, the criteria never applied. It is usually left over from
an edit or meant to be used somewhere and forgotten. Declarations in imported files are only
reported when that file itself is checked, and a file that declares no process at all is a
library of shared definitions for other files, so nothing in it is reported.",
    example: crate::rule_fixtures!("unused-definition"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    if !m.processes.iter().any(|p| p.loc.file == cx.root) {
        return;
    }
    let u = cx.usage;
    let unused = m
        .roles
        .iter()
        .zip(&u.roles)
        .map(|(d, used)| {
            (
                "role",
                &d.id,
                d.loc,
                *used,
                "make it the `owner:` of a stage, or remove it",
            )
        })
        .chain(m.fields.iter().zip(&u.fields).map(|(d, used)| {
            (
                "field",
                &d.id,
                d.loc,
                *used,
                "capture it in a stage's `requires:` or test it in a condition, or remove it",
            )
        }))
        .chain(m.tools.iter().zip(&u.tools).map(|(d, used)| {
            (
                "tool",
                &d.id,
                d.loc,
                *used,
                "list it in the `tools:` of the stages that use it, or remove it",
            )
        }))
        .chain(m.segments.iter().zip(&u.segments).map(|(d, used)| {
            (
                "segment",
                &d.id,
                d.loc,
                *used,
                "name it in a process's `segments:`, or remove it",
            )
        }))
        .chain(m.criteria.iter().zip(&u.criteria).map(|(d, used)| {
            (
                "criteria",
                &d.id,
                d.loc,
                *used,
                "use it in a stage's `exit:`, or remove it",
            )
        }));
    for (kind, id, loc, used, help) in unused {
        if !used && is_root(cx, loc) {
            out.push(
                Diagnostic::new(
                    Rule::UnusedDefinition,
                    loc,
                    format!("the {kind} `{id}` is never used"),
                )
                .label("declared but never used")
                .help(help),
            );
        }
    }
}

fn is_root(cx: &Context<'_>, loc: Loc) -> bool {
    loc.file == cx.root
}
