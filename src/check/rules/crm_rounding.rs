use crate::diag::Diagnostic;
use crate::model::Stage;
use crate::rule::{Level, Rule, RuleInfo};
use crate::value::percent;

pub const INFO: RuleInfo = RuleInfo {
    name: "crm-rounding",
    default: Level::Warning,
    summary: "a stage probability a CRM that the build writes for cannot hold exactly",
    explanation: "\
HubSpot stores a stage's probability in steps of 10% and Pipedrive in whole percents. A
probability such as 15% is rounded when the pipeline is created, so the forecast in the CRM
differs from the process file without anyone noticing. The warning names the CRM and every
stage it rounds, once per process; a variant's inherited stages are reported with its base
when both are built. It only concerns the CRMs the build writes for (`build.emit` in
`salespath.yaml`, or all of them by default); turn it off when the rounding is intended.",
    example: crate::rule_fixtures!("crm-rounding"),
};

/// A stage whose probability a CRM cannot store as written, both in percent.
pub struct Rounded<'a> {
    pub stage: &'a Stage,
    pub written: f64,
    pub stored: f64,
}

/// How many rounded stages the message names; the others are counted.
const NAMED: usize = 6;

/// One warning for every probability of `process` that `crm` (which stores probabilities in
/// `step`) rounds, at the first of them; `None` when there is none.
pub fn diagnostic(
    crm: &str,
    step: &str,
    process: &str,
    rounded: &[Rounded<'_>],
) -> Option<Diagnostic> {
    let first = rounded.first()?;
    let change = |r: &Rounded<'_>| {
        format!(
            "`{}` {} becomes {}",
            r.stage.id,
            percent(r.written),
            percent(r.stored)
        )
    };
    let mut changes: Vec<String> = rounded.iter().take(NAMED).map(change).collect();
    if rounded.len() > NAMED {
        changes.push(format!("{} more", rounded.len() - NAMED));
    }
    let message = format!(
        "{crm} only takes probabilities in {step}: in process `{process}`, {}",
        join(&changes)
    );
    let label = if rounded.len() == 1 {
        format!("{crm} stores {}", percent(first.stored))
    } else {
        format!("the first of {} probabilities {crm} rounds", rounded.len())
    };
    Some(
        Diagnostic::new(Rule::CrmRounding, at(first.stage), message)
            .label(label)
            .help(format!(
                "write probabilities {crm} can store to keep the process file and the CRM in step"
            )),
    )
}

/// "a, b and c".
fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Where the probability is written, or the stage when it has none of its own.
fn at(stage: &Stage) -> crate::source::Loc {
    stage.locs.probability.unwrap_or(stage.loc)
}
