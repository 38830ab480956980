//! The matrix as an Excel workbook: an overview sheet with the process's facts and what each
//! sheet holds, then a worksheet per table with a bold, filled header row that stays in view,
//! wrapped text and column widths fitted to the content. Numbers are numbers with a number
//! format (percent, signed points, amounts, days), so a spreadsheet can compute with them;
//! text is always a string, never a formula. The creation date is fixed so a build is
//! reproducible.

use super::{Cell, Matrix, Table, Unit};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

/// Excel's longest cell text, in UTF-16 units.
const MAX_CELL_UNITS: usize = 32_767;
/// Column widths in characters: wide enough for a word, narrow enough to read a paragraph.
const MIN_WIDTH: usize = 10;
const MAX_WIDTH: usize = 48;
/// The overview's columns: the names of facts and sheets, then their text.
const OVERVIEW_WIDTHS: [f64; 2] = [18.0, 90.0];

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
    write_overview(workbook.add_worksheet(), matrix, &styles)?;
    for table in &matrix.tables {
        write_sheet(workbook.add_worksheet(), table, &styles)?;
    }
    workbook.save_to_buffer()
}

struct Styles {
    title: Format,
    header: Format,
    name: Format,
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
            title: Format::new().set_bold().set_font_size(14),
            header: cell
                .clone()
                .set_bold()
                .set_font_color("#FFFFFF")
                .set_background_color("#24466B"),
            name: cell.clone().set_bold(),
            body: cell,
        }
    }
}

/// The first sheet: the title, the process's facts (description, owner, selling model,
/// segments, ...), then each sheet's name with what it shows.
fn write_overview(
    sheet: &mut Worksheet,
    matrix: &Matrix,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("Overview")?;
    let title = format!("{}: sales process matrix", matrix.title);
    sheet.write_string_with_format(0, 0, fit(&title), &styles.title)?;
    let mut row = 2;
    for (name, value) in &matrix.facts {
        sheet.write_string_with_format(row, 0, *name, &styles.name)?;
        sheet.write_string_with_format(row, 1, fit(value), &styles.body)?;
        row += 1;
    }
    if !matrix.facts.is_empty() {
        row += 1;
    }
    sheet.write_string_with_format(row, 0, "Sheet", &styles.header)?;
    sheet.write_string_with_format(row, 1, "What it shows", &styles.header)?;
    for table in &matrix.tables {
        row += 1;
        let about = match table.note {
            Some(note) => format!("{}. {note}", table.title),
            None => table.title.to_string(),
        };
        sheet.write_string_with_format(row, 0, table.name, &styles.name)?;
        sheet.write_string_with_format(row, 1, about, &styles.body)?;
    }
    for (col, width) in OVERVIEW_WIDTHS.into_iter().enumerate() {
        sheet.set_column_width(col as u16, width)?;
    }
    sheet.set_landscape();
    Ok(())
}

fn write_sheet(sheet: &mut Worksheet, table: &Table, styles: &Styles) -> Result<(), XlsxError> {
    sheet.set_name(table.name)?;
    for (col, cell) in table.header.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, fit(cell), &styles.header)?;
    }
    for (row, cells) in table.rows.iter().enumerate() {
        for (col, cell) in cells.iter().enumerate() {
            write_cell(sheet, row as u32 + 1, col as u16, cell, &styles.body)?;
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

/// A number with its number format, text as a string, an empty cell as a blank that keeps
/// the borders.
fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    body: &Format,
) -> Result<(), XlsxError> {
    match cell.number {
        Some((value, unit)) => {
            let (stored, format) = number_format(value, unit);
            let format = body.clone().set_num_format(format);
            sheet.write_number_with_format(row, col, stored, &format)?;
        }
        None if cell.text.is_empty() => {
            sheet.write_blank(row, col, body)?;
        }
        None => {
            sheet.write_string_with_format(row, col, fit(&cell.text), body)?;
        }
    }
    Ok(())
}

/// The value a spreadsheet stores for a number, and the format that shows it as the other
/// outputs write it: 5% (stored as 0.05), +20, 25,000, 21 days.
fn number_format(value: f64, unit: Unit) -> (f64, &'static str) {
    let whole = value.fract() == 0.0;
    match unit {
        Unit::Percent if whole => (value / 100.0, "0%"),
        Unit::Percent => (value / 100.0, "0.0#%"),
        Unit::Points if whole => (value, "+0;-0;0"),
        Unit::Points => (value, "+0.0#;-0.0#;0"),
        Unit::Plain if whole => (value, "0"),
        Unit::Plain => (value, "0.0#"),
        Unit::Amount if whole => (value, "#,##0"),
        Unit::Amount => (value, "#,##0.00"),
        Unit::Days if whole => (value, "[=1]0\" day\";0\" days\""),
        Unit::Days => (value, "0.0#\" days\""),
    }
}

/// The width of the longest line in the column, within bounds.
fn column_width(table: &Table, col: usize) -> usize {
    let longest = std::iter::once(&table.header[col])
        .chain(table.rows.iter().map(|r| &r[col].text))
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
