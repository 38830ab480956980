//! The process compiled in as data: its stages with their thresholds, the names a stage goes
//! by in the data, and the moves `next:` allows. Written as `SELECT ... UNION ALL` rows,
//! which every dialect reads (BigQuery has no `VALUES` in `FROM`).

use super::dialect::Dialect;
use super::Settings;
use crate::model::{format_number, Forecast, Process};
use std::collections::BTreeMap;

/// `SELECT` rows with the given column names; typed `NULL`s keep an empty list well typed.
fn rows(columns: &[(&str, &str)], values: &[Vec<String>], d: Dialect) -> String {
    if values.is_empty() {
        let nulls: Vec<String> = columns
            .iter()
            .map(|(name, ty)| format!("CAST(NULL AS {ty}) AS {}", d.ident(name)))
            .collect();
        return format!(
            "SELECT {} FROM (SELECT 1 AS one) AS empty WHERE 1 = 0",
            nulls.join(", ")
        );
    }
    let lines: Vec<String> = values
        .iter()
        .map(|row| {
            let cells: Vec<String> = row
                .iter()
                .zip(columns)
                .map(|(v, (name, _))| format!("{v} AS {}", d.ident(name)))
                .collect();
            format!("SELECT {}", cells.join(", "))
        })
        .collect();
    lines.join("\nUNION ALL ")
}

fn opt(value: Option<f64>, d: Dialect) -> String {
    value.map_or_else(|| format!("CAST(NULL AS {})", d.float()), |v| d.number(v))
}

fn text_or_null(value: Option<&str>, d: Dialect) -> String {
    value.map_or_else(|| format!("CAST(NULL AS {})", d.text()), |v| d.string(v))
}

fn int(value: usize, d: Dialect) -> String {
    format!("CAST({value} AS {})", d.integer())
}

/// One row per stage, in display order (`stage_index` is the position).
pub fn stages(process: &Process, d: Dialect) -> String {
    let (f, i, t) = (d.float(), d.integer(), d.text());
    let columns = [
        ("stage_index", i),
        ("id", t),
        ("label", t),
        ("outcome", t),
        ("is_open", "BOOLEAN"),
        ("is_won", "BOOLEAN"),
        ("is_lost", "BOOLEAN"),
        ("probability", f),
        ("weight", f),
        ("forecast", t),
        ("expected_days", f),
        ("stale_after_days", f),
        ("stale_after_text", t),
        ("probability_text", t),
        ("skip_start", i),
        ("skip_end", i),
    ];
    let skips = skipped_offsets(process);
    let values: Vec<Vec<String>> = process
        .stages
        .iter()
        .enumerate()
        .map(|(n, s)| {
            let forecast = match s.forecast {
                Forecast::Pipeline => Some("pipeline"),
                Forecast::BestCase => Some("best_case"),
                Forecast::Commit => Some("commit"),
                Forecast::Omitted | Forecast::Closed => None,
            };
            let valid = s.probability.filter(|p| (0.0..=100.0).contains(p));
            vec![
                int(n, d),
                d.string(&s.id),
                d.string(&s.label),
                text_or_null(s.outcome.map(|o| o.as_str()), d),
                s.is_open().to_string().to_uppercase(),
                s.is_won().to_string().to_uppercase(),
                s.is_lost().to_string().to_uppercase(),
                opt(valid, d),
                d.number(s.probability.unwrap_or(0.0)),
                text_or_null(forecast, d),
                opt(s.expected.map(|e| e.days()), d),
                opt(s.stale_after.map(|e| e.days()), d),
                text_or_null(s.stale_after.map(|e| e.human()).as_deref(), d),
                text_or_null(s.probability.map(format_number).as_deref(), d),
                int(skips[n].0, d),
                int(skips[n].1, d),
            ]
        })
        .collect();
    rows(&columns, &values, d)
}

/// The open stages in order as the audit names skipped stages ("`a`, `b`, "): a move that
/// skips stages names `SUBSTR(list, skip_start of its stage, skip_end of its target -
/// skip_start - 2)`, so the SQL holds the list once, not once per pair of stages.
pub fn open_stage_list(process: &Process) -> String {
    process
        .stages
        .iter()
        .filter(|s| s.is_open())
        .map(|s| format!("`{}`, ", s.id))
        .collect()
}

/// Per stage, 1-based offsets in [`open_stage_list`]: where the open stages after it begin,
/// and where those before it end (for a won stage, the end of the list: a move to it skips
/// every open stage after its source).
fn skipped_offsets(process: &Process) -> Vec<(usize, usize)> {
    let total = open_stage_list(process).len();
    let mut before = 0;
    process
        .stages
        .iter()
        .map(|s| {
            let end = if s.is_won() { total + 1 } else { before + 1 };
            if s.is_open() {
                before += s.id.len() + 4;
            }
            (before + 1, end)
        })
        .collect()
}

/// Every spelling a stage goes by in the data, trimmed and lower-cased: the names of
/// `data.stages` first, then ids, then labels (the first to claim a name keeps it).
pub fn names(process: &Process, settings: &Settings) -> String {
    let d = settings.dialect;
    let mut names: BTreeMap<String, usize> = BTreeMap::new();
    for (name, target) in &settings.data.stages {
        if let Some(i) = process.find_stage(target.trim()) {
            names.entry(key(name)).or_insert(i.0);
        }
    }
    for (i, stage) in process.stages.iter().enumerate() {
        names.entry(key(&stage.id)).or_insert(i);
    }
    for (i, stage) in process.stages.iter().enumerate() {
        names.entry(key(&stage.label)).or_insert(i);
    }
    let values: Vec<Vec<String>> = names
        .iter()
        .map(|(name, i)| vec![d.string(name), int(*i, d)])
        .collect();
    rows(
        &[("name", d.text()), ("stage_index", d.integer())],
        &values,
        d,
    )
}

fn key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// The moves the process allows: `next:` with the `from:` additions.
pub fn next(process: &Process, d: Dialect) -> String {
    let values: Vec<Vec<String>> = process
        .stages
        .iter()
        .enumerate()
        .flat_map(|(from, s)| s.next_ids().map(move |to| vec![int(from, d), int(to.0, d)]))
        .collect();
    let i = d.integer();
    rows(&[("from_index", i), ("to_index", i)], &values, d)
}

/// The fields each stage requires, by stage position: `(stage_index, field)` rows.
pub fn required(pairs: &[(usize, &str)], d: Dialect) -> String {
    let values: Vec<Vec<String>> = pairs
        .iter()
        .map(|(stage, field)| vec![int(*stage, d), d.string(field)])
        .collect();
    rows(
        &[("stage_index", d.integer()), ("field", d.text())],
        &values,
        d,
    )
}
