use crate::diag::Diagnostic;
use crate::emit::sql::{MAX_CONDITION, MAX_DEPTH};
use crate::rule::{Level, Rule, RuleInfo};
use crate::source::Loc;
use crate::value::group_thousands;

pub const INFO: RuleInfo = RuleInfo {
    name: "sql-condition-limit",
    default: Level::Warning,
    summary: "an exit too large for the warehouse SQL once its criteria are spelt out (over 20,000 characters or 25 levels of parentheses), when the build writes the audit as SQL",
    explanation: "\
The warehouse SQL checks `exit-not-met` by writing each exit as one SQL expression. SQL has no
names for conditions, so every criteria the exit uses is spelt out in full: criteria that use
a criteria twice double in length with each level, and a long chain of criteria nests as
deep as it is long. Warehouses limit both, so past 20,000 characters or 25 levels of
parentheses the SQL leaves that exit out: the views report no `exit-not-met` for the stage,
while `salespath audit` still does. Use fewer levels of criteria that use criteria. It only
concerns builds that write the `sql` or `dbt` output.",
    example: crate::rule_fixtures!("sql-condition-limit"),
};

/// The exit of stage `stage` would be longer than the SQL of one condition may be.
pub fn diagnostic(loc: Loc, stage: &str) -> Diagnostic {
    Diagnostic::new(
        Rule::SqlConditionLimit,
        loc,
        format!(
            "the exit of stage `{stage}` is too large for SQL once its criteria are spelt out (over {} characters or {MAX_DEPTH} levels of parentheses): the warehouse SQL does not check it",
            group_thousands(MAX_CONDITION as f64)
        ),
    )
    .label("too large for SQL")
    .help("use fewer levels of criteria that use criteria; `salespath audit` still checks this exit")
}
