//! Synthetic stage histories with known answers, for tests and the benchmark. Deals walk the
//! process's transitions; with quirks on, some enter at the wrong stage, skip stages, go back
//! against the process, are reopened, are re-saved without a move, and some rows carry an
//! unknown stage, an impossible date, a Latin-1 byte or a probability the process does not
//! have. The generator counts each of these itself, so tests compare the audit against an
//! independent tally.

use crate::model::Process;
use std::io::Write;

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct Synth {
    /// Stop after the deal that reaches this many rows.
    pub rows: u64,
    pub seed: u64,
    pub quirks: bool,
}

/// The answers the audit must give for the generated history.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Known {
    pub rows: u64,
    pub bad_rows: u64,
    pub unknown_stage_rows: u64,
    pub deals: u64,
    pub open: u64,
    pub won: u64,
    pub lost: u64,
    /// Moves to a stage the previous stage's `next` does not list.
    pub illegal_moves: u64,
    /// Deals whose first stage is not the process's first.
    pub wrong_entries: u64,
    /// Rows that repeat the deal's stage (a change of amount, not a move).
    pub resaves: u64,
    pub probability_mismatches: u64,
    /// Sum of the last amount of each won deal.
    pub won_amount: f64,
    /// Sum over won deals of (entry into the won stage − first row), in days.
    pub won_cycle_days: f64,
    /// The latest time written, in seconds.
    pub latest: i64,
    /// Per stage, in display order: deals with a visit to it.
    pub entered: Vec<u64>,
    /// Per stage: won deals that visited it.
    pub won_after: Vec<u64>,
    /// Per stage: lost deals whose last open stage it was.
    pub lost_here: Vec<u64>,
    /// Each open deal's current stage and when it entered it.
    pub open_in: Vec<(usize, i64)>,
}

/// A small fast generator (splitmix64): the same seed gives the same file everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// 2023-01-01T00:00:00Z.
const START: i64 = 1_672_531_200;

struct Writer<'a, W: Write> {
    out: &'a mut W,
    process: &'a Process,
    quirks: bool,
    line: String,
}

impl<W: Write> Writer<'_, W> {
    fn row(
        &mut self,
        rng: &mut Rng,
        known: &mut Known,
        deal: &str,
        stage: usize,
        at: i64,
        amount: u64,
    ) -> std::io::Result<()> {
        let s = &self.process.stages[stage];
        // Stage names as CRMs write them: the label or the id, in any case, padded.
        let name = match rng.below(4) {
            0 => s.id.clone(),
            1 => s.label.to_uppercase(),
            2 => format!(" {} ", s.label),
            _ => s.label.clone(),
        };
        let probability = match s.probability {
            Some(p) if self.quirks && rng.chance(3) => {
                known.probability_mismatches += 1;
                crate::model::format_number((p + 7.0) % 100.0)
            }
            Some(p) => crate::model::format_number(p),
            None => String::new(),
        };
        self.line.clear();
        let at_text = super::dates::format_utc(at);
        let _ = std::fmt::Write::write_fmt(
            &mut self.line,
            format_args!("{deal},{name},{at_text},{amount},{probability}\n"),
        );
        self.out.write_all(self.line.as_bytes())?;
        known.rows += 1;
        known.latest = known.latest.max(at);
        Ok(())
    }
}

/// Writes `deal,stage,at,amount,probability` rows and returns what the audit must find.
pub fn write_history(
    out: &mut impl Write,
    process: &Process,
    synth: Synth,
) -> std::io::Result<Known> {
    let stages = &process.stages;
    let mut rng = Rng(synth.seed);
    let mut known = Known::default();
    let mut w = Writer {
        out,
        process,
        quirks: synth.quirks,
        line: String::with_capacity(128),
    };
    w.out.write_all(b"deal,stage,at,amount,probability\n")?;
    let open: Vec<usize> = (0..stages.len()).filter(|&i| stages[i].is_open()).collect();
    let quirk = |rng: &mut Rng, percent: u64| synth.quirks && rng.chance(percent);
    known.entered = vec![0; stages.len()];
    known.won_after = vec![0; stages.len()];
    known.lost_here = vec![0; stages.len()];
    let mut visited = vec![false; stages.len()];
    while known.rows < synth.rows {
        let deal = format!("D{:07}", known.deals);
        known.deals += 1;
        let mut at = START + rng.below(365 * 86_400) as i64;
        let created = at;
        let mut entered_at = at;
        let mut amount = 1_000 * (5 + rng.below(200));
        let mut stage = if quirk(&mut rng, 5) && open.len() > 1 {
            known.wrong_entries += 1;
            open[1 + rng.below(open.len() as u64 - 1) as usize]
        } else {
            0
        };
        w.row(&mut rng, &mut known, &deal, stage, at, amount)?;
        visited.fill(false);
        visited[stage] = true;
        let mut last_open = stage;
        loop {
            at += 3_600 + rng.below(20 * 86_400) as i64;
            if synth.quirks && rng.chance(2) {
                // Rows the audit must leave out; they do not change the deal.
                let bad = match rng.below(3) {
                    0 => {
                        known.unknown_stage_rows += 1;
                        format!(
                            "{deal},Negotiation {},{},1,\n",
                            rng.below(3),
                            super::dates::format_utc(at)
                        )
                        .into_bytes()
                    }
                    1 => {
                        known.bad_rows += 1;
                        format!("{deal},{},31/02/2023,1,\n", stages[stage].id).into_bytes()
                    }
                    _ => {
                        known.bad_rows += 1;
                        let mut b = format!("{deal},Qualifi").into_bytes();
                        b.push(0xE9);
                        b.extend_from_slice(
                            format!(",{},1,\n", super::dates::format_utc(at)).as_bytes(),
                        );
                        b
                    }
                };
                w.out.write_all(&bad)?;
                known.rows += 1;
                continue;
            }
            if stages[stage].is_open() && rng.chance(10) {
                known.resaves += 1;
                amount += 1_000;
                w.row(&mut rng, &mut known, &deal, stage, at, amount)?;
                continue;
            }
            let s = &stages[stage];
            if s.is_open() && rng.chance(6) {
                break;
            }
            let next: Vec<usize> = s.next_ids().map(|t| t.0).collect();
            let target = if !s.is_open() {
                if !quirk(&mut rng, 3) {
                    break;
                }
                0
            } else if quirk(&mut rng, 5) {
                // Anywhere but here: often a skip or a move back the process does not list.
                let others: Vec<usize> = (0..stages.len()).filter(|&t| t != stage).collect();
                others[rng.below(others.len() as u64) as usize]
            } else if next.is_empty() {
                break;
            } else {
                // Most moves go on; a deal is lost at some stage, not at every one.
                let on: Vec<usize> = next
                    .iter()
                    .copied()
                    .filter(|&t| !stages[t].is_lost())
                    .collect();
                let pool = if on.is_empty() || rng.chance(15) {
                    &next
                } else {
                    &on
                };
                pool[rng.below(pool.len() as u64) as usize]
            };
            if target == stage {
                continue;
            }
            if !s.next_ids().any(|t| t.0 == target) {
                known.illegal_moves += 1;
            }
            stage = target;
            entered_at = at;
            visited[stage] = true;
            if stages[stage].is_open() {
                last_open = stage;
            }
            w.row(&mut rng, &mut known, &deal, stage, at, amount)?;
        }
        for (s, v) in visited.iter().enumerate() {
            known.entered[s] += u64::from(*v);
        }
        let last = &stages[stage];
        if last.is_won() {
            for (s, v) in visited.iter().enumerate() {
                known.won_after[s] += u64::from(*v);
            }
            known.won += 1;
            known.won_amount += amount as f64;
            known.won_cycle_days += (entered_at - created) as f64 / 86_400.0;
        } else if last.is_lost() {
            known.lost_here[last_open] += 1;
            known.lost += 1;
        } else {
            known.open += 1;
            known.open_in.push((stage, entered_at));
        }
    }
    Ok(known)
}

/// Writes a deals file for the `history_deals` deals of a history written by
/// [`write_history`] (ids `D0000000` on), plus `extra` deals that have no history: one row
/// each with `deal,stage,created,closed,stage_changed,amount,owner` and a column per field
/// the process's `requires:` and `exit:` read. Some values are empty and, with quirks on, some
/// rows repeat a deal, name no stage or an unknown one, or hold a value that does not fit its
/// field.
pub fn write_deals(
    out: &mut impl Write,
    model: &crate::model::Model,
    process: &Process,
    history_deals: u64,
    extra: u64,
    synth: Synth,
) -> std::io::Result<()> {
    use crate::model::FieldType;
    let mut rng = Rng(synth.seed ^ 0x5EED);
    let fields = super::analyze::fields_checked(model, process);
    let quirk = |rng: &mut Rng, percent: u64| synth.quirks && rng.chance(percent);
    let mut header = String::from("deal,stage,created,closed,stage_changed,amount,owner");
    for f in &fields {
        header.push(',');
        header.push_str(&quoted(&model.field(*f).id));
    }
    writeln!(out, "{header}")?;
    let date = |t: i64| super::dates::format_utc(t);
    for n in 0..history_deals + extra {
        let from_history = n < history_deals;
        // Some deals of the history have no row.
        if from_history && rng.chance(10) {
            continue;
        }
        let id = if from_history {
            format!("D{n:07}")
        } else {
            format!("X{n:07}")
        };
        let stage = &process.stages[rng.below(process.stages.len() as u64) as usize];
        let stage_name = if quirk(&mut rng, 3) {
            "Somewhere else".to_string()
        } else if quirk(&mut rng, 3) {
            String::new()
        } else {
            stage.label.clone()
        };
        let created = START + rng.below(300 * 86_400) as i64;
        let changed = created + rng.below(60 * 86_400) as i64;
        let closed = if stage.is_open() {
            String::new()
        } else {
            date(changed)
        };
        let cell = |rng: &mut Rng, text: String| if rng.chance(15) { String::new() } else { text };
        let amount = (1_000 + rng.below(200) * 500).to_string();
        let amount = cell(&mut rng, amount);
        let owner = format!("owner{}", rng.below(7));
        let mut row = format!(
            "{id},{},{},{closed},{},{amount},{owner}",
            quoted(&stage_name),
            date(created),
            date(changed)
        );
        for f in &fields {
            let value = match &model.field(*f).ty {
                _ if quirk(&mut rng, 1) => "not a value".to_string(),
                FieldType::Bool => {
                    ["true", "false", "yes", "0", "No"][rng.below(5) as usize].into()
                }
                FieldType::Number | FieldType::Currency => (rng.below(120_000)).to_string(),
                FieldType::Percent => {
                    let p = rng.below(400) as f64 / 10.0;
                    if rng.chance(50) {
                        format!("{p}%")
                    } else {
                        p.to_string()
                    }
                }
                FieldType::Choice(options) => {
                    let i = rng.below(options.len() as u64 + 1) as usize;
                    options.get(i).cloned().unwrap_or_else(|| "Other".into())
                }
                FieldType::Text => format!("note {}", rng.below(100)),
                FieldType::Date => date(created + 86_400),
            };
            row.push(',');
            row.push_str(&quoted(&cell(&mut rng, value)));
        }
        writeln!(out, "{row}")?;
        if quirk(&mut rng, 2) {
            writeln!(out, "{row}")?;
        }
    }
    Ok(())
}

/// A CSV cell, quoted when it holds a comma, a quote or a line break.
fn quoted(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}
