//! The checker's diagnostics as the editor shows them: per document, with the rule name as
//! the code linking to its page, the help in the message, and related places.

use super::analysis::Analysis;
use super::position::LineIndex;
use crate::diag::{Diagnostic, Severity};
use crate::source::{FileId, Loc};
use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    Range, Url,
};
use std::collections::BTreeMap;

/// Where a rule's page is: `<base><rule>.md`.
pub const RULE_DOCS: &str = "https://github.com/salespath/salespath/blob/main/docs/rules/";

/// Every document's diagnostics, each problem once; documents without any are absent.
pub fn by_document(
    analysis: &Analysis,
    docs_base: &str,
) -> BTreeMap<Url, Vec<lsp_types::Diagnostic>> {
    let mut out: BTreeMap<Url, Vec<lsp_types::Diagnostic>> = BTreeMap::new();
    let mut lines: Vec<Option<LineIndex<'_>>> = Vec::new();
    lines.resize_with(analysis.run.sources.len(), || None);
    for diagnostic in analysis.run.diagnostics() {
        let file = diagnostic.loc.file;
        let Some(url) = analysis.url(file) else {
            continue;
        };
        let converted = convert(analysis, diagnostic, docs_base, &mut lines);
        out.entry(url.clone()).or_default().push(converted);
    }
    out
}

fn range_of<'a>(analysis: &'a Analysis, loc: Loc, lines: &mut [Option<LineIndex<'a>>]) -> Range {
    let index = lines[loc.file.0].get_or_insert_with(|| LineIndex::new(analysis.text(loc.file)));
    index.range(loc.span.start, loc.span.end)
}

fn convert<'a>(
    analysis: &'a Analysis,
    d: &Diagnostic,
    docs_base: &str,
    lines: &mut [Option<LineIndex<'a>>],
) -> lsp_types::Diagnostic {
    let name = d.rule.name();
    let mut message = d.message.clone();
    if !d.help.is_empty() {
        message.push_str("\nhelp: ");
        message.push_str(&d.help);
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|label| {
            Some(DiagnosticRelatedInformation {
                location: Location::new(
                    analysis.url(label.loc.file)?.clone(),
                    range_of(analysis, label.loc, lines),
                ),
                message: label.message.clone(),
            })
        })
        .collect();
    lsp_types::Diagnostic {
        range: range_of(analysis, d.loc, lines),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(name.to_string())),
        code_description: Url::parse(&format!("{docs_base}{name}.md"))
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some("salespath".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: Some(serde_json::json!({ "help": d.help })),
    }
}

/// The diagnostics of the analysis that lie in `file`, as the checker made them.
pub fn in_file(analysis: &Analysis, file: FileId) -> Vec<&Diagnostic> {
    analysis
        .run
        .diagnostics()
        .into_iter()
        .filter(|d| d.loc.file == file)
        .collect()
}
