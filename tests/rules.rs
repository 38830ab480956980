//! One fixture folder per rule: `bad.sales` fires exactly that rule, `good.sales` nothing.
//! The human and JSON reports of each bad file are pinned as snapshots.

mod common;

use salespath::check::rules::{self, RULES};
use salespath::config::Config;
use salespath::diag::{render_human, render_json, Diagnostic, HumanOptions};
use salespath::load::{check_input, Checked, Input, Options};
use salespath::source::SourceMap;
use std::path::{Path, PathBuf};

fn fixture_dir(rule: &str) -> PathBuf {
    PathBuf::from("tests/fixtures/rules").join(rule)
}

fn check_fixture(rule: &str, file: &str) -> Checked {
    let dir = fixture_dir(rule);
    let config = Config::discover(&common::root().join(&dir)).expect("fixture config");
    check_input(&Input::Path(dir.join(file)), &config, &Options::default()).expect("fixture")
}

fn pairs(checked: &Checked) -> Vec<(&Diagnostic, &SourceMap)> {
    checked
        .diagnostics
        .iter()
        .map(|d| (d, &checked.sources))
        .collect()
}

#[test]
fn every_bad_fixture_fires_exactly_its_rule() {
    for rule in RULES {
        let checked = check_fixture(rule.name, "bad.sales");
        let fired: Vec<&str> = checked.diagnostics.iter().map(|d| d.rule).collect();
        assert_eq!(fired, vec![rule.name], "bad.sales of `{}`", rule.name);
        let d = &checked.diagnostics[0];
        assert!(!d.help.is_empty(), "`{}` gives help", rule.name);
        assert!(
            !d.message.ends_with('.'),
            "`{}`: messages have no final full stop",
            rule.name
        );
    }
}

#[test]
fn every_good_fixture_is_clean() {
    for rule in RULES {
        let checked = check_fixture(rule.name, "good.sales");
        assert!(
            checked.diagnostics.is_empty(),
            "good.sales of `{}` fires {:?}",
            rule.name,
            checked
                .diagnostics
                .iter()
                .map(|d| d.rule)
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn bad_fixture_reports_match_snapshots() {
    for rule in RULES {
        let checked = check_fixture(rule.name, "bad.sales");
        let human = render_human(
            &pairs(&checked),
            HumanOptions {
                color: false,
                width: 100,
            },
        );
        let json = render_json(&pairs(&checked));
        insta::assert_snapshot!(format!("{}-human", rule.name), human);
        insta::assert_snapshot!(format!("{}-json", rule.name), json);
    }
}

#[test]
fn every_rule_has_a_source_file_docs_and_fixtures() {
    let language = std::fs::read_to_string(common::root().join("docs/language.md")).unwrap();
    for rule in RULES {
        let snake = rule.name.replace('-', "_");
        assert!(
            common::root()
                .join(format!("src/check/rules/{snake}.rs"))
                .exists(),
            "src/check/rules/{snake}.rs"
        );
        assert!(rule
            .name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '-'));
        assert!(fixture_dir(rule.name).join("bad.sales").exists());
        assert!(fixture_dir(rule.name).join("good.sales").exists());
        assert!(
            rule.explanation.len() > 100,
            "`{}` explains itself",
            rule.name
        );
        assert!(
            language.contains(&format!("rules/{}.md", rule.name)),
            "docs/language.md links the page of `{}`",
            rule.name
        );
        common::assert_golden_at(
            &Path::new("docs/rules").join(format!("{}.md", rule.name)),
            rules::explain_text(rule).as_bytes(),
        );
    }
}

#[test]
fn the_rule_table_matches_the_language_reference() {
    let expected = [
        ("syntax", Some("error")),
        ("duplicate-definition", Some("error")),
        ("unknown-reference", Some("error")),
        ("type-mismatch", Some("error")),
        ("invalid-probability", Some("error")),
        ("no-stages", Some("error")),
        ("no-won-stage", Some("error")),
        ("terminal-has-next", Some("error")),
        ("unreachable-stage", Some("error")),
        ("dead-end", Some("error")),
        ("probability-order", Some("warning")),
        ("field-not-collected", Some("warning")),
        ("stale-before-expected", Some("warning")),
        ("self-transition", Some("warning")),
        ("no-lost-stage", Some("warning")),
        ("unused-definition", Some("warning")),
        ("missing-probability", Some("warning")),
        ("missing-objective", None),
        ("missing-owner", None),
        ("import-not-found", Some("error")),
        ("import-cycle", Some("error")),
        ("extends-cycle", Some("error")),
        ("unreachable-threshold", Some("error")),
    ];
    let actual: Vec<(&str, Option<&str>)> = RULES
        .iter()
        .map(|r| (r.name, r.default.map(|s| s.as_str())))
        .collect();
    assert_eq!(actual, expected);
}
