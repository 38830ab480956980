//! What a change to a process does to the deals in flight (DEALS.md section 8): deals in a
//! removed stage and where they would go, deals that newly lack a required field or now fail a
//! changed `exit:`, deals newly stale under a shorter `stale_after`, and the weighted pipeline
//! before and after. The data is read against the old process (it is what the CRM runs); field
//! columns are matched against the new model, and fields are compared by id.

use super::analyze::{valid_probability, visits_of, Visit};
use super::condition;
use super::dates::days_between;
use super::store::Value;
use super::{read, DataConfig, Inputs, Preset, Source};
use crate::model::{FieldId, Model, Process};
use serde::Serialize;
use std::collections::BTreeMap;

/// The open deals one process's change touches.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Impact {
    pub process: String,
    pub open_deals: u64,
    pub removed_stages: Vec<Moved>,
    pub newly_missing_required: Vec<Touched>,
    pub newly_failing_exit: Vec<Touched>,
    pub newly_stale: Vec<Touched>,
    pub weighted_pipeline_before: Option<f64>,
    pub weighted_pipeline_after: Option<f64>,
}

/// Open deals in a removed stage, and the stage they would go to.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Moved {
    pub stage: String,
    pub to: Option<String>,
    pub deals: u64,
    pub examples: Vec<String>,
}

/// Open deals a change touches in one stage (and field).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Touched {
    pub stage: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub deals: u64,
    pub examples: Vec<String>,
}

/// The data to weigh a change against.
pub struct Data<'a> {
    pub history: Option<Vec<u8>>,
    pub deals: Option<Vec<u8>>,
    pub data: &'a DataConfig,
    pub preset: Preset,
    pub as_of: Option<i64>,
    pub examples: usize,
}

/// The impact on every process that both versions have.
pub fn impact(old: &Model, new: &Model, data: &Data<'_>) -> Result<Vec<Impact>, String> {
    let mut out = Vec::new();
    for old_process in &old.processes {
        let Some(new_process) = new.processes.iter().find(|p| p.id == old_process.id) else {
            continue;
        };
        out.push(one(old, old_process, new, new_process, data)?);
    }
    Ok(out)
}

fn source(name: &str, bytes: &Option<Vec<u8>>) -> Option<Source> {
    bytes.as_ref().map(|b| Source {
        name: name.into(),
        reader: Box::new(std::io::Cursor::new(b.clone())),
    })
}

type Tally = BTreeMap<(usize, Option<usize>), (u64, Vec<String>)>;

fn count(tally: &mut Tally, key: (usize, Option<usize>), deal: &str, limit: usize) {
    let entry = tally.entry(key).or_default();
    entry.0 += 1;
    if entry.1.len() < limit {
        entry.1.push(deal.to_string());
    }
}

fn one(
    old: &Model,
    old_process: &Process,
    new: &Model,
    new_process: &Process,
    data: &Data<'_>,
) -> Result<Impact, String> {
    let mut reading = read(
        new,
        old_process,
        Inputs {
            history: source("history", &data.history),
            deals: source("deals", &data.deals),
            data: data.data,
            preset: data.preset,
            by: None,
            examples: 0,
        },
    )?;
    let as_of = data
        .as_of
        .or(reading.latest_history)
        .or(reading.latest_deals);
    // Per field of the new model: its position in a row's values; old fields by id.
    let mut new_pos = vec![None; new.fields.len()];
    if let Some(columns) = &reading.deals_columns {
        for (pos, (field, _)) in columns.fields.iter().enumerate() {
            new_pos[field.0] = Some(pos);
        }
    }
    let old_pos: Vec<Option<usize>> = old
        .fields
        .iter()
        .map(|f| {
            let i = new.fields.iter().position(|n| n.id == f.id)?;
            new_pos[i]
        })
        .collect();
    let destination = destinations(old_process, new_process);

    let mut impact = Impact {
        process: new_process.id.clone(),
        ..Impact::default()
    };
    let has_amounts = [&reading.history_columns, &reading.deals_columns]
        .iter()
        .any(|c| c.as_ref().is_some_and(|c| c.amount.is_some()));
    let (mut before, mut after) = (0.0, 0.0);
    let (mut moved, mut missing, mut failing, mut stale) =
        (Tally::new(), Tally::new(), Tally::new(), Tally::new());
    let limit = data.examples;
    let mut visits: Vec<Visit> = Vec::new();
    for deal in reading.deals.list.iter_mut() {
        if visits_of(deal, &mut visits).is_none() {
            continue;
        }
        let last = *visits.last().expect("a visit");
        let old_stage = &old_process.stages[usize::from(last.stage)];
        if !old_stage.is_open() {
            continue;
        }
        impact.open_deals += 1;
        let Some(to) = destination[usize::from(last.stage)] else {
            continue;
        };
        let new_stage = &new_process.stages[to];
        if new_stage.id != old_stage.id {
            count(
                &mut moved,
                (usize::from(last.stage), Some(to)),
                &deal.id,
                limit,
            );
        }
        let row = deal.row.as_deref();
        let amount = row
            .and_then(|r| r.amount)
            .or(deal.history_amount.map(|(_, a)| a))
            .unwrap_or(0.0);
        before += amount * valid_probability(old_stage).unwrap_or(0.0) / 100.0;
        after += amount * valid_probability(new_stage).unwrap_or(0.0) / 100.0;
        let value_of = |pos: Option<usize>| -> Option<&Value> { row?.values.get(pos?) };
        let new_lookup = |f: FieldId| value_of(new_pos[f.0]);
        let old_lookup = |f: FieldId| value_of(old_pos[f.0]);
        if row.is_some() {
            for field in &new_stage.required_here {
                let id = &new.fields[field.0].id;
                let required_before = old_stage
                    .required_here
                    .iter()
                    .any(|f| &old.fields[f.0].id == id);
                if !required_before && new_lookup(*field) == Some(&Value::Unset) {
                    count(&mut missing, (to, Some(field.0)), &deal.id, limit);
                }
            }
            if let Some(exit) = &new_stage.exit {
                let fails_now = condition::eval(exit, new, &new_lookup) == Some(false);
                let failed_before = old_stage
                    .exit
                    .as_ref()
                    .is_some_and(|e| condition::eval(e, old, &old_lookup) == Some(false));
                if fails_now && !failed_before {
                    count(&mut failing, (to, None), &deal.id, limit);
                }
            }
        }
        if let (Some(at), Some(now), Some(limit_new)) = (last.at, as_of, new_stage.stale_after) {
            let days = days_between(at, now);
            let stale_before = old_stage.stale_after.is_some_and(|d| days > d.days());
            if days > limit_new.days() && !stale_before {
                count(&mut stale, (to, None), &deal.id, limit);
            }
        }
    }
    let stage_id = |p: &Process, i: usize| p.stages[i].id.clone();
    impact.removed_stages = moved
        .into_iter()
        .map(|((from, to), (deals, examples))| Moved {
            stage: stage_id(old_process, from),
            to: to.map(|t| stage_id(new_process, t)),
            deals,
            examples,
        })
        .collect();
    let touched = |tally: Tally| -> Vec<Touched> {
        tally
            .into_iter()
            .map(|((stage, field), (deals, examples))| Touched {
                stage: stage_id(new_process, stage),
                field: field.map(|f| new.fields[f].id.clone()),
                deals,
                examples,
            })
            .collect()
    };
    impact.newly_missing_required = touched(missing);
    impact.newly_failing_exit = touched(failing);
    impact.newly_stale = touched(stale);
    if has_amounts {
        impact.weighted_pipeline_before = Some(before);
        impact.weighted_pipeline_after = Some(after);
    }
    Ok(impact)
}

/// Per old stage: the new stage its deals are in after the change. A removed open stage's
/// deals go to the next open stage of the old order that the new process still has, else to
/// the nearest earlier one; a removed terminal stage has no destination.
fn destinations(old: &Process, new: &Process) -> Vec<Option<usize>> {
    let kept = |i: usize| new.find_stage(&old.stages[i].id).map(|s| s.0);
    (0..old.stages.len())
        .map(|i| {
            if let Some(same) = kept(i) {
                return Some(same);
            }
            if !old.stages[i].is_open() {
                return None;
            }
            let open_kept = |j: &usize| old.stages[*j].is_open() && kept(*j).is_some();
            (i + 1..old.stages.len())
                .find(open_kept)
                .or_else(|| (0..i).rev().find(open_kept))
                .and_then(kept)
        })
        .collect()
}

/// The impact as lines of text, for `diff`'s human output.
pub fn human(impacts: &[Impact]) -> String {
    let mut out = String::new();
    for i in impacts {
        out.push_str(&format!(
            "\nopen deals of `{}`: {}\n",
            i.process, i.open_deals
        ));
        for line in lines(i) {
            out.push_str(&format!("  {line}\n"));
        }
    }
    out
}

/// The impact as a Markdown section, for `diff`'s pull-request comment.
pub fn markdown(impacts: &[Impact]) -> String {
    let mut out = String::new();
    for i in impacts {
        out.push_str(&format!(
            "\n### Open deals of `{}` ({})\n\n",
            i.process.replace('`', "'"),
            i.open_deals
        ));
        for line in lines(i) {
            out.push_str(&format!("- {}\n", super::render::markdown_escape(&line)));
        }
    }
    out
}

fn examples(list: &[String]) -> String {
    if list.is_empty() {
        String::new()
    } else {
        format!(" (e.g. {})", list.join(", "))
    }
}

fn lines(i: &Impact) -> Vec<String> {
    let deals = |n: u64| super::messages::plural(n, "deal");
    let mut out = Vec::new();
    for m in &i.removed_stages {
        let to =
            m.to.as_deref()
                .map_or("with nowhere to go: move them by hand".to_string(), |t| {
                    format!("would go to `{t}`")
                });
        out.push(format!(
            "`{}` (removed): {} {to}{}",
            m.stage,
            deals(m.deals),
            examples(&m.examples)
        ));
    }
    for t in &i.newly_missing_required {
        let field = t.field.as_deref().unwrap_or("");
        out.push(format!(
            "`{}`: {} newly without `{field}`{}",
            t.stage,
            deals(t.deals),
            examples(&t.examples)
        ));
    }
    for t in &i.newly_failing_exit {
        out.push(format!(
            "`{}`: {} now failing its `exit:`{}",
            t.stage,
            deals(t.deals),
            examples(&t.examples)
        ));
    }
    for t in &i.newly_stale {
        out.push(format!(
            "`{}`: {} newly stale{}",
            t.stage,
            deals(t.deals),
            examples(&t.examples)
        ));
    }
    if let (Some(b), Some(a)) = (i.weighted_pipeline_before, i.weighted_pipeline_after) {
        out.push(format!(
            "weighted pipeline {} before, {} after",
            super::render::money(b),
            super::render::money(a)
        ));
    }
    if out.is_empty() {
        out.push("no open deal is touched".into());
    }
    out
}

/// `diff OLD NEW --deals FILE [--history FILE]`: reads the files (`-` is standard input) with
/// the `data:` mapping of `salespath.yaml` and weighs the change against them.
pub fn for_diff(
    old: &Model,
    new: &Model,
    history: Option<&str>,
    deals: Option<&str>,
    as_of: Option<&str>,
    config: &DataConfig,
) -> Result<Vec<Impact>, String> {
    let read_file = |path: &str| -> Result<Vec<u8>, String> {
        if path == "-" {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            return Ok(bytes);
        }
        std::fs::read(path).map_err(|e| format!("cannot read `{path}`: {e}"))
    };
    let dates =
        super::dates::DateParser::new(config.timezone.as_deref(), config.date_format.as_deref())?;
    let as_of = as_of
        .map(|t| {
            dates
                .parse(t.trim())
                .ok_or_else(|| format!("`--as-of {t}` is not a date"))
        })
        .transpose()?;
    let data = Data {
        history: history.map(read_file).transpose()?,
        deals: deals.map(read_file).transpose()?,
        data: config,
        preset: config.preset.unwrap_or_default(),
        as_of,
        examples: 5,
    };
    impact(old, new, &data)
}

/// Adds the impact to a rendered diff: a section of text or Markdown, or an `impact` key of
/// the JSON object.
pub fn append(diff: String, impacts: &[Impact], format: crate::diff::DiffFormat) -> String {
    use crate::diff::DiffFormat;
    match format {
        DiffFormat::Human => diff + &human(impacts),
        DiffFormat::Markdown => diff + &markdown(impacts),
        DiffFormat::Json => {
            let mut value: serde_json::Value =
                serde_json::from_str(&diff).expect("the diff's own JSON");
            value["impact"] = serde_json::to_value(impacts).expect("an impact serialises");
            let mut text = serde_json::to_string_pretty(&value).expect("JSON");
            text.push('\n');
            text
        }
    }
}
