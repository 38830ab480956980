//! The matrix as CSV (RFC 4180: CRLF line ends, cells quoted when they hold `,` `"` CR or LF,
//! inner quotes doubled), UTF-8 with a byte order mark so spreadsheets read non-ASCII text
//! right.
//!
//! Layout: one section per table, separated by an empty line. A section is a title row (one
//! cell), the header row, then the rows; every row of a section has the header's width.
//! Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` (or a tab or CR) as a
//! formula, so such cells get a leading `'` and are shown as text.

use super::{Matrix, Table};

const BYTE_ORDER_MARK: &str = "\u{feff}";

pub fn render(matrix: &Matrix) -> Vec<u8> {
    let sections: Vec<String> = matrix.tables.iter().map(section).collect();
    format!("{BYTE_ORDER_MARK}{}", sections.join("\r\n")).into_bytes()
}

fn section(table: &Table) -> String {
    let mut out = record(&[table.title.to_string()]);
    out.push_str(&record(&table.header));
    for row in &table.rows {
        let cells: Vec<String> = row.iter().map(|c| c.text.clone()).collect();
        out.push_str(&record(&cells));
    }
    out
}

fn record(cells: &[String]) -> String {
    let cells: Vec<String> = cells.iter().map(|c| quote(&neutralise(c))).collect();
    format!("{}\r\n", cells.join(","))
}

/// Keeps spreadsheets from running the cell as a formula.
fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

fn quote(cell: &str) -> String {
    if cell.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_neutralises() {
        assert_eq!(quote("plain"), "plain");
        assert_eq!(quote("a, \"b\""), "\"a, \"\"b\"\"\"");
        assert_eq!(quote("one\ntwo"), "\"one\ntwo\"");
        assert_eq!(neutralise("=1+1"), "'=1+1");
        assert_eq!(neutralise("-5%"), "'-5%");
        assert_eq!(neutralise("@x"), "'@x");
        assert_eq!(neutralise("a=b"), "a=b");
    }
}
