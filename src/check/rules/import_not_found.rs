use crate::diag::Diagnostic;
use crate::rule::{Level, Rule, RuleInfo};
use crate::source::Loc;

pub const INFO: RuleInfo = RuleInfo {
    name: "import-not-found",
    default: Level::Error,
    summary: "an `import` whose file does not exist",
    explanation: "\
`import \"path.sales\"` makes the declarations of another file available; the path is relative
to the importing file. When that file does not exist (or lies outside the folder tree of the
checked file without `--allow-outside`), nothing it declares is available, and the names the
file relies on would all be unknown. Only the import is reported.",
    example: crate::rule_fixtures!("import-not-found"),
};

pub fn diagnostic(path: &str, loc: Loc, why: &str, help: String) -> Diagnostic {
    Diagnostic::new(
        Rule::ImportNotFound,
        loc,
        format!("cannot import `{path}`: {why}"),
    )
    .label("imported here")
    .help(help)
}
