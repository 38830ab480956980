use crate::rule::{Example, Level, RuleInfo};

pub const INFO: RuleInfo = RuleInfo {
    name: "stale-deal",
    default: Level::Warning,
    summary: "open deals that have been in their stage longer than its `stale_after`",
    explanation: "\
A deal that sits in a stage far longer than the process allows is rarely still alive: it
inflates the pipeline and the forecast. Each stalled deal should be moved on, closed or given a
next step. The time is measured up to `--as-of` (by default the latest date in the data).",
    example: Example::Data(
        "\
stage discovery { stale_after: 21d }

deal,stage,at
D-1,Discovery,2023-01-02      <- still in discovery on 2023-03-01: 58 days
",
    ),
};
