//! `salespath audit`: how deals really moved, against the process, with the funnel KPIs
//! (DEALS.md). The pipeline: [`read`] streams the CSV files into compact per-deal state,
//! [`analyze`] makes one pass over the deals, [`messages`] words the findings, and
//! [`render`] writes the report as text, JSON, Markdown or HTML.

pub mod analyze;
pub mod columns;
pub mod command;
pub mod condition;
pub mod config;
pub mod dates;
pub mod decode;
pub mod findings;
pub mod impact;
pub mod messages;
pub mod numbers;
pub mod read;
pub mod render;
pub mod report;
pub mod rules;
pub mod stages;
pub mod stats;
pub mod store;
pub mod synth;

pub use analyze::Window;
pub use command::AuditError;
pub use config::{DataConfig, Encoding, Preset};
pub use report::Report;

use crate::config::Level;
use crate::model::{Model, Process};
use columns::Mapping;
use findings::Findings;
use read::{Reading, RowCounts};
use std::collections::BTreeMap;
use std::io::Read;

/// A CSV input: its name (for messages) and its bytes.
pub struct Source {
    pub name: String,
    pub reader: Box<dyn Read>,
}

/// One audit: the process, the data and how to look at it.
pub struct Request<'a> {
    pub model: &'a Model,
    pub process: &'a Process,
    pub history: Option<Source>,
    pub deals: Option<Source>,
    pub data: &'a DataConfig,
    pub preset: Preset,
    pub window: Window,
    /// How many example deals each finding lists.
    pub examples: usize,
    /// Severities set in `salespath.yaml` `rules:`.
    pub levels: &'a BTreeMap<String, Level>,
}

/// Runs an audit. `Err` is a usage, I/O or mapping error (exit 2); everything wrong inside
/// the data is a finding in the report.
pub fn audit(request: Request<'_>) -> Result<Report, String> {
    let Request {
        model,
        process,
        history,
        deals,
        data,
        preset,
        window,
        examples,
        levels,
    } = request;
    let has_deals_file = deals.is_some();
    let mut reading = read(
        model,
        process,
        Inputs {
            history,
            deals,
            data,
            preset,
            by: window.by.as_deref(),
            examples,
        },
    )?;
    check_mapping_used(&reading, data, &window)?;

    let mut field_pos = vec![None; model.fields.len()];
    if let Some(columns) = &reading.deals_columns {
        for (pos, (field, _)) in columns.fields.iter().enumerate() {
            field_pos[field.0] = Some(pos);
        }
    }
    let inputs = analyze::Inputs {
        model,
        process,
        window: &window,
        field_pos,
        has_deals_file,
    };
    let latest = reading.latest_history.or(reading.latest_deals);
    let outcome = analyze::analyze(
        &inputs,
        &mut reading.deals.list,
        &mut reading.rows,
        &mut reading.findings,
        latest,
    );
    let findings = reading
        .findings
        .found
        .iter()
        .filter_map(|(subject, tally)| {
            let rule = subject.rule.rule();
            let level = levels.get(rule.name).copied().unwrap_or(rule.default);
            let severity = match level {
                Level::Off => return None,
                level => level.as_str(),
            };
            Some(messages::finding(subject, tally, model, process, severity))
        })
        .collect();
    Ok(Report {
        format_version: report::FORMAT_VERSION,
        process: process.id.clone(),
        process_label: process.label.clone(),
        as_of: outcome.as_of.map(dates::format_utc),
        rows: reading.rows.into(),
        kpis: outcome.kpis,
        stages: outcome.stages,
        by: window.by.clone(),
        groups: outcome
            .groups
            .into_iter()
            .map(|(value, kpis)| report::Group {
                by: window.by.clone().unwrap_or_default(),
                value,
                kpis,
            })
            .collect(),
        findings,
    })
}

/// The inputs of a reading.
pub struct Inputs<'a> {
    pub history: Option<Source>,
    pub deals: Option<Source>,
    pub data: &'a DataConfig,
    pub preset: Preset,
    pub by: Option<&'a str>,
    pub examples: usize,
}

/// Reads the data for a process: stage names are matched against `process`, field columns
/// against `model`'s fields (the history first: a deals-file row needs to know whether its
/// deal has moves).
pub fn read<'a>(
    model: &'a Model,
    process: &Process,
    inputs: Inputs<'a>,
) -> Result<Reading<'a>, String> {
    let Inputs {
        history,
        deals,
        data,
        preset,
        by,
        examples,
    } = inputs;
    if history.is_none() && deals.is_none() {
        return Err(
            "give a stage history (`--history FILE`), a deals file (`--deals FILE`) or both".into(),
        );
    }
    let mapping = Mapping {
        data,
        preset,
        model,
        by,
    };
    mapping.validate()?;
    let mut reading = Reading {
        model,
        mapping,
        matcher: stages::StageMatcher::new(process, &data.stages)?,
        dates: dates::DateParser::new(data.timezone.as_deref(), data.date_format.as_deref())?,
        encoding: data.encoding.unwrap_or_default(),
        deals: store::Deals::default(),
        findings: Findings::new(examples),
        rows: RowCounts::default(),
        latest_history: None,
        latest_deals: None,
        history_columns: None,
        deals_columns: None,
    };
    if let Some(source) = history {
        reading.read_history(&source.name, source.reader)?;
    }
    if let Some(source) = deals {
        reading.read_deals(&source.name, source.reader)?;
    }
    Ok(reading)
}

/// A filter column or a `--by` column that no file has is a mapping error, not an empty report.
fn check_mapping_used(
    reading: &Reading<'_>,
    data: &DataConfig,
    window: &Window,
) -> Result<(), String> {
    let files = [&reading.history_columns, &reading.deals_columns];
    let files: Vec<_> = files.iter().filter_map(|c| c.as_ref()).collect();
    for name in data.filter.keys() {
        if !files
            .iter()
            .any(|c| c.filters.iter().any(|(n, _, _)| n == name))
        {
            return Err(format!(
                "`data.filter` names the column `{name}`, which no input file has"
            ));
        }
    }
    if let Some(by) = &window.by {
        let special = by == "owner" || by == "segment";
        let field = reading.model.fields.iter().any(|f| &f.id == by);
        let column = reading
            .deals_columns
            .as_ref()
            .is_some_and(|c| c.by.is_some());
        if !special && !field && !column {
            return Err(format!(
                "`--by {by}`: no field has this id and the deals file has no such column (use `owner`, `segment`, a field id or a deals-file column)"
            ));
        }
    }
    Ok(())
}
