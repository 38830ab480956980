use super::{sound_processes, valid_probability, Context};
use crate::diag::Diagnostic;
use crate::rule::{Level, Rule, RuleInfo};
use crate::value::percent;

pub const INFO: RuleInfo = RuleInfo {
    name: "probability-order",
    default: Level::Warning,
    summary: "a probability that drops along a forward transition to a stage that is not lost",
    explanation: "\
Moving a deal forward means it is closer to a win, so the chance of winning should not fall.
When a forward move lowers the probability, the weighted pipeline shrinks as deals progress,
which confuses forecasts; usually two probabilities are swapped or a stage is out of order.
Moves back to an earlier stage and moves to a lost stage may lower it.",
    example: crate::rule_fixtures!("probability-order"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for process in sound_processes(cx) {
        for (i, stage) in process.stages.iter().enumerate() {
            let Some(from) = valid_probability(stage.probability) else {
                continue;
            };
            for transition in &stage.next {
                let target = process.stage(transition.to);
                if transition.to.0 <= i || target.is_lost() {
                    continue;
                }
                let Some(to) = valid_probability(target.probability) else {
                    continue;
                };
                if to < from {
                    out.push(
                        Diagnostic::new(
                            Rule::ProbabilityOrder,
                            transition.loc,
                            format!(
                                "moving forward from `{}` ({}) to `{}` ({}) lowers the probability",
                                stage.id,
                                percent(from),
                                target.id,
                                percent(to)
                            ),
                        )
                        .label("probability drops here")
                        .help(format!(
                            "give `{}` a probability of at least {}, or check the order of the stages",
                            target.id,
                            percent(from)
                        )),
                    );
                }
            }
        }
    }
}
