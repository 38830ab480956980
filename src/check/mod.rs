//! The checker: every rule of LANGUAGE.md section 6, one file each under `rules/`.

pub mod rules;

use crate::diag::Diagnostic;
use crate::model::{Model, Usage};
use crate::source::{FileId, Loc};

/// What the rules look at.
pub struct Context<'a> {
    pub model: &'a Model,
    pub usage: &'a Usage,
    /// Per process: true when an error already reported makes its graph unreliable.
    pub incomplete: &'a [bool],
    /// The file named on the command line; declarations of imported files are not reported
    /// as unused, since another process file may use them.
    pub root: FileId,
}

/// Runs every model rule. Diagnostics come at their default severity.
pub fn check(cx: &Context<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    rules::run_all(cx, &mut out);
    drop_inherited(cx.model, &mut out);
    out
}

/// A stage a variant restates is reported at the variant's lines; when its base's stage has
/// the same problem, the problem is the base's, and it is reported once, there.
fn drop_inherited(model: &Model, out: &mut Vec<Diagnostic>) {
    let mut restated: Vec<(Loc, Loc)> = Vec::new();
    for process in &model.processes {
        let Some(base) = process.base.map(|b| model.process(b)) else {
            continue;
        };
        for stage in &process.stages {
            if let Some(inherited) = base.stages.iter().find(|s| s.id == stage.id) {
                if inherited.loc != stage.loc {
                    restated.push((stage.loc, inherited.loc));
                }
            }
        }
    }
    if restated.is_empty() {
        return;
    }
    let at_base = |d: &Diagnostic, base: Loc, all: &[Diagnostic]| {
        all.iter()
            .any(|o| o.loc == base && o.rule == d.rule && o.message == d.message)
    };
    let keep: Vec<bool> = out
        .iter()
        .map(|d| {
            !restated
                .iter()
                .any(|(variant, base)| d.loc == *variant && at_base(d, *base, out))
        })
        .collect();
    let mut keep = keep.into_iter();
    out.retain(|_| keep.next().unwrap_or(true));
}
