use super::Context;
use crate::diag::Diagnostic;
use crate::rule::{Level, Rule, RuleInfo};

pub const INFO: RuleInfo = RuleInfo {
    name: "missing-probability",
    default: Level::Warning,
    summary: "an open stage without a probability",
    explanation: "\
The weighted pipeline and the forecast multiply each deal's amount by its stage's probability.
An open stage without one counts as nothing in the forecast, and CRMs that require a
probability per stage will not accept the generated configuration as intended.",
    example: crate::rule_fixtures!("missing-probability"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for process in &cx.model.processes {
        for stage in process
            .stages
            .iter()
            .filter(|s| s.is_open() && s.probability.is_none())
        {
            out.push(
                Diagnostic::new(
                    Rule::MissingProbability,
                    stage.loc,
                    format!("stage `{}` has no probability", stage.id),
                )
                .label("no `probability:`")
                .help("add `probability: NN%`: the chance of winning a deal that is in this stage"),
            );
        }
    }
}
