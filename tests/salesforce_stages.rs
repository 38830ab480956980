//! The Salesforce stage list: the order it is written in, and, with the org's retrieved list
//! (`salesforce.stage_value_set`), every stage of the org kept as it was and a warning for
//! each one the deploy would change.

mod common;

use salespath::config::Config;
use salespath::emit;
use std::path::{Path, PathBuf};

const VALUE_SET: &str =
    "salesforce/force-app/main/default/standardValueSets/OpportunityStage.standardValueSet-meta.xml";

fn fixture(name: &str) -> PathBuf {
    common::root()
        .join("tests/fixtures/rules/salesforce-stage-change")
        .join(name)
}

fn org_config() -> Config {
    Config::discover(&fixture("")).expect("the fixture's salespath.yaml")
}

/// The value set and the Salesforce findings of `path`, built with `config`'s org stages.
fn build(path: &Path, config: &Config) -> (String, Vec<salespath::diag::Diagnostic>) {
    let checked = common::check(path);
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let mut project = common::project(&checked);
    project.org_stages = config.salesforce.org_stages.as_ref();
    let backend = emit::find("salesforce").unwrap();
    let emitted = emit::run(backend, &project).expect("backend succeeds");
    let findings = emit::findings(backend, &project);
    let (_, bytes) = emitted
        .files
        .iter()
        .find(|(p, _)| p == VALUE_SET)
        .expect("a value set");
    (String::from_utf8(bytes.clone()).unwrap(), findings)
}

/// Each `<standardValue>` of a value set, as text.
fn values(set: &str) -> Vec<&str> {
    set.split("<standardValue>").skip(1).collect()
}

fn names(set: &str) -> Vec<String> {
    values(set)
        .iter()
        .map(|v| {
            let start = v.find("<fullName>").unwrap() + "<fullName>".len();
            let end = v.find("</fullName>").unwrap();
            v[start..end].to_string()
        })
        .collect()
}

fn value<'s>(set: &'s str, name: &str) -> &'s str {
    values(set)
        .into_iter()
        .find(|v| v.contains(&format!("<fullName>{name}</fullName>")))
        .unwrap_or_else(|| panic!("no value {name}"))
}

#[test]
fn the_org_stages_are_kept_with_their_values_and_activity() {
    let (set, _) = build(&fixture("bad.sales"), &org_config());
    assert_eq!(
        names(&set),
        [
            "Prospecting",
            "Discovery",
            "Value Proposition",
            "Proposal",
            "Closed Won",
            "Closed Lost",
            "Closed Duplicate"
        ]
    );
    // Only in the org: as it was, inactive ones stay inactive.
    let kept = value(&set, "Value Proposition");
    assert!(kept.contains("<isActive>false</isActive>"), "{kept}");
    assert!(kept.contains("<probability>50</probability>"), "{kept}");
    assert!(kept.contains("<closed>false</closed>"), "{kept}");
    let duplicate = value(&set, "Closed Duplicate");
    assert!(duplicate.contains("<isActive>false</isActive>"));
    assert!(duplicate.contains("<closed>true</closed>"));
    let prospecting = value(&set, "Prospecting");
    assert!(!prospecting.contains("isActive"));
    assert!(prospecting.contains("<probability>10</probability>"));
    if common::require_tool("xmllint", "salesforce kept stage list xmllint validation") {
        let dir = tempfile::tempdir().unwrap();
        let file = dir
            .path()
            .join("OpportunityStage.standardValueSet-meta.xml");
        std::fs::write(&file, &set).unwrap();
        let output = std::process::Command::new("xmllint")
            .arg("--noout")
            .arg("--schema")
            .arg(common::vendor_schema("salesforce/sfdx-crm.xsd"))
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    // Defined by the process: its values, the org's label.
    let proposal = value(&set, "Proposal");
    assert!(
        proposal.contains("<probability>70</probability>"),
        "{proposal}"
    );
    assert!(proposal.contains("<label>Proposal/Price Quote</label>"));
    assert!(proposal.contains("<forecastCategory>BestCase</forecastCategory>"));
}

#[test]
fn a_changed_probability_is_a_warning_at_the_stage() {
    let config = org_config();
    let checked = common::check(&fixture("bad.sales"));
    let mut project = common::project(&checked);
    project.org_stages = config.salesforce.org_stages.as_ref();
    let backend = emit::find("salesforce").unwrap();
    let findings = config.apply(emit::findings(backend, &project));
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let warning = &findings[0];
    assert_eq!(warning.rule.name(), "salesforce-stage-change");
    assert_eq!(warning.severity, salespath::diag::Severity::Warning);
    assert!(
        warning.message.contains("`Proposal`"),
        "{}",
        warning.message
    );
    assert!(warning.message.contains("probability 60% becomes 70%"));
    assert!(warning
        .message
        .contains("`OpportunityStage.standardValueSet-meta.xml` line 32"));
    assert_eq!(checked.sources.text(warning.loc), "70%");
    let text = std::fs::read_to_string(fixture("bad.sales")).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("probability: 70%"))
        .unwrap();
    let file = checked.sources.get(warning.loc.file);
    assert!(file.name.ends_with("bad.sales"), "{}", file.name);
    assert_eq!(
        file.line_col(warning.loc.span.start).line,
        line + 1,
        "the warning is on the stage's probability line"
    );
}

#[test]
fn stages_the_org_agrees_on_give_no_warning_and_new_ones_join_the_path() {
    let (set, findings) = build(&fixture("good.sales"), &org_config());
    assert!(findings.is_empty(), "{findings:#?}");
    assert_eq!(
        names(&set),
        [
            "Prospecting",
            "Discovery",
            "Value Proposition",
            "Demo",
            "Proposal",
            "Closed Won",
            "Closed Lost",
            "Closed Duplicate"
        ]
    );
}

#[test]
fn variant_stages_come_before_the_closed_ones() {
    let path = common::root().join("examples/multi/processes.sales");
    let (set, _) = build(&path, &Config::default());
    let names = names(&set);
    let first_closed = names.iter().position(|n| n.starts_with("Closed")).unwrap();
    for added in ["Quote", "Renewal Check", "Account Review"] {
        let at = names.iter().position(|n| n == added).unwrap();
        assert!(at < first_closed, "{added} after a closed stage: {names:?}");
    }
    assert_eq!(&names[first_closed..], ["Closed Won", "Closed Lost"]);
}

#[test]
fn an_open_stage_without_a_probability_has_none_in_the_value_set() {
    let checked = common::check_text(
        "test.sales",
        r#"role ae "AE"
process p "P" {
  stage discovery { owner: ae }
  stage closed_won { outcome: won }
  stage closed_lost { outcome: lost  from: any }
}
"#,
    );
    let backend = emit::find("salesforce").unwrap();
    let files = emit::run(backend, &common::project(&checked))
        .unwrap()
        .files;
    let (_, bytes) = files.iter().find(|(p, _)| p == VALUE_SET).unwrap();
    let set = String::from_utf8(bytes.clone()).unwrap();
    let discovery = value(&set, "Discovery");
    assert!(!discovery.contains("<probability>"), "{discovery}");
}

fn cli_build(dir: &Path) -> std::process::Output {
    common::salespath()
        .arg("build")
        .arg(dir.join("p.sales"))
        .args(["--emit", "salesforce", "-o"])
        .arg(dir.join("out"))
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn the_build_reports_stage_changes_and_the_missing_org_list() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("bad.sales"), dir.path().join("p.sales")).unwrap();
    // Without the setting: a note saying the deploy replaces the org's stages.
    let output = cli_build(dir.path());
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("replaces the org's opportunity stage list"),
        "{stderr}"
    );
    assert!(stderr.contains("stage_value_set"), "{stderr}");
    // With it: the org's list is kept, the change reported, no note.
    std::fs::create_dir(dir.path().join("org")).unwrap();
    std::fs::copy(
        fixture("OpportunityStage.standardValueSet-meta.xml"),
        dir.path().join("org/Stages.xml"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("salespath.yaml"),
        "salesforce:\n  stage_value_set: org/Stages.xml\n",
    )
    .unwrap();
    let output = cli_build(dir.path());
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert!(!stderr.contains("replaces the org's"), "{stderr}");
    assert!(stdout.contains("salesforce-stage-change"), "{stdout}");
    assert!(stdout.contains("`org/Stages.xml` line 32"), "{stdout}");
    let checklist =
        std::fs::read_to_string(dir.path().join("out/salesforce/CHECKLIST.md")).unwrap();
    assert!(
        checklist.contains("keeps the 7 stages of the org's list `org/Stages.xml` (2 inactive stay inactive) and adds 0"),
        "{checklist}"
    );
    assert!(checklist.contains("changes the probability or forecast category of 1 stage(s)"));
}

#[test]
fn a_missing_or_invalid_org_list_stops_the_build_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("bad.sales"), dir.path().join("p.sales")).unwrap();
    std::fs::write(
        dir.path().join("salespath.yaml"),
        "salesforce:\n  stage_value_set: org/Missing.xml\n",
    )
    .unwrap();
    let output = cli_build(dir.path());
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("org/Missing.xml"), "{stderr}");
    assert!(!dir.path().join("out").exists());

    std::fs::create_dir(dir.path().join("org")).unwrap();
    std::fs::write(dir.path().join("org/Missing.xml"), "<Package/>").unwrap();
    let output = cli_build(dir.path());
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("org/Missing.xml"), "{stderr}");
    assert!(
        stderr.contains("not a retrieved OpportunityStage value set"),
        "{stderr}"
    );

    std::fs::write(
        dir.path().join("salespath.yaml"),
        "salesforce:\n  stage_values: org/Missing.xml\n",
    )
    .unwrap();
    let output = cli_build(dir.path());
    assert_eq!(
        output.status.code(),
        Some(2),
        "unknown settings are refused"
    );
}

#[test]
fn independent_files_get_the_stage_list_note_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("bad.sales"), dir.path().join("a.sales")).unwrap();
    std::fs::copy(fixture("good.sales"), dir.path().join("b.sales")).unwrap();
    let output = common::salespath()
        .arg("build")
        .args(["a.sales", "b.sales", "--emit", "salesforce", "-o", "out"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(dir.path().join("out/a/salesforce/package.xml").is_file());
    assert!(dir.path().join("out/b/salesforce/package.xml").is_file());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr
            .matches("replaces the org's opportunity stage list")
            .count(),
        1,
        "{stderr}"
    );
}
