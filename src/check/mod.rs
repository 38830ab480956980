//! The checker: every rule of LANGUAGE.md section 6, one file each under `rules/`.

pub mod rules;

use crate::diag::Diagnostic;
use crate::model::{Model, Usage};
use crate::source::FileId;

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
    out
}
