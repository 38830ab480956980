//! The matrix as one self-contained HTML page: inline CSS, no scripts, nothing fetched from the
//! network. It reads at laptop width without sideways scrolling: the stage matrix becomes a
//! compact overview table (the facts to compare across stages) and a card per stage with
//! everything else; a stage-by-stage table becomes a list of stages when its stages would not
//! fit side by side. On a phone the overview's rows stack; on paper it is A4 landscape with
//! the header repeated on every page. Every text is escaped.

use super::{Cell, Matrix, Shape, Table};
use crate::emit::html::escape;
use std::fmt::Write;

/// Above this many stages, a stage-by-stage table is a list: its stage columns would be too
/// narrow to read at 1280 px.
const GRID_STAGES: usize = 10;

const STYLE: &str = "\
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, \"Segoe UI\", Roboto, sans-serif; color: #1f2328; margin: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .75rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; }
h3 { font-size: 1rem; margin: 0; padding: .4rem .75rem; background: #24466b; color: #fff; border-radius: 6px 6px 0 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0 0 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; white-space: pre-line; }
p.note { color: #57606a; margin: 0 0 .5rem; }
.table-wrap { max-width: 100%; overflow-x: auto; }
table { border-collapse: separate; border-spacing: 0; width: 100%; }
th, td { border: 1px solid #d0d7de; border-width: 0 1px 1px 0; padding: .35rem .5rem; text-align: left; vertical-align: top; white-space: pre-line; overflow-wrap: anywhere; }
tr > :first-child { border-left-width: 1px; }
thead th { position: sticky; top: 0; z-index: 1; background: #24466b; color: #fff; border-top-width: 1px; overflow-wrap: break-word; }
tbody th { font-weight: 600; }
tbody tr:nth-child(even) { background: #f3f6f9; }
table.overview th:first-child { width: 12rem; }
td.mark { text-align: center; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 26rem), 1fr)); gap: 1rem; margin-top: 1rem; }
.card { border: 1px solid #d0d7de; border-radius: 6px; break-inside: avoid; }
.card dl { margin: 0; padding: .5rem .75rem .75rem; }
.card dt { font-size: .78rem; font-weight: 600; text-transform: uppercase; letter-spacing: .03em; color: #57606a; margin-top: .5rem; }
.card dd { margin: .1rem 0 0; white-space: pre-line; overflow-wrap: anywhere; }
.card dd.guidance { background: #fff8e1; border-left: 3px solid #e0a800; padding: .3rem .5rem; }
.card p.note { padding: .5rem .75rem; margin: 0; }
@media (max-width: 640px) {
  body { margin: 1rem .75rem; }
  table.overview thead { display: none; }
  table.overview tr { display: block; border: 1px solid #d0d7de; border-radius: 6px; margin-bottom: .75rem; }
  table.overview th, table.overview td { display: grid; grid-template-columns: 8.5rem 1fr; gap: .5rem; border: 0; width: auto; }
  table.overview tbody th:first-child { display: block; width: auto; background: #24466b; color: #fff; }
  table.overview td::before { content: attr(data-label); font-weight: 600; color: #57606a; }
  table.overview td:empty { display: none; }
}
@page { size: A4 landscape; margin: 1cm; }
@media print {
  body { margin: 0; font-size: 9pt; }
  thead { display: table-header-group; }
  thead th { position: static; background: #e6ebf1; color: #000; }
  h3 { background: #e6ebf1; color: #000; }
  tr { break-inside: avoid; }
  h2 { break-after: avoid; }
  .table-wrap { overflow: visible; }
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
        let id = table.name.to_lowercase();
        let _ = writeln!(out, "<h2 id=\"{id}\">{}</h2>", escape(table.title));
        if let Some(note) = table.note {
            let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(note));
        }
        match table.shape {
            Shape::Stages { overview } => {
                write_table(&mut out, &format!("{id} overview"), table, 0..overview);
                write_cards(&mut out, table, overview);
            }
            Shape::ByStage { names } if table.header.len() - names > GRID_STAGES => {
                write_table(&mut out, &id, &by_stage_as_list(table, names), 0..names + 1);
            }
            Shape::ByStage { .. } | Shape::List => {
                write_table(&mut out, &id, table, 0..table.header.len());
            }
        }
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

/// The table's `columns`; each body cell carries its column's name for the stacked phone
/// layout.
fn write_table(out: &mut String, class: &str, table: &Table, columns: std::ops::Range<usize>) {
    let _ = writeln!(
        out,
        "<div class=\"table-wrap\"><table class=\"{class}\">\n<thead>\n<tr>"
    );
    for cell in &table.header[columns.clone()] {
        let _ = writeln!(out, "<th scope=\"col\">{}</th>", escape(cell));
    }
    out.push_str("</tr>\n</thead>\n<tbody>\n");
    // Marks in a stage-by-stage grid sit in the middle of their narrow column.
    let marks_from = match table.shape {
        Shape::ByStage { names } => names,
        _ => usize::MAX,
    };
    for row in &table.rows {
        out.push_str("<tr>");
        for (col, cell) in row.iter().enumerate().take(columns.end).skip(columns.start) {
            if col == 0 {
                let _ = write!(out, "<th scope=\"row\">{}</th>", escape(&cell.text));
            } else {
                let class = if col >= marks_from {
                    " class=\"mark\""
                } else {
                    ""
                };
                let _ = write!(
                    out,
                    "<td data-label=\"{}\"{class}>{}</td>",
                    escape(&table.header[col]),
                    escape(&cell.text)
                );
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
}

/// A card per row with the columns after the overview, leaving out the empty ones.
fn write_cards(out: &mut String, table: &Table, overview: usize) {
    out.push_str("<div class=\"cards\">\n");
    for (i, row) in table.rows.iter().enumerate() {
        let _ = writeln!(
            out,
            "<section class=\"card\" aria-labelledby=\"stage-{n}\">\n<h3 id=\"stage-{n}\">{}</h3>",
            escape(&row[0].text),
            n = i + 1
        );
        let filled: Vec<(&String, &Cell)> = table.header[overview..]
            .iter()
            .zip(&row[overview..])
            .filter(|(_, cell)| !cell.text.is_empty())
            .collect();
        if filled.is_empty() {
            out.push_str("<p class=\"note\">Nothing more is set for this stage.</p>\n");
        } else {
            out.push_str("<dl>\n");
            for (name, cell) in filled {
                let class = if name == "Guidance" {
                    " class=\"guidance\""
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "<dt>{}</dt><dd{class}>{}</dd>",
                    escape(name),
                    escape(&cell.text)
                );
            }
            out.push_str("</dl>\n");
        }
        out.push_str("</section>\n");
    }
    out.push_str("</div>\n");
}

/// A stage-by-stage table with its name columns and one more, "Stages": for each mark, the
/// stages that have it ("Capture: Discovery" then "Required: Proposal, Negotiation").
fn by_stage_as_list(table: &Table, names: usize) -> Table {
    let stages = &table.header[names..];
    let rows = table
        .rows
        .iter()
        .map(|row| {
            let mut marks: Vec<(&str, Vec<&str>)> = Vec::new();
            for (stage, cell) in stages.iter().zip(&row[names..]) {
                if cell.text.is_empty() {
                    continue;
                }
                match marks.iter_mut().find(|(mark, _)| *mark == cell.text) {
                    Some((_, list)) => list.push(stage),
                    None => marks.push((&cell.text, vec![stage])),
                }
            }
            let lines: Vec<String> = marks
                .iter()
                .map(|(mark, list)| format!("{mark}: {}", list.join(", ")))
                .collect();
            let mut cells = row[..names].to_vec();
            cells.push(Cell::text(lines.join("\n")));
            cells
        })
        .collect();
    let mut header = table.header[..names].to_vec();
    header.push("Stages".into());
    Table {
        title: table.title,
        name: table.name,
        note: table.note,
        header,
        rows,
        shape: Shape::List,
    }
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
