//! Human reports: miette's graphical handler over our diagnostics.

use super::{Diagnostic, Severity};
use crate::source::SourceMap;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};
use std::fmt;
use std::sync::Arc;

/// Lines longer than this are not quoted in a report; the location is named instead.
const MAX_QUOTED_LINE: usize = 400;

#[derive(Clone, Copy, Debug)]
pub struct HumanOptions {
    pub color: bool,
    pub width: usize,
}

impl Default for HumanOptions {
    fn default() -> Self {
        HumanOptions {
            color: false,
            width: 100,
        }
    }
}

struct Report<'a> {
    diagnostic: &'a Diagnostic,
    source: Option<NamedSource<Arc<str>>>,
    message: String,
    labels: Vec<LabeledSpan>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diagnostic.rule))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        (!self.diagnostic.help.is_empty()).then(|| Box::new(&self.diagnostic.help) as Box<_>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        Some(Box::new(self.labels.iter().cloned()))
    }
}

/// Control characters would garble a terminal, so such lines are named, not quoted.
fn printable(line: &str) -> bool {
    !line
        .chars()
        .any(|c| (c.is_control() && c != '\t') || c == '\u{FFFD}')
}

fn report<'a>(diagnostic: &'a Diagnostic, sources: &SourceMap) -> Report<'a> {
    let file = sources.get(diagnostic.loc.file);
    let start = file.line_col(diagnostic.loc.span.start);
    let line = file.line_range(diagnostic.loc.span.start);
    let quotable = line.len() <= MAX_QUOTED_LINE
        && printable(&file.text[line.start..line.end])
        && diagnostic.related.iter().all(|r| {
            r.loc.file != diagnostic.loc.file
                || sources.get(r.loc.file).line_range(r.loc.span.start).len() <= MAX_QUOTED_LINE
        });
    let mut message = diagnostic.message.clone();
    let mut labels = Vec::new();
    if quotable {
        labels.push(LabeledSpan::new_primary_with_span(
            diagnostic.label.clone(),
            (diagnostic.loc.span.start, diagnostic.loc.span.len()),
        ));
    } else {
        message.push_str(&format!(
            "\n  at {}:{}:{}",
            file.name, start.line, start.column
        ));
    }
    for related in &diagnostic.related {
        let other = sources.get(related.loc.file);
        if quotable && related.loc.file == diagnostic.loc.file {
            labels.push(LabeledSpan::new_with_span(
                Some(related.message.clone()),
                (related.loc.span.start, related.loc.span.len()),
            ));
        } else {
            let at = other.line_col(related.loc.span.start);
            message.push_str(&format!(
                "\n  {} at {}:{}:{}",
                related.message, other.name, at.line, at.column
            ));
        }
    }
    let source = quotable.then(|| NamedSource::new(file.name.clone(), file.text.clone()));
    Report {
        diagnostic,
        source,
        message,
        labels,
    }
}

/// Renders diagnostics the way a terminal user reads them.
pub fn render_human(diagnostics: &[(&Diagnostic, &SourceMap)], options: HumanOptions) -> String {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false);
    let mut out = String::new();
    for (diagnostic, sources) in diagnostics {
        let report = report(diagnostic, sources);
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&report.message);
            out.push('\n');
        }
        out.push('\n');
    }
    out
}
