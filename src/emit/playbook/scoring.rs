//! Lead scoring in words: what earns and loses points, the threshold, and a worked example.

use super::Ref;
use crate::emit::english;
use crate::model::{format_number, Model, Scoring};

#[derive(Clone, Debug)]
pub struct ScoringSection {
    pub scoring: Ref,
    /// (points with their sign, condition in words), in the file's order.
    pub rules: Vec<(String, String)>,
    pub threshold: String,
    /// The rules the example lead meets, then the sentence that adds them up.
    pub example: Vec<(String, String)>,
    pub example_result: String,
}

pub fn section(model: &Model, scoring: &Scoring) -> ScoringSection {
    let rules: Vec<(String, String)> = scoring
        .rules
        .iter()
        .map(|r| (signed(r.points), english::condition(model, &r.when)))
        .collect();
    let (example, example_result) = example(model, scoring);
    ScoringSection {
        scoring: Ref {
            label: scoring.label.clone(),
            anchor: format!("scoring-{}", scoring.id),
        },
        rules,
        threshold: format_number(scoring.threshold),
        example,
        example_result,
    }
}

fn signed(points: f64) -> String {
    if points < 0.0 {
        format!("−{}", format_number(-points))
    } else {
        format!("+{}", format_number(points))
    }
}

/// A lead that meets the positive rules in order, stopping as soon as it reaches the
/// threshold: the smallest example "from the top" that shows how a lead qualifies.
fn example(model: &Model, scoring: &Scoring) -> (Vec<(String, String)>, String) {
    let mut met = Vec::new();
    let mut parts = Vec::new();
    let mut total = 0.0;
    for rule in scoring.rules.iter().filter(|r| r.points > 0.0) {
        if total >= scoring.threshold && !met.is_empty() {
            break;
        }
        total += rule.points;
        parts.push(format_number(rule.points));
        met.push((signed(rule.points), english::condition(model, &rule.when)));
    }
    if met.is_empty() {
        return (
            met,
            "No rule adds points, so no lead reaches the threshold.".into(),
        );
    }
    let sum = if parts.len() == 1 {
        format!("{} points", parts[0])
    } else {
        format!("{} = {} points", parts.join(" + "), format_number(total))
    };
    let verdict = if total >= scoring.threshold {
        format!(
            "that is at least the threshold of {}, so the lead qualifies",
            format_number(scoring.threshold)
        )
    } else {
        format!(
            "that is below the threshold of {}, so the lead does not qualify yet",
            format_number(scoring.threshold)
        )
    };
    (
        met,
        format!("A lead that meets only these rules scores {sum}: {verdict}."),
    )
}
