use super::Context;
use crate::diag::Diagnostic;
use crate::model::Outcome;
use crate::rule::{Level, Rule, RuleInfo};
use crate::value::percent;

pub const INFO: RuleInfo = RuleInfo {
    name: "invalid-probability",
    default: Level::Error,
    summary: "a probability outside 0%..100%, a won stage not at 100%, or a lost stage not at 0%",
    explanation: "\
A stage's probability is the chance of winning a deal that is in it, so it lies between 0% and
100%. A won deal is certain (100%) and a lost one is gone (0%); anything else would distort
the weighted pipeline and the forecast the CRM computes from it. Won and lost stages get 100%
and 0% by default, so they need no probability at all.",
    example: crate::rule_fixtures!("invalid-probability"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for process in &cx.model.processes {
        for stage in &process.stages {
            let (Some(p), Some(loc)) = (stage.probability, stage.locs.probability) else {
                continue;
            };
            let shown = percent(p);
            let diagnostic = if !(0.0..=100.0).contains(&p) {
                Diagnostic::new(
                    Rule::InvalidProbability,
                    loc,
                    format!(
                        "`{}` has a probability of {shown}, outside 0% to 100%",
                        stage.id
                    ),
                )
                .label("out of range")
                .help("a probability is between 0% and 100%")
            } else if stage.outcome == Some(Outcome::Won) && p != 100.0 {
                Diagnostic::new(
                    Rule::InvalidProbability,
                    loc,
                    format!(
                        "won stage `{}` has a probability of {shown}, not 100%",
                        stage.id
                    ),
                )
                .label("a won deal is certain")
                .help("write `probability: 100%`, or leave it out: won stages default to 100%")
            } else if stage.outcome == Some(Outcome::Lost) && p != 0.0 {
                Diagnostic::new(
                    Rule::InvalidProbability,
                    loc,
                    format!(
                        "lost stage `{}` has a probability of {shown}, not 0%",
                        stage.id
                    ),
                )
                .label("a lost deal cannot be won")
                .help("write `probability: 0%`, or leave it out: lost stages default to 0%")
            } else {
                continue;
            };
            out.push(diagnostic);
        }
    }
}
