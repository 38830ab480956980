use crate::rule::{Example, Level, RuleInfo};

pub const INFO: RuleInfo = RuleInfo {
    name: "exit-not-met",
    default: Level::Warning,
    summary:
        "deals that moved forward from a stage while its `exit:` is false on their field values",
    explanation: "\
A stage's `exit:` is the qualification a deal must meet before it moves on. Deals that moved on
anyway were advanced on hope, and they are the ones that slip or are lost late. The condition is
evaluated on the deal's current values in the deals file; a field with no column leaves it
unknown, and nothing is reported for it.",
    example: Example::Data(
        "\
stage lead_review { exit: fleet_size >= 50 }

history: D-1 went from Lead Review to Discovery
deals:   deal,stage,fleet_size
         D-1,Discovery,20       <- moved on with `fleet_size >= 50` false
",
    ),
};
