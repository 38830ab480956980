use super::Context;
use crate::diag::Diagnostic;
use crate::model::format_number;
use crate::rule::{Level, Rule, RuleInfo};

pub const INFO: RuleInfo = RuleInfo {
    name: "unreachable-threshold",
    default: Level::Error,
    summary: "a scoring whose positive points together cannot reach its threshold",
    explanation: "\
A lead scoring adds points for each condition a lead meets and qualifies the lead at the
threshold. If even a lead that meets every positive condition stays below it, no lead ever
qualifies and the scoring silently blocks the whole funnel.",
    example: crate::rule_fixtures!("unreachable-threshold"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for scoring in cx.model.scorings.iter().filter(|s| !s.incomplete) {
        let best: f64 = scoring.rules.iter().map(|r| r.points.max(0.0)).sum();
        if best < scoring.threshold {
            out.push(
                Diagnostic::new(
                    Rule::UnreachableThreshold,
                    scoring.threshold_loc,
                    format!(
                        "scoring `{}` can give at most {} points, below its threshold of {}",
                        scoring.id,
                        format_number(best),
                        format_number(scoring.threshold)
                    ),
                )
                .label("never reached")
                .help(format!(
                    "lower the threshold to {} or less, or add points for more conditions",
                    format_number(best)
                )),
            );
        }
    }
}
