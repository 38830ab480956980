//! The matrix as an Excel workbook: a worksheet per table with a bold, filled header row that
//! stays in view, wrapped text and column widths fitted to the content. Every cell is written
//! as a string, never a formula, and the creation date is fixed so a build is reproducible.

use super::{Matrix, Table};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

/// Excel's longest cell text, in UTF-16 units.
const MAX_CELL_UNITS: usize = 32_767;
/// Column widths in characters: wide enough for a word, narrow enough to read a paragraph.
const MIN_WIDTH: usize = 10;
const MAX_WIDTH: usize = 48;

pub fn render(matrix: &Matrix) -> Result<Vec<u8>, String> {
    workbook(matrix).map_err(|e| format!("cannot write the matrix workbook: {e}"))
}

fn workbook(matrix: &Matrix) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let properties = DocProperties::new()
        .set_title(format!("{}: sales process matrix", matrix.title))
        .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?);
    workbook.set_properties(&properties);
    let styles = Styles::new();
    for table in &matrix.tables {
        write_sheet(workbook.add_worksheet(), table, &styles)?;
    }
    workbook.save_to_buffer()
}

struct Styles {
    header: Format,
    body: Format,
}

impl Styles {
    fn new() -> Self {
        let cell = Format::new()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_border(FormatBorder::Thin)
            .set_border_color("#D0D7DE");
        Styles {
            header: cell
                .clone()
                .set_bold()
                .set_font_color("#FFFFFF")
                .set_background_color("#24466B"),
            body: cell,
        }
    }
}

fn write_sheet(sheet: &mut Worksheet, table: &Table, styles: &Styles) -> Result<(), XlsxError> {
    sheet.set_name(table.name)?;
    for (col, cell) in table.header.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, fit(cell), &styles.header)?;
    }
    for (row, cells) in table.rows.iter().enumerate() {
        for (col, cell) in cells.iter().enumerate() {
            sheet.write_string_with_format(row as u32 + 1, col as u16, fit(cell), &styles.body)?;
        }
    }
    for col in 0..table.header.len() {
        sheet.set_column_width(col as u16, column_width(table, col) as f64)?;
    }
    sheet.set_freeze_panes(1, 1)?;
    sheet.set_landscape();
    sheet.set_repeat_rows(0, 0)?;
    sheet.set_print_fit_to_pages(1, 0);
    Ok(())
}

/// The width of the longest line in the column, within bounds.
fn column_width(table: &Table, col: usize) -> usize {
    let longest = std::iter::once(&table.header[col])
        .chain(table.rows.iter().map(|r| &r[col]))
        .flat_map(|cell| cell.lines())
        .map(display_width)
        .max()
        .unwrap_or(0);
    (longest + 2).clamp(MIN_WIDTH, MAX_WIDTH)
}

/// Roughly how many character cells a line takes: wide (CJK, emoji) characters count twice.
fn display_width(line: &str) -> usize {
    line.chars()
        .map(|c| if c as u32 >= 0x1100 { 2 } else { 1 })
        .sum()
}

/// Text cut to what one Excel cell holds, with an ellipsis when cut.
fn fit(text: &str) -> String {
    if text.encode_utf16().count() <= MAX_CELL_UNITS {
        return text.to_string();
    }
    let mut units = 0;
    let mut out = String::new();
    for c in text.chars() {
        units += c.len_utf16();
        if units > MAX_CELL_UNITS - 1 {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_to_one_cell() {
        let long = "x".repeat(40_000);
        let cut = fit(&long);
        assert_eq!(cut.encode_utf16().count(), MAX_CELL_UNITS);
        assert!(cut.ends_with('…'));
        assert_eq!(fit("short"), "short");
    }
}
