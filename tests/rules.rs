//! One fixture folder per rule: `bad.sales` fires exactly that rule, `good.sales` nothing
//! (for an audit rule: its bad deal data gives exactly that finding, its good data none).
//! The human and JSON reports of each bad file are pinned as snapshots. The registry line of
//! each rule generates its own tests (`cargo test --test rules dead_end`).

mod common;

use salespath::audit;
use salespath::config::Config;
use salespath::diag::{render_human, render_json, Diagnostic, HumanOptions};
use salespath::emit;
use salespath::rule::{Phase, Rule};
use salespath::session::{check_one, Checked, Input, Options};
use salespath::source::SourceMap;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn fixture_dir(rule: Rule) -> PathBuf {
    PathBuf::from("tests/fixtures/rules").join(rule.name())
}

/// A fixture checked with the `salespath.yaml` of its folder; for the rules of phase
/// `backend`, also built in memory for the outputs that configuration enables.
fn check_fixture(rule: Rule, file: &str) -> Checked {
    let dir = fixture_dir(rule);
    let config = Config::discover(&common::root().join(&dir)).expect("fixture config");
    let mut checked =
        check_one(&Input::Path(dir.join(file)), &config, &Options::default()).expect("fixture");
    if rule.phase() == Phase::Backend && checked.diagnostics.is_empty() {
        let found = backend_findings(&checked, &config);
        checked.diagnostics = found;
    }
    checked
}

fn backend_findings(checked: &Checked, config: &Config) -> Vec<Diagnostic> {
    let mut project = common::project(checked);
    project.org_stages = config.salesforce.org_stages.as_ref();
    let mut found: Vec<Diagnostic> = Vec::new();
    for diagnostic in emit::enabled(config)
        .into_iter()
        .flat_map(|backend| emit::findings(backend, &project))
    {
        if !found.contains(&diagnostic) {
            found.push(diagnostic);
        }
    }
    config.apply(found)
}

fn pairs(checked: &Checked) -> Vec<(&Diagnostic, &SourceMap)> {
    checked
        .diagnostics
        .iter()
        .map(|d| (d, &*checked.sources))
        .collect()
}

fn bad_fires_exactly_its_rule(rule: Rule) {
    let checked = check_fixture(rule, "bad.sales");
    let fired: Vec<Rule> = checked.diagnostics.iter().map(|d| d.rule).collect();
    assert_eq!(fired, vec![rule], "bad.sales of `{rule}`");
    let d = &checked.diagnostics[0];
    assert!(!d.help.is_empty(), "`{rule}` gives help");
    assert!(
        !d.message.ends_with('.'),
        "`{rule}`: messages have no final full stop"
    );
}

fn good_is_clean(rule: Rule) {
    let checked = check_fixture(rule, "good.sales");
    assert!(
        checked.diagnostics.is_empty(),
        "good.sales of `{rule}` fires {:?}",
        checked
            .diagnostics
            .iter()
            .map(|d| d.rule.name())
            .collect::<Vec<_>>()
    );
}

fn bad_report_matches_snapshots(rule: Rule) {
    let checked = check_fixture(rule, "bad.sales");
    let human = render_human(
        &pairs(&checked),
        HumanOptions {
            color: false,
            width: 100,
        },
    );
    let json = render_json(&pairs(&checked));
    insta::assert_snapshot!(format!("{rule}-human"), human);
    insta::assert_snapshot!(format!("{rule}-json"), json);
}

/// The rules of the findings of auditing `<which>.history.csv` and `<which>.deals.csv` (those
/// that exist) of an audit rule's fixture folder against its `process.sales`.
fn audit_findings(rule: Rule, which: &str) -> Vec<&'static str> {
    let dir = common::root().join(fixture_dir(rule));
    let model = common::check_clean(&dir.join("process.sales"))
        .model
        .unwrap();
    let source = |kind: &str| {
        let name = format!("{which}.{kind}.csv");
        let bytes = std::fs::read(dir.join(&name)).ok()?;
        Some(audit::Source {
            name,
            reader: Box::new(std::io::Cursor::new(bytes)),
        })
    };
    let (history, deals) = (source("history"), source("deals"));
    assert!(
        history.is_some() || deals.is_some(),
        "`{rule}` has {which} data"
    );
    let report = audit::audit(audit::Request {
        model: &model,
        process: &model.processes[0],
        history,
        deals,
        data: &audit::DataConfig::default(),
        preset: audit::Preset::Generic,
        window: audit::Window::default(),
        examples: 5,
        levels: &BTreeMap::new(),
    })
    .expect("an audit");
    report.findings.into_iter().map(|f| f.rule).collect()
}

fn has_source_file_docs_and_fixtures(rule: Rule, file: &str) {
    let language = std::fs::read_to_string(common::root().join("docs/language.md")).unwrap();
    let info = rule.info();
    assert!(
        common::root().join(file).exists(),
        "`{rule}` is declared in {file}"
    );
    assert_eq!(
        file.rsplit('/').next(),
        Some(format!("{}.rs", rule.name().replace('-', "_")).as_str()),
        "the file of `{rule}` is named after it"
    );
    assert!(rule
        .name()
        .chars()
        .all(|c| c.is_ascii_lowercase() || c == '-'));
    let fixtures: &[&str] = match rule.phase() {
        Phase::Audit => &["process.sales"],
        _ => &["bad.sales", "good.sales"],
    };
    for fixture in fixtures {
        assert!(
            fixture_dir(rule).join(fixture).exists(),
            "{rule}: {fixture}"
        );
    }
    assert!(info.explanation.len() > 100, "`{rule}` explains itself");
    assert!(
        language.contains(&format!("rules/{rule}.md")),
        "docs/language.md links the page of `{rule}`"
    );
    common::assert_golden_at(
        &Path::new("docs/rules").join(format!("{rule}.md")),
        rule.explain().as_bytes(),
    );
}

/// One module of tests per rule, named after its file.
macro_rules! rule_tests {
    ($($phase:ident $variant:ident $($module:ident)::+::{$file:ident},)*) => {$(
        mod $file {
            use super::*;

            const RULE: Rule = Rule::$variant;

            fixture_tests!($phase);

            #[test]
            fn has_a_source_file_docs_and_fixtures() {
                let file = concat!("src", $("/", stringify!($module),)+ "/", stringify!($file), ".rs");
                has_source_file_docs_and_fixtures(RULE, file);
            }
        }
    )*};
}

/// The tests of a rule's fixtures: `.sales` files, or for an audit rule deal data audited
/// against the folder's `process.sales`.
macro_rules! fixture_tests {
    (Audit) => {
        #[test]
        fn bad_data_gives_exactly_this_finding() {
            assert_eq!(audit_findings(RULE, "bad"), vec![RULE.name()]);
        }

        #[test]
        fn good_data_gives_no_finding() {
            assert!(audit_findings(RULE, "good").is_empty());
        }
    };
    ($phase:ident) => {
        #[test]
        fn bad_fixture_fires_exactly_this_rule() {
            bad_fires_exactly_its_rule(RULE);
        }

        #[test]
        fn good_fixture_is_clean() {
            good_is_clean(RULE);
        }

        #[test]
        fn bad_fixture_report_matches_snapshots() {
            bad_report_matches_snapshots(RULE);
        }
    };
}
salespath::for_each_rule!(rule_tests);

#[test]
fn every_fixture_folder_belongs_to_a_rule() {
    let dir = common::root().join("tests/fixtures/rules");
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            Rule::from_name(&name).is_some(),
            "tests/fixtures/rules/{name} is not the folder of a rule"
        );
    }
}

#[test]
fn every_rule_page_belongs_to_a_rule() {
    for entry in std::fs::read_dir(common::root().join("docs/rules")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let rule = name.strip_suffix(".md").unwrap_or(&name);
        assert!(
            Rule::from_name(rule).is_some(),
            "docs/rules/{name} is not the page of a rule"
        );
    }
}

#[test]
fn the_rule_table_matches_the_language_reference() {
    let expected = [
        ("syntax", "error"),
        ("duplicate-definition", "error"),
        ("unknown-reference", "error"),
        ("type-mismatch", "error"),
        ("invalid-probability", "error"),
        ("no-stages", "error"),
        ("no-won-stage", "error"),
        ("terminal-has-next", "error"),
        ("unreachable-stage", "error"),
        ("dead-end", "error"),
        ("probability-order", "warning"),
        ("field-not-collected", "warning"),
        ("stale-before-expected", "warning"),
        ("self-transition", "warning"),
        ("no-lost-stage", "warning"),
        ("unused-definition", "warning"),
        ("missing-probability", "warning"),
        ("missing-objective", "off"),
        ("missing-owner", "off"),
        ("import-not-found", "error"),
        ("import-cycle", "error"),
        ("extends-cycle", "error"),
        ("unreachable-threshold", "error"),
        ("invalid-crm-name", "error"),
        ("renamed-from-exists", "error"),
        ("crm-rounding", "warning"),
        ("salesforce-stage-conflict", "error"),
        ("salesforce-field-conflict", "error"),
        ("salesforce-formula-limit", "error"),
        ("salesforce-stage-change", "warning"),
        ("salesforce-path-limit", "warning"),
        ("sql-condition-limit", "warning"),
        ("bad-row", "error"),
        ("unknown-stage", "error"),
        ("wrong-entry", "warning"),
        ("illegal-move", "warning"),
        ("stale-deal", "warning"),
        ("missing-required", "warning"),
        ("exit-not-met", "warning"),
        ("probability-mismatch", "warning"),
        ("field-not-in-data", "info"),
    ];
    let actual: Vec<(&str, &str)> = Rule::ALL
        .iter()
        .map(|r| (r.name(), r.info().default.as_str()))
        .collect();
    assert_eq!(actual, expected);
}
