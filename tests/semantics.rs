//! The language's semantics on small processes: default `next`, `from:`, dominance and
//! `required_here`, one diagnostic per mistake, and process variants.

mod common;

use salespath::model::{Model, Process};
use salespath::session::Checked;

fn model(checked: &Checked) -> &Model {
    checked.model.as_ref().expect("a model")
}

fn process<'a>(checked: &'a Checked, id: &str) -> &'a Process {
    model(checked)
        .processes
        .iter()
        .find(|p| p.id == id)
        .expect("process")
}

fn next_of(p: &Process, stage: &str) -> Vec<String> {
    let s = p.stage(p.find_stage(stage).expect("stage"));
    s.next_ids().map(|t| p.stage(t).id.clone()).collect()
}

fn required_here(checked: &Checked, p: &Process, stage: &str) -> Vec<String> {
    let s = p.stage(p.find_stage(stage).unwrap());
    s.required_here
        .iter()
        .map(|f| model(checked).field(*f).id.clone())
        .collect()
}

fn rules(checked: &Checked) -> Vec<(&'static str, usize)> {
    checked
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.rule.name(),
                checked
                    .sources
                    .get(d.loc.file)
                    .line_col(d.loc.span.start)
                    .line,
            )
        })
        .collect()
}

const LOST: &str = "  stage lost { outcome: lost  from: any }\n";

#[test]
fn default_next_and_from_any() {
    let text = format!(
        "process p {{\n  stage a {{ probability: 10% }}\n  stage b {{ probability: 20% }}\n  stage won {{ outcome: won }}\n{LOST}}}\n"
    );
    let c = common::check_text("t.sales", &text);
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    let p = process(&c, "p");
    assert_eq!(next_of(p, "a"), ["b", "lost"]);
    assert_eq!(next_of(p, "b"), ["won", "lost"]);
    assert!(
        next_of(p, "won").is_empty(),
        "terminal stages get nothing from `from: any`"
    );
    assert!(next_of(p, "lost").is_empty());
    let won = p.stage(p.find_stage("won").unwrap());
    assert_eq!(
        (won.probability, won.forecast.as_str()),
        (Some(100.0), "closed")
    );
    let lost = p.stage(p.find_stage("lost").unwrap());
    assert_eq!(
        (lost.probability, lost.forecast.as_str()),
        (Some(0.0), "omitted")
    );
    let a = p.stage(p.find_stage("a").unwrap());
    assert_eq!((a.forecast.as_str(), a.label.as_str()), ("pipeline", "A"));
}

#[test]
fn from_named_stages_adds_transitions() {
    let text = "process p {\n  stage a { probability: 10%  next: c }\n  stage b { probability: 20%  from: a }\n  stage c { probability: 30% }\n  stage won { outcome: won }\n  stage lost { outcome: lost  from: any }\n}\n";
    let c = common::check_text("t.sales", text);
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    let p = process(&c, "p");
    assert_eq!(next_of(p, "a"), ["c", "b", "lost"]);
}

const BRANCHES: &str = r#"
field budget: number
field pilot_plan: text
field trial_users: number
field terms: text
process p {
  stage qualify { probability: 10%  requires: budget  next: pilot, trial }
  stage pilot { probability: 30%  requires: pilot_plan  next: proposal }
  stage trial { probability: 30%  requires: trial_users  next: proposal }
  stage proposal { probability: 60%  requires: terms }
  stage won { outcome: won }
  stage lost { outcome: lost  from: any  requires: budget }
}
"#;

#[test]
fn required_here_follows_dominance_where_branches_meet() {
    let c = common::check_text("t.sales", BRANCHES);
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    let p = process(&c, "p");
    assert_eq!(required_here(&c, p, "qualify"), Vec::<String>::new());
    assert_eq!(required_here(&c, p, "pilot"), ["budget"]);
    // Only one branch collects `pilot_plan`, so it is not guaranteed where they meet.
    assert_eq!(required_here(&c, p, "proposal"), ["budget"]);
    // A won stage needs its dominators' fields and its own.
    assert_eq!(required_here(&c, p, "won"), ["budget", "terms"]);
    // A lost stage needs only its own.
    assert_eq!(required_here(&c, p, "lost"), ["budget"]);
}

#[test]
fn exit_on_a_field_from_one_branch_only_is_not_collected() {
    let text = BRANCHES.replace(
        "requires: terms }",
        "requires: terms  exit: pilot_plan == \"signed\" }",
    );
    let c = common::check_text("t.sales", &text);
    assert_eq!(rules(&c), [("field-not-collected", 10)]);
}

#[test]
fn one_misspelt_stage_gives_one_diagnostic() {
    let text = format!(
        "process p {{\n  stage a {{ probability: 10%  next: propsal }}\n  stage proposal {{ probability: 50% }}\n  stage won {{ outcome: won }}\n{LOST}}}\n"
    );
    let c = common::check_text("t.sales", &text);
    assert_eq!(rules(&c), [("unknown-reference", 2)]);
    assert!(c.diagnostics[0].help.contains("did you mean `proposal`?"));
}

#[test]
fn an_unknown_field_is_not_also_a_type_error() {
    let text = format!(
        "field amount: currency\nprocess p {{\n  stage a {{ probability: 10%  requires: amount  exit: amout >= \"x\" }}\n  stage won {{ outcome: won }}\n{LOST}}}\n"
    );
    let c = common::check_text("t.sales", &text);
    assert_eq!(rules(&c), [("unknown-reference", 3)]);
    assert!(c.diagnostics[0].help.contains("`amount`"));
}

#[test]
fn an_invalid_probability_does_not_break_the_order() {
    let text = format!(
        "process p {{\n  stage a {{ probability: 150% }}\n  stage b {{ probability: 20% }}\n  stage won {{ outcome: won }}\n{LOST}}}\n"
    );
    let c = common::check_text("t.sales", &text);
    assert_eq!(rules(&c), [("invalid-probability", 2)]);
}

#[test]
fn no_won_stage_is_reported_alone() {
    let text = format!(
        "process p {{\n  stage a {{ probability: 10% }}\n  stage b {{ probability: 20% }}\n{LOST}}}\n"
    );
    let c = common::check_text("t.sales", &text);
    assert_eq!(rules(&c), [("no-won-stage", 1)]);
}

#[test]
fn a_chain_of_dead_ends_is_reported_at_its_end() {
    let text = format!(
        "process p {{\n  stage a {{ probability: 10%  next: b, won }}\n  stage b {{ probability: 20%  next: c }}\n  stage c {{ probability: 30%  next: lost }}\n  stage won {{ outcome: won }}\n{LOST}}}\n"
    );
    let c = common::check_text("t.sales", &text);
    assert_eq!(rules(&c), [("dead-end", 4)]);
}

#[test]
fn independent_mistakes_are_all_reported() {
    let text = format!(
        "field amount: currency\nprocess p {{\n  stage a {{ probability: 10%  expected: 5d  stale_after: 2d  tools: crm }}\n  stage b {{ probability: 5%  next: b, won }}\n  stage won {{ outcome: won  next: a }}\n{LOST}}}\n"
    );
    let c = common::check_text("t.sales", &text);
    let mut fired = rules(&c);
    fired.sort();
    assert_eq!(
        fired,
        [
            ("probability-order", 3),
            ("self-transition", 4),
            ("stale-before-expected", 3),
            ("terminal-has-next", 5),
            ("unknown-reference", 3),
            ("unused-definition", 1),
        ]
    );
}

#[test]
fn a_misspelt_keyword_suggests_the_keyword() {
    let c = common::check_text(
        "t.sales",
        "process p {\n  stage a {\n    probabilty: 10%\n  }\n}\n",
    );
    assert_eq!(rules(&c), [("syntax", 3)]);
    assert_eq!(c.diagnostics[0].help, "did you mean `probability`?");
    let c = common::check_text("t.sales", "proces p {}\n");
    assert_eq!(c.diagnostics[0].help, "did you mean `process`?");
}

#[test]
fn reserved_words_cannot_name_things_but_won_and_lost_can() {
    let c = common::check_text("t.sales", "role set\n");
    assert_eq!(rules(&c), [("syntax", 1)]);
    let c = common::check_text(
        "t.sales",
        "process p {\n  stage open { probability: 10%  next: won, lost }\n  stage won { outcome: won }\n  stage lost { outcome: lost }\n}\n",
    );
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
}

#[test]
fn literals_and_strings() {
    let text = r#"
field amount "Amount": currency
field share: percent
process p "Main \"quoted\" \\ path" {
  stage a {
    probability: 12.5%
    expected: 36h
    stale_after: 2w
    requires: amount, share
    exit: amount >= 25_000 and share <= 12.5%
    guidance: """
      First line.
        Indented line.
      Last line.
      """
  }
  stage won { outcome: won }
  stage lost { outcome: lost  from: any }
}
"#;
    let c = common::check_text("t.sales", text);
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    let p = process(&c, "p");
    assert_eq!(p.label, "Main \"quoted\" \\ path");
    let a = &p.stages[0];
    assert_eq!(a.probability, Some(12.5));
    assert_eq!(a.expected.unwrap().hours, 36);
    assert_eq!(a.stale_after.unwrap().human(), "2 weeks");
    assert_eq!(
        a.guidance.as_deref(),
        Some("First line.\n  Indented line.\nLast line.")
    );
}

#[test]
fn type_rules_for_every_field_type() {
    let cases = [
        ("amount >= 100", true),
        ("amount >= 10%", false),
        ("share <= 20%", true),
        ("share <= 0.2", false),
        ("region == \"EMEA\"", true),
        ("region == \"Mars\"", false),
        ("region < \"EMEA\"", false),
        ("region in [\"EMEA\", \"APAC\"]", true),
        ("name == \"x\"", true),
        ("name > \"x\"", false),
        ("signed", true),
        ("signed == false", true),
        ("signed > true", false),
        ("amount", false),
        ("close is set", true),
        ("close == \"2024-01-01\"", false),
        ("not (signed or amount > 5) and name is not set", true),
    ];
    for (condition, ok) in cases {
        let text = format!(
            "field amount: currency\nfield share: percent\nfield region: choice[\"EMEA\", \"APAC\"]\nfield name: text\nfield signed: bool\nfield close: date\nsegment s {{ when: {condition} }}\nprocess p {{\n  segments: s\n  stage a {{ probability: 10%  requires: amount, share, region, name, signed, close }}\n  stage won {{ outcome: won }}\n{LOST}}}\n"
        );
        let c = common::check_text("t.sales", &text);
        let fired = rules(&c);
        if ok {
            assert!(fired.is_empty(), "`{condition}`: {fired:?}");
        } else {
            assert_eq!(fired, [("type-mismatch", 7)], "`{condition}`");
        }
    }
}

#[test]
fn a_property_given_twice_is_refused_at_the_second() {
    let c = common::check_text(
        "t.sales",
        "process p {\n  stage a {\n    probability: 10%\n    probability: 20%\n  }\n}\n",
    );
    assert_eq!(rules(&c), [("syntax", 4)]);
    assert!(c.diagnostics[0]
        .message
        .contains("`probability` is given twice"));
}

#[test]
fn a_terminal_stage_with_next_is_one_mistake() {
    let c = common::check_text(
        "t.sales",
        "process p {\n  stage a { probability: 10% }\n  stage won { outcome: won  next: a, nowhere }\n  stage lost { outcome: lost  from: any }\n}\n",
    );
    assert_eq!(rules(&c), [("terminal-has-next", 3)]);
}

#[test]
fn an_unknown_owner_is_not_also_a_missing_owner() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("salespath.yaml"),
        "rules:\n  missing-owner: warning\n",
    )
    .unwrap();
    let text = "role ae\nprocess p {\n  stage a { owner: sales_rep  probability: 10% }\n  stage b { owner: ae  probability: 20% }\n  stage won { outcome: won }\n  stage lost { outcome: lost  from: any }\n}\n";
    let config = salespath::config::Config::discover(dir.path()).unwrap();
    let c = salespath::session::check_one(
        &salespath::session::Input::Text {
            name: "t.sales".into(),
            text: text.as_bytes().to_vec(),
            base: None,
        },
        &config,
        &salespath::session::Options::default(),
    )
    .unwrap();
    assert_eq!(rules(&c), [("unknown-reference", 3)]);
}

#[test]
fn a_misspelt_required_field_is_not_also_uncollected() {
    let c = common::check_text(
        "t.sales",
        "field amount: currency\nprocess p {\n  stage a { probability: 10%  requires: amout  exit: amount > 5 }\n  stage won { outcome: won }\n  stage lost { outcome: lost  from: any }\n}\n",
    );
    assert_eq!(rules(&c), [("unknown-reference", 3)]);
}

#[test]
fn a_criteria_circle_is_reported_and_broken() {
    let text = "field a: bool\ncriteria x { i: y }\ncriteria y { j: x and a }\nprocess p {\n  stage s { probability: 10%  exit: x }\n  stage won { outcome: won }\n  stage lost { outcome: lost  from: any }\n}\n";
    let c = common::check_text("t.sales", text);
    assert_eq!(rules(&c), [("type-mismatch", 3)]);
    // Expanding the criteria terminates: the reference that closes the circle is gone.
    let m = model(&c);
    let x = m.criteria.iter().position(|k| k.id == "x").unwrap();
    let english = salespath::emit::english::criteria_items(m, salespath::model::CriteriaId(x));
    assert_eq!(english.len(), 1);
}
