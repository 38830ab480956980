//! The Salesforce backend: schema-valid SFDX files, golden output, formulas, name limits,
//! stage conflicts and escaping.

mod common;

use salespath::diag::Severity;
use salespath::emit::salesforce::{formula, names};
use salespath::emit::{self, EmitError};
use salespath::session::Checked;
use std::path::{Path, PathBuf};
use std::process::Command;

const TOOL_TEST: &str = "salesforce xmllint validation";

fn schema() -> PathBuf {
    common::vendor_schema("salesforce/sfdx-crm.xsd")
}

fn run_backend(checked: &Checked) -> Result<emit::Emitted, EmitError> {
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let backend = emit::find("salesforce").expect("the salesforce backend is registered");
    emit::run(backend, &common::project(checked))
}

fn emit_text(text: &str) -> Vec<(String, Vec<u8>)> {
    let checked = common::check_text("test.sales", text);
    run_backend(&checked).expect("backend succeeds").files
}

fn emit_path(path: &Path) -> Vec<(String, Vec<u8>)> {
    let checked = common::check(path);
    run_backend(&checked).expect("backend succeeds").files
}

fn text_of<'a>(files: &'a [(String, Vec<u8>)], path: &str) -> &'a str {
    let (_, bytes) = files
        .iter()
        .find(|(p, _)| p == path)
        .unwrap_or_else(|| panic!("no file {path}"));
    std::str::from_utf8(bytes).expect("UTF-8")
}

/// The SFDX project files beside the metadata source, which are not XML.
const PROJECT_FILES: [&str; 3] = [
    "salesforce/sfdx-project.json",
    "salesforce/.forceignore",
    "salesforce/CHECKLIST.md",
];

/// The metadata source folder of the project.
const SOURCE: &str = "salesforce/force-app/main/default/";

/// The path of a metadata file in the output, from its path in the source folder.
fn source(path: &str) -> String {
    format!("{SOURCE}{path}")
}

/// Writes the files to a temporary folder and validates every XML file with xmllint.
fn assert_schema_valid(name: &str, files: &[(String, Vec<u8>)]) {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (path, bytes) in files {
        if PROJECT_FILES.contains(&path.as_str()) {
            continue;
        }
        assert!(path.ends_with(".xml"), "{name}: unexpected file {path}");
        assert!(
            path.starts_with(SOURCE) || path == "salesforce/package.xml",
            "{name}: {path} is outside the package directory"
        );
        let target = dir.path().join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(&target, bytes).unwrap();
        paths.push(target);
    }
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema())
        .args(&paths)
        .output()
        .expect("xmllint runs");
    assert!(
        output.status.success(),
        "{name}: xmllint rejected the output:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Every good rule fixture that has a process (the others emit nothing).
fn good_fixtures_with_processes() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(common::root().join("tests/fixtures/rules"))
        .unwrap()
        .map(|e| e.unwrap().path().join("good.sales"))
        .filter(|p| p.exists())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .filter(|p| {
            let checked = common::check(p);
            checked
                .model
                .as_ref()
                .is_some_and(|m| !m.processes.is_empty())
        })
        .collect()
}

fn every_input() -> Vec<PathBuf> {
    let mut inputs = common::shared_examples();
    inputs.extend(common::examples());
    inputs.push(common::root().join("tests/fixtures/hostile/labels.sales"));
    inputs.extend(good_fixtures_with_processes());
    inputs
}

#[test]
fn every_emitted_file_is_valid_against_the_salesforce_schema() {
    if !common::require_tool("xmllint", TOOL_TEST) {
        return;
    }
    let inputs = every_input();
    assert!(
        inputs.len() > 20,
        "expected the examples and the rule fixtures"
    );
    for input in inputs {
        let files = emit_path(&input);
        assert!(files.len() > 3, "{} emitted too little", input.display());
        assert_schema_valid(&input.display().to_string(), &files);
    }
}

#[test]
fn output_is_deterministic() {
    for input in every_input() {
        assert_eq!(emit_path(&input), emit_path(&input), "{}", input.display());
    }
}

/// The whole folder as one text: each file's path, then its contents.
fn folder_text(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (path, bytes) in files {
        out.extend_from_slice(format!("=== {path}\n").as_bytes());
        out.extend_from_slice(bytes);
    }
    out
}

#[test]
fn golden_folders_for_the_examples() {
    let shared = common::shared_examples();
    assert!(!shared.is_empty());
    for path in shared {
        let stem = path.file_stem().unwrap().to_string_lossy();
        let files = emit_path(&path);
        common::assert_golden(
            &format!("salesforce/shared-{stem}.txt"),
            &folder_text(&files),
        );
    }
    for path in common::examples() {
        let stem = path.file_stem().unwrap().to_string_lossy();
        let files = emit_path(&path);
        common::assert_golden(&format!("salesforce/{stem}.txt"), &folder_text(&files));
    }
}

#[test]
fn stage_value_set_lists_every_stage_once_with_its_values() {
    let files = emit_path(&common::shared_examples()[0]);
    let set = text_of(
        &files,
        "salesforce/force-app/main/default/standardValueSets/OpportunityStage.standardValueSet-meta.xml",
    );
    assert_eq!(set.matches("<standardValue>").count(), 7);
    assert!(set.contains("<sorted>false</sorted>"));
    assert!(set.contains(
        "<fullName>Negotiation</fullName>\n        <default>false</default>\n        \
         <label>Negotiation</label>\n        <closed>false</closed>\n        \
         <forecastCategory>Forecast</forecastCategory>\n        <probability>80</probability>\n        \
         <won>false</won>"
    ));
    assert!(set.contains("<forecastCategory>BestCase</forecastCategory>"));
    let won = set.find("<fullName>Closed Won</fullName>").unwrap();
    assert!(set[won..].starts_with(
        "<fullName>Closed Won</fullName>\n        <default>false</default>\n        \
         <label>Closed Won</label>\n        <closed>true</closed>\n        \
         <forecastCategory>Closed</forecastCategory>\n        <probability>100</probability>\n        \
         <won>true</won>"
    ));
}

#[test]
fn package_lists_every_emitted_member() {
    for input in every_input() {
        let files = emit_path(&input);
        let package = text_of(&files, "salesforce/package.xml");
        assert!(package.contains("<version>66.0</version>"));
        let members = package.matches("<members>").count();
        let sources: Vec<&String> = files
            .iter()
            .map(|(path, _)| path)
            .filter(|path| path.starts_with(SOURCE))
            .collect();
        assert_eq!(members, sources.len(), "{}", input.display());
        for path in sources {
            let file = path.rsplit('/').next().unwrap();
            let name = file.split('.').next().unwrap();
            let escaped = name.replace('&', "&amp;");
            assert!(
                package.contains(&format!("{escaped}</members>")),
                "{}: {name} is not in package.xml",
                input.display()
            );
        }
    }
}

#[test]
fn the_folder_is_an_sfdx_project() {
    let files = emit_path(&common::shared_examples()[0]);
    let project: serde_json::Value =
        serde_json::from_str(text_of(&files, "salesforce/sfdx-project.json")).unwrap();
    assert_eq!(
        project["packageDirectories"],
        serde_json::json!([{ "path": "force-app", "default": true }])
    );
    assert_eq!(project["sourceApiVersion"], "66.0");
    assert!(project["name"].as_str().is_some_and(|n| !n.is_empty()));
    let ignore = text_of(&files, "salesforce/.forceignore");
    assert!(ignore.lines().any(|l| l == "package.xml"));
    for (path, _) in &files {
        assert!(
            path.starts_with(SOURCE)
                || PROJECT_FILES.contains(&path.as_str())
                || path == "salesforce/package.xml",
            "{path} is neither source nor a project file"
        );
    }
}

#[test]
fn the_permission_set_grants_every_generated_field_and_record_type_but_not_the_bypass() {
    let path = common::root().join("tests/fixtures/rules/unreachable-threshold/good.sales");
    for files in [emit_path(&common::shared_examples()[0]), emit_path(&path)] {
        let package = text_of(&files, "salesforce/package.xml");
        let set = text_of(
            &files,
            &format!("{SOURCE}permissionsets/Salespath_Sales_Process.permissionset-meta.xml"),
        );
        assert!(package.contains(
            "<members>Salespath_Sales_Process</members>\n        <name>PermissionSet</name>"
        ));
        let mut fields = 0;
        for (path, bytes) in &files {
            let Some(rest) = path.strip_prefix(&format!("{SOURCE}objects/")) else {
                continue;
            };
            let parts: Vec<&str> = rest.split('/').collect();
            let name = parts[2].split('.').next().unwrap();
            let member = format!("{}.{name}", parts[0]);
            match parts[1] {
                "fields" => {
                    fields += 1;
                    // Formula fields (lead scores) and the previous stage, which a flow
                    // keeps, are read only; the fields a score reads on Lead are filled in
                    // like any other.
                    let editable = !String::from_utf8_lossy(bytes).contains("<formula>")
                        && name != "Salespath_Previous_Stage__c";
                    assert!(
                        set.contains(&format!(
                            "<fieldPermissions>\n        <editable>{editable}</editable>\n        \
                             <field>{member}</field>\n        <readable>true</readable>"
                        )),
                        "{member} (editable {editable}) in\n{set}"
                    );
                }
                "recordTypes" => assert!(
                    set.contains(&format!(
                        "<recordTypeVisibilities>\n        <recordType>{member}</recordType>\n        \
                         <visible>true</visible>"
                    )),
                    "{member}"
                ),
                _ => {}
            }
        }
        assert!(fields > 0);
        assert_eq!(set.matches("<fieldPermissions>").count(), fields);
        assert!(!set.contains("<customPermissions>"), "{set}");
    }
}

#[test]
fn the_bypass_permission_and_path_settings_are_deployed() {
    let files = emit_path(&common::shared_examples()[0]);
    let bypass = text_of(
        &files,
        &format!("{SOURCE}customPermissions/Salespath_Bypass_Rules.customPermission-meta.xml"),
    );
    assert!(bypass.contains("<label>Bypass sales process rules</label>"));
    assert!(bypass.contains("integration"));
    let settings = text_of(
        &files,
        &format!("{SOURCE}settings/PathAssistant.settings-meta.xml"),
    );
    assert!(settings.contains("<PathAssistantSettings "));
    assert!(settings.contains("<pathAssistantEnabled>true</pathAssistantEnabled>"));
    let package = text_of(&files, "salesforce/package.xml");
    assert!(package.contains(
        "<members>Salespath_Bypass_Rules</members>\n        <name>CustomPermission</name>"
    ));
    assert!(package.contains("<members>PathAssistant</members>\n        <name>Settings</name>"));
}

#[test]
fn the_checklist_says_what_is_left_by_hand() {
    let files = emit_path(&common::shared_examples()[0]);
    let checklist = text_of(&files, "salesforce/CHECKLIST.md");
    for expected in [
        "## Deploy\n",
        "`cd salesforce && sf project deploy start --target-org <alias>`",
        "`sf project deploy start --manifest package.xml --target-org <alias>`",
        "## Stage list\n",
        "**Deploying replaces the org's opportunity stage list**",
        "`salesforce: stage_value_set: <path to the retrieved file>`",
        "## Access\n",
        "Assign the permission set `Salespath_Sales_Process`",
        "Record Type Settings",
        "`Opportunity.Enterprise_New_Business`",
        "Grant the custom permission `Salespath_Bypass_Rules` only to integration users",
    ] {
        assert!(checklist.contains(expected), "{expected:?} in\n{checklist}");
    }
    let deploy = checklist.find("## Deploy").unwrap();
    let stages = checklist.find("## Stage list").unwrap();
    let access = checklist.find("## Access").unwrap();
    assert!(deploy < stages && stages < access);
}

#[test]
fn the_checklist_escapes_record_type_names_it_shows() {
    let files = emit_text(
        r#"role ae "AE"
process p "Deals `one` *two*" {
  stage discovery { owner: ae  probability: 20% }
  stage closed_won { outcome: won }
  stage closed_lost { outcome: lost  from: any }
}
"#,
    );
    let checklist = text_of(&files, "salesforce/CHECKLIST.md");
    let line = checklist
        .lines()
        .find(|l| l.contains("Record Type Settings"))
        .unwrap();
    assert!(line.contains("`Opportunity.Deals_one_two`"), "{line}");
}

// ---------------------------------------------------------------- formulas

const FORMULA_MODEL: &str = r#"
role ae "AE"
field amount "Amount": currency
field seats "Seats": number
field discount "Discount": percent
field note "Note": text
field close "Close": date
field signed "Signed": bool
field plan "Plan": choice["Starter", "Pro \"X\" \\ Y"]
field deal_value "Deal value": currency { salesforce: "Amount" }
criteria ready "Ready" {
  signed_in: signed
  sized: seats > 2
}
process p "P" {
  stage s {
    owner: ae
    probability: 10%
    requires: amount, seats, discount, note, close, signed, plan, deal_value
    exit: EXIT
  }
  stage w { outcome: won }
  stage l { outcome: lost  from: any }
}
"#;

/// The formula for `exit` written as the exit of a stage.
fn formula_of(exit: &str) -> String {
    let text = FORMULA_MODEL.replace("EXIT", exit);
    let checked = common::check_text("formula.sales", &text);
    assert!(!checked.has_errors(), "{exit}: {:#?}", checked.diagnostics);
    let model = checked.model.as_ref().unwrap();
    let expr = model.processes[0].stages[0].exit.as_ref().unwrap();
    let mut formulas = formula::Formulas::new(model);
    let compiled = formulas.compile(expr);
    assert_eq!(
        formulas.measure(expr),
        compiled.chars().count() as u64,
        "the measured length is the written one"
    );
    compiled
}

#[test]
fn comparisons_compile_to_formula_operators() {
    assert_eq!(formula_of("amount == 100"), "Amount__c = 100");
    assert_eq!(formula_of("amount != 100"), "Amount__c <> 100");
    assert_eq!(formula_of("seats < 5"), "Seats__c < 5");
    assert_eq!(formula_of("seats <= 5"), "Seats__c <= 5");
    assert_eq!(formula_of("seats > 5"), "Seats__c > 5");
    assert_eq!(formula_of("seats >= 2.5"), "Seats__c >= 2.5");
    assert_eq!(formula_of("amount >= 25_000"), "Amount__c >= 25000");
}

#[test]
fn in_lists_become_ors_of_equalities() {
    assert_eq!(
        formula_of("seats in [1, 2, 3]"),
        "OR(Seats__c = 1, Seats__c = 2, Seats__c = 3)"
    );
    assert_eq!(
        formula_of(r#"plan in ["Starter", "Pro \"X\" \\ Y"]"#),
        r#"OR(ISPICKVAL(Plan__c, "Starter"), ISPICKVAL(Plan__c, "Pro \"X\" \\ Y"))"#
    );
    assert_eq!(
        formula_of(r#"plan in ["Starter"]"#),
        r#"ISPICKVAL(Plan__c, "Starter")"#
    );
}

#[test]
fn set_tests_use_isblank_and_text_for_picklists() {
    assert_eq!(formula_of("note is set"), "NOT(ISBLANK(Note__c))");
    assert_eq!(formula_of("note is not set"), "ISBLANK(Note__c)");
    assert_eq!(formula_of("close is set"), "NOT(ISBLANK(Close__c))");
    assert_eq!(formula_of("amount is not set"), "ISBLANK(Amount__c)");
    assert_eq!(formula_of("plan is set"), "NOT(ISBLANK(TEXT(Plan__c)))");
    assert_eq!(formula_of("plan is not set"), "ISBLANK(TEXT(Plan__c))");
}

#[test]
fn checkboxes_are_tested_as_themselves() {
    assert_eq!(formula_of("signed"), "Signed__c");
    assert_eq!(formula_of("not signed"), "NOT(Signed__c)");
    assert_eq!(formula_of("signed == true"), "Signed__c");
    assert_eq!(formula_of("signed == false"), "NOT(Signed__c)");
    assert_eq!(formula_of("signed != false"), "Signed__c");
}

#[test]
fn choices_compare_with_ispickval() {
    assert_eq!(
        formula_of(r#"plan == "Starter""#),
        r#"ISPICKVAL(Plan__c, "Starter")"#
    );
    assert_eq!(
        formula_of(r#"plan != "Starter""#),
        r#"NOT(ISPICKVAL(Plan__c, "Starter"))"#
    );
}

#[test]
fn percentages_are_fractions_in_formulas() {
    assert_eq!(formula_of("discount <= 20%"), "Discount__c <= 0.2");
    assert_eq!(formula_of("discount > 12.5%"), "Discount__c > 0.125");
    assert_eq!(formula_of("discount == 100%"), "Discount__c = 1");
}

#[test]
fn text_literals_are_escaped_for_formula_strings() {
    assert_eq!(
        formula_of(r#"note == "a \\ b \"c\" 'd'""#),
        r#"Note__c = "a \\ b \"c\" \'d\'""#
    );
    assert_eq!(formula_of(r#"note != "x""#), r#"Note__c <> "x""#);
    assert_eq!(formula::string("line\nnext\ttab"), r#""line\nnext\ttab""#);
}

#[test]
fn and_binds_tighter_than_or_and_parentheses_are_kept() {
    assert_eq!(
        formula_of("signed or seats > 1 and note is set"),
        "OR(Signed__c, AND(Seats__c > 1, NOT(ISBLANK(Note__c))))"
    );
    assert_eq!(
        formula_of("(signed or seats > 1) and note is set"),
        "AND(OR(Signed__c, Seats__c > 1), NOT(ISBLANK(Note__c)))"
    );
    assert_eq!(
        formula_of("signed and seats > 1 and note is set"),
        "AND(Signed__c, Seats__c > 1, NOT(ISBLANK(Note__c)))"
    );
    assert_eq!(
        formula_of("not (signed or seats > 1)"),
        "NOT(OR(Signed__c, Seats__c > 1))"
    );
}

#[test]
fn criteria_expand_into_their_items() {
    assert_eq!(formula_of("ready"), "AND(Signed__c, Seats__c > 2)");
    assert_eq!(
        formula_of("ready and amount > 0"),
        "AND(Signed__c, Seats__c > 2, Amount__c > 0)"
    );
    assert_eq!(formula_of("not ready"), "NOT(AND(Signed__c, Seats__c > 2))");
    assert_eq!(
        formula_of("ready or note is set"),
        "OR(AND(Signed__c, Seats__c > 2), NOT(ISBLANK(Note__c)))"
    );
}

#[test]
fn existing_fields_are_named_as_they_are_in_salesforce() {
    assert_eq!(formula_of("deal_value > 10"), "Amount > 10");
    let files = emit_text(&FORMULA_MODEL.replace("EXIT", "signed"));
    assert!(files.iter().all(|(p, _)| !p.contains("Deal_Value")));
    assert!(files
        .iter()
        .any(|(p, _)| p.ends_with("fields/Amount__c.field-meta.xml")));
}

// ---------------------------------------------------------------- rules

#[test]
fn required_fields_rule_skips_checkboxes_and_uses_text_for_picklists() {
    let files = emit_path(&common::shared_examples()[0]);
    let rule = text_of(
        &files,
        "salesforce/force-app/main/default/objects/Opportunity/validationRules/Enterprise_New_Closed_Won_Required.validationRule-meta.xml",
    );
    assert!(rule.contains("ISPICKVAL(StageName, &quot;Closed Won&quot;)"));
    assert!(rule.contains("ISBLANK(TEXT(Competitor__c))"));
    assert!(rule.contains("ISBLANK(Amount__c)"));
    assert!(
        !rule.contains("Budget_Confirmed__c"),
        "a checkbox is never blank"
    );
    assert!(rule.contains("Checkboxes are never blank, so Budget confirmed is not checked"));
    // Prospecting's own `requires:` does not block a deal in Prospecting.
    assert!(!files
        .iter()
        .any(|(p, _)| p.contains("Prospecting_Required")));
}

#[test]
fn exit_rules_fire_on_the_move_forward_out_of_their_stage_only() {
    let files = emit_path(&common::root().join("examples/branching.sales"));
    let rules = "salesforce/force-app/main/default/objects/Opportunity/validationRules/";
    let pilot = text_of(
        &files,
        &format!("{rules}Product_Evaluation_Guided_Pilot_Exit.validationRule-meta.xml"),
    );
    // Only the move out of the pilot to its own next stage is gated; a later edit of a deal
    // that moved on long ago is not.
    assert!(pilot.contains(
        "ISCHANGED(StageName), ISPICKVAL(PRIORVALUE(StageName), &quot;Guided Pilot&quot;), ISPICKVAL(StageName, &quot;Proposal&quot;)"
    ));
    assert!(!pilot.contains("Closed Lost"));
    let qualification = text_of(
        &files,
        &format!("{rules}Product_Evaluation_Qualification_Exit.validationRule-meta.xml"),
    );
    assert!(qualification.contains("ISPICKVAL(PRIORVALUE(StageName), &quot;Qualification&quot;)"));
    assert!(qualification.contains("ISPICKVAL(StageName, &quot;Self-serve Trial&quot;)"));
    assert!(qualification.contains("NOT(Team_Size__c &gt;= 5)"));
    assert!(
        !qualification.contains("Closed Lost"),
        "losing is never gated"
    );
    assert!(
        !qualification.contains("ISPICKVAL(StageName, &quot;Proposal&quot;)"),
        "stages beyond the next ones are not listed: each rule stays as long as its stage"
    );
    // The dominance case: pilot fields are not required once the branches meet.
    let proposal = text_of(
        &files,
        &format!("{rules}Product_Evaluation_Proposal_Required.validationRule-meta.xml"),
    );
    assert!(proposal.contains("ISBLANK(Team_Size__c)"));
    assert!(!proposal.contains("Pilot_Users__c"));
}

// ---------------------------------------------------------------- names and limits

fn api_names(files: &[(String, Vec<u8>)]) -> Vec<String> {
    files
        .iter()
        .filter(|(p, _)| {
            [
                "/recordTypes/",
                "/validationRules/",
                "/pathAssistants/",
                "/fields/",
            ]
            .iter()
            .any(|kind| p.contains(kind))
        })
        .map(|(p, _)| {
            let file = p.rsplit('/').next().unwrap();
            let name = file.split('.').next().unwrap();
            name.strip_suffix("__c").unwrap_or(name).to_string()
        })
        .collect()
}

fn element_texts(xml: &str, element: &str) -> Vec<String> {
    let open = format!("<{element}>");
    let close = format!("</{element}>");
    xml.split(&open)
        .skip(1)
        .map(|rest| unescape(&rest[..rest.find(&close).unwrap()]))
        .collect()
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[test]
fn long_labels_still_give_valid_names_and_messages() {
    let long = "L".repeat(40) + " " + &"o".repeat(30) + " " + &"g".repeat(28);
    assert_eq!(long.len(), 100);
    let long_id = "a_field_with_an_id_that_is_much_longer_than_forty_characters";
    let text = format!(
        r#"
role ae "AE"
field {long_id} "{long}": text
field {long_id}_too "Another {long}": text
process one "{long} one" {{
  stage first "{long} first" {{
    owner: ae
    probability: 10%
    requires: {long_id}, {long_id}_too
    exit: {long_id} is set and {long_id}_too is set and {long_id} == "{long}"
  }}
  stage second "{long} second" {{ owner: ae  probability: 50% }}
  stage closed_won "{long} won" {{ outcome: won }}
  stage closed_lost {{ outcome: lost  from: any }}
}}
process two "{long} two" {{
  stage first "{long} first" {{
    owner: ae
    probability: 10%
    requires: {long_id}
    exit: {long_id} is set
  }}
  stage closed_won "{long} won" {{ outcome: won }}
  stage closed_lost {{ outcome: lost  from: any }}
}}
"#
    );
    let files = emit_text(&text);
    let names = api_names(&files);
    assert!(names.len() >= 10, "{names:?}");
    for name in &names {
        assert!(names::is_valid(name), "invalid API name `{name}`");
    }
    // Names are unique within each metadata type (a record type and its Path share one).
    for kind in [
        "/recordTypes/",
        "/validationRules/",
        "/pathAssistants/",
        "/fields/",
    ] {
        let of_kind: Vec<(String, Vec<u8>)> = files
            .iter()
            .filter(|(p, _)| p.contains(kind))
            .cloned()
            .collect();
        let names = api_names(&of_kind);
        let mut unique: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
        unique.sort();
        unique.dedup();
        assert_eq!(
            unique.len(),
            names.len(),
            "{kind} names are not unique: {names:?}"
        );
    }
    let rules = api_names(
        &files
            .iter()
            .filter(|(p, _)| p.contains("/validationRules/"))
            .cloned()
            .collect::<Vec<_>>(),
    );
    assert!(
        rules
            .iter()
            .all(|r| r.contains("_Exit") || r.contains("_Required") || r.contains("_Moves")),
        "{rules:?}"
    );
    // Messages too long for one rule are split into a rule per field or clause, each a whole
    // sentence; only a clause that alone passes 255 characters is cut, at a word.
    let message_of = |part: &str| {
        let (_, bytes) = files
            .iter()
            .find(|(p, _)| p.contains("/validationRules/") && p.contains(part))
            .unwrap_or_else(|| panic!("no rule {part}"));
        element_texts(std::str::from_utf8(bytes).unwrap(), "errorMessage").remove(0)
    };
    assert_eq!(
        message_of("Exit_1"),
        format!("{long} must be filled in to leave {long} first.")
    );
    assert_eq!(
        message_of("Exit_2"),
        format!("Another {long} must be filled in to leave {long} first.")
    );
    let full = format!("{long} must be {long} to leave {long} first.");
    let cut = message_of("Exit_3");
    let kept = cut.strip_suffix('…').expect("cut visibly");
    assert!(
        full.starts_with(kept) && full[kept.len()..].starts_with(' '),
        "{cut}"
    );
    let required: Vec<String> = rules
        .iter()
        .filter(|r| r.contains("Required"))
        .cloned()
        .collect();
    // Process one: a rule per field in its second and won stages; process two: one rule.
    assert_eq!(required.len(), 5, "{required:?}");
    let mut messages = 0;
    for (path, bytes) in &files {
        let xml = std::str::from_utf8(bytes).unwrap();
        for message in element_texts(xml, "errorMessage") {
            messages += 1;
            assert!(message.chars().count() <= 255, "{path}: {message}");
            assert!(
                message.ends_with('.') || message.ends_with('…'),
                "{message}"
            );
        }
        for label in element_texts(xml, "label") {
            assert!(label.chars().count() <= 255, "{path}: {label}");
        }
        if path.contains("/fields/") {
            for label in element_texts(xml, "label") {
                assert!(label.chars().count() <= 40, "{path}: field label {label}");
            }
        }
    }
    assert!(messages >= 4);
    if common::require_tool("xmllint", TOOL_TEST) {
        assert_schema_valid("long labels", &files);
    }
}

// ---------------------------------------------------------------- stage conflicts

const CONFLICT: &str = r#"role ae "AE"
process a "A" {
  stage discovery { owner: ae  probability: 20% }
  stage closed_won { outcome: won }
  stage closed_lost { outcome: lost  from: any }
}
process b "B" {
  stage discovery { owner: ae  probability: 30% }
  stage closed_won { outcome: won }
  stage closed_lost { outcome: lost  from: any }
}
"#;

/// What Salesforce cannot hold: reported by the check, and refused by the backend alike.
fn refused(name: &str, text: &str) -> (Checked, Vec<salespath::diag::Diagnostic>) {
    let checked = common::check_text(name, text);
    let backend = emit::find("salesforce").expect("the salesforce backend is registered");
    let Err(EmitError::Diagnostics(refused)) = emit::run(backend, &common::project(&checked))
    else {
        panic!("expected the backend to refuse");
    };
    assert_eq!(
        checked.diagnostics, refused,
        "check reports what the backend refuses"
    );
    (checked, refused)
}

#[test]
fn one_label_with_two_probabilities_is_an_error_with_both_spans() {
    let (checked, diagnostics) = refused("conflict.sales", CONFLICT);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let d = &diagnostics[0];
    assert_eq!(d.rule, "salesforce-stage-conflict");
    assert_eq!(d.severity, Severity::Error);
    assert!(d.message.contains("`Discovery`"), "{}", d.message);
    assert!(
        d.message.contains("30%") && d.message.contains("20%"),
        "{}",
        d.message
    );
    // At the probabilities that differ, as written.
    let second = CONFLICT.find("30%").unwrap();
    let first = CONFLICT.find("20%").unwrap();
    assert_eq!(d.loc.span.start, second);
    assert_eq!(checked.sources.text(d.loc), "30%");
    assert_eq!(d.related.len(), 1);
    assert_eq!(d.related[0].loc.span.start, first);
    assert_eq!(checked.sources.text(d.related[0].loc), "20%");
}

#[test]
fn one_label_with_two_outcomes_is_an_error() {
    // An open stage at 100% labelled like the won stage of the other process.
    let text = CONFLICT.replace(
        "stage discovery { owner: ae  probability: 30% }",
        "stage discovery { owner: ae  probability: 20% }\n  stage signing \"Closed Won\" { owner: ae  probability: 100% }",
    );
    let (_, diagnostics) = refused("conflict.sales", &text);
    assert_eq!(diagnostics.len(), 1);
    assert!(
        diagnostics[0].message.contains("outcome"),
        "{}",
        diagnostics[0].message
    );
}

#[test]
fn stages_shared_by_processes_that_agree_are_listed_once() {
    let files = emit_text(&CONFLICT.replace("probability: 30%", "probability: 20%"));
    let set = text_of(
        &files,
        "salesforce/force-app/main/default/standardValueSets/OpportunityStage.standardValueSet-meta.xml",
    );
    assert_eq!(set.matches("<standardValue>").count(), 3);
    assert!(files
        .iter()
        .any(|(p, _)| p.ends_with("recordTypes/A.recordType-meta.xml")));
    assert!(files
        .iter()
        .any(|(p, _)| p.ends_with("recordTypes/B.recordType-meta.xml")));
}

// ---------------------------------------------------------------- hostile labels

fn xpath(file: &Path, expression: &str) -> String {
    let output = Command::new("xmllint")
        .arg("--xpath")
        .arg(expression)
        .arg(file)
        .output()
        .expect("xmllint runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    text.strip_suffix('\n').unwrap_or(&text).to_string()
}

#[test]
fn hostile_labels_survive_xml_escaping() {
    let path = common::root().join("tests/fixtures/hostile/labels.sales");
    let files = emit_path(&path);
    for (name, bytes) in &files {
        let text = std::str::from_utf8(bytes).unwrap();
        assert!(!text.contains("<script>"), "{name} has raw markup");
        assert!(
            !text.contains("<v2>") && !text.contains("<partner>"),
            "{name}"
        );
    }
    let set = text_of(
        &files,
        "salesforce/force-app/main/default/standardValueSets/OpportunityStage.standardValueSet-meta.xml",
    );
    assert!(set.contains("<label>Proposal &quot;final&quot; &lt;v2&gt; &amp; more</label>"));
    // Inside a formula the label is a string literal first, then XML text.
    assert!(files.iter().any(|(_, b)| String::from_utf8_lossy(b)
        .contains("ISPICKVAL(StageName, &quot;Proposal \\&quot;final\\&quot; &lt;v2&gt; &amp; more&quot;)")));
    if !common::require_tool("xmllint", TOOL_TEST) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let stage_set = dir.path().join("stages.xml");
    std::fs::write(&stage_set, set).unwrap();
    assert_eq!(
        xpath(
            &stage_set,
            "string(//*[local-name()='standardValue'][2]/*[local-name()='label'])"
        ),
        "Proposal \"final\" <v2> & more"
    );
    let (_, path_bytes) = files
        .iter()
        .find(|(p, _)| p.contains("/pathAssistants/"))
        .unwrap();
    let path_file = dir.path().join("path.xml");
    std::fs::write(&path_file, path_bytes).unwrap();
    let info = xpath(
        &path_file,
        "string(//*[local-name()='pathAssistantSteps'][1]/*[local-name()='info'])",
    );
    assert!(
        info.starts_with("<p><b>Objective:</b> -5% churn</p>"),
        "{info}"
    );
    assert!(
        info.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;amp;"),
        "{info}"
    );
    assert!(!info.contains("<script>"));
}

// ---------------------------------------------------------------- fields

#[test]
fn custom_fields_follow_their_types() {
    let files = emit_text(&FORMULA_MODEL.replace("EXIT", "seats > 2.5"));
    let field = |name: &str| {
        text_of(
            &files,
            &format!("salesforce/force-app/main/default/objects/Opportunity/fields/{name}__c.field-meta.xml"),
        )
        .to_string()
    };
    assert!(field("Note").contains("<length>255</length>"));
    assert!(field("Note").contains("<type>Text</type>"));
    // A number compared with 2.5 needs decimals.
    assert!(field("Seats").contains("<precision>18</precision>"));
    assert!(field("Seats").contains("<scale>2</scale>"));
    assert!(field("Amount").contains("<type>Currency</type>"));
    assert!(field("Discount").contains("<type>Percent</type>"));
    assert!(field("Close").contains("<type>Date</type>"));
    assert!(field("Signed").contains("<defaultValue>false</defaultValue>"));
    assert!(field("Signed").contains("<type>Checkbox</type>"));
    let plan = field("Plan");
    assert!(plan.contains("<type>Picklist</type>"));
    assert!(plan.contains("<fullName>Pro &quot;X&quot; \\ Y</fullName>"));
}

#[test]
fn lead_scores_become_formula_fields() {
    let path = common::root().join("tests/fixtures/rules/unreachable-threshold/good.sales");
    let files = emit_path(&path);
    let score = text_of(
        &files,
        "salesforce/force-app/main/default/objects/Lead/fields/Lead_Score__c.field-meta.xml",
    );
    assert!(score.contains(
        "<formula>IF(Employees__c &gt;= 200, 20, 0) + IF(Budget_Confirmed__c, 40, 0) + IF(ISPICKVAL(Competitor__c, &quot;Acme&quot;), -10, 0)</formula>"
    ));
    assert!(score.contains("<type>Number</type>"));
    let package = text_of(&files, "salesforce/package.xml");
    assert!(package.contains("<members>Lead.Lead_Score__c</members>"));
}

/// The field the exit flows keep the previous stage in is the build's own: a process field
/// named so, created or mapped, would be overwritten by the automation.
#[test]
fn a_field_named_as_the_previous_stage_field_is_an_error() {
    let text = r#"field prev "Previous": text { salesforce: "salespath_previous_stage__c" }
process a "A" {
  stage discovery { probability: 20%  requires: prev }
  stage closed_won { outcome: won }
  stage closed_lost { outcome: lost  from: any }
}
"#;
    let (checked, diagnostics) = refused("fields.sales", text);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(diagnostics[0].rule, "salesforce-field-conflict");
    assert!(diagnostics[0].message.contains("stage automation"));
    assert_eq!(checked.sources.text(diagnostics[0].loc), "prev");
}

#[test]
fn two_fields_with_one_salesforce_name_are_an_error() {
    let text = r#"role ae "AE"
field deal_value "Deal value": text
field deal__value "Deal value again": text
process a "A" {
  stage discovery { owner: ae  probability: 20%  requires: deal_value, deal__value }
  stage closed_won { outcome: won }
  stage closed_lost { outcome: lost  from: any }
}
"#;
    let (checked, diagnostics) = refused("fields.sales", text);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(diagnostics[0].rule, "salesforce-field-conflict");
    assert!(diagnostics[0].message.contains("`Deal_Value__c`"));
    assert_eq!(checked.sources.text(diagnostics[0].loc), "deal__value");
    assert_eq!(
        checked.sources.text(diagnostics[0].related[0].loc),
        "deal_value"
    );
}

// ---------------------------------------------------------------- bypass, moves and messages

/// Every validation rule of every input, as (path, formula, message).
fn every_rule() -> Vec<(String, String, String)> {
    let mut rules = Vec::new();
    for input in every_input() {
        for (path, bytes) in emit_path(&input) {
            if !path.contains("/validationRules/") {
                continue;
            }
            let xml = std::str::from_utf8(&bytes).unwrap();
            let formula = element_texts(xml, "errorConditionFormula").remove(0);
            let message = element_texts(xml, "errorMessage").remove(0);
            rules.push((format!("{}: {path}", input.display()), formula, message));
        }
    }
    rules
}

#[test]
fn every_rule_can_be_bypassed_and_says_what_to_fix_in_a_sentence() {
    let rules = every_rule();
    assert!(rules.len() > 50, "{}", rules.len());
    for (path, formula, message) in &rules {
        assert!(
            formula.starts_with(
                "NOT($Permission.Salespath_Bypass_Rules) && (AND(RecordType.DeveloperName = "
            ),
            "{path}: {formula}"
        );
        assert!(formula.ends_with("))"), "{path}: {formula}");
        assert!(formula.chars().count() <= 3_900, "{path}");
        assert!(message.chars().count() <= 255, "{path}: {message}");
        assert!(
            !message.starts_with(char::is_whitespace) && message.ends_with('.'),
            "{path}: {message}"
        );
    }
}

const MOVES: &str = r#"role ae "AE"
field amount "Amount": currency
field buyer "Economic buyer": text
process sales "Sales" {
  stage discovery {
    owner: ae
    probability: 10%
    next: demo, discovery
  }
  stage demo {
    owner: ae
    probability: 30%
    requires: buyer
    exit: amount >= 40000
  }
  stage business_case "Business Case" {
    owner: ae
    probability: 50%
    requires: amount
    exit: amount >= 40_000 and buyer is set
    next: proposal, demo
  }
  stage proposal { owner: ae  probability: 70%  next: won }
  stage won "Closed Won" { outcome: won }
  stage lost "Closed Lost" { outcome: lost  from: demo, business_case, proposal }
}
"#;

fn rule_text(files: &[(String, Vec<u8>)], name: &str) -> (String, String) {
    let xml = text_of(
        files,
        &source(&format!(
            "objects/Opportunity/validationRules/{name}.validationRule-meta.xml"
        )),
    );
    (
        element_texts(xml, "errorConditionFormula").remove(0),
        element_texts(xml, "errorMessage").remove(0),
    )
}

#[test]
fn moves_go_only_to_the_stages_a_stage_leads_to() {
    let files = emit_text(MOVES);
    let (formula, message) = rule_text(&files, "Sales_Discovery_Moves");
    // `next: demo, discovery`: staying is not a move, and no `from:` adds Closed Lost here.
    assert_eq!(
        formula,
        "NOT($Permission.Salespath_Bypass_Rules) && (AND(RecordType.DeveloperName = \"Sales\", \
         ISCHANGED(StageName), ISPICKVAL(PRIORVALUE(StageName), \"Discovery\"), \
         NOT(ISPICKVAL(StageName, \"Demo\"))))"
    );
    assert_eq!(message, "A deal in Discovery can move only to Demo.");
    let (formula, message) = rule_text(&files, "Sales_Business_Case_Moves");
    assert!(formula.contains(
        "NOT(OR(ISPICKVAL(StageName, \"Proposal\"), ISPICKVAL(StageName, \"Demo\"), ISPICKVAL(StageName, \"Closed Lost\")))"
    ));
    assert_eq!(
        message,
        "A deal in Business Case can move only to Proposal, Demo or Closed Lost."
    );
    let (_, message) = rule_text(&files, "Sales_Closed_Won_Moves");
    assert_eq!(
        message,
        "A deal in Closed Won cannot move to another stage."
    );
}

#[test]
fn exit_messages_say_what_to_fix_with_numbers_as_people_write_them() {
    let files = emit_text(MOVES);
    let (formula, message) = rule_text(&files, "Sales_Demo_Exit");
    assert_eq!(message, "Amount must be at least 40,000 to leave Demo.");
    // Forward to Business Case only: not back, not to lost.
    assert!(formula.contains(
        "ISCHANGED(StageName), ISPICKVAL(PRIORVALUE(StageName), \"Demo\"), ISPICKVAL(StageName, \"Business Case\"), NOT(Amount__c >= 40000)"
    ));
    let (formula, message) = rule_text(&files, "Sales_Business_Case_Exit");
    assert_eq!(
        message,
        "Amount must be at least 40,000 and Economic buyer must be filled in to leave Business Case."
    );
    assert!(formula.contains("ISPICKVAL(StageName, \"Proposal\"), NOT(AND("));
    assert!(
        !formula.contains("ISPICKVAL(StageName, \"Demo\")"),
        "moving back is not gated"
    );
    let (_, message) = rule_text(&files, "Sales_Business_Case_Required");
    assert_eq!(
        message,
        "Fill in Economic buyer before moving to Business Case."
    );
}

#[test]
fn an_exit_too_long_for_one_rule_becomes_a_rule_per_clause() {
    // Thirty clauses: one formula would pass 3,900 characters, and one message 255.
    let fields: Vec<String> = (0..30)
        .map(|i| format!("field quality_check_number_{i} \"Quality check number {i}\": text"))
        .collect();
    let tests: Vec<String> = (0..30)
        .map(|i| format!("quality_check_number_{i} == \"{}\"", "x".repeat(90)))
        .collect();
    let text = format!(
        "role ae \"AE\"\n{}\nprocess p \"P\" {{\n  stage s {{ owner: ae  probability: 10%\n    exit: {}\n  }}\n  stage won {{ outcome: won }}\n}}\n",
        fields.join("\n"),
        tests.join(" and ")
    );
    let checked = common::check_text("split.sales", &text);
    let files = run_backend(&checked)
        .expect("the exit is split, not refused")
        .files;
    for i in 0..30 {
        let (formula, message) = rule_text(&files, &format!("P_S_Exit_{}", i + 1));
        assert!(
            formula.ends_with(&format!(
                "NOT(Quality_Check_Number_{i}__c = \"{}\")))",
                "x".repeat(90)
            )),
            "{formula}"
        );
        assert_eq!(
            message,
            format!(
                "Quality check number {i} must be {} to leave S.",
                "x".repeat(90)
            )
        );
    }
    assert!(!files
        .iter()
        .any(|(p, _)| p.ends_with("P_S_Exit.validationRule-meta.xml")));
}

#[test]
fn every_field_a_lead_score_reads_exists_on_lead_and_is_mapped() {
    let path = common::root().join("tests/fixtures/rules/unreachable-threshold/good.sales");
    let files = emit_path(&path);
    for (name, ty) in [
        ("Employees", "Number"),
        ("Budget_Confirmed", "Checkbox"),
        ("Competitor", "Picklist"),
    ] {
        let lead = text_of(
            &files,
            &source(&format!("objects/Lead/fields/{name}__c.field-meta.xml")),
        );
        assert!(lead.contains(&format!("<type>{ty}</type>")), "{lead}");
        let package = text_of(&files, "salesforce/package.xml");
        assert!(package.contains(&format!("<members>Lead.{name}__c</members>")));
    }
    let checklist = text_of(&files, "salesforce/CHECKLIST.md");
    assert!(checklist.contains("## Lead conversion"), "{checklist}");
    assert!(checklist.contains("`Lead.Employees__c` → `Opportunity.Employees__c`"));
}

#[test]
fn a_lead_score_over_a_standard_opportunity_field_reads_a_lead_field_that_exists() {
    let files = emit_path(&common::root().join(EVERY_AUTOMATION));
    let score = text_of(&files, &source("objects/Lead/fields/Fit__c.field-meta.xml"));
    // `Amount` is not a Lead field: the score reads a Lead custom field for it; `LeadSource`
    // is a Lead field too, and conversion carries it.
    assert!(
        score.contains(
            "<formula>IF(Amount__c &gt;= 10000, 40, 0) + IF(ISPICKVAL(LeadSource, \
             &quot;Referral&quot;), 20, 0) + IF(Employees__c &gt;= 100, 30, 0)</formula>"
        ),
        "{score}"
    );
    let amount = text_of(
        &files,
        &source("objects/Lead/fields/Amount__c.field-meta.xml"),
    );
    assert!(amount.contains("<type>Currency</type>"), "{amount}");
    assert!(!files
        .iter()
        .any(|(p, _)| p.contains("/Opportunity/fields/Amount") || p.contains("LeadSource")));
    let package = text_of(&files, "salesforce/package.xml");
    assert!(package.contains("<members>Lead.Amount__c</members>"));
    let checklist = text_of(&files, "salesforce/CHECKLIST.md");
    assert!(
        checklist.contains(
            "The lead score reads `Lead.Amount__c` in place of the standard field \
             `Opportunity.Amount`, which Lead does not have. Salesforce's lead field mapping \
             maps custom Lead fields only to custom fields, so conversion does not carry it \
             to `Opportunity.Amount`"
        ),
        "{checklist}"
    );
    assert!(!checklist.contains("`Lead.Amount__c` →"), "{checklist}");
    assert!(checklist.contains("`Lead.Employees__c` → `Opportunity.Employees__c`"));
    // Validation rules on Opportunity still read the standard field.
    let text = r#"role ae "AE"
field amount "Amount": currency { salesforce: "Amount" }
scoring fit "Fit" { +40 when amount >= 10000  threshold: 40 }
process p "P" {
  stage s { owner: ae  probability: 20%  exit: amount >= 5000  next: won }
  stage won { outcome: won }
}
"#;
    let files = emit_text(text);
    let rule = files
        .iter()
        .find(|(p, _)| p.ends_with("P_S_Exit.validationRule-meta.xml"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .unwrap();
    assert!(rule.contains("Amount &gt;= 5000"), "{rule}");
    assert!(!rule.contains("Amount__c"), "{rule}");
    let score = text_of(&files, &source("objects/Lead/fields/Fit__c.field-meta.xml"));
    assert!(
        score.contains("<formula>IF(Amount__c &gt;= 10000, 40, 0)</formula>"),
        "{score}"
    );
    assert_schema_valid("lead stand-in", &files);
}

#[test]
fn path_steps_show_at_most_five_key_fields_and_name_the_rest_in_guidance() {
    let path = common::root().join("tests/fixtures/rules/salesforce-path-limit/bad.sales");
    let files = emit_path(&path);
    let (_, bytes) = files
        .iter()
        .find(|(p, _)| p.contains("/pathAssistants/"))
        .unwrap();
    let xml = std::str::from_utf8(bytes).unwrap();
    let proposal = xml
        .split("<pathAssistantSteps>")
        .find(|step| step.contains("<picklistValueName>Proposal</picklistValueName>"))
        .unwrap();
    assert_eq!(proposal.matches("<fieldNames>").count(), 5);
    let info = element_texts(proposal, "info").remove(0);
    assert!(
        info.contains("<p><b>Also fill in:</b> Competitor and Champion.</p>"),
        "{info}"
    );
    let checked = common::check(&path);
    let backend = emit::find("salesforce").unwrap();
    let warnings = emit::findings(backend, &common::project(&checked));
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].rule.name(), "salesforce-path-limit");
}

#[test]
fn long_guidance_is_cut_after_a_sentence_within_the_path_limit() {
    let sentence = "Ask who signs off on a purchase of this size and when.";
    let guidance = vec![sentence; 30].join(" ");
    let text = format!(
        "role ae \"AE\"\nprocess p \"P\" {{\n  stage s {{ owner: ae  probability: 10%\n    guidance: \"{guidance}\"\n  }}\n  stage won {{ outcome: won }}\n}}\n"
    );
    let checked = common::check_text("guidance.sales", &text);
    let files = run_backend(&checked).unwrap().files;
    let (_, bytes) = files
        .iter()
        .find(|(p, _)| p.contains("/pathAssistants/"))
        .unwrap();
    let info = element_texts(std::str::from_utf8(bytes).unwrap(), "info").remove(0);
    assert!(info.chars().count() <= 1000, "{}", info.chars().count());
    assert!(info.ends_with("and when.</p>"), "{info}");
    let warnings = emit::findings(
        emit::find("salesforce").unwrap(),
        &common::project(&checked),
    );
    assert!(warnings
        .iter()
        .any(|w| w.rule.name() == "salesforce-path-limit" && w.message.contains("1,000")));
}

/// A process whose stages automate: a task on entry, a follow-up, a stale reminder, an email
/// after leaving, and text that needs escaping.
const AUTOMATED: &str = r#"
role ae "Account Executive"
role se "Sales <Engineer> & Co"
role manager "Sales Manager"
process sales "Sales" {
  stage demo "Demo" {
    probability: 30%
    stale_after: 14d
    when entered: task "Prepare the \"tailored\" demo & agenda" for se due 3d
    follow_up "Check in <after> the demo" after 2d
    when stale: notify manager
    when exited: email "demo-recap" after 1d
    next: won
  }
  stage won "Won" { outcome: won }
}
"#;

const DEMO_FLOW: &str = "flows/Sales_Demo_Automation.flow-meta.xml";

#[test]
fn stage_automation_becomes_a_record_triggered_flow() {
    let files = emit_text(AUTOMATED);
    let flow = text_of(&files, &source(DEMO_FLOW));
    for expected in [
        "<processType>AutoLaunchedFlow</processType>",
        "<status>Active</status>",
        "<object>Opportunity</object>",
        "<recordTriggerType>CreateAndUpdate</recordTriggerType>",
        "<triggerType>RecordAfterSave</triggerType>",
        "<doesRequireRecordChangedToMeetCriteria>true</doesRequireRecordChangedToMeetCriteria>",
        "<filterFormula>{!$Record.RecordType.DeveloperName} = &quot;Sales&quot; &amp;&amp; \
         TEXT({!$Record.StageName}) = &quot;Demo&quot;</filterFormula>",
    ] {
        assert!(flow.contains(expected), "{expected} in\n{flow}");
    }
    // Nothing for the won stage, which has no automation.
    assert!(!files
        .iter()
        .any(|(p, _)| p.contains("Sales_Won_Automation")));
    let package = text_of(&files, "salesforce/package.xml");
    assert!(
        package.contains(
            "<members>Opportunity_Previous_Stage</members>\n        \
             <members>Sales_Demo_Automation</members>\n        \
             <members>Sales_Demo_Exit_Automation</members>\n        <name>Flow</name>"
        ),
        "{package}"
    );
    assert_schema_valid("automation", &files);
}

#[test]
fn an_entry_task_is_created_right_away_with_its_due_date() {
    let files = emit_text(AUTOMATED);
    let flow = text_of(&files, &source(DEMO_FLOW));
    assert!(flow.contains(
        "<connector>\n            <targetReference>Task_1</targetReference>\n        </connector>\n        \
         <doesRequireRecordChangedToMeetCriteria>"
    ), "{flow}");
    assert!(flow.contains(
        "<name>Task_1_Due</name>\n        <dataType>Date</dataType>\n        \
         <expression>TODAY() + 3</expression>"
    ));
    assert!(flow
        .contains("<stringValue>Prepare the &quot;tailored&quot; demo &amp; agenda</stringValue>"));
    for reference in ["Task_1_Due", "$Record.OwnerId", "$Record.Id"] {
        assert!(flow.contains(&format!("<elementReference>{reference}</elementReference>")));
    }
    assert!(flow.contains("<object>Task</object>"));
}

#[test]
fn follow_ups_and_stale_reminders_run_on_scheduled_paths() {
    let files = emit_text(AUTOMATED);
    let flow = text_of(&files, &source(DEMO_FLOW));
    let paths: Vec<&str> = flow.split("<scheduledPaths>").skip(1).collect();
    assert_eq!(paths.len(), 2, "{flow}");
    assert!(paths[0].contains("<offsetNumber>2</offsetNumber>"));
    assert!(paths[0].contains("<offsetUnit>Days</offsetUnit>"));
    assert!(paths[0].contains("<timeSource>RecordTriggerEvent</timeSource>"));
    assert!(paths[0].contains("<targetReference>Path_1_Task_1</targetReference>"));
    assert!(paths[1].contains("<offsetNumber>14</offsetNumber>"));
    assert!(flow.contains("<stringValue>Check in &lt;after&gt; the demo</stringValue>"));
    assert!(flow.contains(
        "<stringValue>Deal has been in Demo for 14 days: tell Sales Manager</stringValue>"
    ));
}

const DEMO_EXIT_FLOW: &str = "flows/Sales_Demo_Exit_Automation.flow-meta.xml";

#[test]
fn leaving_a_stage_starts_its_exit_flow_from_the_previous_stage_field() {
    let files = emit_text(AUTOMATED);
    let flow = text_of(&files, &source(DEMO_EXIT_FLOW));
    for expected in [
        "<label>Sales: Demo exit automation</label>",
        "<doesRequireRecordChangedToMeetCriteria>true</doesRequireRecordChangedToMeetCriteria>",
        "<filterFormula>{!$Record.RecordType.DeveloperName} = &quot;Sales&quot; &amp;&amp; \
         {!$Record.Salespath_Previous_Stage__c} = &quot;Demo&quot;</filterFormula>",
        "<recordTriggerType>Update</recordTriggerType>",
        "<triggerType>RecordAfterSave</triggerType>",
    ] {
        assert!(flow.contains(expected), "{expected} in\n{flow}");
    }
    // The stage a deal left is kept before save, whenever the stage changes.
    let previous = text_of(
        &files,
        &source("flows/Opportunity_Previous_Stage.flow-meta.xml"),
    );
    for expected in [
        "<assignToReference>$Record.Salespath_Previous_Stage__c</assignToReference>",
        "<elementReference>Prior_Stage</elementReference>",
        "<expression>TEXT({!$Record__Prior.StageName})</expression>",
        "<filterFormula>ISCHANGED({!$Record.StageName})</filterFormula>",
        "<recordTriggerType>Update</recordTriggerType>",
        "<triggerType>RecordBeforeSave</triggerType>",
    ] {
        assert!(previous.contains(expected), "{expected} in\n{previous}");
    }
    let field = text_of(
        &files,
        &source("objects/Opportunity/fields/Salespath_Previous_Stage__c.field-meta.xml"),
    );
    assert!(field.contains("<type>Text</type>"), "{field}");
    let package = text_of(&files, "salesforce/package.xml");
    assert!(package.contains("<members>Opportunity.Salespath_Previous_Stage__c</members>"));
    assert_schema_valid("exit", &files);
}

#[test]
fn a_delayed_exit_email_looks_up_its_template_and_sends_it_to_the_owner_on_a_path() {
    let files = emit_text(AUTOMATED);
    let flow = text_of(&files, &source(DEMO_EXIT_FLOW));
    // Nothing right away: the start goes nowhere, the path to the template lookup.
    assert!(
        !flow.contains("<locationY>0</locationY>\n        <connector>"),
        "{flow}"
    );
    let paths: Vec<&str> = flow.split("<scheduledPaths>").skip(1).collect();
    assert_eq!(paths.len(), 1, "{flow}");
    for expected in [
        "<targetReference>Path_1_Email_1_Template</targetReference>",
        "<label>1 day after leaving Demo</label>",
        "<offsetNumber>1</offsetNumber>",
        "<offsetUnit>Days</offsetUnit>",
        "<timeSource>RecordTriggerEvent</timeSource>",
    ] {
        assert!(paths[0].contains(expected), "{expected} in\n{}", paths[0]);
    }
    let lookup = &flow[flow.find("<recordLookups>").unwrap()..];
    for expected in [
        "<name>Path_1_Email_1_Template</name>",
        "<targetReference>Path_1_Email_1_Check</targetReference>",
        "<field>DeveloperName</field>\n            <operator>EqualTo</operator>\n            \
         <value>\n                <stringValue>demo_recap</stringValue>",
        "<getFirstRecordOnly>true</getFirstRecordOnly>",
        "<object>EmailTemplate</object>",
    ] {
        assert!(lookup.contains(expected), "{expected} in\n{lookup}");
    }
    // No template: the decision has nowhere else to go, so the flow ends without failing.
    let check = &flow[flow.find("<decisions>").unwrap()..flow.find("</decisions>").unwrap()];
    assert!(!check.contains("<defaultConnector>"), "{check}");
    assert!(check.contains(
        "<leftValueReference>Path_1_Email_1_Template</leftValueReference>\n                \
         <operator>IsNull</operator>\n                <rightValue>\n                    \
         <booleanValue>false</booleanValue>"
    ));
    assert!(check.contains("<targetReference>Path_1_Email_1</targetReference>"));
    let send = &flow[flow.find("<actionCalls>").unwrap()..flow.find("</actionCalls>").unwrap()];
    assert!(
        send.contains("<actionType>emailSimple</actionType>"),
        "{send}"
    );
    let inputs: Vec<String> = element_texts(send, "inputParameters")
        .iter()
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        inputs,
        [
            "<name>emailTemplateId</name> <value> <elementReference>Path_1_Email_1_Template.Id</elementReference> </value>",
            "<name>logEmailOnSend</name> <value> <booleanValue>false</booleanValue> </value>",
            "<name>recipientId</name> <value> <elementReference>$Record.OwnerId</elementReference> </value>",
            "<name>relatedRecordId</name> <value> <elementReference>$Record.Id</elementReference> </value>",
        ]
    );
}

#[test]
fn the_checklist_names_each_email_template_and_the_roles_to_assign() {
    let files = emit_text(AUTOMATED);
    let checklist = text_of(&files, "salesforce/CHECKLIST.md");
    assert!(checklist.contains("## Automation"), "{checklist}");
    assert!(
        checklist.contains(
            "Create the email template `demo-recap` with the Template Unique Name \
             `demo_recap` (Setup > Email Templates, on Opportunity). The generated flow sends \
             it to the deal owner 1 day after a deal is moved out of stage `Demo` of process \
             `Sales`; until a template with that unique name exists, the flow skips the email."
        ),
        "{checklist}"
    );
    assert!(checklist.contains(
        "assign Sales \\<Engineer\\> \\& Co by hand if it is someone else (tasks of \
         `Sales_Demo_Automation`)"
    ));
    assert!(checklist.contains("assign Sales Manager by hand"));
    assert!(!checklist.contains("Build"), "{checklist}");
}

/// Every stage automation: entered, exited and stale, each with a task, an email and a
/// notify, with and without delays.
const EVERY_AUTOMATION: &str = "tests/fixtures/salesforce/automation.sales";

#[test]
fn every_automation_form_becomes_a_flow_step_with_connected_unique_elements() {
    let files = emit_path(&common::root().join(EVERY_AUTOMATION));
    let flows: Vec<(&String, &str)> = files
        .iter()
        .filter(|(p, _)| p.ends_with(".flow-meta.xml"))
        .map(|(p, b)| (p, std::str::from_utf8(b).unwrap()))
        .collect();
    let names: Vec<&str> = flows
        .iter()
        .map(|(p, _)| p.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Sales_Discovery_Automation.flow-meta.xml",
            "Sales_Discovery_Exit_Automation.flow-meta.xml",
            "Opportunity_Previous_Stage.flow-meta.xml",
            "Sales_Demo_Trial_Exit_Automation.flow-meta.xml",
        ]
    );
    for (path, flow) in &flows {
        // Element names: unique, valid API names; every reference names one of them.
        let mut elements: Vec<String> = Vec::new();
        for line in flow.lines() {
            let depth = line.len() - line.trim_start().len();
            if let Some(name) = line.trim().strip_prefix("<name>") {
                let name = name.strip_suffix("</name>").unwrap();
                // Direct children of an element (8 spaces) and rules of a decision.
                if depth == 8 || line.contains("_Template_Found") {
                    assert!(
                        name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                            && !name.contains("__")
                            && name.len() <= 80,
                        "{path}: {name}"
                    );
                    assert!(
                        !elements.contains(&name.to_string()),
                        "{path}: {name} twice"
                    );
                    elements.push(name.to_string());
                }
            }
        }
        for reference in element_texts(flow, "targetReference")
            .into_iter()
            .chain(element_texts(flow, "elementReference"))
            .chain(element_texts(flow, "leftValueReference"))
        {
            if reference.starts_with('$') {
                continue;
            }
            let element = reference.trim_end_matches(".Id");
            assert!(elements.iter().any(|e| e == element), "{path}: {reference}");
        }
        for label in element_texts(flow, "label") {
            assert!(label.chars().count() <= 80, "{path}: {label}");
        }
    }
    let entry = flows[0].1;
    // Entered: two Tasks, an email and a notify right away, in the order written.
    let start = &entry[entry.find("<start>").unwrap()..];
    assert!(start.contains("<targetReference>Task_1</targetReference>"));
    for (from, to) in [
        ("Task_1", "Task_2"),
        ("Task_2", "Email_1_Template"),
        ("Email_1", "Task_3"),
    ] {
        let element = &entry[entry.find(&format!("<name>{from}</name>")).unwrap()..];
        let element = &element[..element.find("</name>\n    </").unwrap_or(element.len())];
        assert!(
            element
                .split("</connector>")
                .next()
                .unwrap()
                .contains(&format!("<targetReference>{to}</targetReference>")),
            "{from} -> {to}"
        );
    }
    assert!(
        entry.contains("<stringValue>Deal moved into Discovery: tell Sales Manager</stringValue>")
    );
    // Paths: the delayed email (1 day), the follow-up (3 days), the stale Task and notify
    // (7 days), the stale email (7 + 2 days).
    let offsets: Vec<String> = element_texts(entry, "offsetNumber");
    assert_eq!(offsets, ["1", "3", "7", "9"]);
    assert!(entry.contains("<targetReference>Path_1_Email_1_Template</targetReference>"));
    assert!(entry.contains("<targetReference>Path_2_Task_1</targetReference>"));
    assert!(entry.contains(
        "<stringValue>Deal has been in Discovery for 7 days: tell Sales Manager</stringValue>"
    ));
    assert!(entry.contains("<stringValue>Decide: push or drop</stringValue>"));
    assert!(entry.contains("<name>Path_3_Task_2_Due</name>"));
    assert!(entry.contains("<targetReference>Path_4_Email_1_Template</targetReference>"));
    assert!(entry.contains("<stringValue>still_interested</stringValue>"));
    // Exited: two Tasks, the recap, the notify right away; the follow-up email on a path.
    let exit = flows[1].1;
    for expected in [
        "<elementReference>Task_1_Due</elementReference>",
        "<stringValue>Write the discovery notes</stringValue>",
        "<stringValue>Hand over to the SE</stringValue>",
        "<stringValue>discovery_recap</stringValue>",
        "<stringValue>Deal moved out of Discovery: tell Sales Engineer</stringValue>",
        "<label>3 days after leaving Discovery</label>",
        "<stringValue>discovery_follow_up</stringValue>",
    ] {
        assert!(exit.contains(expected), "{expected} in\n{exit}");
    }
    let demo = flows[3].1;
    assert!(demo
        .contains("<offsetNumber>36</offsetNumber>\n            <offsetUnit>Hours</offsetUnit>"));
    assert!(demo.contains("{!$Record.Salespath_Previous_Stage__c} = &quot;Demo &amp; Trial&quot;"));
    assert_schema_valid("every automation", &files);
}

#[test]
fn stale_automations_without_stale_after_are_one_checklist_item_and_no_flow() {
    let files = emit_text(
        r#"
role m "Manager"
process sales "Sales" {
  stage demo "Demo" {
    probability: 30%
    when stale: notify m
    when stale: email "nudge"
    next: won
  }
  stage won "Won" { outcome: won }
}
"#,
    );
    assert!(!files.iter().any(|(p, _)| p.ends_with(".flow-meta.xml")));
    let checklist = text_of(&files, "salesforce/CHECKLIST.md");
    assert_eq!(
        checklist
            .matches("has no `stale_after:`, so no flow runs it")
            .count(),
        1,
        "{checklist}"
    );
    assert!(!checklist.contains("nudge"), "{checklist}");
}

#[test]
fn hours_stay_hours_on_paths_and_round_up_to_days_for_due_dates() {
    let files = emit_text(
        r#"
process sales "Sales" {
  stage demo "Demo \"A\"" {
    probability: 30%
    when entered: task "Call" due 36h
    when entered: notify ae
    follow_up "Nudge" after 36h
    next: won
  }
  stage won "Won" { outcome: won }
}
role ae "Account Executive"
"#,
    );
    let flow = text_of(
        &files,
        &source("flows/Sales_Demo_A_Automation.flow-meta.xml"),
    );
    assert!(
        flow.contains("<expression>TODAY() + 2</expression>"),
        "{flow}"
    );
    assert!(flow
        .contains("<offsetNumber>36</offsetNumber>\n            <offsetUnit>Hours</offsetUnit>"));
    assert!(flow.contains("TEXT({!$Record.StageName}) = &quot;Demo \\&quot;A\\&quot;&quot;"));
    // Notifying on entry is a Task for the owner naming the role, right away.
    assert!(flow.contains(
        "<name>Task_2</name>\n        <label>Task: Deal moved into Demo &quot;A&quot;: tell Account \
         Executive</label>"
    ));
    let checklist = text_of(&files, "salesforce/CHECKLIST.md");
    assert!(
        checklist.contains("assign Account Executive by hand if it is someone else"),
        "{checklist}"
    );
    assert!(!checklist.contains("Build by hand"), "{checklist}");
    assert_schema_valid("hours", &files);
}
