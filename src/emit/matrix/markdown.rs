//! The matrix as GitHub-flavoured Markdown: a heading per table. Cell text is escaped so it
//! renders as written and never breaks a row: `|` becomes `\|` and a line break `<br>`.

use super::{Matrix, Table};
use std::fmt::Write;

pub fn render(matrix: &Matrix) -> Vec<u8> {
    let mut out = format!("# {}: sales process matrix\n\n", inline(&matrix.title));
    if !matrix.facts.is_empty() {
        for (name, value) in &matrix.facts {
            let _ = writeln!(out, "- **{name}:** {}", inline(value));
        }
        out.push('\n');
    }
    for table in &matrix.tables {
        write_table(&mut out, table);
    }
    out.into_bytes()
}

fn write_table(out: &mut String, table: &Table) {
    let _ = write!(out, "## {}\n\n", table.title);
    if let Some(note) = table.note {
        let _ = write!(out, "{}\n\n", inline(note));
    }
    write_row(out, &table.header);
    write_row(out, &vec!["---".to_string(); table.header.len()]);
    for row in &table.rows {
        let cells: Vec<String> = row.iter().map(|c| c.text.clone()).collect();
        write_row(out, &cells);
    }
    out.push('\n');
}

fn write_row(out: &mut String, cells: &[String]) {
    out.push('|');
    for cell in cells {
        let _ = write!(out, " {} |", inline(cell));
    }
    out.push('\n');
}

/// Text as one line of inline Markdown that renders as written. Only what Markdown would
/// read as syntax is escaped, so the source stays readable: `R&D` stays, `&amp;` is escaped.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\r' if chars.peek().is_some_and(|(_, n)| *n == '\n') => {}
            '\n' | '\r' => out.push_str("<br>"),
            // Markdown treats a tab in text like spaces; keep the gap visible.
            '\t' => out.push(' '),
            '\\' | '|' | '<' | '>' | '*' | '_' | '`' | '[' | ']' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '&' if starts_entity(&text[i..]) => out.push_str("\\&"),
            c => out.push(c),
        }
    }
    out
}

/// Whether `text` starts with something Markdown reads as an HTML entity: `&amp;`, `&#38;`.
fn starts_entity(text: &str) -> bool {
    let rest = &text[1..];
    let name_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
        .unwrap_or(rest.len());
    name_len > 0 && rest[name_len..].starts_with(';')
}

#[cfg(test)]
mod tests {
    use super::inline;

    #[test]
    fn escapes_what_markdown_reads_as_syntax() {
        assert_eq!(inline("a | b"), "a \\| b");
        assert_eq!(inline("one\ntwo\r\nthree"), "one<br>two<br>three");
        assert_eq!(inline("<script>"), "\\<script\\>");
        assert_eq!(inline("R&D &amp; co"), "R&D \\&amp; co");
        assert_eq!(inline("net \\ gross"), "net \\\\ gross");
        assert_eq!(inline("商談 🚀"), "商談 🚀");
    }
}
