//! `salespath diff`: every kind of change, its classification, the formats and exit codes.

mod common;

use salespath::diff::{diff, Change};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::Output;

const BASE: &str = r#"role ae "Account Executive"
role se "Solutions Engineer"

field amount "Amount": currency
field seats "Seats": number
field plan "Plan": choice["Starter", "Pro"]
field notes "Notes": text
field loss_reason "Loss reason": choice["Price", "Timing"]

tool crm "CRM" { kind: software }
tool deck "Deck" { kind: collateral }

criteria ready {
  seats: seats > 5
}

process sales "Sales" {
  owner: "Head of Sales"

  stage discovery "Discovery" {
    owner: ae
    probability: 10%
    expected: 5d
    stale_after: 14d
    tools: crm
    requires: seats, plan
    exit: ready
  }

  stage proposal "Proposal" {
    owner: ae
    probability: 50%
    tools: deck
    requires: amount
    exit: amount > 1000
    next: won, discovery, lost
  }

  stage won { outcome: won }

  stage lost {
    outcome: lost
    from: any
    requires: loss_reason
  }
}
"#;

fn changes(old: &str, new: &str) -> Vec<Change> {
    let old_checked = common::check_text("old.sales", old);
    let new_checked = common::check_text("new.sales", new);
    for checked in [&old_checked, &new_checked] {
        assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    }
    diff(
        old_checked.model.as_ref().unwrap(),
        new_checked.model.as_ref().unwrap(),
    )
}

/// The (kind, breaking) pairs of the diff from BASE to BASE with `from` replaced by `to`.
fn kinds_after(from: &str, to: &str) -> Vec<(String, bool)> {
    assert!(BASE.contains(from), "BASE has no `{from}`");
    changes(BASE, &BASE.replacen(from, to, 1))
        .into_iter()
        .map(|c| (c.kind.as_str().to_string(), c.breaking))
        .collect()
}

fn only(kind: &str, breaking: bool) -> Vec<(String, bool)> {
    vec![(kind.to_string(), breaking)]
}

#[test]
fn identical_models_have_no_changes() {
    assert!(changes(BASE, BASE).is_empty());
    // Layout and comments are not changes.
    let reformatted = salespath::fmt::format_source(&format!("# note\n{BASE}")).unwrap();
    assert!(changes(BASE, &reformatted).is_empty());
}

#[test]
fn stage_changes_are_classified() {
    let removed = BASE.replace(
        "  stage proposal \"Proposal\" {\n    owner: ae\n    probability: 50%\n    tools: deck\n    requires: amount\n    exit: amount > 1000\n    next: won, discovery, lost\n  }\n\n",
        "",
    );
    let found = changes(BASE, &removed);
    assert!(
        found.iter().any(|c| c.kind.as_str() == "stage-removed"
            && c.breaking
            && c.stage.as_deref() == Some("proposal")),
        "{found:#?}"
    );
    // Moves into and out of a removed stage are part of its removal, not separate changes;
    // discovery now goes on to `won` by default, which is a new move.
    let kinds: Vec<(&str, Option<&str>)> = found
        .iter()
        .map(|c| (c.kind.as_str(), c.stage.as_deref()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("stage-removed", Some("proposal")),
            ("transition-added", Some("discovery"))
        ]
    );

    let added = BASE.replace(
        "  stage won {",
        "  stage legal {\n    probability: 80%\n  }\n\n  stage won {",
    );
    let found = changes(
        BASE,
        &added.replace("next: won, discovery, lost", "next: legal, discovery, lost"),
    );
    let kinds: Vec<(&str, bool)> = found
        .iter()
        .map(|c| (c.kind.as_str(), c.breaking))
        .collect();
    assert!(kinds.contains(&("stage-added", false)), "{kinds:?}");
    assert!(
        kinds.contains(&("transition-removed", true)),
        "proposal -> won is gone: {kinds:?}"
    );

    // A Salesforce stage is its value: deals there keep the old one.
    assert_eq!(
        kinds_after("stage proposal \"Proposal\"", "stage proposal \"Offer\""),
        only("stage-relabelled", true)
    );
    assert_eq!(
        kinds_after(
            "stage proposal \"Proposal\" {",
            "stage proposal \"Offer\" {\n    salesforce: \"Proposal\""
        ),
        only("stage-relabelled", false)
    );
    assert_eq!(
        kinds_after("probability: 50%", "probability: 60%"),
        only("probability-changed", false)
    );
    assert_eq!(
        kinds_after("probability: 50%", "probability: 50%\n    forecast: commit"),
        only("forecast-changed", false)
    );
    assert_eq!(
        kinds_after("expected: 5d", "expected: 1w"),
        only("expected-changed", false)
    );
    assert_eq!(
        kinds_after("stale_after: 14d", "stale_after: 21d"),
        only("stale-after-changed", false)
    );
    assert_eq!(
        kinds_after(
            "owner: ae\n    probability: 10%",
            "owner: se\n    probability: 10%"
        ),
        only("owner-changed", false)
    );
    assert_eq!(
        kinds_after("tools: crm", "tools: crm, deck"),
        only("tool-added", false)
    );
    assert_eq!(
        kinds_after("tools: crm", "tools: deck"),
        vec![("tool-added".into(), false), ("tool-removed".into(), false)]
    );
    assert_eq!(
        kinds_after("owner: \"Head of Sales\"", "owner: \"VP\""),
        only("process-owner-changed", false)
    );
}

#[test]
fn reordering_reports_the_stages_that_moved() {
    let reordered = BASE.replace(
        "  stage won { outcome: won }\n\n  stage lost {\n    outcome: lost\n    from: any\n    requires: loss_reason\n  }",
        "  stage lost {\n    outcome: lost\n    from: any\n    requires: loss_reason\n  }\n\n  stage won { outcome: won }",
    );
    let found = changes(BASE, &reordered);
    let kinds: Vec<(&str, Option<&str>, bool)> = found
        .iter()
        .map(|c| (c.kind.as_str(), c.stage.as_deref(), c.breaking))
        .collect();
    assert_eq!(kinds, vec![("stage-reordered", Some("won"), false)]);
}

#[test]
fn transitions_requirements_and_exit_criteria() {
    assert_eq!(
        kinds_after("next: won, discovery, lost", "next: won, lost"),
        only("transition-removed", true)
    );
    let added = kinds_after(
        "    exit: ready\n",
        "    exit: ready\n    next: proposal, won, lost\n",
    );
    assert_eq!(added, only("transition-added", false));

    assert_eq!(
        kinds_after("requires: amount", "requires: amount, notes"),
        only("requirement-added", true)
    );
    assert_eq!(
        kinds_after("requires: seats, plan", "requires: seats"),
        only("requirement-removed", false)
    );

    assert_eq!(
        kinds_after(
            "exit: amount > 1000",
            "exit: amount > 1000 and notes is set"
        ),
        only("exit-criterion-added", true)
    );
    assert_eq!(
        kinds_after("exit: amount > 1000", "exit: amount > 1000 or notes is set"),
        vec![
            ("exit-criterion-added".into(), true),
            ("exit-criterion-removed".into(), false)
        ]
    );
    assert_eq!(
        kinds_after("    exit: amount > 1000\n", ""),
        only("exit-criterion-removed", false)
    );
    // A criteria an exit uses is compared in that exit, item by item.
    assert_eq!(
        kinds_after("seats: seats > 5", "seats: seats > 10"),
        only("exit-threshold-changed", true)
    );
    assert_eq!(
        kinds_after(
            "seats: seats > 5",
            "seats: seats > 5\n  notes: notes is set"
        ),
        only("exit-criterion-added", true)
    );
}

#[test]
fn field_changes_are_classified() {
    assert_eq!(
        kinds_after("field notes \"Notes\": text\n", ""),
        only("field-removed", true)
    );
    assert_eq!(
        kinds_after(
            "field notes \"Notes\": text\n",
            "field notes \"Notes\": text\nfield extra: bool\n"
        ),
        only("field-added", false)
    );
    assert_eq!(
        kinds_after(
            "field notes \"Notes\": text",
            "field notes \"Notes\": number"
        ),
        only("field-retyped", true)
    );
    assert_eq!(
        kinds_after(
            "choice[\"Starter\", \"Pro\"]",
            "choice[\"Starter\", \"Pro\", \"Team\"]"
        ),
        only("choice-value-added", false)
    );
    assert_eq!(
        kinds_after(
            "choice[\"Starter\", \"Pro\"]",
            "choice[\"Starter\", \"Team\"]"
        ),
        vec![
            ("choice-value-added".into(), false),
            ("choice-value-removed".into(), true)
        ]
    );
    assert_eq!(
        kinds_after("field notes \"Notes\"", "field notes \"Remarks\""),
        only("field-relabelled", false)
    );
    assert_eq!(
        kinds_after(
            "field amount \"Amount\": currency",
            "field amount \"Amount\": currency { salesforce: \"Amount\" }"
        ),
        only("crm-name-changed", true)
    );
}

#[test]
fn processes_added_and_removed() {
    let variant =
        format!("{BASE}\nprocess renewals extends sales {{\n  remove stage discovery\n}}\n");
    let found = changes(BASE, &variant);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        (found[0].kind.as_str(), found[0].breaking),
        ("process-added", false)
    );
    let found = changes(&variant, BASE);
    assert_eq!(
        (found[0].kind.as_str(), found[0].breaking),
        ("process-removed", true)
    );

    // A variant diffs like any process: changing its base changes it too.
    let changed = variant.replace("probability: 50%", "probability: 55%");
    let found = changes(&variant, &changed);
    let processes: Vec<&str> = found.iter().filter_map(|c| c.process.as_deref()).collect();
    assert_eq!(processes, vec!["sales", "renewals"]);
}

// ---- the command line --------------------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonDiff {
    crms: Vec<String>,
    changes: Vec<JsonChange>,
    breaking: usize,
    safe: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonChange {
    kind: String,
    breaking: bool,
    process: Option<String>,
    stage: Option<String>,
    field: Option<String>,
    message: String,
    hint: Option<String>,
    crm: std::collections::BTreeMap<String, JsonVerdict>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonVerdict {
    verdict: String,
    effect: String,
}

struct Files {
    dir: tempfile::TempDir,
}

impl Files {
    fn new(old: &str, new: &str) -> Files {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("old.sales"), old).unwrap();
        std::fs::write(dir.path().join("new.sales"), new).unwrap();
        Files { dir }
    }
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn run(&self, extra: &[&str]) -> Output {
        common::salespath()
            .current_dir(self.dir.path())
            .args(["diff", "old.sales", "new.sales"])
            .args(extra)
            .output()
            .unwrap()
    }
}

fn breaking_edit() -> String {
    BASE.replace(
        "field notes \"Notes\": text\n",
        "field notes \"Notes\": number\n",
    )
    .replace("probability: 50%", "probability: 55%")
}

#[test]
fn exit_codes() {
    let same = Files::new(BASE, BASE);
    let output = same.run(&[]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "no changes\n");

    let safe = Files::new(BASE, &BASE.replace("probability: 50%", "probability: 55%"));
    assert_eq!(safe.run(&[]).status.code(), Some(0));

    let breaking = Files::new(BASE, &breaking_edit());
    let output = breaking.run(&[]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("breaking  field Notes (`notes`): type changed from text to number"),
        "{stdout}"
    );
    assert!(
        stdout.contains("1 breaking change, 1 safe change"),
        "{stdout}"
    );
    let allowed = breaking.run(&["--allow-breaking"]);
    assert_eq!(allowed.status.code(), Some(0));
    assert_eq!(
        allowed.stdout, output.stdout,
        "--allow-breaking still reports"
    );

    let broken = Files::new(
        BASE,
        &BASE.replace("owner: se", "owner: nobody").replace(
            "owner: ae\n    probability: 10%",
            "owner: nobody\n    probability: 10%",
        ),
    );
    let output = broken.run(&[]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("`new.sales` has errors"), "{stderr}");
    assert!(stderr.contains("nobody"), "{stderr}");

    let output = common::salespath()
        .current_dir(same.dir.path())
        .args(["diff", "old.sales", "missing.sales"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("`missing.sales` does not exist"));
}

#[test]
fn json_has_the_documented_shape() {
    let files = Files::new(BASE, &breaking_edit());
    let output = files.run(&["--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let report: JsonDiff = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!((report.breaking, report.safe), (1, 1));
    let retyped = &report.changes[0];
    assert_eq!(retyped.kind, "probability-changed");
    assert_eq!(retyped.process.as_deref(), Some("sales"));
    assert_eq!(retyped.stage.as_deref(), Some("proposal"));
    assert!(!retyped.breaking);
    let field = &report.changes[1];
    assert_eq!(
        (field.kind.as_str(), field.breaking, field.field.as_deref()),
        ("field-retyped", true, Some("notes"))
    );
    assert!(field.process.is_none() && field.stage.is_none());
    assert!(field.message.contains("text to number"));
}

#[test]
fn markdown_is_a_pull_request_comment() {
    let files = Files::new(
        BASE,
        &breaking_edit().replace(
            "stage proposal \"Proposal\"",
            "stage proposal \"Offer | <b>\"",
        ),
    );
    let output = files.run(&["--format", "markdown"]);
    assert_eq!(output.status.code(), Some(1));
    common::assert_golden("diff/breaking.md", &output.stdout);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("- field Notes (`notes`): type changed from text to number — breaking in"),
        "{text}"
    );
    assert!(
        text.contains("Offer \\| \\<b\\>"),
        "labels are escaped for Markdown: {text}"
    );
    assert!(
        text.find("### ⚠️ Breaking") < text.find("### Safe"),
        "breaking changes first: {text}"
    );
}

/// Runs git in `dir` as a user who needs no configuration; fails on any error.
fn git_in(dir: &Path, args: &[&str]) {
    let output = std::process::Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `salespath diff OLD NEW --format json` in `dir`, which must exit 1 (a breaking change).
fn breaking_json_diff(dir: &Path, old: &str, new: &str) -> JsonDiff {
    let output = common::salespath()
        .current_dir(dir)
        .args(["diff", old, new, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn a_revision_path_reads_the_file_from_git() {
    if !common::require_tool("git", "a_revision_path_reads_the_file_from_git") {
        return;
    }
    let files = Files::new(BASE, BASE);
    let git = |args: &[&str]| git_in(files.dir.path(), args);
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "new.sales"]);
    git(&["commit", "-q", "-m", "base"]);
    std::fs::write(files.path("new.sales"), breaking_edit()).unwrap();

    let report = breaking_json_diff(files.dir.path(), "main:new.sales", "new.sales");
    assert_eq!((report.breaking, report.safe), (1, 1));

    let output = common::salespath()
        .current_dir(files.dir.path())
        .args(["diff", "main:nothing.sales", "new.sales"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("main:nothing.sales"));
}

// ---- per-CRM verdicts, renames, conditions -----------------------------------------------

use salespath::crm::{Crm, Destination};

/// The changes from BASE to BASE with `from` replaced by `to`.
fn changes_after(from: &str, to: &str) -> Vec<Change> {
    assert!(BASE.contains(from), "BASE has no `{from}`");
    changes(BASE, &BASE.replacen(from, to, 1))
}

/// (destination, verdict) of a change, in the order of the destinations.
fn verdicts(change: &Change) -> Vec<(&'static str, &'static str)> {
    change
        .crm
        .0
        .iter()
        .map(|(to, v)| (to.key(), v.verdict))
        .collect()
}

#[test]
fn a_stage_relabel_breaks_salesforce_only() {
    let found = changes_after("stage proposal \"Proposal\"", "stage proposal \"Offer\"");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        verdicts(&found[0]),
        vec![
            ("salesforce", "breaking"),
            ("hubspot", "safe"),
            ("pipedrive", "safe"),
            ("model", "safe")
        ]
    );
    let salesforce = &found[0].crm.0[0].1.effect;
    assert!(salesforce.contains("stage value \"Offer\""), "{salesforce}");
    assert!(salesforce.contains("deals in \"Proposal\""), "{salesforce}");
    let hubspot = &found[0].crm.0[1].1.effect;
    assert!(hubspot.contains("internal stage id"), "{hubspot}");
    assert_eq!(
        found[0].message,
        "stage \"Proposal\" relabelled \"Offer\" (`proposal`)"
    );

    // Judged for HubSpot alone, the same change is safe.
    let old = common::check_text("old.sales", BASE);
    let new = common::check_text(
        "new.sales",
        &BASE.replace("stage proposal \"Proposal\"", "stage proposal \"Offer\""),
    );
    let only_hubspot = salespath::diff::diff_for(
        old.model.as_ref().unwrap(),
        new.model.as_ref().unwrap(),
        &[Destination::Crm(Crm::HubSpot)],
    );
    assert!(!only_hubspot[0].breaking);
    assert_eq!(verdicts(&only_hubspot[0]), vec![("hubspot", "safe")]);
}

#[test]
fn a_process_id_renamed_with_its_label_keeps_the_salesforce_record_type() {
    let found = changes_after("process sales \"Sales\"", "process selling \"Sales\"");
    let kinds: Vec<&str> = found.iter().map(|c| c.kind.as_str()).collect();
    assert_eq!(kinds, vec!["process-removed", "process-added"]);
    let removed = &found[0];
    assert_eq!(
        verdicts(removed),
        vec![
            ("salesforce", "safe"),
            ("hubspot", "safe"),
            ("pipedrive", "safe"),
            ("model", "breaking")
        ]
    );
    assert!(removed.crm.0[0]
        .1
        .effect
        .contains("record type Sales stays"));
    let hint = removed.hint.as_deref().unwrap();
    assert!(hint.contains("`renamed_from: sales`"), "{hint}");

    // A new label is a new record type: breaking there.
    let found = changes_after("process sales \"Sales\"", "process sales \"New Business\"");
    assert_eq!(found[0].kind.as_str(), "process-relabelled");
    assert_eq!(
        verdicts(&found[0]),
        vec![
            ("salesforce", "breaking"),
            ("hubspot", "safe"),
            ("pipedrive", "safe"),
            ("model", "safe")
        ]
    );
}

#[test]
fn a_removed_and_an_added_stage_alike_are_suggested_as_one_renamed() {
    let found = changes(
        BASE,
        &BASE.replace("stage proposal \"Proposal\"", "stage offer \"Proposal\""),
    );
    let removed = found
        .iter()
        .find(|c| c.kind.as_str() == "stage-removed")
        .unwrap();
    assert_eq!(removed.stage.as_deref(), Some("proposal"));
    let hint = removed.hint.as_deref().unwrap();
    assert!(
        hint.contains("from `proposal` to `offer`") && hint.contains("`renamed_from: proposal`"),
        "{hint}"
    );
    // The stage value "Proposal" stays in Salesforce, HubSpot and Pipedrive; the model loses
    // the id.
    assert_eq!(
        verdicts(removed),
        vec![
            ("salesforce", "safe"),
            ("hubspot", "safe"),
            ("pipedrive", "safe"),
            ("model", "breaking")
        ]
    );

    // Same properties under another label are suggested too.
    let found = changes(
        BASE,
        &BASE.replace("stage proposal \"Proposal\"", "stage offer \"Offer\""),
    );
    let removed = found
        .iter()
        .find(|c| c.kind.as_str() == "stage-removed")
        .unwrap();
    assert!(removed.hint.is_some(), "{found:#?}");
    assert_eq!(removed.crm.0[0].1.verdict, "breaking");
}

#[test]
fn thresholds_are_compared_as_bounds() {
    let raised = changes_after("exit: amount > 1000", "exit: amount > 3000");
    assert_eq!(raised.len(), 1, "{raised:#?}");
    assert_eq!(raised[0].kind.as_str(), "exit-threshold-changed");
    assert!(raised[0].breaking);
    assert!(
        raised[0].message.contains(
            "Amount threshold raised from 1,000 to 3,000: deals in Proposal with Amount \
             between 1,000 and 3,000 can no longer move on"
        ),
        "{}",
        raised[0].message
    );
    assert_eq!(
        verdicts(&raised[0]),
        vec![
            ("salesforce", "breaking"),
            ("hubspot", "safe"),
            ("pipedrive", "safe"),
            ("model", "breaking")
        ]
    );

    let lowered = changes_after("exit: amount > 1000", "exit: amount > 500");
    assert_eq!(lowered.len(), 1);
    assert!(!lowered[0].breaking, "{lowered:#?}");
    assert!(lowered[0]
        .message
        .contains("lowered from 1,000 to 500: deals in Proposal with Amount between 500 and 1,000 can now move on"));

    // `>=` for `>` at the same value lets more deals through.
    let looser = changes_after("exit: amount > 1000", "exit: amount >= 1000");
    assert_eq!(looser[0].kind.as_str(), "exit-threshold-changed");
    assert!(!looser[0].breaking);
}

#[test]
fn clauses_added_and_removed_are_named() {
    let added = changes_after(
        "exit: amount > 1000",
        "exit: amount > 1000 and notes is set",
    );
    assert_eq!(added.len(), 1);
    assert_eq!(
        added[0].message,
        "exit of Proposal (`proposal`): clause added: Notes is filled in (`notes is set`)"
    );
    assert!(added[0].crm.0[0]
        .1
        .effect
        .contains("deals in Proposal where Notes is empty"));
    let removed = changes(
        &BASE.replace(
            "exit: amount > 1000",
            "exit: amount > 1000 and notes is set",
        ),
        BASE,
    );
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0].kind.as_str(), "exit-criterion-removed");
    assert!(!removed[0].breaking);
    assert!(removed[0]
        .message
        .contains("clause removed: Notes is filled in"));
}

#[test]
fn criteria_are_expanded_to_their_items() {
    let found = changes_after("seats: seats > 5", "seats: seats > 10");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].stage.as_deref(), Some("discovery"));
    assert!(
        found[0].message.starts_with(
            "exit of Discovery (`discovery`), in criteria Ready (`ready`): Seats threshold \
             raised from 5 to 10"
        ),
        "{}",
        found[0].message
    );

    // Criteria no exit uses are compared on their own, and no CRM checks them.
    let unused = BASE.replace(
        "criteria ready {",
        "criteria spare {\n  big: seats > 100\n}\n\ncriteria ready {",
    );
    let found = changes(&unused, &unused.replace("seats > 100", "seats > 200"));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].kind.as_str(), "criteria-item-changed");
    assert!(!found[0].breaking);
}

#[test]
fn requirements_and_moves_differ_per_crm() {
    let found = changes_after("requires: amount", "requires: amount, notes");
    assert_eq!(
        verdicts(&found[0]),
        vec![
            ("salesforce", "breaking"),
            ("hubspot", "safe"),
            ("pipedrive", "safe"),
            ("model", "breaking")
        ]
    );
    assert!(found[0].message.contains("now requires Notes (`notes`)"));
    let found = changes_after("next: won, discovery, lost", "next: won, lost");
    assert_eq!(
        verdicts(&found[0]),
        vec![
            ("salesforce", "breaking"),
            ("hubspot", "safe"),
            ("pipedrive", "safe"),
            ("model", "breaking")
        ]
    );
    // A field renamed in one CRM breaks that CRM only.
    let found = changes_after(
        "field amount \"Amount\": currency",
        "field amount \"Amount\": currency { hubspot: \"amount_total\" }",
    );
    assert_eq!(
        verdicts(&found[0]),
        vec![
            ("salesforce", "safe"),
            ("hubspot", "breaking"),
            ("pipedrive", "safe"),
            ("model", "safe")
        ]
    );
    // Outcomes break everywhere.
    let signed = BASE.replace(
        "stage won { outcome: won }",
        "stage won { outcome: won }\n\n  stage signed {\n    outcome: won\n    from: any\n  }",
    );
    let found = changes(
        &signed,
        &signed.replace(
            "outcome: won\n    from: any",
            "outcome: lost\n    from: any",
        ),
    );
    assert!(found.iter().any(|c| c.kind.as_str() == "outcome-changed"
        && c.crm.0.iter().all(|(_, v)| v.verdict == "breaking")));
}

#[test]
fn the_build_destinations_decide_what_is_breaking() {
    let relabel = BASE.replace("stage proposal \"Proposal\"", "stage proposal \"Offer\"");
    let files = Files::new(BASE, &relabel);
    assert_eq!(files.run(&[]).status.code(), Some(1));
    let output = files.run(&["--crm", "hubspot,pipedrive", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let report: JsonDiff = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report.crms, vec!["hubspot", "pipedrive"]);
    let keys: Vec<&String> = report.changes[0].crm.keys().collect();
    assert_eq!(keys, vec!["hubspot", "pipedrive"]);
    assert_eq!(report.changes[0].crm["hubspot"].verdict, "safe");
    assert!(report.changes[0].crm["hubspot"]
        .effect
        .contains("internal stage id"));
    assert!(report.changes[0].hint.is_none());

    // Without --crm, the destinations `build.emit` writes.
    std::fs::write(
        files.path("salespath.yaml"),
        "build:\n  emit: [hubspot, dot]\n",
    )
    .unwrap();
    let output = files.run(&["--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let report: JsonDiff = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report.crms, vec!["hubspot"]);
    std::fs::write(
        files.path("salespath.yaml"),
        "build:\n  emit: [salesforce]\n",
    )
    .unwrap();
    assert_eq!(files.run(&[]).status.code(), Some(1));

    let output = files.run(&["--crm", "zoho"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("`zoho` is not a destination"));
}

#[test]
fn markdown_code_spans_show_conditions_as_written() {
    let files = Files::new(
        BASE,
        &BASE.replace("exit: amount > 1000", "exit: amount >= 3000"),
    );
    let output = files.run(&["--format", "markdown"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("(`amount >= 3000`)"), "{text}");
    assert!(!text.contains("&gt;"), "{text}");
    assert!(
        text.contains("threshold raised from 1,000 to 3,000"),
        "{text}"
    );
    assert!(
        text.contains("  - **Salesforce** (breaking): the validation rule stops"),
        "{text}"
    );
}

#[test]
fn renamed_from_makes_one_rename_judged_per_crm() {
    let renamed = BASE
        .replace(
            "field amount \"Amount\": currency",
            "field deal_size \"Amount\": currency { renamed_from: amount }",
        )
        .replace("requires: amount", "requires: deal_size")
        .replace("exit: amount > 1000", "exit: deal_size > 1000")
        .replace(
            "stage proposal \"Proposal\" {",
            "stage offer \"Proposal\" {\n    renamed_from: proposal",
        )
        .replace(
            "process sales \"Sales\" {",
            "process selling \"Sales\" {\n  renamed_from: sales",
        );
    let found = changes(BASE, &renamed);
    let kinds: Vec<(&str, &str)> = found
        .iter()
        .map(|c| (c.kind.as_str(), c.message.as_str()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (
                "process-renamed",
                "process Sales (`sales`) renamed to Sales (`selling`)"
            ),
            (
                "stage-renamed",
                "stage Proposal (`proposal`) renamed to Proposal (`offer`)"
            ),
            (
                "field-renamed",
                "field Amount (`amount`) renamed to Amount (`deal_size`)"
            ),
        ],
        "the stages and conditions using the renamed field are unchanged: {found:#?}"
    );
    // Same labels: nothing changes in the CRMs, the model's ids do.
    for change in &found[..2] {
        assert_eq!(
            verdicts(change),
            vec![
                ("salesforce", "safe"),
                ("hubspot", "safe"),
                ("pipedrive", "safe"),
                ("model", "breaking")
            ]
        );
    }
    // A field's CRM names come from its id: all change.
    assert!(found[2].crm.0.iter().all(|(_, v)| v.verdict == "breaking"));
    assert!(found[2].crm.0[0].1.effect.contains("Deal_Size__c"));

    // Renamed and relabelled: a new stage value in Salesforce only.
    let relabelled = BASE.replace(
        "stage proposal \"Proposal\" {",
        "stage offer \"Offer\" {\n    renamed_from: proposal",
    );
    let found = changes(BASE, &relabelled);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        verdicts(&found[0]),
        vec![
            ("salesforce", "breaking"),
            ("hubspot", "safe"),
            ("pipedrive", "safe"),
            ("model", "breaking")
        ]
    );
}

#[test]
fn renamed_from_is_formatted_and_checked() {
    let text = BASE.replace(
        "stage proposal \"Proposal\" {",
        "stage offer \"Proposal\" {\n    renamed_from:   proposal",
    );
    let formatted = salespath::fmt::format_source(&text).unwrap();
    assert!(
        formatted.contains("  stage offer \"Proposal\" {\n    renamed_from: proposal\n"),
        "{formatted}"
    );
    assert_eq!(
        salespath::fmt::format_source(&formatted).unwrap(),
        formatted
    );
    let field = "field amount \"Amount\": currency { renamed_from: total }\n";
    let formatted = salespath::fmt::format_source(field).unwrap();
    assert!(formatted.contains("renamed_from: total"), "{formatted}");
    assert_eq!(
        salespath::fmt::format_source(&formatted).unwrap(),
        formatted
    );

    // The old id must be gone.
    let kept = BASE.replace(
        "stage won { outcome: won }",
        "stage won {\n    outcome: won\n    renamed_from: proposal\n  }",
    );
    let checked = common::check_text("kept.sales", &kept);
    let rules: Vec<&str> = checked.diagnostics.iter().map(|d| d.rule.name()).collect();
    assert!(rules.contains(&"renamed-from-exists"), "{rules:?}");
}

#[test]
fn a_revision_path_reads_its_imports_at_that_revision() {
    if !common::require_tool("git", "a_revision_path_reads_its_imports_at_that_revision") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let at = |name: &str| dir.path().join(name);
    let git = |args: &[&str]| git_in(dir.path(), args);
    let process = |import: &str| {
        format!(
            "import \"{import}\"\n\nprocess sales \"Sales\" {{\n  stage proposal \"Proposal\" {{\n    \
             probability: 50%\n    requires: amount\n    exit: amount >= 2000\n  }}\n\n  \
             stage won {{ outcome: won }}\n\n  stage lost {{\n    outcome: lost\n    from: any\n  }}\n}}\n"
        )
    };
    std::fs::write(at("shared.sales"), "field amount \"Amount\": currency\n").unwrap();
    std::fs::write(at("sales.sales"), process("shared.sales")).unwrap();
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "base"]);

    // The working tree imports another file and no longer has the old one.
    std::fs::remove_file(at("shared.sales")).unwrap();
    std::fs::write(at("fields.sales"), "field amount \"Amount\": number\n").unwrap();
    std::fs::write(at("sales.sales"), process("fields.sales")).unwrap();
    let report = breaking_json_diff(dir.path(), "main:sales.sales", "sales.sales");
    let kinds: Vec<&str> = report.changes.iter().map(|c| c.kind.as_str()).collect();
    assert_eq!(kinds, vec!["field-retyped"], "{report:#?}");
    assert!(report.changes[0].message.contains("currency to number"));

    // Both sides at revisions: the same text, no changes.
    let output = common::salespath()
        .current_dir(dir.path())
        .args(["diff", "main:sales.sales", "main:sales.sales"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "no changes\n");
}

#[test]
fn a_relabelled_field_or_tool_in_a_requirement_is_not_a_new_requirement() {
    let found = changes_after("field amount \"Amount\"", "field amount \"Deal amount\"");
    let kinds: Vec<&str> = found.iter().map(|c| c.kind.as_str()).collect();
    assert_eq!(kinds, vec!["field-relabelled"]);
    let found = changes_after("tool deck \"Deck\"", "tool deck \"Slides\"");
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn a_field_removed_and_added_with_one_label_is_suggested_as_renamed() {
    let found = changes_after(
        "field notes \"Notes\": text",
        "field remarks \"Notes\": text",
    );
    let removed = found
        .iter()
        .find(|c| c.kind.as_str() == "field-removed")
        .unwrap();
    let hint = removed.hint.as_deref().unwrap();
    assert!(hint.contains("`renamed_from: notes`"), "{hint}");
    // The CRM names come from the id, so the removal breaks every destination.
    assert!(removed.crm.0.iter().all(|(_, v)| v.verdict == "breaking"));

    let files = Files::new(
        BASE,
        &BASE.replace(
            "field notes \"Notes\": text",
            "field remarks \"Notes\": text",
        ),
    );
    let text = String::from_utf8(files.run(&["--format", "markdown"]).stdout).unwrap();
    assert!(
        text.contains("  - 💡 Notes looks renamed from `notes` to `remarks`: write `renamed_from: notes` in `remarks`"),
        "{text}"
    );
}
