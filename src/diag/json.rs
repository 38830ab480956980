//! The JSON shape of `check --format json` (LANGUAGE.md section 6).

use super::{Diagnostic, Severity};
use crate::source::SourceMap;
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JsonReport {
    pub diagnostics: Vec<JsonDiagnostic>,
    pub errors: usize,
    pub warnings: usize,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JsonDiagnostic {
    pub rule: String,
    pub severity: String,
    pub message: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub help: String,
}

impl JsonDiagnostic {
    pub fn new(diagnostic: &Diagnostic, sources: &SourceMap) -> Self {
        let file = sources.get(diagnostic.loc.file);
        let start = file.line_col(diagnostic.loc.span.start);
        let end = file.line_col(diagnostic.loc.span.end);
        JsonDiagnostic {
            rule: diagnostic.rule.to_string(),
            severity: diagnostic.severity.as_str().to_string(),
            message: diagnostic.message.clone(),
            file: file.name.clone(),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            help: diagnostic.help.clone(),
        }
    }
}

pub fn render_json(diagnostics: &[(&Diagnostic, &SourceMap)]) -> String {
    let errors = diagnostics
        .iter()
        .filter(|(d, _)| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    let report = JsonReport {
        diagnostics: diagnostics
            .iter()
            .map(|(d, sources)| JsonDiagnostic::new(d, sources))
            .collect(),
        errors,
        warnings,
    };
    let mut text = serde_json::to_string_pretty(&report).expect("diagnostics serialize");
    text.push('\n');
    text
}
