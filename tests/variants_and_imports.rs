//! Version 1 of the language completed: imports, process variants (`extends`), scoring.

mod common;

use salespath::config::Config;
use salespath::model::{Model, Process};
use salespath::session::{check_one, Checked, Input, Options};
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn check_path(path: &Path, allow_outside: bool) -> Checked {
    check_one(
        &Input::Path(path.to_path_buf()),
        &Config::default(),
        &Options { allow_outside },
    )
    .unwrap()
}

fn located(c: &Checked) -> Vec<(&'static str, String, usize)> {
    c.diagnostics
        .iter()
        .map(|d| {
            let file = c.sources.get(d.loc.file);
            let name = Path::new(&file.name)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (d.rule.name(), name, file.line_col(d.loc.span.start).line)
        })
        .collect()
}

/// The line of `loc`.
fn located_at(c: &Checked, loc: salespath::source::Loc) -> usize {
    c.sources.get(loc.file).line_col(loc.span.start).line
}

fn model(c: &Checked) -> &Model {
    c.model.as_ref().expect("a model")
}

fn process<'a>(c: &'a Checked, id: &str) -> &'a Process {
    model(c)
        .processes
        .iter()
        .find(|p| p.id == id)
        .expect("process")
}

fn stage_ids(p: &Process) -> Vec<&str> {
    p.stages.iter().map(|s| s.id.as_str()).collect()
}

fn next_of<'a>(p: &'a Process, stage: &str) -> Vec<&'a str> {
    let s = p.stage(p.find_stage(stage).unwrap());
    s.next_ids().map(|t| p.stage(t).id.as_str()).collect()
}

const DEFS: &str = "role ae\nfield amount: currency\nfield reason: choice[\"Price\"]\n";
const PROCESS: &str = "process p {\n  stage a { owner: ae  probability: 10%  requires: amount }\n  stage won { outcome: won }\n  stage lost { outcome: lost  from: any  requires: reason }\n}\n";

#[test]
fn imports_are_transitive_relative_and_loaded_once() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "shared/roles.sales", "role ae\n");
    write(
        dir.path(),
        "shared/fields.sales",
        "import \"roles.sales\"\nfield amount: currency\nfield reason: choice[\"Price\"]\n",
    );
    write(
        dir.path(),
        "shared/all.sales",
        "import \"fields.sales\"\nimport \"roles.sales\"\n",
    );
    write(
        dir.path(),
        "main.sales",
        &format!("import \"shared/all.sales\"\nimport \"shared/fields.sales\"\n{PROCESS}"),
    );
    let c = check_path(&dir.path().join("main.sales"), false);
    assert!(c.diagnostics.is_empty(), "{:?}", located(&c));
    assert_eq!(c.sources.files().count(), 4, "each file loaded once");
}

#[test]
fn a_missing_import_is_reported_at_its_string_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.sales",
        &format!("import \"defs.sales\"\n{PROCESS}"),
    );
    let c = check_path(&dir.path().join("main.sales"), false);
    assert_eq!(located(&c), [("import-not-found", "main.sales".into(), 1)]);
    let d = &c.diagnostics[0];
    assert_eq!(c.sources.text(d.loc), "\"defs.sales\"");
}

#[test]
fn import_cycles_name_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.sales",
        &format!("import \"b.sales\"\n{DEFS}{PROCESS}"),
    );
    write(dir.path(), "b.sales", "import \"c.sales\"\n");
    write(dir.path(), "c.sales", "import \"a.sales\"\n");
    let c = check_path(&dir.path().join("a.sales"), false);
    assert_eq!(located(&c), [("import-cycle", "a.sales".into(), 1)]);
    let message = &c.diagnostics[0].message;
    assert!(
        message.contains("a.sales → ")
            && message.contains("b.sales → ")
            && message.contains("c.sales → "),
        "{message}"
    );
}

#[test]
fn imports_may_not_leave_the_folder_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "defs.sales", DEFS);
    write(
        dir.path(),
        "team/main.sales",
        &format!("import \"../defs.sales\"\n{PROCESS}"),
    );
    let c = check_path(&dir.path().join("team/main.sales"), false);
    assert_eq!(located(&c), [("import-not-found", "main.sales".into(), 1)]);
    assert!(c.diagnostics[0].help.contains("--allow-outside"));
    let c = check_path(&dir.path().join("team/main.sales"), true);
    assert!(c.diagnostics.is_empty(), "{:?}", located(&c));
}

#[test]
fn diagnostics_in_imported_files_point_into_them() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "defs.sales", "role ae\nfield amount: currency\nfield reason: choice[\"Price\"]\ncriteria big { size: amount > \"x\" }\n");
    write(
        dir.path(),
        "main.sales",
        &format!("import \"defs.sales\"\n{PROCESS}"),
    );
    let c = check_path(&dir.path().join("main.sales"), false);
    assert_eq!(located(&c), [("type-mismatch", "defs.sales".into(), 4)]);
}

#[test]
fn one_name_declared_in_two_files_points_at_both() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "defs.sales", DEFS);
    write(
        dir.path(),
        "main.sales",
        &format!("import \"defs.sales\"\nfield amount: number\n{PROCESS}"),
    );
    let c = check_path(&dir.path().join("main.sales"), false);
    assert_eq!(
        located(&c),
        [("duplicate-definition", "main.sales".into(), 2)]
    );
    let related = &c.diagnostics[0].related[0];
    assert!(c.sources.get(related.loc.file).name.ends_with("defs.sales"));
}

#[test]
fn only_the_named_files_processes_are_built() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "base.sales", &format!("{DEFS}{PROCESS}"));
    write(
        dir.path(),
        "main.sales",
        "import \"base.sales\"\nprocess q extends p {\n  stage a { probability: 20% }\n}\n",
    );
    let c = check_path(&dir.path().join("main.sales"), false);
    assert!(c.diagnostics.is_empty(), "{:?}", located(&c));
    let built: Vec<&str> = c
        .own_processes()
        .into_iter()
        .map(|p| model(&c).process(p).id.as_str())
        .collect();
    assert_eq!(built, ["q"]);
}

const BASE: &str = r#"
role ae
role csm
field amount: currency
field plan: choice["A", "B"]
field reason: choice["Price"]
process base "Base" {
  model: consultative
  owner: "Head of Sales"
  stage discover { owner: ae  probability: 10%  expected: 5d  requires: amount }
  stage qualify { owner: ae  probability: 30%  requires: plan  exit: plan == "A" }
  stage propose { owner: ae  probability: 60%  next: won, qualify }
  stage won { outcome: won }
  stage lost { owner: csm  outcome: lost  from: any  requires: reason }
}
"#;

fn variant(body: &str) -> Checked {
    common::check_text("v.sales", &format!("{BASE}{body}"))
}

#[test]
fn a_variant_inherits_everything_and_overrides_what_it_restates() {
    let c = variant("process v \"Variant\" extends base {\n  owner: \"Team lead\"\n  stage discover { owner: csm  probability: 15%  salesforce: \"Discover (v)\" }\n}\n");
    assert!(c.diagnostics.is_empty(), "{:?}", located(&c));
    let v = process(&c, "v");
    assert_eq!(v.label, "Variant");
    assert_eq!(v.owner.as_deref(), Some("Team lead"));
    assert_eq!(v.model.map(|m| m.as_str()), Some("consultative"));
    assert_eq!(
        stage_ids(v),
        ["discover", "qualify", "propose", "won", "lost"]
    );
    let d = &v.stages[0];
    assert_eq!(d.probability, Some(15.0));
    assert_eq!(model(&c).role(d.owner.unwrap()).id, "csm");
    assert_eq!(
        d.expected.unwrap().hours,
        5 * 24,
        "unrestated properties are kept"
    );
    assert_eq!(model(&c).field(d.requires[0]).id, "amount");
    assert_eq!(
        v.base.map(|b| model(&c).process(b).id.as_str()),
        Some("base")
    );
}

#[test]
fn a_restated_list_replaces_the_whole_list() {
    let c = variant("process v extends base {\n  stage propose { next: won }\n}\n");
    let v = process(&c, "v");
    assert_eq!(next_of(v, "propose"), ["won", "lost"]);
}

#[test]
fn an_added_stage_goes_before_the_first_terminal_and_gets_default_transitions() {
    let c = variant("process v extends base {\n  stage review { owner: ae  probability: 70% }\n  stage propose { next: review, qualify }\n}\n");
    assert!(c.diagnostics.is_empty(), "{:?}", located(&c));
    let v = process(&c, "v");
    assert_eq!(
        stage_ids(v),
        ["discover", "qualify", "propose", "review", "won", "lost"]
    );
    assert_eq!(next_of(v, "review"), ["won", "lost"]);
    assert_eq!(next_of(v, "qualify"), ["propose", "lost"]);
}

#[test]
fn a_removed_stage_is_skipped_by_redirecting_transitions() {
    let c = variant("process v extends base {\n  remove stage qualify\n}\n");
    assert!(c.diagnostics.is_empty(), "{:?}", located(&c));
    let v = process(&c, "v");
    assert_eq!(stage_ids(v), ["discover", "propose", "won", "lost"]);
    assert_eq!(next_of(v, "discover"), ["propose", "lost"]);
    // propose went back to qualify; that move now goes where qualify led forward.
    assert_eq!(next_of(v, "propose"), ["won", "lost"]);
}

#[test]
fn chains_of_variants_resolve_in_order() {
    let c = variant("process v extends base {\n  stage discover { probability: 12%  salesforce: \"Discover (v)\" }\n}\nprocess w extends v {\n  remove stage qualify\n  stage propose { probability: 65%  salesforce: \"Propose (w)\" }\n}\n");
    assert!(c.diagnostics.is_empty(), "{:?}", located(&c));
    let w = process(&c, "w");
    assert_eq!(stage_ids(w), ["discover", "propose", "won", "lost"]);
    assert_eq!(w.stages[0].probability, Some(12.0));
    assert_eq!(w.stages[1].probability, Some(65.0));
}

#[test]
fn variant_errors_unknown_bases_and_cycles() {
    let c = variant("process v extends bsae {\n  stage discover { probability: 12% }\n}\n");
    assert_eq!(located(&c), [("unknown-reference", "v.sales".into(), 16)]);
    assert!(c.diagnostics[0].help.contains("`base`"));

    let c = variant("process v extends base {\n  remove stage qualfy\n}\n");
    assert_eq!(located(&c), [("unknown-reference", "v.sales".into(), 17)]);

    let c = variant("process v extends w {\n  stage discover { probability: 12% }\n}\nprocess w extends v {\n  stage discover { probability: 13% }\n}\n");
    assert_eq!(located(&c), [("extends-cycle", "v.sales".into(), 16)]);
}

#[test]
fn checks_run_on_the_resolved_variant_and_point_at_its_own_lines() {
    // The variant drops `won` from the next list of `propose`, so no deal can be won, and it
    // raises the first stage's probability above the next one's: both are reported at the
    // variant's lines, where it restates those stages.
    let c = variant("process v extends base {\n  stage propose { next: qualify }\n  stage discover { probability: 40% }\n}\n");
    let mut found = located(&c);
    found.sort();
    assert_eq!(
        found,
        [
            ("dead-end", "v.sales".into(), 17),
            ("probability-order", "v.sales".into(), 18)
        ]
    );
}

#[test]
fn a_base_problem_in_a_restated_stage_is_reported_once_at_the_base() {
    // `propose` of the base only goes back to `qualify`, so no deal is won from there; the
    // variant restates `propose` without touching that: one report, at the base.
    let text = BASE.replace("next: won, qualify", "next: qualify");
    let c = common::check_text(
        "v.sales",
        &format!("{text}process v extends base {{\n  stage propose {{ probability: 70% }}\n}}\n"),
    );
    assert_eq!(located(&c), [("dead-end", "v.sales".into(), 12)]);
}

#[test]
fn a_misspelt_base_is_one_error_naming_the_variant() {
    // Without its base, the variant's removals, restatements and `next:` mean nothing: only
    // the misspelt name is reported, also for a variant of the variant.
    let c = variant(
        "process v extends bsae {\n  remove stage qualify\n  stage propose { next: won, lost }\n  stage discover { probability: 15% }\n}\nprocess w extends v {\n  stage won { outcome: won }\n}\n",
    );
    assert_eq!(located(&c), [("unknown-reference", "v.sales".into(), 16)]);
    let d = &c.diagnostics[0];
    assert!(
        d.message.contains("`v`") && d.message.contains("`bsae`"),
        "{}",
        d.message
    );
    assert_eq!(d.help, "did you mean `base`?");
}

#[test]
fn a_next_naming_a_removed_stage_is_one_error_at_the_variant() {
    let c = variant("process v extends base {\n  remove stage qualify\n  stage discover { next: qualify, propose }\n}\n");
    assert_eq!(located(&c), [("unknown-reference", "v.sales".into(), 18)]);
    let d = &c.diagnostics[0];
    assert_eq!(d.message, "stage `qualify` is removed from process `v`");
    assert_eq!(c.sources.text(d.loc), "qualify");
    assert_eq!(
        c.sources.text(d.related[0].loc),
        "qualify",
        "points at the removal"
    );
    assert_eq!(located_at(&c, d.related[0].loc), 17);

    // Alone in `next:`, it would leave the stage stuck: still one error, no dead end.
    let c = variant(
        "process v extends base {\n  remove stage qualify\n  stage propose { next: qualify }\n}\n",
    );
    assert_eq!(located(&c), [("unknown-reference", "v.sales".into(), 18)]);

    // Removed by the base of a variant: the same.
    let c = variant("process v extends base {\n  remove stage qualify\n}\nprocess w extends v {\n  stage won { from: qualify }\n}\n");
    assert_eq!(located(&c), [("unknown-reference", "v.sales".into(), 20)]);
    assert!(c.diagnostics[0].message.contains("process `w`"));

    // The base's own `next:` into a stage the variant removes is how removal works.
    let c = variant("process v extends base {\n  remove stage qualify\n}\n");
    assert!(c.diagnostics.is_empty(), "{:?}", located(&c));
}

#[test]
fn scoring_threshold_and_types() {
    let c = common::check_text(
        "s.sales",
        "field seats: number\nfield hot: bool\nscoring s {\n  +20 when seats >= 10\n  +20 when hot\n  -5 when seats < 2\n  threshold: 40\n}\n",
    );
    assert!(c.diagnostics.is_empty(), "{:?}", located(&c));
    let s = &model(&c).scorings[0];
    assert_eq!((s.rules.len(), s.threshold), (3, 40.0));

    let c = common::check_text("s.sales", "field seats: number\nscoring s {\n  +20 when seats >= 10\n  -50 when seats < 2\n  threshold: 40\n}\n");
    assert_eq!(
        located(&c),
        [("unreachable-threshold", "s.sales".into(), 5)]
    );

    // A mistyped condition is reported once, not also as an unreachable threshold.
    let c = common::check_text("s.sales", "field seats: number\nscoring s {\n  +20 when seats >= \"ten\"\n  +30 when seats > 1\n  threshold: 40\n}\n");
    assert_eq!(located(&c), [("type-mismatch", "s.sales".into(), 3)]);
}

#[test]
fn the_multi_file_example_checks_clean() {
    for file in [
        "examples/multi/processes.sales",
        "examples/multi/definitions.sales",
    ] {
        common::check_clean(&common::root().join(file));
    }
    let c = common::check_clean(&common::root().join("examples/multi/processes.sales"));
    let smb = process(&c, "smb_velocity");
    assert_eq!(
        stage_ids(smb),
        ["discovery", "proposal", "closed_won", "closed_lost"]
    );
    let renewal = process(&c, "renewal");
    assert_eq!(renewal.stages[0].label, "Renewal Check");
    assert_eq!(
        stage_ids(renewal),
        [
            "discovery",
            "qualification",
            "proposal",
            "account_review",
            "closed_won",
            "closed_lost"
        ]
    );
}
