use crate::rule::{Example, Level, RuleInfo};

pub const INFO: RuleInfo = RuleInfo {
    name: "unknown-stage",
    default: Level::Error,
    summary: "a stage name in the data that matches no stage of the process (with the closest stage name)",
    explanation: "\
A stage the process does not know means the CRM and the process file disagree: the CRM has a
stage nobody wrote down, or the process was renamed and the CRM was not. Its rows are left out,
so the funnel is missing those deals until the name is matched: add it to the process, or map it
in `salespath.yaml` under `data.stages`.",
    example: Example::Data("\
deal,stage,at
D-1,Discovery,2023-02-07
D-1,Tech Validation,2023-02-20   <- no such stage (did you mean `Technical Validation`?)

# salespath.yaml
data:
  stages: {\"Tech Validation\": technical_validation}
"),
};
