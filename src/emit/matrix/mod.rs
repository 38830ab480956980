//! The sales process matrix: for every stage, who owns it, what reps do and with which tools,
//! the data they capture, the criteria to move on, the timing and the automation. The tables
//! are built once here, format-neutral, and each format module only writes them out.

mod csv;
mod html;
mod markdown;
mod xlsx;

use crate::emit::scorings::Scorings;
use crate::emit::{english, EmitError, Emitted};
use crate::model::{
    format_number, Action, Automation, Expr, FieldId, FieldType, FollowUp, Literal, Model, Process,
    ProcessId, Stage, Trigger,
};
use crate::value::{days, percent, Duration};

/// One process's matrix: a title, facts about the process, then its tables in reading order.
#[derive(Clone, Debug)]
pub struct Matrix {
    /// The process label.
    pub title: String,
    /// Labelled facts shown above the tables ("Owner", "Selling model", ...), only those set.
    pub facts: Vec<(&'static str, String)>,
    pub tables: Vec<Table>,
}

/// A table of cells. A list inside a cell is one item per line.
#[derive(Clone, Debug)]
pub struct Table {
    /// A heading such as "Stage matrix".
    pub title: &'static str,
    /// A short name: the worksheet name and, lowercased, the HTML anchor.
    pub name: &'static str,
    /// What the marks in the cells mean, when they need saying.
    pub note: Option<&'static str>,
    pub header: Vec<String>,
    /// Every row has exactly as many cells as the header.
    pub rows: Vec<Vec<Cell>>,
    pub shape: Shape,
}

/// What kind of table it is, for formats that lay it out to fit the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A row per stage: the first `overview` columns are short facts to compare across
    /// stages, the rest say what happens in the stage.
    Stages { overview: usize },
    /// After the first `names` columns, one column per stage holding a mark.
    ByStage { names: usize },
    /// A list with a few columns.
    List,
}

/// One cell: its text as people read it and, for a number, the number itself with what it
/// measures, so a spreadsheet can compute with it (a weighted pipeline from probabilities).
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub text: String,
    pub number: Option<(f64, Unit)>,
}

/// What a number measures, which decides how it is written and formatted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A percentage: 40 is 40%.
    Percent,
    /// Scoring points, written with their sign: "+20".
    Points,
    /// A plain number such as a threshold.
    Plain,
    /// Money, in whatever currency the CRM keeps (the process does not say).
    Amount,
    /// A length of time in days, the one unit of a column.
    Days,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            number: None,
        }
    }

    pub fn number(value: f64, unit: Unit) -> Self {
        let text = match unit {
            Unit::Percent => percent(value),
            Unit::Points => signed(value),
            Unit::Plain => format_number(value),
            Unit::Amount => crate::value::group_thousands(value),
            Unit::Days => days(value),
        };
        Cell {
            text,
            number: Some((value, unit)),
        }
    }

    fn days(duration: Option<Duration>) -> Self {
        duration.map_or_else(Cell::empty, |d| Cell::number(d.days(), Unit::Days))
    }

    fn empty() -> Self {
        Cell::text(String::new())
    }
}

/// The stage matrix's columns, in order: first the facts to compare across stages (the
/// first [`STAGE_OVERVIEW`]), then what happens in the stage.
pub const STAGE_COLUMNS: [&str; 16] = [
    "Stage",
    "Owner",
    "Probability",
    "Forecast category",
    "Expected time",
    "Stalled after",
    "Objective",
    "Activities",
    "Tools",
    "Data to capture",
    "Already known",
    "Exit criteria",
    "Next stages",
    "Follow-ups",
    "Automation",
    "Guidance",
];

/// How many of [`STAGE_COLUMNS`] give the overview of the stages.
pub const STAGE_OVERVIEW: usize = 7;

/// Marks used in the tools x stages and fields x stages matrices.
const USED: &str = "Used";
const CAPTURE: &str = "Capture";
const REQUIRED: &str = "Required";

/// Builds the matrix of one process.
pub fn build(model: &Model, process: ProcessId) -> Matrix {
    build_with(model, process, &Scorings::new(model))
}

fn build_with(model: &Model, process: ProcessId, scorings: &Scorings<'_>) -> Matrix {
    let mut tables = vec![
        stage_table(model, process),
        tools_table(model, process),
        fields_table(model, process),
    ];
    tables.extend(criteria_table(model, process));
    tables.extend(scoring_table(
        model,
        scorings.for_process(model.process(process)),
    ));
    Matrix {
        title: model.process(process).label.clone(),
        facts: process_facts(model, process),
        tables,
    }
}

/// `--emit matrix-md`.
pub fn emit_markdown(unit: &crate::emit::Unit<'_>) -> Result<Emitted, EmitError> {
    emit_as(unit, "md", |m| Ok(markdown::render(m)))
}

/// `--emit matrix-csv`.
pub fn emit_csv(unit: &crate::emit::Unit<'_>) -> Result<Emitted, EmitError> {
    emit_as(unit, "csv", |m| Ok(csv::render(m)))
}

/// `--emit matrix-html`.
pub fn emit_html(unit: &crate::emit::Unit<'_>) -> Result<Emitted, EmitError> {
    emit_as(unit, "html", |m| Ok(html::render(m)))
}

/// `--emit matrix-xlsx`.
pub fn emit_xlsx(unit: &crate::emit::Unit<'_>) -> Result<Emitted, EmitError> {
    emit_as(unit, "xlsx", xlsx::render)
}

/// One file per process of the unit.
fn emit_as(
    unit: &crate::emit::Unit<'_>,
    extension: &str,
    render: impl Fn(&Matrix) -> Result<Vec<u8>, String>,
) -> Result<Emitted, EmitError> {
    let scorings = Scorings::new(unit.model);
    let mut emitted = Emitted::default();
    for &process in &unit.processes {
        let matrix = build_with(unit.model, process, &scorings);
        let bytes = render(&matrix).map_err(EmitError::Tool)?;
        let path = format!("{}.matrix.{extension}", unit.model.process(process).id);
        emitted.files.push((path, bytes));
    }
    Ok(emitted)
}

fn process_facts(model: &Model, process: ProcessId) -> Vec<(&'static str, String)> {
    let p = model.process(process);
    let segments = comma_list(p.segments.iter().map(|s| model.segment(*s).label.as_str()));
    let facts = [
        ("Description", p.description.clone()),
        ("Owner", p.owner.clone()),
        ("Selling model", p.model.map(|m| m.label().to_string())),
        ("Segments", Some(segments).filter(|s| !s.is_empty())),
        ("Extends", p.base.map(|b| model.process(b).label.clone())),
    ];
    facts
        .into_iter()
        .filter_map(|(name, value)| value.map(|v| (name, v)))
        .collect()
}

fn stage_table(model: &Model, process: ProcessId) -> Table {
    let p = model.process(process);
    Table {
        title: "Stage matrix",
        name: "Stages",
        note: None,
        header: STAGE_COLUMNS.iter().map(|c| c.to_string()).collect(),
        rows: p
            .stages
            .iter()
            .map(|s| stage_row(model, process, s))
            .collect(),
        shape: Shape::Stages {
            overview: STAGE_OVERVIEW,
        },
    }
}

fn stage_row(model: &Model, process: ProcessId, stage: &Stage) -> Vec<Cell> {
    let p = model.process(process);
    let text = |t: String| Cell::text(t);
    vec![
        text(stage.label.clone()),
        text(
            stage
                .owner
                .map(|r| model.role(r).label.clone())
                .unwrap_or_default(),
        ),
        stage
            .probability
            .map_or_else(Cell::empty, |p| Cell::number(p, Unit::Percent)),
        text(stage.forecast.label().to_string()),
        Cell::days(stage.expected),
        Cell::days(stage.stale_after),
        text(stage.objective.clone().unwrap_or_default()),
        text(numbered(&stage.activities)),
        text(comma_list(
            stage.tools.iter().map(|t| model.tool(*t).label.as_str()),
        )),
        text(field_labels(model, &stage.requires)),
        text(field_labels(model, &already_known(stage))),
        text(
            stage
                .exit
                .as_ref()
                .map(|e| english::condition(model, e))
                .unwrap_or_default(),
        ),
        text(comma_list(
            stage.next_ids().map(|s| p.stage(s).label.as_str()),
        )),
        text(lines(stage.follow_ups.iter().map(follow_up))),
        text(lines(
            stage.automations.iter().map(|a| automation(model, a)),
        )),
        text(stage.guidance.clone().unwrap_or_default()),
    ]
}

fn tools_table(model: &Model, process: ProcessId) -> Table {
    let p = model.process(process);
    let rows = in_order_of_first_use(p, |s| s.tools.clone())
        .into_iter()
        .map(|t| {
            let tool = model.tool(t);
            let mut row = vec![
                Cell::text(tool.label.clone()),
                Cell::text(tool.kind.clone().unwrap_or_default()),
            ];
            row.extend(p.stages.iter().map(|s| mark(s.tools.contains(&t), USED)));
            row
        })
        .collect();
    Table {
        title: "Tools by stage",
        name: "Tools",
        note: Some("Used: the tool is used in that stage."),
        header: header_with_stages(model, process, ["Tool", "Kind"]),
        rows,
        shape: Shape::ByStage { names: 2 },
    }
}

fn fields_table(model: &Model, process: ProcessId) -> Table {
    let p = model.process(process);
    let fields_used = |s: &Stage| [s.requires.as_slice(), &s.required_here].concat();
    let rows = in_order_of_first_use(p, fields_used)
        .into_iter()
        .map(|f| {
            let field = model.field(f);
            let mut row = vec![Cell::text(field.label.clone()), Cell::text(field.ty.name())];
            row.extend(p.stages.iter().map(|s| field_mark(s, f)));
            row
        })
        .collect();
    Table {
        title: "Fields by stage",
        name: "Fields",
        note: Some(
            "Capture: reps capture the field in that stage. \
             Required: the field must already be set while a deal is in that stage.",
        ),
        header: header_with_stages(model, process, ["Field", "Type"]),
        rows,
        shape: Shape::ByStage { names: 2 },
    }
}

/// Everything the stages use, in order of first mention going down the stages, so the matrix
/// reads from the top left to the bottom right.
fn in_order_of_first_use<T: Copy + PartialEq>(
    process: &Process,
    used_by: impl Fn(&Stage) -> Vec<T>,
) -> Vec<T> {
    let mut seen: Vec<T> = Vec::new();
    for item in process.stages.iter().flat_map(used_by) {
        if !seen.contains(&item) {
            seen.push(item);
        }
    }
    seen
}

/// Fields already set when a deal arrives: what must be set here, less what is captured here
/// (a closing stage's own `requires:` counts in `required_here`).
fn already_known(stage: &Stage) -> Vec<FieldId> {
    stage
        .required_here
        .iter()
        .filter(|f| !stage.requires.contains(f))
        .copied()
        .collect()
}

/// "Capture" where the stage asks for the field, else "Required" where it must already be set.
fn field_mark(stage: &Stage, field: FieldId) -> Cell {
    if stage.requires.contains(&field) {
        Cell::text(CAPTURE)
    } else {
        mark(stage.required_here.contains(&field), REQUIRED)
    }
}

/// Every criteria the exit criteria use, directly or through other criteria, each listed
/// once with its items: the stage matrix names them ("meets BANT") instead of spelling them out.
fn criteria_table(model: &Model, process: ProcessId) -> Option<Table> {
    let mut used = std::collections::BTreeSet::new();
    for exit in model
        .process(process)
        .stages
        .iter()
        .filter_map(|s| s.exit.as_ref())
    {
        used.extend(exit.criteria_used(model));
    }
    if used.is_empty() {
        return None;
    }
    let mut rows: Vec<Vec<Cell>> = used
        .into_iter()
        .flat_map(|id| {
            let criteria = model.criteria(id);
            english::criteria_items(model, id)
                .into_iter()
                .zip(&criteria.items)
                .map(|((item, condition), source)| {
                    vec![
                        Cell::text(criteria.label.clone()),
                        Cell::text(item),
                        Cell::text(condition),
                        threshold(model, &source.expr).unwrap_or_else(Cell::empty),
                    ]
                })
        })
        .collect();
    let mut header = vec!["Criteria", "Item", "Condition", "Threshold"];
    if rows.iter().all(|r| r[3].number.is_none()) {
        header.pop();
        for row in &mut rows {
            row.pop();
        }
    }
    Some(Table {
        title: "Qualification criteria",
        name: "Criteria",
        note: Some("A deal meets a criteria when every one of its items holds."),
        header: header.into_iter().map(String::from).collect(),
        rows,
        shape: Shape::List,
    })
}

fn scoring_table(model: &Model, scorings: Vec<&crate::model::Scoring>) -> Option<Table> {
    if scorings.is_empty() {
        return None;
    }
    let rows = scorings
        .into_iter()
        .flat_map(|scoring| {
            scoring.rules.iter().map(|rule| {
                vec![
                    Cell::text(scoring.label.clone()),
                    Cell::number(rule.points, Unit::Points),
                    Cell::text(english::condition(model, &rule.when)),
                    Cell::number(scoring.threshold, Unit::Plain),
                ]
            })
        })
        .collect();
    Some(Table {
        title: "Scoring",
        name: "Scoring",
        note: Some("A lead that reaches the threshold counts as qualified."),
        header: ["Scoring", "Points", "When", "Threshold"]
            .map(String::from)
            .to_vec(),
        rows,
        shape: Shape::List,
    })
}

/// The number an item compares against, when it is one comparison with an amount, a number or
/// a percentage ("Amount is at least 25,000"), so a spreadsheet holds it as a number.
fn threshold(model: &Model, expr: &Expr) -> Option<Cell> {
    let (field, _, literal) = expr.bound()?;
    match (&model.field(field).ty, literal) {
        (FieldType::Currency, Literal::Number(n)) => Some(Cell::number(*n, Unit::Amount)),
        (_, Literal::Number(n)) => Some(Cell::number(*n, Unit::Plain)),
        (_, Literal::Percent(p)) => Some(Cell::number(*p, Unit::Percent)),
        _ => None,
    }
}

fn header_with_stages<const N: usize>(
    model: &Model,
    process: ProcessId,
    first: [&str; N],
) -> Vec<String> {
    let stages = model
        .process(process)
        .stages
        .iter()
        .map(|s| s.label.clone());
    first.iter().map(|c| c.to_string()).chain(stages).collect()
}

/// "When entered: task "Prepare a tailored demo" for Solutions Engineer, due in 3 days".
pub fn automation(model: &Model, automation: &Automation) -> String {
    let when = match automation.trigger {
        Trigger::Entered => "When entered",
        Trigger::Exited => "When exited",
        Trigger::Stale => "When stalled",
    };
    format!("{when}: {}", action(model, &automation.action))
}

fn action(model: &Model, action: &Action) -> String {
    match action {
        Action::Task { text, role, due } => {
            let mut words = format!("task \"{text}\"");
            if let Some(role) = role {
                words.push_str(&format!(" for {}", model.role(*role).label));
            }
            if let Some(due) = due {
                words.push_str(&format!(", due in {}", due.human()));
            }
            words
        }
        Action::Email { template, after } => match after {
            Some(after) => format!("email \"{template}\", sent after {}", after.human()),
            None => format!("email \"{template}\""),
        },
        Action::Notify { role } => format!("notify {}", model.role(*role).label),
    }
}

/// "After 2 days: Second touch if no reply".
fn follow_up(follow_up: &FollowUp) -> String {
    format!("After {}: {}", follow_up.after.human(), follow_up.text)
}

fn field_labels(model: &Model, fields: &[FieldId]) -> String {
    comma_list(fields.iter().map(|f| model.field(*f).label.as_str()))
}

/// Points with their sign: "+20", "-10".
fn signed(points: f64) -> String {
    if points >= 0.0 {
        format!("+{}", format_number(points))
    } else {
        format_number(points)
    }
}

fn mark(set: bool, word: &str) -> Cell {
    if set {
        Cell::text(word)
    } else {
        Cell::empty()
    }
}

/// Activities in order, one per line: "1. Research the account".
fn numbered(items: &[String]) -> String {
    lines(
        items
            .iter()
            .enumerate()
            .map(|(i, item)| format!("{}. {item}", i + 1)),
    )
}

fn comma_list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items.collect::<Vec<_>>().join(", ")
}

fn lines(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join("\n")
}
