//! Reading the history and the deals file, streaming, one reused record at a time. Every row
//! is counted: used, or left out with its reason (DEALS.md sections 2 and 6).

use super::columns::{Columns, FileKind, Mapping};
use super::config::Encoding;
use super::dates::DateParser;
use super::decode::{Decoder, Row};
use super::findings::{Findings, RuleId, Subject, SubjectValue};
use super::numbers;
use super::stages::StageMatcher;
use super::store::{DealRow, Deals, Event, Value, NO_PROBABILITY};
use crate::model::{FieldType, Model};
use std::collections::BTreeMap;
use std::io::Read;

/// Rows read, used and left out by reason.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RowCounts {
    pub read: u64,
    pub used: u64,
    pub left_out: BTreeMap<&'static str, u64>,
}

/// Everything read so far.
pub struct Reading<'a> {
    pub model: &'a Model,
    pub mapping: Mapping<'a>,
    pub matcher: StageMatcher,
    pub dates: DateParser,
    pub encoding: Encoding,
    pub deals: Deals,
    pub findings: Findings,
    pub rows: RowCounts,
    /// The latest time of a used history row.
    pub latest_history: Option<i64>,
    /// The latest `stage_changed` or `created` of a used deals-file row.
    pub latest_deals: Option<i64>,
    /// The columns of each file read, once known.
    pub history_columns: Option<Columns>,
    pub deals_columns: Option<Columns>,
}

/// Why a row cannot be used.
type Refusal = (RuleId, Option<SubjectValue>, &'static str);

const INVALID_BYTES: &str = "bytes that are invalid in the encoding";
const NO_DEAL: &str = "no deal id";
const NO_STAGE: &str = "no stage";
const BAD_DATE: &str = "a date in no known form";
const BAD_AMOUNT: &str = "an amount that is not a number";
const BAD_PROBABILITY: &str = "a probability that is not a number from 0 to 100";
const BAD_FIELD: &str = "a field value that does not fit the field's type";
const DUPLICATE: &str = "a deal given twice in the deals file";
const NO_MOVES: &str = "a deal with no stage and no usable history row";

fn open_csv(input: impl Read) -> csv::Reader<impl Read> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(input)
}

impl Reading<'_> {
    fn headers(
        &mut self,
        reader: &mut csv::Reader<impl Read>,
        file: &str,
    ) -> Result<Vec<String>, String> {
        let raw = reader
            .byte_headers()
            .map_err(|e| format!("cannot read `{file}`: {e}"))?
            .clone();
        let mut decoder = Decoder::new(self.encoding);
        let row = decoder.decode(&raw).ok_or_else(|| {
            format!("the header row of `{file}` has bytes that are invalid in the encoding (set `data.encoding`)")
        })?;
        Ok((0..raw.len()).map(|i| row.get(i).to_string()).collect())
    }

    fn left_out(&mut self, reason: &'static str) {
        *self.rows.left_out.entry(reason).or_default() += 1;
    }

    fn refuse(&mut self, file: FileKind, line: u32, deal: &str, refusal: Refusal) {
        let (rule, value, reason) = refusal;
        let mut subject = Subject::rule(rule);
        if let Some(value) = value {
            subject = subject.value(value);
        }
        let reason = (rule == RuleId::BadRow).then_some(reason);
        self.findings
            .add_with(subject, file, line, Some(deal), reason);
        self.left_out(rule.rule().name);
    }

    /// Reads every row of one file: counts it, decodes it, applies the filter, and hands the
    /// rows that pass to `handle` with their line.
    fn read_rows(
        &mut self,
        kind: FileKind,
        file: &str,
        input: impl Read,
        mut handle: impl FnMut(&mut Self, &Row<'_>, &Columns, u32),
    ) -> Result<Columns, String> {
        let mut reader = open_csv(input);
        let headers = self.headers(&mut reader, file)?;
        let columns = self.mapping.resolve(kind, file, &headers)?;
        let mut decoder = Decoder::new(self.encoding);
        let mut record = csv::ByteRecord::new();
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(format!("cannot read `{file}`: {e}")),
            }
            self.rows.read += 1;
            let line = line_of(&record);
            let Some(row) = decoder.decode(&record) else {
                self.refuse(kind, line, "", (RuleId::BadRow, None, INVALID_BYTES));
                continue;
            };
            if !passes(&row, &columns) {
                self.left_out("filter");
                continue;
            }
            handle(self, &row, &columns, line);
        }
        Ok(columns)
    }

    pub fn read_history(&mut self, file: &str, input: impl Read) -> Result<(), String> {
        let columns = self.read_rows(
            FileKind::History,
            file,
            input,
            |this, row, columns, line| {
                let deal = row.get(columns.deal);
                match this.history_row(row, columns, line) {
                    Ok(event) => {
                        this.rows.used += 1;
                        this.latest_history = this.latest_history.max(Some(event.0.at));
                        let d = this.deals.get_or_insert(deal);
                        d.events.push(event.0);
                        d.rows += 1;
                        if let Some(amount) = event.1 {
                            d.note_amount(event.0.at, amount);
                        }
                    }
                    Err(refusal) => this.refuse(FileKind::History, line, deal, refusal),
                }
            },
        )?;
        self.history_columns = Some(columns);
        Ok(())
    }

    fn history_row(
        &mut self,
        row: &Row<'_>,
        c: &Columns,
        line: u32,
    ) -> Result<(Event, Option<f64>), Refusal> {
        if row.get(c.deal).is_empty() {
            return Err((RuleId::BadRow, None, NO_DEAL));
        }
        let stage = self.stage(row.get(c.stage.unwrap_or_default()))?;
        let at = self.dates.parse(row.get(c.at.unwrap_or_default())).ok_or((
            RuleId::BadRow,
            None,
            BAD_DATE,
        ))?;
        let amount = optional(row, c.amount, numbers::decimal)
            .map_err(|_| (RuleId::BadRow, None, BAD_AMOUNT))?;
        let probability = optional(row, c.probability, numbers::percent)
            .ok()
            .and_then(|p| match p {
                None => Some(NO_PROBABILITY),
                Some(p) if (0.0..=100.0).contains(&p) => Some((p * 100.0).round() as u16),
                Some(_) => None,
            })
            .ok_or((RuleId::BadRow, None, BAD_PROBABILITY))?;
        let event = Event {
            at,
            line,
            stage,
            probability,
        };
        Ok((event, amount))
    }

    fn stage(&mut self, name: &str) -> Result<u16, Refusal> {
        if name.is_empty() {
            return Err((RuleId::BadRow, None, NO_STAGE));
        }
        self.matcher.find(name).ok_or_else(|| {
            (
                RuleId::UnknownStage,
                Some(SubjectValue::Text(name.to_string())),
                "",
            )
        })
    }

    pub fn read_deals(&mut self, file: &str, input: impl Read) -> Result<(), String> {
        let columns =
            self.read_rows(FileKind::Deals, file, input, |this, row, columns, line| {
                let deal = row.get(columns.deal);
                match this.deals_row(row, columns, line) {
                    Ok(parsed) => {
                        this.rows.used += 1;
                        let latest = parsed.stage_changed.max(parsed.created);
                        this.latest_deals = this.latest_deals.max(latest);
                        let d = this.deals.get_or_insert(deal);
                        d.row = Some(Box::new(parsed));
                        d.rows += 1;
                    }
                    Err(refusal) => this.refuse(FileKind::Deals, line, deal, refusal),
                }
            })?;
        self.deals_columns = Some(columns);
        Ok(())
    }

    fn deals_row(&mut self, row: &Row<'_>, c: &Columns, line: u32) -> Result<DealRow, Refusal> {
        let id = row.get(c.deal);
        if id.is_empty() {
            return Err((RuleId::BadRow, None, NO_DEAL));
        }
        let known = self.deals.get_mut(id);
        if known.as_ref().is_some_and(|d| d.row.is_some()) {
            return Err((RuleId::BadRow, None, DUPLICATE));
        }
        let has_history = known.is_some_and(|d| !d.events.is_empty());
        let stage_name = c.stage.map_or("", |i| row.get(i));
        let stage = if has_history {
            // The history gives the moves; the deals file's stage is not needed.
            None
        } else if stage_name.is_empty() {
            return Err((RuleId::BadRow, None, NO_MOVES));
        } else {
            Some(self.stage(stage_name)?)
        };
        let date = |col: Option<usize>| -> Result<Option<i64>, Refusal> {
            match col.map(|i| row.get(i)).filter(|t| !t.is_empty()) {
                None => Ok(None),
                Some(text) => {
                    self.dates
                        .parse(text)
                        .map(Some)
                        .ok_or((RuleId::BadRow, None, BAD_DATE))
                }
            }
        };
        let created = date(c.created)?;
        let is_closed = c
            .is_closed
            .is_none_or(|i| numbers::boolean(row.get(i)) == Ok(Some(true)));
        let closed = if is_closed { date(c.closed)? } else { None };
        let stage_changed = date(c.stage_changed)?;
        let amount = optional(row, c.amount, numbers::decimal)
            .map_err(|_| (RuleId::BadRow, None, BAD_AMOUNT))?;
        let owner = c
            .owner
            .map(|i| row.get(i))
            .filter(|t| !t.is_empty())
            .map(Box::from);
        let mut values = Vec::with_capacity(c.fields.len());
        for (field, col) in &c.fields {
            let ty = &self.model.field(*field).ty;
            let value = field_value(ty, row.get(*col), &self.dates).ok_or((
                RuleId::BadRow,
                None,
                BAD_FIELD,
            ))?;
            values.push(value);
        }
        let by = c.by.map(|i| Box::from(row.get(i)));
        Ok(DealRow {
            line,
            stage,
            created,
            closed,
            stage_changed,
            amount,
            owner,
            values: values.into_boxed_slice(),
            by,
        })
    }
}

fn line_of(record: &csv::ByteRecord) -> u32 {
    record
        .position()
        .map_or(0, |p| u32::try_from(p.line()).unwrap_or(u32::MAX))
}

fn passes(row: &Row<'_>, columns: &Columns) -> bool {
    columns
        .filters
        .iter()
        .all(|(_, i, value)| row.get(*i) == value.trim())
}

fn optional<T>(
    row: &Row<'_>,
    col: Option<usize>,
    parse: fn(&str) -> Result<Option<T>, numbers::Unparsed>,
) -> Result<Option<T>, numbers::Unparsed> {
    col.map_or(Ok(None), |i| parse(row.get(i)))
}

/// A cell parsed by the field's type; `None` when it does not fit.
fn field_value(ty: &FieldType, text: &str, dates: &DateParser) -> Option<Value> {
    if text.is_empty() {
        return Some(Value::Unset);
    }
    Some(match ty {
        FieldType::Bool => Value::Bool(numbers::boolean(text).ok()??),
        FieldType::Number | FieldType::Currency => Value::Number(numbers::decimal(text).ok()??),
        FieldType::Percent => Value::Number(numbers::percent(text).ok()??),
        FieldType::Date => Value::Date(dates.parse(text)?),
        FieldType::Text | FieldType::Choice(_) => Value::Text(text.into()),
    })
}
