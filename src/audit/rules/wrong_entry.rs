use crate::rule::{Example, Level, RuleInfo};

pub const INFO: RuleInfo = RuleInfo {
    name: "wrong-entry",
    default: Level::Warning,
    summary: "deals whose first stage in the history is not the process's first stage",
    explanation: "\
Every deal should enter the process at its first stage, where it is qualified. Deals created
straight into a later stage skip that qualification, inflate the later stages' conversion and
make the early stages look worse than they are. Often they come from an import or a rep who
creates deals late.",
    example: Example::Data(
        "\
deal,stage,at
D-1,Lead Review,2023-02-01
D-1,Discovery,2023-02-03
D-2,Business Case,2023-02-05   <- D-2 entered at `business_case`, not `lead_review`
",
    ),
};
