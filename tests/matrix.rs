//! The sales process matrix backends: `matrix-md`, `matrix-csv`, `matrix-html`, `matrix-xlsx`.

mod common;

use salespath::emit::english;
use salespath::emit::matrix::{self, Matrix, Table, STAGE_COLUMNS, STAGE_OVERVIEW};
use salespath::session::Checked;
use std::io::Read;
use std::path::{Path, PathBuf};

const BACKENDS: [&str; 4] = ["matrix-md", "matrix-csv", "matrix-html", "matrix-xlsx"];

fn shared_enterprise() -> PathBuf {
    common::root().join("examples/reference/enterprise.sales")
}

fn hostile() -> PathBuf {
    common::root().join("tests/fixtures/hostile/labels.sales")
}

fn scoring_fixture() -> PathBuf {
    common::root().join("tests/fixtures/rules/unreachable-threshold/good.sales")
}

/// The shared example and every example of our own.
fn all_examples() -> Vec<PathBuf> {
    let files: Vec<PathBuf> = common::shared_examples()
        .into_iter()
        .chain(common::examples())
        .collect();
    assert!(files.len() >= 4, "expected the shared and our own examples");
    files
}

/// The matrix of each process defined in `path`, with its process's stage count.
fn matrices(checked: &Checked) -> Vec<(Matrix, usize)> {
    let model = checked.model.as_ref().expect("a model");
    let project = common::project(checked);
    project
        .processes()
        .map(|(_, p)| (matrix::build(model, p), model.process(p).stages.len()))
        .collect()
}

fn the_matrix(path: &Path) -> Matrix {
    let checked = common::check_clean(path);
    matrices(&checked).remove(0).0
}

fn table<'a>(matrix: &'a Matrix, name: &str) -> &'a Table {
    matrix
        .tables
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no table `{name}`"))
}

/// The cell of `table` in the row named `row` and the column headed `column`.
fn cell<'a>(table: &'a Table, row: &str, column: &str) -> &'a str {
    let col = table
        .header
        .iter()
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("no column `{column}`"));
    let row = table
        .rows
        .iter()
        .find(|r| r[0].text == row)
        .unwrap_or_else(|| panic!("no row `{row}`"));
    &row[col].text
}

/// A table's rows as text.
fn texts(table: &Table) -> Vec<Vec<&str>> {
    table
        .rows
        .iter()
        .map(|r| r.iter().map(|c| c.text.as_str()).collect())
        .collect()
}

/// The only file a backend wrote for a one-process input.
fn emit_one(backend: &str, path: &Path) -> (String, Vec<u8>) {
    let mut files = common::emit(backend, path);
    assert_eq!(files.len(), 1, "{backend} on {}", path.display());
    files.remove(0)
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).expect("UTF-8 output")
}

// ---------------------------------------------------------------- content

#[test]
fn proposal_exit_criteria_read_as_plain_english() {
    let m = the_matrix(&shared_enterprise());
    assert_eq!(
        cell(table(&m, "Stages"), "Proposal", "Exit criteria"),
        "Amount is at least 25,000 and Main competitor is not Initech"
    );
}

#[test]
fn a_criteria_is_named_in_the_stages_and_its_items_listed_once() {
    let m = the_matrix(&shared_enterprise());
    assert_eq!(
        cell(table(&m, "Stages"), "Qualification", "Exit criteria"),
        "meets BANT qualified"
    );
    let criteria = table(&m, "Criteria");
    assert_eq!(
        criteria.header,
        ["Criteria", "Item", "Condition", "Threshold"]
    );
    assert_eq!(
        texts(criteria)[0],
        ["BANT qualified", "Budget", "Budget confirmed is yes", ""]
    );
    assert_eq!(
        texts(criteria)[3],
        [
            "BANT qualified",
            "Timeline",
            "Days to decision is at most 90",
            "90"
        ]
    );
    assert_eq!(criteria.rows.len(), 4);
    // The same text comes from the shared renderer the playbooks use.
    let checked = common::check_clean(&shared_enterprise());
    let model = checked.model.as_ref().unwrap();
    let stage = &model.processes[0].stages[1];
    assert_eq!(
        english::condition(model, stage.exit.as_ref().unwrap()),
        "meets BANT qualified"
    );
}

#[test]
fn a_list_test_next_to_another_condition_is_grouped() {
    let m = the_matrix(&common::root().join("examples/transactional.sales"));
    assert_eq!(
        cell(table(&m, "Stages"), "Demo", "Exit criteria"),
        "(Plan is one of Growth or Pro) or Seats is at most 2"
    );
}

#[test]
fn stage_rows_follow_display_order_with_every_column() {
    let m = the_matrix(&shared_enterprise());
    let stages = table(&m, "Stages");
    assert_eq!(stages.header, STAGE_COLUMNS.map(String::from).to_vec());
    let names: Vec<&str> = stages.rows.iter().map(|r| r[0].text.as_str()).collect();
    assert_eq!(
        names,
        [
            "Prospecting",
            "Qualification",
            "Needs Assessment",
            "Proposal",
            "Negotiation",
            "Closed Won",
            "Closed Lost"
        ]
    );
    let t = stages;
    assert_eq!(cell(t, "Prospecting", "Owner"), "Sales Development Rep");
    assert_eq!(cell(t, "Prospecting", "Probability"), "5%");
    assert_eq!(cell(t, "Proposal", "Forecast category"), "Best case");
    assert_eq!(
        cell(t, "Prospecting", "Activities"),
        "1. Research the account and its recent news\n2. Run the six-touch outbound sequence"
    );
    assert_eq!(
        cell(t, "Prospecting", "Tools"),
        "Outbound call sequence, CRM"
    );
    assert_eq!(cell(t, "Qualification", "Already known"), "Employees");
    assert_eq!(cell(t, "Prospecting", "Expected time"), "5 days");
    assert_eq!(
        cell(t, "Prospecting", "Stalled after"),
        "14 days",
        "one unit per column"
    );
    assert_eq!(
        cell(t, "Prospecting", "Follow-ups"),
        "After 2 days: Second touch if no reply"
    );
    assert_eq!(
        cell(t, "Needs Assessment", "Automation"),
        "When entered: task \"Prepare a tailored demo\" for Solutions Engineer, due in 3 days\n\
         When exited: email \"demo-recap\", sent after 1 day"
    );
    assert_eq!(
        cell(t, "Negotiation", "Automation"),
        "When stalled: notify Sales Manager"
    );
    assert_eq!(
        cell(t, "Negotiation", "Next stages"),
        "Closed Won, Proposal, Closed Lost"
    );
    assert_eq!(cell(t, "Closed Lost", "Data to capture"), "Loss reason");
    assert_eq!(
        cell(t, "Qualification", "Guidance"),
        "Do not advance a deal that fails any BANT item.\nAsk who else signs off on a purchase of this size."
    );
    // A closing stage's own fields are captured there, not already known.
    assert_eq!(cell(t, "Closed Lost", "Already known"), "");
}

#[test]
fn tools_and_fields_matrices_show_where_each_is_used() {
    let m = the_matrix(&shared_enterprise());
    let tools = table(&m, "Tools");
    assert_eq!(cell(tools, "CRM", "Prospecting"), "Used");
    assert_eq!(cell(tools, "CRM", "Qualification"), "Used");
    assert_eq!(cell(tools, "CRM", "Proposal"), "");
    assert_eq!(cell(tools, "ROI calculator", "Proposal"), "Used");

    let fields = table(&m, "Fields");
    assert_eq!(
        fields.rows[0][0].text, "Employees",
        "first captured comes first"
    );
    assert_eq!(cell(fields, "Amount", "Qualification"), "");
    assert_eq!(cell(fields, "Amount", "Needs Assessment"), "Capture");
    assert_eq!(cell(fields, "Amount", "Proposal"), "Required");
    assert_eq!(cell(fields, "Amount", "Closed Lost"), "");
    assert_eq!(cell(fields, "Loss reason", "Closed Lost"), "Capture");
}

#[test]
fn scorings_are_listed_after_the_matrices() {
    let m = the_matrix(&scoring_fixture());
    let names: Vec<&str> = m.tables.iter().map(|t| t.name).collect();
    assert_eq!(names, ["Stages", "Tools", "Fields", "Scoring"]);
    let scoring = table(&m, "Scoring");
    assert_eq!(
        texts(scoring),
        [
            ["Lead score", "+20", "Employees is at least 200", "50"],
            ["Lead score", "+40", "Budget confirmed is yes", "50"],
            ["Lead score", "-10", "Current vendor is Acme", "50"],
        ]
    );
    assert!(the_matrix(&shared_enterprise())
        .tables
        .iter()
        .all(|t| t.name != "Scoring"));
}

#[test]
fn every_backend_writes_one_file_per_process() {
    let checked = common::check_clean(&common::root().join("examples/enterprise.sales"));
    let processes: Vec<String> = {
        let model = checked.model.as_ref().unwrap();
        common::project(&checked)
            .processes()
            .map(|(_, p)| model.process(p).id.clone())
            .collect()
    };
    for (backend, ext) in BACKENDS.iter().zip(["md", "csv", "html", "xlsx"]) {
        let files = common::emit(backend, &common::root().join("examples/enterprise.sales"));
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        let expected: Vec<String> = processes
            .iter()
            .map(|p| format!("{p}.matrix.{ext}"))
            .collect();
        assert_eq!(names, expected, "{backend}");
    }
}

// ---------------------------------------------------------------- golden files

#[test]
fn golden_markdown_csv_and_html() {
    let inputs = all_examples()
        .into_iter()
        .chain([scoring_fixture(), hostile()]);
    for path in inputs {
        for backend in ["matrix-md", "matrix-csv", "matrix-html"] {
            for (name, bytes) in common::emit(backend, &path) {
                common::assert_golden(&format!("matrix/{name}"), &bytes);
            }
        }
    }
}

// ---------------------------------------------------------------- Markdown

/// A table row's cells, splitting on pipes that are not backslash-escaped.
fn markdown_cells(line: &str) -> Vec<String> {
    let inner = line
        .strip_prefix('|')
        .and_then(|l| l.strip_suffix('|'))
        .unwrap_or_else(|| panic!("not a table row: {line}"));
    let mut cells = vec![String::new()];
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let cell = cells.last_mut().unwrap();
                cell.push(c);
                cell.extend(chars.next());
            }
            '|' => cells.push(String::new()),
            c => cells.last_mut().unwrap().push(c),
        }
    }
    cells.iter().map(|c| c.trim().to_string()).collect()
}

/// Every table in a Markdown document, as rows of cells (header first, delimiter row dropped).
fn markdown_tables(doc: &str) -> Vec<Vec<Vec<String>>> {
    let mut tables = Vec::new();
    let mut current: Vec<Vec<String>> = Vec::new();
    for line in doc.lines() {
        if line.starts_with('|') {
            current.push(markdown_cells(line));
        } else if !current.is_empty() {
            tables.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        tables.push(current);
    }
    for table in &mut tables {
        assert!(table[1].iter().all(|c| c == "---"), "delimiter row");
        table.remove(1);
    }
    tables
}

fn assert_markdown_rows_keep_their_width(doc: &str, stages: usize) {
    let tables = markdown_tables(doc);
    assert!(tables.len() >= 3, "three matrices at least");
    for table in &tables {
        let width = table[0].len();
        for row in table {
            assert_eq!(row.len(), width, "row {row:?}");
        }
    }
    assert_eq!(tables[0][0].len(), STAGE_COLUMNS.len());
    assert_eq!(tables[0].len() - 1, stages, "one row per stage");
    assert_eq!(tables[1][0].len(), 2 + stages, "tools x stages");
}

#[test]
fn markdown_tables_keep_their_column_count() {
    for path in all_examples() {
        let checked = common::check_clean(&path);
        let stage_counts: Vec<usize> = matrices(&checked).iter().map(|(_, n)| *n).collect();
        let files = common::emit("matrix-md", &path);
        for ((_, bytes), stages) in files.iter().zip(stage_counts) {
            assert_markdown_rows_keep_their_width(text(bytes), stages);
        }
    }
}

#[test]
fn markdown_escapes_hostile_labels() {
    let (_, bytes) = emit_one("matrix-md", &hostile());
    let doc = text(&bytes);
    assert_markdown_rows_keep_their_width(doc, 4);
    let stages = &markdown_tables(doc)[0];
    assert_eq!(stages[4][0], "@Lost, \"sadly\"");
    assert_eq!(stages[3][0], "Won 🚀 \\| 受注", "pipe escaped, text intact");
    assert_eq!(
        stages[1][1],
        "Rep \"Closer\" \\<b\\>\\&amp;\\</b\\> \\| {team}"
    );
    assert!(doc.contains("5. 商談 を設定する 🚀<br>6. a \\| b \\| c"));
    assert!(!doc.contains("<script>"), "markup is escaped");
    assert!(doc.contains("\\<script\\>alert(1)\\</script\\>"));
}

// ---------------------------------------------------------------- CSV

/// A CSV file's sections: (title, header, rows), checking the layout on the way.
fn csv_sections(bytes: &[u8]) -> Vec<(String, Vec<String>, Vec<Vec<String>>)> {
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "UTF-8 byte order mark"
    );
    let doc = text(bytes);
    assert!(doc.ends_with("\r\n"), "records end with CRLF");
    assert!(!doc.replace("\r\n", "").contains('\r'), "no lone CR");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut sections: Vec<(String, Vec<String>, Vec<Vec<String>>)> = Vec::new();
    let mut expect_header = false;
    for record in reader.records() {
        let record: Vec<String> = record
            .expect("valid CSV")
            .iter()
            .map(String::from)
            .collect();
        if record.len() == 1 && !expect_header {
            sections.push((record[0].clone(), Vec::new(), Vec::new()));
            expect_header = true;
        } else if expect_header {
            sections.last_mut().unwrap().1 = record;
            expect_header = false;
        } else {
            let (_, header, rows) = sections.last_mut().expect("a title row first");
            assert_eq!(record.len(), header.len(), "row {record:?}");
            rows.push(record);
        }
    }
    // Sections are separated by exactly one empty line.
    assert_eq!(
        doc.matches("\r\n\r\n").count(),
        sections.len() - 1,
        "blank lines between sections"
    );
    sections
}

#[test]
fn csv_reads_back_as_sections_of_even_width() {
    for path in all_examples().into_iter().chain([scoring_fixture()]) {
        let checked = common::check_clean(&path);
        let stage_counts: Vec<usize> = matrices(&checked).iter().map(|(_, n)| *n).collect();
        for ((_, bytes), stages) in common::emit("matrix-csv", &path).iter().zip(stage_counts) {
            let sections = csv_sections(bytes);
            let titles: Vec<&str> = sections.iter().map(|s| s.0.as_str()).collect();
            assert_eq!(
                &titles[..3],
                ["Stage matrix", "Tools by stage", "Fields by stage"]
            );
            assert_eq!(sections[0].1, STAGE_COLUMNS.map(String::from).to_vec());
            assert_eq!(sections[0].2.len(), stages, "one row per stage");
            assert_eq!(sections[1].1.len(), 2 + stages);
            assert_eq!(sections[2].1.len(), 2 + stages);
        }
    }
}

#[test]
fn csv_neutralises_formulas_and_keeps_text_intact() {
    let (_, bytes) = emit_one("matrix-csv", &hostile());
    let sections = csv_sections(&bytes);
    let all_cells = sections.iter().flat_map(|(title, header, rows)| {
        std::iter::once(title)
            .chain(header)
            .chain(rows.iter().flatten())
    });
    for cell in all_cells {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "formula-like cell {cell:?}"
        );
    }
    let stages = &sections[0].2;
    assert_eq!(stages[0][0], "'=SUM(A1:A2)");
    assert_eq!(stages[0][1], "Rep \"Closer\" <b>&amp;</b> | {team}");
    assert_eq!(stages[0][6], "'-5% churn");
    assert_eq!(
        stages[1][1],
        "'=HYPERLINK(\"http://evil.example\",\"click\")"
    );
    assert_eq!(stages[1][6], "'+20% upsell");
    assert_eq!(stages[3][0], "'@Lost, \"sadly\"");
    assert_eq!(stages[2][0], "Won 🚀 | 受注");
    assert!(stages[0][7].contains("5. 商談 を設定する 🚀\n6. a | b | c"));
    let fields = &sections[2];
    assert_eq!(fields.1[2], "'=SUM(A1:A2)", "stage headers too");
    assert!(fields.2.iter().any(|r| r[0] == "'@champion"));
}

// ---------------------------------------------------------------- HTML

fn selector(css: &str) -> scraper::Selector {
    scraper::Selector::parse(css).unwrap()
}

fn assert_self_contained(doc: &scraper::Html) {
    assert_eq!(doc.select(&selector("script")).count(), 0, "no script");
    assert_eq!(
        doc.select(&selector("link, img, iframe, object")).count(),
        0
    );
    assert_eq!(
        doc.select(&selector("[src], [href]")).count(),
        0,
        "no links"
    );
    let style: String = doc
        .select(&selector("head style"))
        .flat_map(|s| s.text())
        .collect();
    assert!(style.contains("position: sticky"));
    assert!(style.contains("@media print"));
    assert!(style.contains("landscape"));
    assert!(!style.contains("url("), "no fetched fonts or images");
}

fn cell_texts(row: scraper::ElementRef<'_>) -> Vec<String> {
    row.select(&selector("th, td"))
        .map(|c| c.text().collect())
        .collect()
}

/// Each stage card's heading and its (term, text) pairs.
fn cards(doc: &scraper::Html) -> Vec<(String, Vec<(String, String)>)> {
    doc.select(&selector("section.card"))
        .map(|card| {
            let heading = card
                .select(&selector("h3"))
                .flat_map(|h| h.text())
                .collect();
            let (dt, dd) = (selector("dt"), selector("dd"));
            let terms = card.select(&dt).map(|t| t.text().collect());
            let texts = card.select(&dd).map(|d| d.text().collect());
            (heading, terms.zip(texts).collect())
        })
        .collect()
}

#[test]
fn html_has_an_overview_row_and_a_card_per_stage_and_is_self_contained() {
    for path in all_examples() {
        let checked = common::check_clean(&path);
        let built = matrices(&checked);
        for ((_, bytes), (m, stages)) in common::emit("matrix-html", &path).iter().zip(built) {
            let doc = scraper::Html::parse_document(text(bytes));
            assert_self_contained(&doc);
            let head: Vec<String> = doc
                .select(&selector("table.stages thead th"))
                .map(|th| th.text().collect())
                .collect();
            assert_eq!(head, STAGE_COLUMNS[..STAGE_OVERVIEW], "{}", path.display());
            let rows = doc.select(&selector("table.stages tbody tr")).count();
            assert_eq!(rows, stages, "{}", path.display());
            for row in doc.select(&selector("table tbody tr")) {
                let table = row
                    .ancestors()
                    .filter_map(scraper::ElementRef::wrap)
                    .find(|e| e.value().name() == "table")
                    .unwrap();
                let width = table.select(&selector("thead th")).count();
                assert_eq!(cell_texts(row).len(), width);
            }
            // Every other column of every stage is on its card, empty ones left out.
            let stage_table = table(&m, "Stages");
            let cards = cards(&doc);
            assert_eq!(cards.len(), stages);
            for ((heading, pairs), row) in cards.iter().zip(&stage_table.rows) {
                assert_eq!(*heading, row[0].text);
                let expected: Vec<(String, String)> = STAGE_COLUMNS[STAGE_OVERVIEW..]
                    .iter()
                    .zip(&row[STAGE_OVERVIEW..])
                    .filter(|(_, cell)| !cell.text.is_empty())
                    .map(|(name, cell)| (name.to_string(), cell.text.clone()))
                    .collect();
                assert_eq!(*pairs, expected, "{heading}");
            }
            // Few stages: the tools and fields are grids with a column per stage.
            let tools_head = doc.select(&selector("table.tools thead th")).count();
            assert_eq!(tools_head, 2 + stages);
        }
    }
}

#[test]
fn html_shows_guidance_on_its_stage_card() {
    let (_, bytes) = emit_one("matrix-html", &shared_enterprise());
    let doc = scraper::Html::parse_document(text(&bytes));
    let guidance: Vec<String> = doc
        .select(&selector("section.card dd.guidance"))
        .map(|d| d.text().collect())
        .collect();
    assert_eq!(
        guidance,
        ["Do not advance a deal that fails any BANT item.\nAsk who else signs off on a purchase of this size."]
    );
}

#[test]
fn html_lists_the_stages_of_a_tool_or_field_when_a_grid_would_not_fit() {
    let mut text_of =
        String::from("field amount \"Amount\": currency\ntool crm \"CRM\"\nprocess p \"P\" {\n");
    for i in 0..12 {
        let next = if i < 11 {
            format!("s{}", i + 1)
        } else {
            "won".into()
        };
        let requires = if i == 2 { " requires: amount" } else { "" };
        let tools = if i % 4 == 0 { " tools: crm" } else { "" };
        text_of.push_str(&format!(
            "  stage s{i} \"Step {i}\" {{{requires}{tools} next: {next} }}\n"
        ));
    }
    text_of.push_str("  stage won \"Won\" { outcome: won }\n}\n");
    let checked = common::check_text("wide.sales", &text_of);
    let emitted = matrix::emit_html(&common::project(&checked).units[0]).unwrap();
    let doc = scraper::Html::parse_document(text(&emitted.files[0].1));
    let rows = |class: &str| -> Vec<Vec<String>> {
        doc.select(&selector(&format!("table.{class} tr")))
            .map(cell_texts)
            .collect()
    };
    assert_eq!(
        rows("tools"),
        [
            vec!["Tool", "Kind", "Stages"],
            vec!["CRM", "", "Used: Step 0, Step 4, Step 8"],
        ]
    );
    assert_eq!(
        rows("fields"),
        [
            vec!["Field", "Type", "Stages"],
            vec![
                "Amount",
                "currency",
                "Capture: Step 2\nRequired: Step 3, Step 4, Step 5, Step 6, Step 7, Step 8, Step 9, Step 10, Step 11, Won"
            ],
        ]
    );
}

#[test]
fn html_escapes_hostile_labels() {
    let (_, bytes) = emit_one("matrix-html", &hostile());
    let page = text(&bytes);
    assert!(!page.contains("<script"), "no raw script tag");
    assert!(!page.contains("<b>") && !page.contains("<i>"));
    let doc = scraper::Html::parse_document(page);
    assert_self_contained(&doc);
    let title: String = doc
        .select(&selector("title"))
        .flat_map(|t| t.text())
        .collect();
    assert_eq!(
        title,
        "Hostile <process> & \"friends\": sales process matrix"
    );
    let rows: Vec<Vec<String>> = doc
        .select(&selector("table.stages tbody tr"))
        .map(cell_texts)
        .collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0][0], "=SUM(A1:A2)");
    assert_eq!(rows[0][1], "Rep \"Closer\" <b>&amp;</b> | {team}");
    assert_eq!(rows[1][0], "Proposal \"final\" <v2> & more");
    assert_eq!(rows[2][0], "Won 🚀 | 受注");
    let cards = cards(&doc);
    assert_eq!(cards[2].0, "Won 🚀 | 受注");
    let activities = &cards[0].1[0];
    assert_eq!(activities.0, "Activities");
    assert!(activities
        .1
        .contains("5. 商談 を設定する 🚀\n6. a | b | c {d} <e> &amp; \"f\" \\g"));
    let facts: String = doc
        .select(&selector("dl.facts"))
        .flat_map(|d| d.text())
        .collect();
    assert!(facts.contains("<script>alert(1)</script>"), "shown as text");
}

// ---------------------------------------------------------------- XLSX

fn unzip(bytes: &[u8]) -> zip::ZipArchive<std::io::Cursor<&[u8]>> {
    zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("the workbook is a zip")
}

fn zip_text(archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>, name: &str) -> String {
    let mut out = String::new();
    archive
        .by_name(name)
        .unwrap_or_else(|_| panic!("no {name}"))
        .read_to_string(&mut out)
        .unwrap();
    out
}

#[test]
fn xlsx_bytes_are_the_same_on_every_run() {
    for path in all_examples() {
        let first = common::emit("matrix-xlsx", &path);
        let second = common::emit("matrix-xlsx", &path);
        assert_eq!(first, second, "{}", path.display());
    }
}

#[test]
fn xlsx_has_an_overview_then_a_sheet_per_matrix_with_its_text() {
    let (_, bytes) = emit_one("matrix-xlsx", &shared_enterprise());
    let mut zip = unzip(&bytes);
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().to_string()).collect();
    for sheet in 1..=5 {
        assert!(names.contains(&format!("xl/worksheets/sheet{sheet}.xml")));
    }
    assert!(!names.contains(&"xl/worksheets/sheet6.xml".to_string()));
    let workbook = zip_text(&mut zip, "xl/workbook.xml");
    let order: Vec<usize> = ["Overview", "Stages", "Tools", "Fields", "Criteria"]
        .iter()
        .map(|sheet| {
            workbook
                .find(&format!("name=\"{sheet}\""))
                .unwrap_or_else(|| panic!("{sheet}"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "sheets in order");
    let strings = zip_text(&mut zip, "xl/sharedStrings.xml");
    for expected in [
        "Prospecting",
        "Exit criteria",
        "Amount is at least 25,000 and Main competitor is not Initech",
        "Outbound call sequence, CRM",
        "Capture",
        "Guidance",
        "Ask who else signs off on a purchase of this size.",
    ] {
        assert!(strings.contains(expected), "{expected}");
    }
    assert!(
        !strings.contains("2 weeks") && !strings.contains(">5%<"),
        "numbers are numbers"
    );
    let stages = zip_text(&mut zip, "xl/worksheets/sheet2.xml");
    assert!(stages.contains("state=\"frozen\""), "header row frozen");
    assert!(stages.contains("<cols>"), "column widths set");
    assert!(stages.contains("orientation=\"landscape\""));
    let styles = zip_text(&mut zip, "xl/styles.xml");
    assert!(styles.contains("<b/>") && styles.contains("wrapText=\"1\""));
    let core = zip_text(&mut zip, "docProps/core.xml");
    assert!(core.contains("2000-01-01T00:00:00Z"), "fixed creation date");
}

/// A worksheet's cells as read back: the shared strings resolved, numbers with their number
/// format's code.
#[derive(Debug, PartialEq)]
enum Got {
    Text(String),
    Number(f64, String),
}

/// Reads every cell of a worksheet of the workbook, by reference ("C2").
fn read_sheet(bytes: &[u8], sheet: usize) -> std::collections::BTreeMap<String, Got> {
    let mut zip = unzip(bytes);
    let strings = zip_text(&mut zip, "xl/sharedStrings.xml");
    let strings: Vec<String> = strings
        .split("<si>")
        .skip(1)
        .map(|si| {
            si.split("<t")
                .skip(1)
                .map(|t| {
                    let t = &t[t.find('>').unwrap() + 1..];
                    unescape(&t[..t.find("</t>").unwrap()])
                })
                .collect()
        })
        .collect();
    let styles = zip_text(&mut zip, "xl/styles.xml");
    let codes = number_format_codes(&styles);
    let xml = zip_text(&mut zip, &format!("xl/worksheets/sheet{sheet}.xml"));
    let mut cells = std::collections::BTreeMap::new();
    for c in xml.split("<c r=\"").skip(1) {
        let reference = c[..c.find('"').unwrap()].to_string();
        let open = &c[..c.find('>').unwrap()];
        let Some(v) = c.find("<v>") else { continue };
        let value = &c[v + 3..v + c[v..].find("</v>").unwrap()];
        let attribute = |name: &str| {
            open.split(&format!(" {name}=\""))
                .nth(1)
                .map(|rest| rest[..rest.find('"').unwrap()].to_string())
        };
        let read = match attribute("t").as_deref() {
            Some("s") => Got::Text(strings[value.parse::<usize>().unwrap()].clone()),
            None | Some("n") => {
                let style: usize = attribute("s").map_or(0, |s| s.parse().unwrap());
                Got::Number(value.parse().unwrap(), codes[style].clone())
            }
            Some(other) => panic!("cell {reference} of type {other}"),
        };
        cells.insert(reference, read);
    }
    cells
}

/// The number format code of each cell style (`cellXfs`), built-in formats by their code.
fn number_format_codes(styles: &str) -> Vec<String> {
    let custom: Vec<(String, String)> = styles
        .split("<numFmt ")
        .skip(1)
        .map(|f| {
            let id = f.split("numFmtId=\"").nth(1).unwrap();
            let code = f.split("formatCode=\"").nth(1).unwrap();
            (
                id[..id.find('"').unwrap()].to_string(),
                unescape(&code[..code.find('"').unwrap()]),
            )
        })
        .collect();
    let xfs = styles.split("<cellXfs").nth(1).unwrap();
    let xfs = &xfs[..xfs.find("</cellXfs>").unwrap()];
    xfs.split("<xf ")
        .skip(1)
        .map(|xf| {
            let id = xf.split("numFmtId=\"").nth(1).unwrap();
            let id = &id[..id.find('"').unwrap()];
            match id {
                "0" => "General".to_string(),
                "1" => "0".to_string(),
                "3" => "#,##0".to_string(),
                "9" => "0%".to_string(),
                id => custom
                    .iter()
                    .find(|(i, _)| i == id)
                    .unwrap_or_else(|| panic!("number format {id}"))
                    .1
                    .clone(),
            }
        })
        .collect()
}

fn unescape(xml: &str) -> String {
    xml.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn number(value: f64, format: &str) -> Got {
    Got::Number(value, format.to_string())
}

const DAYS: &str = "[=1]0\" day\";0\" days\"";

#[test]
fn xlsx_numbers_are_numbers_with_number_formats() {
    let (_, bytes) = emit_one("matrix-xlsx", &shared_enterprise());
    let stages = read_sheet(&bytes, 2);
    // Row 2 is Prospecting: 5%, 5 days expected, stalled after 14 days.
    assert_eq!(stages["A2"], Got::Text("Prospecting".into()));
    assert_eq!(stages["C1"], Got::Text("Probability".into()));
    assert_eq!(stages["C2"], number(0.05, "0%"));
    assert_eq!(stages["E1"], Got::Text("Expected time".into()));
    assert_eq!(stages["E2"], number(5.0, DAYS));
    assert_eq!(stages["F2"], number(14.0, DAYS));
    let criteria = read_sheet(&bytes, 5);
    assert_eq!(criteria["D1"], Got::Text("Threshold".into()));
    assert_eq!(criteria["D5"], number(90.0, "0"));

    let (_, bytes) = emit_one("matrix-xlsx", &scoring_fixture());
    let scoring = read_sheet(&bytes, 5);
    assert_eq!(scoring["B2"], number(20.0, "+0;-0;0"));
    assert_eq!(scoring["B4"], number(-10.0, "+0;-0;0"));
    assert_eq!(scoring["D2"], number(50.0, "0"));
}

#[test]
fn xlsx_amount_and_percent_thresholds_are_numbers() {
    let checked = common::check_text(
        "amounts.sales",
        r#"
field amount "Amount": currency
field discount "Discount": percent
criteria big "Big deal" {
  size: amount >= 25000
  margin: discount <= 12.5%
}
process p "P" {
  stage open "Open" {
    requires: amount, discount
    exit: big
    next: won, lost
  }
  stage won "Won" { outcome: won }
  stage lost "Lost" { outcome: lost }
}
"#,
    );
    let model = checked.model.as_ref().expect("a model");
    let m = matrix::build(model, checked.own_processes()[0]);
    assert_eq!(
        texts(table(&m, "Criteria")),
        [
            ["Big deal", "Size", "Amount is at least 25,000", "25,000"],
            ["Big deal", "Margin", "Discount is at most 12.5%", "12.5%"],
        ]
    );
    let emitted = matrix::emit_xlsx(&common::project(&checked).units[0]).unwrap();
    let criteria = read_sheet(&emitted.files[0].1, 5);
    assert_eq!(criteria["D2"], number(25000.0, "#,##0"));
    assert_eq!(criteria["D3"], number(0.125, "0.0#%"));
}

#[test]
fn xlsx_overview_holds_the_process_facts() {
    let (_, bytes) = emit_one("matrix-xlsx", &shared_enterprise());
    let overview = read_sheet(&bytes, 1);
    let text = |r: &str| match &overview[r] {
        Got::Text(t) => t.clone(),
        other => panic!("{r}: {other:?}"),
    };
    assert!(text("A1").ends_with(": sales process matrix"));
    let facts: Vec<(String, String)> = (3..)
        .map_while(|row| match overview.get(&format!("A{row}")) {
            Some(Got::Text(name)) if name != "Sheet" => {
                Some((name.clone(), text(&format!("B{row}"))))
            }
            _ => None,
        })
        .collect();
    let names: Vec<&str> = facts.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Description", "Owner", "Selling model", "Segments"]);
    assert_eq!(facts[1].1, "VP of Sales");
    assert_eq!(facts[3].1, "Mid-market, Enterprise");
    assert!(overview.values().any(|c| *c == Got::Text("Stages".into())));
}

#[test]
fn xlsx_lists_scorings_on_their_own_sheet() {
    let (_, bytes) = emit_one("matrix-xlsx", &scoring_fixture());
    let mut zip = unzip(&bytes);
    assert!(zip_text(&mut zip, "xl/workbook.xml").contains("name=\"Scoring\""));
    let strings = zip_text(&mut zip, "xl/sharedStrings.xml");
    assert!(strings.contains("Employees is at least 200"));
}

#[test]
fn xlsx_writes_hostile_labels_as_text() {
    let (_, bytes) = emit_one("matrix-xlsx", &hostile());
    let mut zip = unzip(&bytes);
    let strings = zip_text(&mut zip, "xl/sharedStrings.xml");
    assert!(strings.contains("<t>=SUM(A1:A2)</t>"));
    assert!(strings.contains("=HYPERLINK(\"http://evil.example\",\"click\")"));
    assert!(strings.contains("Deck &lt;i&gt;v2&lt;/i&gt;"));
    assert!(strings.contains("Won 🚀 | 受注"));
    assert!(!strings.contains("<i>") && !strings.contains("<script"));
    for sheet in 1..=4 {
        let xml = zip_text(&mut zip, &format!("xl/worksheets/sheet{sheet}.xml"));
        assert!(!xml.contains("<f>"), "no formulas in sheet{sheet}");
    }
}

// ---------------------------------------------------------------- CLI

#[test]
fn build_writes_the_four_files() {
    let out = tempfile::tempdir().unwrap();
    let status = common::salespath()
        .args(["build", "--emit", &BACKENDS.join(",")])
        .arg(shared_enterprise())
        .arg("-o")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    for ext in ["md", "csv", "html", "xlsx"] {
        let file = out
            .path()
            .join(format!("enterprise_new_business.matrix.{ext}"));
        assert!(file.is_file(), "{}", file.display());
    }
}
