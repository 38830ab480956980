use crate::rule::{Example, Level, RuleInfo};

pub const INFO: RuleInfo = RuleInfo {
    name: "illegal-move",
    default: Level::Warning,
    summary: "a move between consecutive stages that the stage's `next:` does not allow: a skip, a move back or a reopened deal",
    explanation: "\
The process says where a deal may go from each stage. A move it does not allow skipped stages
(and whatever they check), went back (the deal was not as far along as it looked) or reopened a
closed deal (the win or the loss was recorded too early). One finding counts all such moves
between the same two stages.",
    example: Example::Data("\
deal,stage,at
D-1,Discovery,2023-02-01
D-1,Procurement,2023-02-10    <- skipped `technical_validation` and `business_case`
D-2,Closed Lost,2023-03-01
D-2,Discovery,2023-03-20      <- reopened a closed deal
"),
};
