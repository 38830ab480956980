use crate::rule::{Example, Level, RuleInfo};

pub const INFO: RuleInfo = RuleInfo {
    name: "probability-mismatch",
    default: Level::Warning,
    summary: "history rows whose recorded probability differs from the stage's",
    explanation: "\
The weighted pipeline and the forecast use each stage's probability. When reps overwrite it in
the CRM, or the CRM's stage settings drifted from the process, the two forecasts disagree and
nobody knows which one to trust.",
    example: Example::Data(
        "\
stage discovery { probability: 15% }

deal,stage,at,probability
D-1,Discovery,2023-02-01,20   <- the CRM recorded 20, the process says 15
",
    ),
};
