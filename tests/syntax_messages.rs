//! What the front end says about input it cannot read: each message names the mistake, its
//! place and the fix, and a file with several mistakes reports each of them once.

mod common;

use std::path::PathBuf;

/// A diagnostic as a user reads it: rule, message, line, column, help.
#[derive(Debug, PartialEq)]
struct Seen {
    rule: String,
    message: String,
    line: usize,
    column: usize,
    help: String,
}

fn fixture(name: &str) -> PathBuf {
    common::root().join("tests/fixtures/syntax").join(name)
}

fn seen(name: &str) -> Vec<Seen> {
    let checked = common::check(&fixture(name));
    checked
        .diagnostics
        .iter()
        .map(|d| {
            let at = checked.sources.get(d.loc.file).line_col(d.loc.span.start);
            Seen {
                rule: d.rule.to_string(),
                message: d.message.clone(),
                line: at.line,
                column: at.column,
                help: d.help.clone(),
            }
        })
        .collect()
}

fn syntax(message: &str, line: usize, column: usize, help: &str) -> Seen {
    Seen {
        rule: "syntax".into(),
        message: message.into(),
        line,
        column,
        help: help.into(),
    }
}

#[test]
fn a_byte_order_mark_is_skipped() {
    assert_eq!(seen("bom.sales"), []);
}

#[test]
fn columns_after_a_byte_order_mark_count_what_editors_show() {
    let found = seen("bom_error.sales");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].line, found[0].column), (1, 6));
    assert_eq!(found[0].help, "write `ae`");
}

#[test]
fn a_missing_colon_is_named() {
    assert_eq!(
        seen("missing_colon.sales"),
        [syntax(
            "expected `:` after `owner`",
            5,
            5,
            "write `owner: ae`"
        )]
    );
}

#[test]
fn an_unclosed_block_is_named_with_its_opening_brace() {
    assert_eq!(
        seen("unclosed_stage.sales"),
        [syntax(
            "`stage demo` is not closed: `}` expected",
            8,
            3,
            "add `}` where `stage demo` ends"
        )]
    );
    let checked = common::check(&fixture("unclosed_stage.sales"));
    let related = &checked.diagnostics[0].related;
    assert_eq!(related.len(), 1);
    let brace = checked.sources.get(related[0].loc.file);
    let at = brace.line_col(related[0].loc.span.start);
    assert_eq!((at.line, at.column), (4, 14));
    assert_eq!(related[0].message, "`stage demo` opens here");
}

#[test]
fn a_block_still_open_at_the_end_of_the_file_is_named() {
    assert_eq!(
        seen("unclosed_at_end.sales"),
        [syntax(
            "`process p` is not closed: `}` expected",
            8,
            1,
            "add `}` where `process p` ends"
        )]
    );
}

#[test]
fn single_quotes_ask_for_double_quotes() {
    assert_eq!(
        seen("single_quotes.sales"),
        [syntax(
            "text is written in double quotes, found `'roles.sales'`",
            1,
            8,
            "use double quotes: `\"roles.sales\"`"
        )]
    );
}

#[test]
fn a_name_outside_ascii_snake_case_gets_one_that_is() {
    assert_eq!(
        seen("accented_name.sales"),
        [syntax(
            "`démo` is not a valid name: names are ASCII snake_case (`a`-`z`, `0`-`9` and `_`, starting with a letter)",
            2,
            9,
            "write `demo`"
        )]
    );
}

#[test]
fn a_fraction_as_probability_suggests_a_percentage() {
    assert_eq!(
        seen("fraction_probability.sales"),
        [syntax(
            "expected a percentage such as `30%`, found `0.6`",
            3,
            18,
            "write the probability as a percentage: `60%`"
        )]
    );
}

#[test]
fn every_mistake_is_reported_once() {
    let name_help = "write `discovery`";
    assert_eq!(
        seen("several_mistakes.sales"),
        [
            syntax("expected `:` after `owner`", 6, 5, "write `owner: ae`"),
            syntax(
                "expected a percentage such as `30%`, found `0.5`",
                10,
                18,
                "write the probability as a percentage: `50%`"
            ),
            syntax(
                "`stage three` is not closed: `}` expected",
                16,
                3,
                "add `}` where `stage three` ends"
            ),
            syntax(
                "`Discovery` is not a valid name: names are ASCII snake_case (`a`-`z`, `0`-`9` and `_`, starting with a letter)",
                21,
                9,
                name_help
            ),
            syntax(
                "text is written in double quotes, found `'Budget'`",
                24,
                14,
                "use double quotes: `\"Budget\"`"
            ),
        ]
    );
}

#[test]
fn a_missing_import_names_the_path_it_tried_and_the_nearest_file() {
    let found = seen("import_typo/main.sales");
    assert_eq!(found.len(), 1, "{found:?}");
    let d = &found[0];
    assert_eq!(
        (d.rule.as_str(), d.line, d.column),
        ("import-not-found", 1, 8)
    );
    let tried = fixture("import_typo/comon.sales");
    assert!(
        d.message
            .ends_with(&format!("there is no file `{}`", tried.display())),
        "{}",
        d.message
    );
    assert_eq!(d.help, "did you mean `common.sales`?");
}

#[test]
fn a_missing_import_in_the_current_folder_names_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.sales"), "import \"nothing.sales\"\n").unwrap();
    let output = common::salespath()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "main.sales"])
        .output()
        .unwrap();
    let report: salespath::diag::JsonReport = serde_json::from_slice(&output.stdout).unwrap();
    let d = &report.diagnostics[0];
    assert_eq!(
        d.message,
        "cannot import `nothing.sales`: there is no file `nothing.sales`"
    );
    assert_eq!(
        d.help,
        "check the path: it is relative to the folder of this file (`.`)"
    );
}
