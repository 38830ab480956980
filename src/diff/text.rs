//! A message with its code marked, so that each output escapes it for itself: plain text with
//! backticks for people and JSON, code spans and escaped prose for Markdown.

/// A piece of a message.
#[derive(Clone, Debug, PartialEq)]
pub enum Piece {
    /// Words: labels, numbers, prose.
    Words(String),
    /// An id or a condition as written in the file.
    Code(String),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Text(pub Vec<Piece>);

impl Text {
    pub fn new() -> Text {
        Text::default()
    }

    pub fn words(mut self, words: impl Into<String>) -> Text {
        self.0.push(Piece::Words(words.into()));
        self
    }

    pub fn code(mut self, code: impl Into<String>) -> Text {
        self.0.push(Piece::Code(code.into()));
        self
    }

    /// "Label (`id`)": how the process speaks of a thing, with the id for the file.
    pub fn name(self, label: &str, id: &str) -> Text {
        self.words(format!("{label} (")).code(id).words(")")
    }

    pub fn then(mut self, other: Text) -> Text {
        self.0.extend(other.0);
        self
    }

    /// For people and JSON: code between backticks.
    pub fn plain(&self) -> String {
        let mut out = String::new();
        for piece in &self.0 {
            match piece {
                Piece::Words(w) => out.push_str(w),
                Piece::Code(c) => {
                    out.push('`');
                    out.push_str(c);
                    out.push('`');
                }
            }
        }
        out
    }

    /// For Markdown: words escaped, code in code spans, all on one line.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        for piece in &self.0 {
            match piece {
                Piece::Words(w) => out.push_str(&crate::emit::markdown::text(w)),
                Piece::Code(c) => out.push_str(&code_span(c)),
            }
        }
        out
    }
}

/// A code span holding `code` as written: fenced by more backticks than any run inside it,
/// padded when it starts or ends with one. Inside a span nothing else is interpreted, so no
/// entity or backslash is added (the output puts spans in lists, never in tables).
pub fn code_span(code: &str) -> String {
    let code = code.replace(['\r', '\n', '\t'], " ");
    let mut longest = 0;
    let mut run = 0;
    for c in code.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if code.starts_with('`') || code.ends_with('`') || code.is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{code}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_keeps_code_as_written_and_escapes_words() {
        let text = Text::new()
            .words("Offer | <b> *new* ")
            .code("amount >= 3000");
        assert_eq!(
            text.markdown(),
            "Offer \\| \\<b\\> \\*new\\* `amount >= 3000`"
        );
        assert_eq!(text.plain(), "Offer | <b> *new* `amount >= 3000`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x"), "`` `x ``");
    }
}
