//! One source of CRM facts: what one CRM cannot hold is reported by `check` exactly as by
//! `build`, for the outputs `salespath.yaml` enables, at the lines written; a stage may take a
//! value of its own in a CRM; names written for a CRM are checked against its naming rules.

mod common;

use std::path::Path;

const ROLES: &str = "role ae \"Account Executive\"\n";

fn process(id: &str, proposal: &str) -> String {
    format!(
        "process {id} {{\n  stage discovery {{ owner: ae  probability: 20% }}\n  stage proposal \"Proposal\" {{ owner: ae  {proposal} }}\n  stage closed_won {{ outcome: won }}\n  stage closed_lost {{ outcome: lost  from: any }}\n}}\n"
    )
}

/// `b.sales` with a process whose "Proposal" is at 50%, and `a.sales` that imports it with
/// one at 60%: one build, one Salesforce stage list.
fn two_files(dir: &Path, a_proposal: &str) {
    std::fs::write(
        dir.join("b.sales"),
        format!("{ROLES}{}", process("renewal", "probability: 50%")),
    )
    .unwrap();
    std::fs::write(
        dir.join("a.sales"),
        format!(
            "import \"b.sales\"\n{}",
            process("new_business", a_proposal)
        ),
    )
    .unwrap();
}

fn salespath(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = common::salespath()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code(), text)
}

#[test]
fn check_reports_a_stage_one_org_cannot_hold_as_build_does_naming_both_files() {
    let dir = tempfile::tempdir().unwrap();
    two_files(dir.path(), "probability: 60%");
    let (code, checked) = salespath(dir.path(), &["check", "a.sales", "b.sales"]);
    assert_eq!(code, Some(1), "{checked}");
    assert!(checked.contains("salesforce-stage-conflict"), "{checked}");
    assert!(
        checked.contains("probability 60% here and 50% there"),
        "{checked}"
    );
    assert!(
        checked.contains("a.sales:4:"),
        "at the line written: {checked}"
    );
    assert!(
        checked.contains("b.sales:"),
        "names the other file: {checked}"
    );
    let (code, built) = salespath(dir.path(), &["build", "a.sales", "b.sales"]);
    assert_eq!(code, Some(1));
    let first = |text: &str| {
        text.lines()
            .skip_while(|l| !l.contains("salesforce-stage-conflict"))
            .take(12)
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(first(&checked), first(&built));
    assert!(!dir.path().join("out").exists());
}

#[test]
fn only_the_outputs_the_configuration_enables_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    two_files(dir.path(), "probability: 60%");
    std::fs::write(
        dir.path().join("salespath.yaml"),
        "build:\n  emit: [json, hubspot]\n",
    )
    .unwrap();
    let (code, checked) = salespath(dir.path(), &["check", "a.sales", "b.sales"]);
    assert_eq!(code, Some(0), "{checked}");
    // Naming Salesforce on the command line builds it, so its findings count again.
    let (code, built) = salespath(
        dir.path(),
        &["build", "--emit", "salesforce", "a.sales", "b.sales"],
    );
    assert_eq!(code, Some(1), "{built}");
    assert!(built.contains("salesforce-stage-conflict"), "{built}");
}

#[test]
fn a_stage_of_its_own_in_salesforce_resolves_the_conflict() {
    let dir = tempfile::tempdir().unwrap();
    two_files(
        dir.path(),
        "probability: 60%  salesforce: \"Proposal (New Business)\"",
    );
    let (code, checked) = salespath(dir.path(), &["check", "a.sales", "b.sales"]);
    assert_eq!(code, Some(0), "{checked}");
    let (code, built) = salespath(
        dir.path(),
        &[
            "build",
            "--emit",
            "salesforce,hubspot,json",
            "a.sales",
            "b.sales",
        ],
    );
    assert_eq!(code, Some(0), "{built}");
    let out = dir.path().join("out");
    let stages = std::fs::read_to_string(
        out.join("salesforce/force-app/main/default/standardValueSets/OpportunityStage.standardValueSet-meta.xml"),
    )
    .unwrap();
    assert!(stages.contains("<fullName>Proposal (New Business)</fullName>"));
    assert!(stages.contains("<fullName>Proposal</fullName>"));
    // Other CRMs keep the label; the model says each stage's name in each CRM.
    let hubspot = std::fs::read_to_string(out.join("new_business.hubspot.json")).unwrap();
    assert!(hubspot.contains("\"label\": \"Proposal\""), "{hubspot}");
    let model: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("model.json")).unwrap()).unwrap();
    let process = model["processes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "new_business")
        .unwrap();
    let proposal = &process["stages"][1];
    assert_eq!(
        proposal["crm"]["salesforce"]["stage"],
        "Proposal (New Business)"
    );
    assert_eq!(proposal["crm"]["salesforce"]["probability"], 60);
    assert_eq!(proposal["crm"]["hubspot"]["stage"], "Proposal");
    assert_eq!(proposal["crm"]["hubspot"]["probability"], "0.6");
}

/// The variant example of docs/language.md, with a base it can extend.
#[test]
fn the_docs_variant_example_checks_clean() {
    let language = std::fs::read_to_string(common::root().join("docs/language.md")).unwrap();
    let at = language
        .find("process smb \"SMB\" extends mid_market")
        .unwrap();
    let example = &language[at..at + language[at..].find("```").unwrap()];
    let base = r#"
field amount "Amount": currency
role ae "AE"
process mid_market "Mid-market" {
  stage discovery { owner: ae  probability: 20% }
  stage security_review "Security Review" { owner: ae  probability: 40% }
  stage proposal { owner: ae  probability: 60%  requires: amount  exit: amount >= 5_000 }
  stage closed_won { outcome: won }
  stage closed_lost { outcome: lost  from: any }
}
"#;
    let checked = common::check_text("variants.sales", &format!("{base}{example}"));
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
}

#[test]
fn a_name_that_is_not_a_salesforce_name_never_reaches_a_formula() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("p.sales"),
        format!(
            "{ROLES}field amount \"Amount\": currency {{ salesforce: \"Amount) || TRUE || (Amount\" }}\n{}",
            process("p", "probability: 60%  requires: amount  exit: amount > 5")
        ),
    )
    .unwrap();
    let (code, checked) = salespath(dir.path(), &["check", "p.sales"]);
    assert_eq!(code, Some(1));
    assert!(checked.contains("invalid-crm-name"), "{checked}");
    assert!(checked.contains("p.sales:2:47"), "at the name: {checked}");
    // Even with the rule switched off, the Salesforce output refuses the name.
    std::fs::write(
        dir.path().join("salespath.yaml"),
        "rules:\n  invalid-crm-name: off\n",
    )
    .unwrap();
    let (code, built) = salespath(dir.path(), &["build", "--emit", "salesforce", "p.sales"]);
    assert_eq!(code, Some(1), "{built}");
    assert!(built.contains("is not a Salesforce field name"), "{built}");
    assert!(!dir.path().join("out").exists());
}

#[test]
fn the_model_and_the_salesforce_files_agree_on_long_field_names() {
    let dir = tempfile::tempdir().unwrap();
    let id = "economic_buyer_confirmed_by_procurement_team";
    std::fs::write(
        dir.path().join("p.sales"),
        format!(
            "{ROLES}field {id} \"Confirmed\": bool\n{}",
            process("p", &format!("probability: 60%  exit: {id}"))
        ),
    )
    .unwrap();
    let (code, built) = salespath(
        dir.path(),
        &["build", "--emit", "json,salesforce", "p.sales"],
    );
    assert_eq!(code, Some(0), "{built}");
    let out = dir.path().join("out");
    let model: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("model.json")).unwrap()).unwrap();
    let name = model["fields"][0]["crm"]["salesforce"].as_str().unwrap();
    assert!(name.len() <= 40 && name.ends_with("__c"), "{name}");
    let field = out.join(format!(
        "salesforce/force-app/main/default/objects/Opportunity/fields/{name}.field-meta.xml"
    ));
    assert!(field.exists(), "{}", field.display());
    let rule = std::fs::read_to_string(out.join(
        "salesforce/force-app/main/default/objects/Opportunity/validationRules/P_Proposal_Exit.validationRule-meta.xml",
    ))
    .unwrap();
    assert!(rule.contains(&format!("NOT({name})")), "{rule}");
}

#[test]
fn each_crm_rounds_by_one_rule_with_one_warning() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("p.sales"),
        format!("{ROLES}{}", process("p", "probability: 12.5%")),
    )
    .unwrap();
    let (code, built) = salespath(
        dir.path(),
        &["build", "--emit", "salesforce,hubspot,pipedrive", "p.sales"],
    );
    assert_eq!(code, Some(0), "{built}");
    for (crm, stored) in [
        ("Salesforce", "13%"),
        ("HubSpot", "10%"),
        ("Pipedrive", "13%"),
    ] {
        let said = format!("{crm} only takes probabilities");
        assert_eq!(built.matches(&said).count(), 1, "{crm}: {built}");
        assert!(built.contains(&format!("becomes {stored}")), "{built}");
    }
    let stages = std::fs::read_to_string(
        dir.path()
            .join("out/salesforce/force-app/main/default/standardValueSets/OpportunityStage.standardValueSet-meta.xml"),
    )
    .unwrap();
    assert!(stages.contains("<probability>13</probability>"));
    // Won and lost stages are set once, the same in every CRM.
    assert!(stages.contains("<probability>100</probability>"));
    let pipeline = std::fs::read_to_string(dir.path().join("out/p.hubspot.json")).unwrap();
    assert!(pipeline.contains("\"probability\": \"0.1\""), "{pipeline}");
    assert!(pipeline.contains("\"probability\": \"1.0\""), "{pipeline}");
}
