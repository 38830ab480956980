//! Human reports: miette's graphical handler over our diagnostics.

use super::{Diagnostic, Severity};
use crate::source::{FileId, SourceMap};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use std::collections::HashMap;
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
    source: Option<Quoted>,
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

/// A file's text for miette, with where its lines start. miette's own reading of a `str`
/// scans from the start of the file to the quoted line, which made a report of thousands of
/// diagnostics quadratic; here it reads only a window of lines around the quote, and gives
/// the same line numbers and snippets.
#[derive(Clone)]
struct Quoted {
    name: String,
    text: Arc<str>,
    /// Line starts as miette counts lines: after `\n`, and after a `\r` not before `\n`.
    lines: Arc<[usize]>,
}

impl Quoted {
    fn new(name: &str, text: &Arc<str>) -> Self {
        let bytes = text.as_bytes();
        let mut lines = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                lines.push(i + 1);
            }
        }
        Quoted {
            name: name.to_string(),
            text: Arc::clone(text),
            lines: lines.into(),
        }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.lines.partition_point(|&start| start <= offset) - 1
    }
}

impl SourceCode for Quoted {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let first = self.line_of(span.offset()).saturating_sub(before);
        // A line more than miette reads past the span, so it stops where it would in the file.
        let last = self.line_of(span.offset() + span.len()) + after + 2;
        let start = self.lines[first];
        let end = self.lines.get(last).copied().unwrap_or(self.text.len());
        let window = &self.text.as_bytes()[start..end];
        let local = SourceSpan::new((span.offset() - start).into(), span.len());
        let inner = window.read_span(&local, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::new((inner.span().offset() + start).into(), inner.span().len()),
            inner.line() + first,
            inner.column(),
            // miette counts the lines from the start of the file to the end of the quote.
            inner.line_count() + first,
        )))
    }
}

fn report<'a>(
    diagnostic: &'a Diagnostic,
    sources: &SourceMap,
    quoted: &mut HashMap<(*const SourceMap, FileId), Quoted>,
) -> Report<'a> {
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
    let source = quotable.then(|| {
        quoted
            .entry((sources as *const SourceMap, diagnostic.loc.file))
            .or_insert_with(|| Quoted::new(&file.name, &file.text))
            .clone()
    });
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
    let mut quoted = HashMap::new();
    for (diagnostic, sources) in diagnostics {
        let report = report(diagnostic, sources, &mut quoted);
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&report.message);
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use miette::NamedSource;

    /// Renders one report with two labels over `source`.
    fn render(source: Box<dyn SourceCode>, labels: Vec<LabeledSpan>) -> String {
        struct Two(Box<dyn SourceCode>, Vec<LabeledSpan>);
        impl fmt::Debug for Two {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("message")
            }
        }
        impl fmt::Display for Two {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("message")
            }
        }
        impl std::error::Error for Two {}
        impl miette::Diagnostic for Two {
            fn source_code(&self) -> Option<&dyn SourceCode> {
                Some(&*self.0)
            }
            fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
                Some(Box::new(self.1.iter().cloned()))
            }
        }
        let mut out = String::new();
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
            .render_report(&mut out, &Two(source, labels))
            .unwrap();
        out
    }

    #[test]
    fn windows_quote_exactly_what_miette_quotes_from_the_whole_file() {
        let text: Arc<str> =
            "role a\r\nrole b\rrole c\n\nprocess p {\n  stage é { }\n}\n# end".into();
        let quoted = Quoted::new("f.sales", &text);
        let len = text.len();
        for a in 0..=len {
            for b in [0, 3, len / 2, len - 1, len] {
                if !text.is_char_boundary(a) || !text.is_char_boundary(b) {
                    continue;
                }
                let labels = vec![
                    LabeledSpan::new_primary_with_span(Some("here".into()), (a, 1.min(len - a))),
                    LabeledSpan::new_with_span(Some("there".into()), (b, 0)),
                ];
                let whole = NamedSource::new("f.sales", Arc::clone(&text));
                assert_eq!(
                    render(Box::new(quoted.clone()), labels.clone()),
                    render(Box::new(whole), labels),
                    "labels at {a} and {b}"
                );
            }
        }
    }
}
