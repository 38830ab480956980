use crate::rule::{Example, Level, RuleInfo};

pub const INFO: RuleInfo = RuleInfo {
    name: "missing-required",
    default: Level::Warning,
    summary:
        "deals now in a stage whose deals-file row has no value for a field the stage requires",
    explanation: "\
A stage's required fields (its own `requires:` if it is terminal, and those of every stage that
must come before it) are what the process needs to know by then. A deal in the stage without
them is further along on paper than in fact, and forecasts and hand-overs built on it are weak.",
    example: Example::Data(
        "\
stage discovery { requires: pain }
stage business_case { ... }

deal,stage,pain
D-1,Business Case,           <- `pain` is required by `business_case` but not set
",
    ),
};
