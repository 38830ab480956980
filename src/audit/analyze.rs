//! One pass over the deals: visits, KPIs, per-stage figures, groups and the findings about
//! deals (DEALS.md sections 4 to 6).

use super::columns::FileKind;
use super::condition;
use super::dates::{days_between, format_utc};
use super::findings::{Findings, RuleId, Subject};
use super::read::RowCounts;
use super::report::{Forecast as ForecastFigures, Kpis, Rows, StageFigures};
use super::stats;
use super::store::{Deal, Value, NO_PROBABILITY};
use crate::model::{FieldId, Forecast, Model, Process, Stage};
use std::collections::BTreeMap;

/// How the deals are looked at.
#[derive(Clone, Debug, Default)]
pub struct Window {
    pub as_of: Option<i64>,
    /// Deals created at or after this time.
    pub since: Option<i64>,
    /// Deals created before this time (the day after `--until`).
    pub until: Option<i64>,
    pub by: Option<String>,
    pub target: Option<f64>,
}

/// A stay in a stage: entered at `at` (unknown for a deals-file deal without dates).
#[derive(Clone, Copy, Debug)]
pub struct Visit {
    pub stage: u16,
    pub at: Option<i64>,
    pub line: u32,
}

/// What the pass needs besides the deals.
pub struct Inputs<'a> {
    pub model: &'a Model,
    pub process: &'a Process,
    pub window: &'a Window,
    /// Per declared field: its position in a deals-file row's values, if a column holds it.
    pub field_pos: Vec<Option<usize>>,
    pub has_deals_file: bool,
}

pub struct Outcome {
    pub as_of: Option<i64>,
    pub kpis: Kpis,
    pub stages: Vec<StageFigures>,
    pub groups: Vec<(String, Kpis)>,
}

#[derive(Default, Clone)]
struct KpiAcc {
    deals: u64,
    open: u64,
    won: u64,
    lost: u64,
    won_amount: f64,
    won_with_amount: u64,
    cycles: Vec<f64>,
    open_amount: f64,
    weighted: f64,
    forecast: [f64; 3],
}

#[derive(Default, Clone)]
struct StageAcc {
    entered: u64,
    reached: u64,
    advanced: u64,
    dropped: u64,
    still_open: u64,
    won_after: u64,
    lost_here: u64,
    durations: Vec<f64>,
    over_expected: u64,
    stale_now: u64,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    Open,
    Won,
    Lost,
}

/// Runs the pass. Deals outside the window are left out, with their rows counted.
pub fn analyze(
    inputs: &Inputs<'_>,
    deals: &mut [Deal],
    rows: &mut RowCounts,
    findings: &mut Findings,
    latest: Option<i64>,
) -> Outcome {
    let process = inputs.process;
    let stages = &process.stages;
    let n = stages.len();
    let as_of = inputs.window.as_of.or(latest);
    let mut total = KpiAcc::default();
    let mut groups: BTreeMap<String, KpiAcc> = BTreeMap::new();
    let mut per_stage = vec![StageAcc::default(); n];
    let mut visits: Vec<Visit> = Vec::new();
    let mut entered = vec![false; n];
    let mut advanced = vec![None::<u32>; n];
    // Money KPIs are null when no deal has an amount, not 0.
    let mut has_amounts = false;

    for deal in deals.iter_mut() {
        let Some(from_history) = visits_of(deal, &mut visits) else {
            continue;
        };
        let row = deal.row.as_deref();
        let last = *visits.last().expect("a deal has a visit");
        let status = match &stages[usize::from(last.stage)] {
            s if s.is_won() => Status::Won,
            s if s.is_lost() => Status::Lost,
            _ => Status::Open,
        };
        let created = row.and_then(|r| r.created).or(visits[0].at);
        if inputs.window.since.is_some() || inputs.window.until.is_some() {
            let inside = created.is_some_and(|c| {
                inputs.window.since.is_none_or(|s| c >= s)
                    && inputs.window.until.is_none_or(|u| c < u)
            });
            if !inside {
                rows.used -= u64::from(deal.rows);
                *rows.left_out.entry("window").or_default() += u64::from(deal.rows);
                continue;
            }
        }
        let closed_at = match status {
            Status::Open => None,
            _ if from_history => last.at,
            _ => row.and_then(|r| r.closed),
        };
        let amount = row
            .and_then(|r| r.amount)
            .or(deal.history_amount.map(|(_, a)| a));
        has_amounts |= amount.is_some();
        let lookup = |f: FieldId| -> Option<&Value> {
            let pos = inputs.field_pos.get(f.0).copied().flatten()?;
            row?.values.get(pos)
        };

        // Deal KPIs, overall and in the deal's group.
        let current = &stages[usize::from(last.stage)];
        let cycle = match (status, created, closed_at) {
            (Status::Won, Some(c), Some(w)) => Some(days_between(c, w)),
            _ => None,
        };
        let tally = |acc: &mut KpiAcc| {
            acc.deals += 1;
            match status {
                Status::Open => {
                    acc.open += 1;
                    if let Some(a) = amount {
                        acc.open_amount += a;
                        acc.weighted += a * current.probability.unwrap_or(0.0) / 100.0;
                        match current.forecast {
                            Forecast::Pipeline => acc.forecast[0] += a,
                            Forecast::BestCase => acc.forecast[1] += a,
                            Forecast::Commit => acc.forecast[2] += a,
                            Forecast::Omitted | Forecast::Closed => {}
                        }
                    }
                }
                Status::Won => {
                    acc.won += 1;
                    if let Some(a) = amount {
                        acc.won_amount += a;
                        acc.won_with_amount += 1;
                    }
                    acc.cycles.extend(cycle);
                }
                Status::Lost => acc.lost += 1,
            }
        };
        tally(&mut total);
        if let Some(by) = &inputs.window.by {
            let key = group_key(inputs, by, deal, &lookup);
            tally(groups.entry(key).or_default());
        }

        // The funnel: entered, reached, advanced.
        entered.fill(false);
        advanced.fill(None);
        let mut any_won = false;
        let mut max_open: Option<u16> = None;
        for v in &visits {
            entered[usize::from(v.stage)] = true;
            if stages[usize::from(v.stage)].is_won() {
                any_won = true;
            } else if stages[usize::from(v.stage)].is_open() {
                max_open = max_open.max(Some(v.stage));
            }
        }
        let (mut later_won, mut later_open) = (false, None::<u16>);
        for i in (0..visits.len()).rev() {
            let s = visits[i].stage;
            let stage = &stages[usize::from(s)];
            if stage.is_open() && (later_won || later_open > Some(s)) {
                advanced[usize::from(s)] = Some(visits[i + 1].line);
            }
            if stage.is_won() {
                later_won = true;
            } else if stage.is_open() {
                later_open = later_open.max(Some(s));
            }
        }
        for (s, stage) in stages.iter().enumerate() {
            let acc = &mut per_stage[s];
            let open = stage.is_open();
            if entered[s] || (open && (any_won || max_open >= Some(s as u16))) {
                acc.reached += 1;
            }
            if !entered[s] {
                continue;
            }
            acc.entered += 1;
            if status == Status::Won {
                acc.won_after += 1;
            }
            if open {
                match (advanced[s], status) {
                    (Some(_), _) => acc.advanced += 1,
                    (None, Status::Open) => acc.still_open += 1,
                    (None, _) => acc.dropped += 1,
                }
            }
        }
        if status == Status::Lost {
            if let Some(v) = visits
                .iter()
                .rev()
                .find(|v| stages[usize::from(v.stage)].is_open())
            {
                per_stage[usize::from(v.stage)].lost_here += 1;
            }
        }

        // Time in stage: completed visits to open stages, and the ongoing one.
        for pair in visits.windows(2) {
            let stage = &stages[usize::from(pair[0].stage)];
            if let (true, Some(a), Some(b)) = (stage.is_open(), pair[0].at, pair[1].at) {
                let days = days_between(a, b);
                let acc = &mut per_stage[usize::from(pair[0].stage)];
                acc.durations.push(days);
                if stage.expected.is_some_and(|e| days > e.days()) {
                    acc.over_expected += 1;
                }
            }
        }
        if let (Status::Open, Some(entered_at), Some(now)) = (status, last.at, as_of) {
            if current
                .stale_after
                .is_some_and(|s| days_between(entered_at, now) > s.days())
            {
                per_stage[usize::from(last.stage)].stale_now += 1;
                let subject = Subject::rule(RuleId::StaleDeal).stage(last.stage);
                let file = if from_history {
                    FileKind::History
                } else {
                    FileKind::Deals
                };
                findings.add(subject, file, last.line, Some(&deal.id));
            }
        }

        // Findings about moves (history) and field values (deals file).
        if from_history {
            if visits[0].stage != 0 {
                let subject = Subject::rule(RuleId::WrongEntry).stage(visits[0].stage);
                findings.add(subject, FileKind::History, visits[0].line, Some(&deal.id));
            }
            for pair in visits.windows(2) {
                let (from, to) = (pair[0].stage, pair[1].stage);
                let from_stage = &stages[usize::from(from)];
                if !from_stage.next_ids().any(|t| t.0 == usize::from(to)) {
                    let subject = Subject::rule(RuleId::IllegalMove).stage(from).to(to);
                    findings.add(subject, FileKind::History, pair[1].line, Some(&deal.id));
                }
            }
            for e in &deal.events {
                let stage = &stages[usize::from(e.stage)];
                if e.probability == NO_PROBABILITY {
                    continue;
                }
                let Some(p) = valid_probability(stage) else {
                    continue;
                };
                if (p * 100.0).round() as u16 != e.probability {
                    let subject = Subject::rule(RuleId::ProbabilityMismatch)
                        .stage(e.stage)
                        .value(super::findings::SubjectValue::Percent(e.probability));
                    findings.add(subject, FileKind::History, e.line, Some(&deal.id));
                }
            }
        }
        if let Some(r) = row {
            for field in &current.required_here {
                if lookup(*field) == Some(&Value::Unset) {
                    let subject = Subject::rule(RuleId::MissingRequired)
                        .stage(last.stage)
                        .field(field.0);
                    findings.add(subject, FileKind::Deals, r.line, Some(&deal.id));
                }
            }
            if from_history {
                for (s, stage) in stages.iter().enumerate() {
                    let (Some(line), Some(exit)) = (advanced[s], &stage.exit) else {
                        continue;
                    };
                    if condition::eval(exit, inputs.model, &lookup) == Some(false) {
                        let subject = Subject::rule(RuleId::ExitNotMet).stage(s as u16);
                        findings.add(subject, FileKind::History, line, Some(&deal.id));
                    }
                }
            }
        }
    }

    if inputs.has_deals_file {
        for field in fields_checked(inputs.model, process) {
            if inputs.field_pos.get(field.0).copied().flatten().is_none() {
                findings.count(Subject::rule(RuleId::FieldNotInData).field(field.0));
            }
        }
    }

    let target = inputs.window.target;
    Outcome {
        as_of,
        kpis: total.finish(has_amounts, target),
        stages: stages
            .iter()
            .zip(per_stage)
            .map(|(stage, acc)| acc.finish(stage))
            .collect(),
        groups: groups
            .into_iter()
            .map(|(k, acc)| (k, acc.finish(has_amounts, target)))
            .collect(),
    }
}

/// A deal's visits (DEALS.md section 4): its history rows sorted by time with re-saves of
/// the same stage merged, else one visit from its deals-file row. `Some(true)` when they come
/// from the history; `None` when the deal has no visit at all.
pub fn visits_of(deal: &mut Deal, visits: &mut Vec<Visit>) -> Option<bool> {
    deal.events.sort_by_key(|e| e.at);
    visits.clear();
    for e in &deal.events {
        if visits.last().is_none_or(|v| v.stage != e.stage) {
            visits.push(Visit {
                stage: e.stage,
                at: Some(e.at),
                line: e.line,
            });
        }
    }
    if !visits.is_empty() {
        return Some(true);
    }
    let r = deal.row.as_deref()?;
    visits.push(Visit {
        stage: r.stage?,
        at: r.stage_changed.or(r.created),
        line: r.line,
    });
    Some(false)
}

pub fn valid_probability(stage: &Stage) -> Option<f64> {
    stage.probability.filter(|p| (0.0..=100.0).contains(p))
}

/// Fields that a stage's `required_here` or an `exit:` reads, in declaration order.
pub fn fields_checked(model: &Model, process: &Process) -> Vec<FieldId> {
    let mut fields: Vec<FieldId> = Vec::new();
    for stage in &process.stages {
        fields.extend(&stage.required_here);
        if let Some(exit) = &stage.exit {
            exit.visit_fields(model, &mut |f, _, _| fields.push(f));
        }
    }
    fields.sort();
    fields.dedup();
    fields
}

const NOT_SET: &str = "(not set)";

fn group_key<'a>(
    inputs: &Inputs<'_>,
    by: &str,
    deal: &'a Deal,
    lookup: &dyn Fn(FieldId) -> Option<&'a Value>,
) -> String {
    let row = deal.row.as_deref();
    match by {
        "owner" => row
            .and_then(|r| r.owner.as_deref())
            .unwrap_or(NOT_SET)
            .to_string(),
        "segment" => {
            let model = inputs.model;
            let declared: Vec<usize> = if inputs.process.segments.is_empty() {
                (0..model.segments.len()).collect()
            } else {
                inputs.process.segments.iter().map(|s| s.0).collect()
            };
            declared
                .into_iter()
                .map(|i| &model.segments[i])
                .find(|s| {
                    s.when
                        .as_ref()
                        .is_some_and(|w| condition::eval(w, model, lookup) == Some(true))
                })
                .map_or_else(|| "other".to_string(), |s| s.id.clone())
        }
        _ => match inputs.model.fields.iter().position(|f| f.id == by) {
            Some(f) => match lookup(FieldId(f)) {
                Some(Value::Text(t)) => t.to_string(),
                Some(Value::Number(n)) => crate::model::format_number(*n),
                Some(Value::Bool(b)) => b.to_string(),
                Some(Value::Date(d)) => format_utc(*d)[..10].to_string(),
                Some(Value::Unset) | None => NOT_SET.to_string(),
            },
            None => row
                .and_then(|r| r.by.as_deref())
                .filter(|v| !v.is_empty())
                .unwrap_or(NOT_SET)
                .to_string(),
        },
    }
}

fn ratio(a: f64, b: f64) -> Option<f64> {
    (b != 0.0).then(|| a / b)
}

impl KpiAcc {
    fn finish(mut self, has_amounts: bool, target: Option<f64>) -> Kpis {
        let win_rate = ratio(self.won as f64, (self.won + self.lost) as f64);
        let average_deal_size = ratio(self.won_amount, self.won_with_amount as f64);
        // The median sorts the cycles, so the mean is summed in the same order whatever the
        // order of the rows.
        let cycle_days_median = stats::median(&mut self.cycles);
        let cycle_days = stats::mean(&self.cycles);
        let sales_velocity = match (average_deal_size, win_rate, cycle_days) {
            (Some(size), Some(rate), Some(days)) => ratio(self.open as f64 * size * rate, days),
            _ => None,
        };
        let money = |v: f64| has_amounts.then_some(v);
        let open_amount = money(self.open_amount);
        Kpis {
            deals: self.deals,
            open: self.open,
            won: self.won,
            lost: self.lost,
            win_rate,
            average_deal_size,
            cycle_days,
            cycle_days_median,
            sales_velocity,
            open_amount,
            weighted_pipeline: money(self.weighted),
            forecast: ForecastFigures {
                pipeline: money(self.forecast[0]),
                best_case: money(self.forecast[1]),
                commit: money(self.forecast[2]),
            },
            coverage: match (open_amount, target) {
                (Some(open), Some(t)) => ratio(open, t),
                _ => None,
            },
        }
    }
}

impl StageAcc {
    fn finish(mut self, stage: &Stage) -> StageFigures {
        let open = stage.is_open();
        let when_open = |v: u64| open.then_some(v);
        let days_median = stats::median(&mut self.durations);
        StageFigures {
            id: stage.id.clone(),
            label: stage.label.clone(),
            outcome: stage.outcome.map(|o| o.as_str()),
            probability: valid_probability(stage),
            expected_days: stage.expected.map(|d| d.days()),
            stale_after_days: stage.stale_after.map(|d| d.days()),
            entered: self.entered,
            reached: self.reached,
            advanced: when_open(self.advanced),
            dropped: when_open(self.dropped),
            still_open: when_open(self.still_open),
            conversion: if open {
                ratio(self.advanced as f64, (self.advanced + self.dropped) as f64)
            } else {
                None
            },
            won_after: self.won_after,
            lost_here: when_open(self.lost_here),
            days_median,
            days_p90: stats::p90_sorted(&self.durations),
            days_mean: stats::mean(&self.durations),
            visits: self.durations.len() as u64,
            over_expected: stage.expected.and(when_open(self.over_expected)),
            stale_now: stage.stale_after.and(when_open(self.stale_now)),
        }
    }
}

impl From<RowCounts> for Rows {
    fn from(counts: RowCounts) -> Self {
        Rows {
            read: counts.read,
            used: counts.used,
            left_out: counts
                .left_out
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        }
    }
}
