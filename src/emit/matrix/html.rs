//! The matrix as one self-contained HTML page: inline CSS, no scripts, nothing fetched from the
//! network. Readable on screen (sticky header row, zebra rows, wrapped text) and on paper
//! (landscape, header repeated on every page). Every text is escaped.

use super::{Cell, Matrix, Table};
use crate::emit::html::escape;
use std::fmt::Write;

const STYLE: &str = "\
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, \"Segoe UI\", Roboto, sans-serif; color: #1f2328; margin: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .75rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0 0 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; white-space: pre-line; }
p.note { color: #57606a; margin: 0 0 .5rem; }
table { border-collapse: separate; border-spacing: 0; width: 100%; }
th, td { border: 1px solid #d0d7de; border-width: 0 1px 1px 0; padding: .35rem .5rem; text-align: left; vertical-align: top; white-space: pre-line; overflow-wrap: break-word; min-width: 5rem; max-width: 24rem; }
th.wide { min-width: 14rem; }
tr > :first-child { border-left-width: 1px; }
thead th { position: sticky; top: 0; z-index: 1; background: #24466b; color: #fff; border-top-width: 1px; }
tbody th { font-weight: 600; }
tbody tr:nth-child(even) { background: #f3f6f9; }
@media print {
  @page { size: A4 landscape; margin: 1cm; }
  body { margin: 0; font-size: 9pt; }
  thead { display: table-header-group; }
  thead th { position: static; background: #e6ebf1; color: #000; }
  tr { break-inside: avoid; }
  h2 { break-after: avoid; }
  th, td { max-width: none; min-width: 0; }
  th.wide { min-width: 9rem; }
}
";

pub fn render(matrix: &Matrix) -> Vec<u8> {
    let title = format!("{}: sales process matrix", matrix.title);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n",
        title = escape(&title)
    );
    write_facts(&mut out, &matrix.facts);
    for table in &matrix.tables {
        write_table(&mut out, table);
    }
    out.push_str("</body>\n</html>\n");
    out.into_bytes()
}

fn write_facts(out: &mut String, facts: &[(&str, String)]) {
    if facts.is_empty() {
        return;
    }
    out.push_str("<dl class=\"facts\">\n");
    for (name, value) in facts {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(name), escape(value));
    }
    out.push_str("</dl>\n");
}

fn write_table(out: &mut String, table: &Table) {
    let id = table.name.to_lowercase();
    let _ = writeln!(out, "<h2 id=\"{id}\">{}</h2>", escape(table.title));
    if let Some(note) = table.note {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(note));
    }
    let _ = writeln!(out, "<table class=\"{id}\">\n<thead>\n<tr>");
    for (col, cell) in table.header.iter().enumerate() {
        let class = if holds_prose(table, col) {
            " class=\"wide\""
        } else {
            ""
        };
        let _ = writeln!(out, "<th scope=\"col\"{class}>{}</th>", escape(cell));
    }
    out.push_str("</tr>\n</thead>\n<tbody>\n");
    for row in &table.rows {
        write_row(out, row);
    }
    out.push_str("</tbody>\n</table>\n");
}

/// Whether a column holds sentences rather than a word or two, so it gets room to read.
fn holds_prose(table: &Table, col: usize) -> bool {
    const PROSE_CHARS: usize = 40;
    table
        .rows
        .iter()
        .flat_map(|row| row[col].text.lines())
        .any(|line| line.chars().count() > PROSE_CHARS)
}

/// A body row; its first cell names the row.
fn write_row(out: &mut String, row: &[Cell]) {
    out.push_str("<tr>");
    for (i, cell) in row.iter().enumerate() {
        if i == 0 {
            let _ = write!(out, "<th scope=\"row\">{}</th>", escape(&cell.text));
        } else {
            let _ = write!(out, "<td>{}</td>", escape(&cell.text));
        }
    }
    out.push_str("</tr>\n");
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<b>\"R&D\"</b> 'x'"),
            "&lt;b&gt;&quot;R&amp;D&quot;&lt;/b&gt; &#39;x&#39;"
        );
    }
}
