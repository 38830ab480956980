use crate::rule::{Example, Level, RuleInfo};

pub const INFO: RuleInfo = RuleInfo {
    name: "bad-row",
    default: Level::Error,
    summary: "a row that cannot be used: no deal id, an unparseable date or amount, bytes invalid in the encoding",
    explanation: "\
A report built on rows it silently skipped would look complete and be wrong. Every row that
cannot be read is left out, counted under `rows.left_out`, and listed here with its line, so the
export can be fixed at its source (or the mapping, the date format or the encoding corrected).",
    example: Example::Data("\
deal,stage,at,amount
D-1,Discovery,2023-02-07,12000
,Discovery,2023-02-08,5000        <- no deal id
D-2,Discovery,07.02.2023,5000     <- a date in no known form (set `data.date_format`)
D-3,Discovery,2023-02-09,12k      <- an amount that is not a number
"),
};
