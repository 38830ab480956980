use crate::diag::Diagnostic;
use crate::emit::sql::MAX_CONDITION;
use crate::rule::{Level, Rule, RuleInfo};
use crate::source::Loc;
use crate::value::group_thousands;

pub const INFO: RuleInfo = RuleInfo {
    name: "sql-condition-limit",
    default: Level::Error,
    summary: "an exit whose SQL would pass 1,000,000 characters once its criteria are spelt out, when the build writes the audit as SQL",
    explanation: "\
The warehouse SQL checks `exit-not-met` by writing each exit as one SQL expression. SQL has no
names for conditions, so every criteria the exit uses is spelt out in full, and criteria that
use a criteria twice double in length with each level. The build measures each exit before
writing it; past 1,000,000 characters no warehouse would accept the query, so the stage is
reported instead. Use fewer levels of criteria that use a criteria twice. It only concerns
builds that write the `sql` or `dbt` output.",
    example: crate::rule_fixtures!("sql-condition-limit"),
};

/// The exit of stage `stage` would be longer than the SQL of one condition may be.
pub fn diagnostic(loc: Loc, stage: &str) -> Diagnostic {
    Diagnostic::new(
        Rule::SqlConditionLimit,
        loc,
        format!(
            "the exit of stage `{stage}` makes SQL of more than {} characters once its criteria are spelt out",
            group_thousands(MAX_CONDITION as f64)
        ),
    )
    .label("too long for SQL")
    .help("criteria that use a criteria twice double at every level: use fewer such levels")
}
