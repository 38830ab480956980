//! The wording of each finding, written once everything is counted. Style: lowercase, names
//! in backticks, no final full stop.

use super::findings::{RuleId, Subject, SubjectValue, Tally};
use super::report::{Example, Finding};
use crate::model::{format_number, Model, Process};

pub fn finding(
    subject: &Subject,
    tally: &Tally,
    model: &Model,
    process: &Process,
    severity: &'static str,
) -> Finding {
    let stage_id = |i: u16| process.stages[usize::from(i)].id.clone();
    let field_id = |i: usize| model.fields[i].id.clone();
    let n = tally.count;
    let stage = subject.stage.map(stage_id);
    let to = subject.to.map(stage_id);
    let field = subject.field.map(field_id);
    let value = subject.value.as_ref().map(|v| match v {
        SubjectValue::Text(t) => serde_json::Value::from(t.clone()),
        SubjectValue::Percent(p) => serde_json::Value::from(f64::from(*p) / 100.0),
    });
    let s = stage.clone().unwrap_or_default();
    let message = match subject.rule {
        RuleId::BadRow => {
            let reasons: Vec<String> = tally
                .reasons
                .iter()
                .map(|(reason, k)| format!("{reason} ({k})"))
                .collect();
            format!("{} left out: {}", plural(n, "row"), reasons.join(", "))
        }
        RuleId::UnknownStage => {
            let name = match &subject.value {
                Some(SubjectValue::Text(t)) => t.as_str(),
                _ => "",
            };
            let names = process
                .stages
                .iter()
                .flat_map(|s| [s.id.as_str(), s.label.as_str()]);
            let hint = match crate::diag::closest(name, names) {
                Some(best) => format!("; did you mean `{best}`?"),
                None => "; map it to a stage under `data.stages`".to_string(),
            };
            format!(
                "`{name}` is not a stage of `{}` ({} left out){hint}",
                process.id,
                plural(n, "row")
            )
        }
        RuleId::WrongEntry => format!(
            "{} entered the process at `{s}`, not at its first stage `{}`",
            plural(n, "deal"),
            process.stages.first().map_or("", |s| s.id.as_str())
        ),
        RuleId::IllegalMove => {
            let t = to.clone().unwrap_or_default();
            let how = move_kind(process, subject.stage.unwrap_or(0), subject.to.unwrap_or(0));
            format!(
                "{} from `{s}` to `{t}`, which `{s}` does not lead to: {how}",
                plural(n, "move")
            )
        }
        RuleId::StaleDeal => {
            let after = subject
                .stage
                .and_then(|i| process.stages[usize::from(i)].stale_after)
                .map_or_else(String::new, |d| d.human());
            format!(
                "{} open in `{s}` for longer than its `stale_after` of {after}",
                plural(n, "deal")
            )
        }
        RuleId::MissingRequired => format!(
            "{} in `{s}` without a value for `{}`, which is required there",
            plural(n, "deal"),
            field.clone().unwrap_or_default()
        ),
        RuleId::ExitNotMet => format!(
            "{} moved forward from `{s}` while its `exit:` is false on their values",
            plural(n, "deal")
        ),
        RuleId::ProbabilityMismatch => {
            let recorded = match &subject.value {
                Some(SubjectValue::Percent(p)) => format_number(f64::from(*p) / 100.0),
                _ => String::new(),
            };
            let expected = subject
                .stage
                .and_then(|i| process.stages[usize::from(i)].probability)
                .map_or_else(String::new, format_number);
            format!(
                "{} of `{s}` recorded a probability of {recorded}%, not the stage's {expected}%",
                plural(n, "history row")
            )
        }
        RuleId::FieldNotInData => format!(
            "no column of the deals file holds `{}`, which the process reads; it was not checked",
            field.clone().unwrap_or_default()
        ),
    };
    Finding {
        rule: subject.rule.rule().name,
        severity,
        count: n,
        message,
        stage,
        to,
        field,
        value,
        examples: tally
            .examples
            .iter()
            .map(|e| Example {
                deal: e.deal.clone(),
                line: e.line,
                file: e.file.name(),
                reason: e.reason,
            })
            .collect(),
    }
}

/// Whether a move the process does not allow skipped stages (which), went back, or reopened a
/// closed deal.
fn move_kind(process: &Process, from: u16, to: u16) -> String {
    let stages = &process.stages;
    let (f, t) = (usize::from(from), usize::from(to));
    if !stages[f].is_open() {
        return "it reopened a closed deal".into();
    }
    if stages[t].is_open() && t < f {
        return "it went back".into();
    }
    if stages[t].is_lost() {
        return "it was lost from a stage that does not lead to this lost stage".into();
    }
    let end = if stages[t].is_won() { stages.len() } else { t };
    let skipped: Vec<String> = stages[f + 1..end]
        .iter()
        .filter(|s| s.is_open())
        .map(|s| format!("`{}`", s.id))
        .collect();
    if skipped.is_empty() {
        "it jumped to a stage that is not in `next:`".into()
    } else {
        format!("it skipped {}", skipped.join(", "))
    }
}

pub fn plural(n: u64, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
