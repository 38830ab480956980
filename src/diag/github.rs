//! GitHub Actions workflow commands (`check --format github`): one `::error` or `::warning`
//! line per diagnostic, which GitHub shows as an annotation on the pull request.

use super::{Diagnostic, Severity};
use crate::source::SourceMap;

pub fn render_github(diagnostics: &[(&Diagnostic, &SourceMap)]) -> String {
    let mut out = String::new();
    for (d, sources) in diagnostics {
        let file = sources.get(d.loc.file);
        let start = file.line_col(d.loc.span.start);
        let end = file.line_col(d.loc.span.end);
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        out.push_str(&format!(
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            property(&file.name),
            start.line,
            start.column,
            end.line,
            end.column,
            property(d.rule.name()),
            data(&super::sarif::message_text(d)),
        ));
    }
    out
}

/// Escapes a command's message.
pub fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command's property value, where `:` and `,` are separators.
pub fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_like_the_actions_toolkit() {
        assert_eq!(super::data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(super::property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
