//! The model as JSON/YAML, and the HubSpot and Pipedrive configuration backends.

mod common;

use salespath::diag::Severity;
use salespath::emit::{self, Emitted};
use salespath::session::Checked;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

const BACKENDS: [&str; 4] = ["json", "yaml", "hubspot", "pipedrive"];

/// The backend's files, with its findings (what the CRM cannot hold as written).
fn run(backend: &str, checked: &Checked) -> Emitted {
    let backend = emit::find(backend).unwrap_or_else(|| panic!("no backend `{backend}`"));
    let project = common::project(checked);
    let mut emitted = emit::run(backend, &project).expect("backend succeeds");
    emitted
        .diagnostics
        .extend(emit::findings(backend, &project));
    emitted
}

fn file<'a>(emitted: &'a Emitted, suffix: &str) -> &'a [u8] {
    emitted
        .files
        .iter()
        .find(|(path, _)| path.ends_with(suffix))
        .map(|(_, bytes)| bytes.as_slice())
        .unwrap_or_else(|| panic!("no file ending in `{suffix}`"))
}

fn json_of(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("valid JSON")
}

fn text_of(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).expect("UTF-8")
}

fn schema(path: &Path) -> jsonschema::Validator {
    let schema: Value = json_of(&std::fs::read(path).expect("schema file"));
    jsonschema::validator_for(&schema).expect("a valid schema")
}

fn assert_valid(validator: &jsonschema::Validator, instance: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} is invalid:\n{}",
        errors.join("\n")
    );
}

fn vendor_schema(name: &str) -> jsonschema::Validator {
    schema(&common::vendor_schema(name))
}

/// Examples, the hostile fixture and every good rule fixture that loads without errors and
/// has processes (a fixture whose imports cannot load is left out).
fn inputs_with_processes() -> Vec<(PathBuf, Checked)> {
    let mut files: Vec<PathBuf> = common::shared_examples();
    files.extend(common::examples());
    files.push(common::root().join("tests/fixtures/hostile/labels.sales"));
    let rules = common::root().join("tests/fixtures/rules");
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(&rules)
        .expect("rule fixtures")
        .filter_map(|e| e.ok().map(|e| e.path().join("good.sales")))
        .filter(|p| p.exists())
        .collect();
    fixtures.sort();
    files.extend(fixtures);
    let inputs: Vec<(PathBuf, Checked)> = files
        .into_iter()
        .map(|f| {
            let checked = common::check(&f);
            (f, checked)
        })
        .filter(|(_, c)| !c.has_errors() && !common::project(c).units[0].processes.is_empty())
        .collect();
    assert!(
        inputs.len() >= 15,
        "expected most fixtures to have processes"
    );
    inputs
}

// ---- golden files ---------------------------------------------------------------------

#[test]
fn golden_outputs_of_every_example() {
    for path in common::shared_examples()
        .into_iter()
        .chain(common::examples())
    {
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let folder = if path.starts_with(common::root().join("examples/reference")) {
            format!("shared_{stem}")
        } else {
            stem
        };
        for backend in BACKENDS {
            for (name, bytes) in common::emit(backend, &path) {
                common::assert_golden(&format!("crm_json/{folder}/{name}"), &bytes);
            }
        }
    }
}

// ---- the model document ---------------------------------------------------------------

#[test]
fn model_json_follows_its_schema_and_yaml_holds_the_same_data() {
    let validator = schema(&common::root().join("docs/model.schema.json"));
    for (path, checked) in inputs_with_processes() {
        let what = path.display().to_string();
        let json_bytes = run("json", &checked);
        let model_json = json_of(file(&json_bytes, "model.json"));
        assert_valid(&validator, &model_json, &what);
        let yaml = run("yaml", &checked);
        let model_yaml: Value =
            serde_yaml::from_slice(file(&yaml, "model.yaml")).expect("valid YAML");
        assert_eq!(model_json, model_yaml, "{what}: YAML and JSON differ");
        assert!(file(&json_bytes, "model.json").ends_with(b"}\n"));
    }
}

#[test]
fn the_schema_rejects_unknown_and_missing_keys() {
    let validator = schema(&common::root().join("docs/model.schema.json"));
    let path = common::root().join("examples/branching.sales");
    let mut model = json_of(&common::emit("json", &path)[0].1);
    assert!(validator.is_valid(&model));
    model["processes"][0]["stages"][0]["colour"] = json!("red");
    assert!(!validator.is_valid(&model), "an unknown stage key passed");
    let mut model = json_of(&common::emit("json", &path)[0].1);
    model["processes"][0]["stages"][0]
        .as_object_mut()
        .unwrap()
        .remove("required_here");
    assert!(!validator.is_valid(&model), "a missing stage key passed");
}

#[test]
fn model_json_has_the_resolved_stage_data() {
    let path = &common::shared_examples()[0];
    let model = json_of(&common::emit("json", path)[0].1);
    assert_eq!(model["format_version"], 1);
    let process = &model["processes"][0];
    assert_eq!(process["id"], "enterprise_new_business");
    assert_eq!(process["extends"], Value::Null);
    let stages = process["stages"].as_array().unwrap();
    let stage = |id: &str| stages.iter().find(|s| s["id"] == id).unwrap();
    let proposal = stage("proposal");
    assert_eq!(proposal["probability"], 60);
    assert_eq!(proposal["forecast"], "best_case");
    assert_eq!(proposal["outcome"], Value::Null);
    assert_eq!(proposal["expected_days"], 10);
    assert_eq!(
        proposal["exit"]["source"],
        "amount >= 25000 and competitor != \"Initech\""
    );
    assert_eq!(
        proposal["exit"]["english"],
        "Amount is at least 25,000 and Main competitor is not Initech"
    );
    // `from: any` on closed_lost is already applied to every open stage.
    assert_eq!(
        stage("prospecting")["next"],
        json!(["qualification", "closed_lost"])
    );
    assert_eq!(stage("closed_won")["outcome"], "won");
    assert_eq!(
        stage("closed_lost")["required_here"],
        json!(["loss_reason"])
    );
    assert_eq!(
        stage("needs_assessment")["automations"][0],
        json!({"trigger": "entered", "action": {"kind": "task",
               "text": "Prepare a tailored demo", "role": "se", "due_days": 3}})
    );
    let criteria = &model["criteria"][0];
    assert_eq!(
        criteria["items"][3]["condition"]["source"],
        "timeline_days <= 90"
    );
    assert_eq!(
        model["segments"][0]["when"]["source"],
        "employees >= 200 and employees < 2000"
    );
}

#[test]
fn extends_and_scorings_are_in_the_model() {
    let fixtures = common::root().join("tests/fixtures/rules");
    let model = json_of(&common::emit("json", &fixtures.join("extends-cycle/good.sales"))[0].1);
    assert_eq!(model["processes"][0]["extends"], Value::Null);
    assert_eq!(model["processes"][1]["id"], "smb");
    assert_eq!(model["processes"][1]["extends"], "mid_market");
    let checked = common::check(&fixtures.join("unreachable-threshold/good.sales"));
    let model = json_of(file(&run("json", &checked), "model.json"));
    let scoring = &model["scorings"][0];
    assert_eq!(scoring["threshold"], 50);
    assert_eq!(scoring["rules"][2]["points"], -10);
    assert_eq!(
        scoring["rules"][2]["when"]["source"],
        "competitor == \"Acme\""
    );
}

/// Durations that are not whole days, and fractional probabilities, keep their value.
#[test]
fn fractional_numbers_survive() {
    let checked = common::check_text(
        "fractions.sales",
        r#"
process p {
  stage a { probability: 12.5%  expected: 36h  stale_after: 3d }
  stage closed_won { outcome: won }
}
"#,
    );
    let model = json_of(file(&run("json", &checked), "model.json"));
    let a = &model["processes"][0]["stages"][0];
    assert_eq!(a["probability"], 12.5);
    assert_eq!(a["expected_days"], 1.5);
    assert_eq!(a["stale_after_days"], 3);
}

#[test]
fn conditions_print_back_with_minimal_parentheses() {
    let cases = [
        "a and b or c",
        "a and (b or c)",
        "not (a or b) and c",
        "not a and not b",
        "(a or b) and (c or not d)",
        "n is set and not (n is not set)",
        "n >= 1_000 or n < 12.5",
        "p <= 20% and k in [\"x \\\"y\\\"\", \"z\"]",
        "k != \"z\" or k == \"z\"",
        "q",
    ];
    let expected = [
        "a and b or c",
        "a and (b or c)",
        "not (a or b) and c",
        "not a and not b",
        "(a or b) and (c or not d)",
        "n is set and not n is not set",
        "n >= 1000 or n < 12.5",
        "p <= 20% and k in [\"x \\\"y\\\"\", \"z\"]",
        "k != \"z\" or k == \"z\"",
        "a and b",
    ];
    for (case, want) in cases.iter().zip(expected) {
        let text = format!(
            r#"
field a: bool
field b: bool
field c: bool
field d: bool
field n: number
field p: percent
field k: choice["x \"y\"", "z"]
criteria q {{ both: a and b }}
process p {{
  stage s {{ probability: 10%  requires: a, b, c, d, n, p, k  exit: {case} }}
  stage closed_won {{ outcome: won }}
}}
"#
        );
        let checked = common::check_text("exprs.sales", &text);
        assert!(!checked.has_errors(), "{case}: {:#?}", checked.diagnostics);
        let model = json_of(file(&run("json", &checked), "model.json"));
        let source = &model["processes"][0]["stages"][0]["exit"]["source"];
        let printed = source.as_str().unwrap();
        // A criteria prints as its name; its items show the condition.
        if *case == "q" {
            assert_eq!(printed, "q");
            assert_eq!(
                model["criteria"][0]["items"][0]["condition"]["source"],
                want
            );
        } else {
            assert_eq!(printed, want, "printing `{case}`");
        }
    }
}

// ---- dominance -------------------------------------------------------------------------

const BRANCHES: &str = r#"
field size: number
field pilot_users: number
field trial_id: text
field price: currency

process branches {
  stage qualify { probability: 10%  requires: size  next: pilot, trial }
  stage pilot { probability: 30%  requires: pilot_users  next: pilot_review }
  stage pilot_review { probability: 40%  next: proposal }
  stage trial { probability: 30%  requires: trial_id  next: proposal }
  stage proposal { probability: 60%  requires: price }
  stage closed_won { outcome: won }
  stage closed_lost { outcome: lost  from: any }
}
"#;

#[test]
fn a_field_of_one_branch_is_not_required_after_the_branches_meet() {
    let checked = common::check_text("branches.sales", BRANCHES);
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let model = json_of(file(&run("json", &checked), "model.json"));
    let stages = model["processes"][0]["stages"].as_array().unwrap().clone();
    let required =
        |id: &str| stages.iter().find(|s| s["id"] == id).unwrap()["required_here"].clone();
    assert_eq!(required("pilot_review"), json!(["size", "pilot_users"]));
    assert_eq!(required("trial"), json!(["size"]));
    assert_eq!(required("proposal"), json!(["size"]));
    assert_eq!(required("closed_won"), json!(["size", "price"]));

    let pipedrive = json_of(file(&run("pipedrive", &checked), ".pipedrive.json"));
    let field = |key: &str| {
        pipedrive["deal_fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["key"] == key)
            .unwrap()
            .clone()
    };
    assert_eq!(
        field("pilot_users")["required_in_stages"],
        json!(["Pilot Review"])
    );
    assert_eq!(
        field("pilot_users")["important_in_stages"],
        json!(["Pilot"])
    );
    assert_eq!(field("pilot_users")["required_for_statuses"], json!([]));
    assert_eq!(field("price")["required_for_statuses"], json!(["won"]));
}

// ---- HubSpot ---------------------------------------------------------------------------

#[test]
fn every_hubspot_pipeline_follows_the_vendor_schema() {
    let validator = vendor_schema("hubspot/create-deals-pipeline.schema.json");
    for (path, checked) in inputs_with_processes() {
        let emitted = run("hubspot", &checked);
        let pipelines: Vec<_> = emitted
            .files
            .iter()
            .filter(|(p, _)| p.ends_with(".hubspot.json"))
            .collect();
        assert_eq!(
            pipelines.len(),
            common::project(&checked).units[0].processes.len()
        );
        for (name, bytes) in pipelines {
            assert_valid(
                &validator,
                &json_of(bytes),
                &format!("{} {name}", path.display()),
            );
        }
    }
}

/// The vendor schemas catch what the backends must avoid, so passing them means something.
#[test]
fn the_vendor_schemas_reject_what_the_crms_reject() {
    let hubspot = vendor_schema("hubspot/create-deals-pipeline.schema.json");
    let stage = |metadata: Value| {
        json!({"label": "P", "displayOrder": 0,
               "stages": [{"label": "S", "displayOrder": 0, "metadata": metadata}]})
    };
    assert!(hubspot.is_valid(&stage(json!({"probability": "0.7", "isClosed": "false"}))));
    assert!(!hubspot.is_valid(&stage(json!({"probability": "0.65"}))));
    assert!(!hubspot.is_valid(&stage(json!({"probability": 0.7}))));
    assert!(!hubspot.is_valid(&stage(json!({"isClosed": "false"}))));
    let stage_schema = vendor_schema("pipedrive/add-stage-request.strict.schema.json");
    let body = json!({"name": "S", "pipeline_id": 1, "deal_probability": 10,
                      "is_deal_rot_enabled": false});
    assert!(stage_schema.is_valid(&body));
    let mut with_null = body.clone();
    with_null["days_to_rotten"] = Value::Null;
    assert!(!stage_schema.is_valid(&with_null));
    let mut v1_name = body.clone();
    v1_name["rotten_days"] = json!(3);
    assert!(!stage_schema.is_valid(&v1_name));
}

const ROUNDING: &str = r#"
process rounding {
  stage discovery { probability: 20% }
  stage proposal { probability: 65% }
  stage closed_won { outcome: won }
  stage closed_lost { outcome: lost  from: any }
}
"#;

/// The probability of each stage of a HubSpot pipeline body, in order.
fn stage_probabilities(pipeline: &Value) -> Vec<&Value> {
    pipeline["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["metadata"]["probability"])
        .collect()
}

#[test]
fn hubspot_rounds_to_tenths_and_warns_once() {
    let checked = common::check_text("rounding.sales", ROUNDING);
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    let emitted = run("hubspot", &checked);
    let pipeline = json_of(file(&emitted, ".hubspot.json"));
    let probabilities = stage_probabilities(&pipeline);
    assert_eq!(
        probabilities,
        [&json!("0.2"), &json!("0.7"), &json!("1.0"), &json!("0.0")]
    );
    assert_eq!(pipeline["stages"][1]["label"], "Proposal");
    assert_eq!(pipeline["stages"][1]["displayOrder"], 1);
    assert_eq!(pipeline["stages"][2]["metadata"]["isClosed"], "true");
    assert_eq!(emitted.diagnostics.len(), 1, "{:#?}", emitted.diagnostics);
    let warning = &emitted.diagnostics[0];
    assert_eq!(warning.severity, Severity::Warning);
    assert_eq!(warning.rule, "crm-rounding");
    assert!(
        warning.message.contains("`proposal` 65% becomes 70%"),
        "{}",
        warning.message
    );
    let at =
        &checked.sources.get(warning.loc.file).text[warning.loc.span.start..warning.loc.span.end];
    assert_eq!(at, "65%");
    let checklist = text_of(file(&emitted, ".hubspot.md"));
    assert!(
        checklist.contains("Proposal is 65% in the process file"),
        "{checklist}"
    );
}

/// A process of `stages` open stages at 1%, 2%, ... and its won and lost stages.
fn many_stages(stages: usize) -> String {
    let mut text = String::from("process long {\n");
    for i in 1..=stages {
        text.push_str(&format!("  stage s{i} {{ probability: {i}% }}\n"));
    }
    text.push_str("  stage closed_won { outcome: won }\n");
    text.push_str("  stage closed_lost { outcome: lost  from: any }\n}\n");
    text
}

#[test]
fn rounding_is_one_warning_per_crm_and_process() {
    let checked = common::check_text("long.sales", &many_stages(60));
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let emitted = run("hubspot", &checked);
    assert_eq!(emitted.diagnostics.len(), 1, "{:#?}", emitted.diagnostics);
    let warning = &emitted.diagnostics[0];
    assert_eq!(warning.rule, "crm-rounding");
    assert!(
        warning.message.contains("`s1` 1% becomes 0%") && warning.message.contains("48 more"),
        "{}",
        warning.message
    );
    assert!(emitted.diagnostics[0].related.is_empty());
}

#[test]
fn a_variant_does_not_repeat_the_rounding_of_its_base() {
    let checked = common::check_text(
        "variant.sales",
        r#"
process base {
  stage discovery { probability: 15% }
  stage proposal { probability: 60% }
  stage closed_won { outcome: won }
  stage closed_lost { outcome: lost  from: any }
}
process variant extends base {
  stage proposal { probability: 65%  salesforce: "Proposal (variant)" }
}
"#,
    );
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let emitted = run("hubspot", &checked);
    let messages: Vec<&str> = emitted
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "HubSpot only takes probabilities in steps of 10%: in process `base`, `discovery` 15% becomes 20%",
            "HubSpot only takes probabilities in steps of 10%: in process `variant`, `proposal` 65% becomes 70%",
        ]
    );
}

#[test]
fn hubspot_checklist_names_required_and_custom_properties() {
    let checked = common::check_text(
        "names.sales",
        r#"
field amount "Deal value": currency { salesforce: "Amount"  hubspot: "amount"  pipedrive: "value" }
field decision_maker "Decision maker": text
field stage_reason "Reason": choice["Price", "Timing"]

scoring fit "Fit score" {
  +60 when amount >= 1000
  threshold: 50
}

process names {
  stage discovery { probability: 20%  requires: amount, decision_maker }
  stage proposal { probability: 60% }
  stage closed_won { outcome: won }
  stage closed_lost { outcome: lost  from: any  requires: stage_reason }
}
"#,
    );
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let model = json_of(file(&run("json", &checked), "model.json"));
    assert_eq!(
        model["fields"][0]["crm"],
        json!({"salesforce": "Amount", "hubspot": "amount", "pipedrive": "value"})
    );
    assert_eq!(
        model["fields"][1]["crm"],
        json!({"salesforce": "Decision_Maker__c", "hubspot": "decision_maker",
               "pipedrive": "decision_maker"})
    );
    let checklist = run("hubspot", &checked);
    let checklist = text_of(file(&checklist, ".hubspot.md"));
    let custom = section(checklist, "## Deal properties to create");
    assert!(
        !custom.contains("| Deal value | `amount`"),
        "a named HubSpot property is created:\n{custom}"
    );
    assert!(custom.contains("(not created): Deal value (`amount`)."));
    assert!(custom
        .contains("| Decision maker | `decision_maker` | Single-line text (`string`/`text`) |  |"));
    assert!(custom.contains(
        "| Reason | `stage_reason` | Dropdown select (`enumeration`/`select`) | Price<br>Timing |"
    ));
    let stages = section(checklist, "## Required properties per stage");
    assert!(
        stages.contains(
            "| Proposal | Deal value (`amount`), Decision maker (`decision_maker`) | none |"
        ),
        "{stages}"
    );
    assert!(stages.contains("| Closed Lost | Reason (`stage_reason`) | Reason (`stage_reason`) |"));
    let score = section(checklist, "## Score: Fit score");
    assert!(
        score.contains("| +60 | Deal value is at least 1,000 |"),
        "{score}"
    );
    assert!(score.contains("50 points or more"));

    let pipedrive = json_of(file(&run("pipedrive", &checked), ".pipedrive.json"));
    assert_eq!(pipedrive["deal_fields"][0]["key"], "value");
    assert_eq!(pipedrive["deal_fields"][0]["field_type"], "monetary");
}

/// The text of a Markdown section, from its heading to the next `## `.
fn section<'a>(markdown: &'a str, heading: &str) -> &'a str {
    let start = markdown
        .find(heading)
        .unwrap_or_else(|| panic!("no `{heading}`"));
    let rest = &markdown[start + heading.len()..];
    &rest[..rest.find("\n## ").unwrap_or(rest.len())]
}

// ---- Pipedrive -------------------------------------------------------------------------

#[test]
fn every_pipedrive_pipeline_and_stage_follows_the_strict_vendor_schemas() {
    let pipeline_schema = vendor_schema("pipedrive/add-pipeline-request.strict.schema.json");
    let stage_schema = vendor_schema("pipedrive/add-stage-request.strict.schema.json");
    for (path, checked) in inputs_with_processes() {
        let emitted = run("pipedrive", &checked);
        let pipelines = emitted
            .files
            .iter()
            .filter(|(name, _)| name.ends_with(".pipedrive.json"));
        for (name, bytes) in pipelines {
            let what = format!("{} {name}", path.display());
            let config = json_of(bytes);
            assert_valid(&pipeline_schema, &config["pipeline"], &what);
            let stages = config["stages"].as_array().expect("stages");
            assert!(!stages.is_empty(), "{what}: no open stages");
            for stage in stages {
                let mut body = stage.clone();
                body["pipeline_id"] = json!(1);
                assert_valid(&stage_schema, &body, &what);
            }
        }
    }
}

#[test]
fn pipedrive_lists_open_stages_with_rotting_and_statuses() {
    let checked = common::check_text(
        "pipedrive.sales",
        r#"
field reason: choice["Price", "Timing"]
field signed: bool
process p {
  stage discovery { probability: 12.5%  expected: 1d  stale_after: 36h }
  stage proposal { probability: 60%  requires: signed }
  stage won { outcome: won }
  stage lost { outcome: lost  from: any  requires: reason }
}
"#,
    );
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let emitted = run("pipedrive", &checked);
    let config = json_of(file(&emitted, "p.pipedrive.json"));
    assert_eq!(
        config["pipeline"],
        json!({"name": "P", "is_deal_probability_enabled": true})
    );
    assert_eq!(
        config["stages"],
        json!([
            {"name": "Discovery", "deal_probability": 13, "is_deal_rot_enabled": true,
             "days_to_rotten": 2},
            {"name": "Proposal", "deal_probability": 60, "is_deal_rot_enabled": false}
        ])
    );
    assert_eq!(emitted.diagnostics.len(), 1);
    assert!(emitted.diagnostics[0]
        .message
        .contains("`discovery` 12.5% becomes 13%"));
    assert_eq!(
        config["deal_fields"],
        json!([
            {"key": "reason", "name": "Reason", "field_type": "enum",
             "options": [{"label": "Price"}, {"label": "Timing"}],
             "required_in_stages": [], "important_in_stages": [],
             "required_for_statuses": ["lost"]},
            {"key": "signed", "name": "Signed", "field_type": "enum",
             "options": [{"label": "Yes"}, {"label": "No"}],
             "required_in_stages": [], "important_in_stages": ["Proposal"],
             "required_for_statuses": ["won"]}
        ])
    );
}

// ---- hostile labels ----------------------------------------------------------------------

#[test]
fn hostile_labels_survive_json_yaml_and_markdown() {
    let path = common::root().join("tests/fixtures/hostile/labels.sales");
    let checked = common::check_clean(&path);
    let model = json_of(file(&run("json", &checked), "model.json"));
    let process = &model["processes"][0];
    assert_eq!(process["label"], "Hostile <process> & \"friends\"");
    assert_eq!(process["owner"], "Sales | Ops \\ \"EMEA\"");
    assert_eq!(process["stages"][0]["label"], "=SUM(A1:A2)");
    assert_eq!(model["fields"][0]["label"], "Amount (€) | net \\ gross");
    let yaml = run("yaml", &checked);
    let yaml: Value = serde_yaml::from_slice(file(&yaml, "model.yaml")).unwrap();
    assert_eq!(yaml, model);

    let hubspot = run("hubspot", &checked);
    let pipeline = json_of(file(&hubspot, ".hubspot.json"));
    assert_eq!(pipeline["stages"][2]["label"], "Won 🚀 | 受注");
    let checklist = text_of(file(&hubspot, ".hubspot.md"));
    assert!(checklist.contains("# HubSpot setup: Hostile \\<process\\> \\& \"friends\""));
    assert!(!checklist.contains("<script>") && !checklist.contains("<b>"));
    // Every table row has exactly as many cell borders as its header.
    for table in checklist.split("\n\n").filter(|b| b.starts_with('|')) {
        let rows: Vec<&str> = table.lines().collect();
        let borders = unescaped_pipes(rows[0]);
        for row in &rows {
            assert_eq!(
                unescaped_pipes(row),
                borders,
                "a cell breaks the table: {row}"
            );
        }
    }
    assert!(checklist.contains("| Won 🚀 \\| 受注 |"), "{checklist}");
    assert!(checklist.contains("Amount (€) \\| net \\\\ gross (`amount`)"));

    let pipedrive = json_of(file(&run("pipedrive", &checked), ".pipedrive.json"));
    assert_eq!(
        pipedrive["deal_fields"][3]["options"][3]["label"],
        "商談なし 🚀"
    );
}

fn unescaped_pipes(row: &str) -> usize {
    let mut count = 0;
    let mut escaped = false;
    for c in row.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => count += 1,
            _ => escaped = false,
        }
    }
    count
}

#[test]
fn the_cli_builds_all_four_outputs() {
    let out = tempfile::tempdir().unwrap();
    let path = common::root().join("examples/branching.sales");
    let status = common::salespath()
        .args(["build", "--emit", "json,yaml,hubspot,pipedrive", "--out"])
        .arg(out.path())
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    for name in [
        "model.json",
        "model.yaml",
        "evaluation.hubspot.json",
        "evaluation.hubspot.md",
        "evaluation.pipedrive.json",
    ] {
        assert!(out.path().join(name).exists(), "{name} was not written");
    }
}

/// Files that do not import each other are independent units: each gets its own model
/// document, in a folder named after the file, so one name may mean different things in two.
#[test]
fn independent_files_get_a_model_document_each() {
    let dir = tempfile::tempdir().unwrap();
    let process = |id: &str, ty: &str| {
        format!(
            "field amount: {ty}\nprocess {id} {{\n  stage s {{ probability: 10%  requires: amount }}\n  stage closed_won {{ outcome: won }}\n  stage closed_lost {{ outcome: lost  from: any }}\n}}\n"
        )
    };
    std::fs::write(dir.path().join("a.sales"), process("a", "currency")).unwrap();
    std::fs::write(dir.path().join("b.sales"), process("b", "number")).unwrap();
    let built = common::salespath()
        .current_dir(dir.path())
        .args([
            "build",
            "a.sales",
            "b.sales",
            "--emit",
            "json,yaml",
            "--out",
            "out",
        ])
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stdout)
    );
    assert!(!dir.path().join("out/model.json").exists());
    let validator = schema(&common::root().join("docs/model.schema.json"));
    for (unit, ty) in [("a", "currency"), ("b", "number")] {
        let model =
            json_of(&std::fs::read(dir.path().join(format!("out/{unit}/model.json"))).unwrap());
        assert_valid(&validator, &model, unit);
        let ids: Vec<&Value> = model["processes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| &p["id"])
            .collect();
        assert_eq!(ids, [&json!(unit)]);
        assert_eq!(model["fields"][0]["type"], json!(ty));
        assert!(dir.path().join(format!("out/{unit}/model.yaml")).exists());
    }
}

/// Two blocks of a field, a scoring on it and a process that requires it.
const TWO_TEAMS: &str = r#"
field seats_a "Seats A": number
field seats_b "Seats B": number
scoring score_a "Score A" { +50 when seats_a >= 10  threshold: 50 }
scoring score_b "Score B" { +50 when seats_b >= 10  threshold: 50 }
process team_a { stage s { probability: 50%  requires: seats_a } stage won { outcome: won } stage lost { outcome: lost  from: any } }
process team_b { stage s { probability: 50%  requires: seats_b } stage won { outcome: won } stage lost { outcome: lost  from: any } }
"#;

#[test]
fn hubspot_lists_the_scores_once_for_the_whole_build() {
    let checked = common::check_text("teams.sales", TWO_TEAMS);
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    let emitted = run("hubspot", &checked);
    let first = text_of(file(&emitted, "team_a.hubspot.md"));
    let second = text_of(file(&emitted, "team_b.hubspot.md"));
    assert!(first.contains("## Score: Score A") && first.contains("## Score: Score B"));
    assert!(!second.contains("## Score:"), "{second}");
    assert!(second.contains("`team_a.hubspot.md`"), "{second}");
}

#[test]
fn matrices_and_playbooks_list_the_scorings_on_their_own_fields() {
    let checked = common::check_text("teams.sales", TWO_TEAMS);
    let matrices = run("matrix-md", &checked);
    let matrix_b = text_of(file(&matrices, "team_b.matrix.md"));
    assert!(
        matrix_b.contains("Score B") && !matrix_b.contains("Score A"),
        "{matrix_b}"
    );
    let playbooks = run("playbook-md", &checked);
    let playbook_a = text_of(file(&playbooks, "team_a.playbook.md"));
    assert!(playbook_a.contains("Score A") && !playbook_a.contains("Score B"));
}

// ---- deal fields to create ----------------------------------------------------------------

const FIELDS: &str = r#"
field amount "Deal value": currency
field value "Value": currency
field expected_close_date "Expected close": date
field priority "Priority": text { hubspot: "hs_priority" }
field notes "Notes": text { description: "What the buyer said" }
field seats "Seats": number
field discount "Discount": percent
field signed "Signed": bool
field region "Region": choice["EMEA", "APAC"]
process fields {
  stage discovery {
    probability: 20%
    requires: amount, value, expected_close_date, priority, notes, seats, discount
  }
  stage proposal { probability: 60%  requires: signed, region }
  stage won { outcome: won }
  stage lost { outcome: lost  from: any }
}
"#;

#[test]
fn built_in_fields_are_mapped_never_created() {
    let checked = common::check_text("fields.sales", FIELDS);
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let hubspot = run("hubspot", &checked);
    let batch = json_of(file(&hubspot, "fields.hubspot.properties.json"));
    let names: Vec<&str> = batch["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "value",
            "expected_close_date",
            "notes",
            "seats",
            "discount",
            "signed",
            "region"
        ]
    );
    let checklist = text_of(file(&hubspot, "fields.hubspot.md"));
    assert!(
        checklist.contains(
            "Existing HubSpot properties the process uses (not created): Deal value (`amount`), \
             Priority (`hs_priority`)."
        ),
        "{checklist}"
    );
    let pipedrive = run("pipedrive", &checked);
    let fields = json_of(file(&pipedrive, "fields.pipedrive.fields.json"));
    let names: Vec<&str> = fields
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Deal value",
            "Priority",
            "Notes",
            "Seats",
            "Discount",
            "Signed",
            "Region"
        ]
    );
    let checklist = text_of(file(&pipedrive, "fields.pipedrive.md"));
    assert!(checklist.contains(
        "Existing Pipedrive fields the process uses (not created): Value (`value`), \
         Expected close (`expected_close_date`)."
    ));
}

#[test]
fn hubspot_properties_have_the_apis_types_and_options() {
    let checked = common::check_text("fields.sales", FIELDS);
    let batch = json_of(file(
        &run("hubspot", &checked),
        "fields.hubspot.properties.json",
    ));
    let property = |name: &str| {
        batch["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("no property {name}"))
            .clone()
    };
    assert_eq!(
        property("value"),
        json!({"name": "value", "label": "Value", "type": "number", "fieldType": "number",
               "groupName": "dealinformation", "numberDisplayHint": "currency"})
    );
    assert_eq!(
        property("notes"),
        json!({"name": "notes", "label": "Notes", "type": "string", "fieldType": "text",
               "groupName": "dealinformation", "description": "What the buyer said"})
    );
    assert_eq!(property("seats")["type"], "number");
    assert_eq!(property("discount")["numberDisplayHint"], "percentage");
    assert_eq!(property("expected_close_date")["type"], "date");
    assert_eq!(property("expected_close_date")["fieldType"], "date");
    assert_eq!(
        property("signed"),
        json!({"name": "signed", "label": "Signed", "type": "bool",
               "fieldType": "booleancheckbox", "groupName": "dealinformation",
               "options": [{"label": "Yes", "value": "true", "displayOrder": 0},
                           {"label": "No", "value": "false", "displayOrder": 1}]})
    );
    assert_eq!(
        property("region"),
        json!({"name": "region", "label": "Region", "type": "enumeration",
               "fieldType": "select", "groupName": "dealinformation",
               "options": [{"label": "EMEA", "value": "EMEA", "displayOrder": 0},
                           {"label": "APAC", "value": "APAC", "displayOrder": 1}]})
    );
}

#[test]
fn pipedrive_field_bodies_have_no_key() {
    let checked = common::check_text("fields.sales", FIELDS);
    let fields = json_of(file(
        &run("pipedrive", &checked),
        "fields.pipedrive.fields.json",
    ));
    let fields = fields.as_array().unwrap();
    for field in fields {
        assert!(field.get("key").is_none(), "{field}");
        let keys: Vec<&String> = field.as_object().unwrap().keys().collect();
        assert!(
            keys.iter()
                .all(|k| ["name", "field_type", "options"].contains(&k.as_str())),
            "{field}"
        );
    }
    let by_name = |name: &str| fields.iter().find(|f| f["name"] == name).unwrap();
    assert_eq!(by_name("Deal value")["field_type"], "monetary");
    assert_eq!(by_name("Seats")["field_type"], "double");
    assert_eq!(by_name("Notes")["field_type"], "varchar");
    assert_eq!(
        by_name("Region")["options"],
        json!([{"label": "EMEA"}, {"label": "APAC"}])
    );
    assert_eq!(
        by_name("Signed")["options"],
        json!([{"label": "Yes"}, {"label": "No"}])
    );
}

#[test]
fn a_field_two_processes_use_is_created_once() {
    let checked = common::check_text(
        "shared.sales",
        r#"
field seats "Seats": number
field region "Region": choice["EMEA", "APAC"]
process first { stage s { probability: 50%  requires: seats } stage won { outcome: won } stage lost { outcome: lost  from: any } }
process second { stage s { probability: 50%  requires: seats, region } stage won { outcome: won } stage lost { outcome: lost  from: any } }
"#,
    );
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let hubspot = run("hubspot", &checked);
    let first = json_of(file(&hubspot, "first.hubspot.properties.json"));
    let second = json_of(file(&hubspot, "second.hubspot.properties.json"));
    assert_eq!(first["inputs"].as_array().unwrap().len(), 1);
    assert_eq!(second["inputs"].as_array().unwrap().len(), 1);
    assert_eq!(second["inputs"][0]["name"], "region");
    let checklist = text_of(file(&hubspot, "second.hubspot.md"));
    assert!(
        checklist.contains(
            "| Seats | `seats` | Number (`number`/`number`) |  | `first.hubspot.properties.json` |"
        ),
        "{checklist}"
    );
    let pipedrive = run("pipedrive", &checked);
    let first = json_of(file(&pipedrive, "first.pipedrive.fields.json"));
    let second = json_of(file(&pipedrive, "second.pipedrive.fields.json"));
    assert_eq!(first, json!([{"name": "Seats", "field_type": "double"}]));
    assert_eq!(second[0]["name"], "Region");
    assert_eq!(second.as_array().unwrap().len(), 1);
}

// ---- open stages without a probability ----------------------------------------------------

#[test]
fn an_open_stage_without_probability_is_never_closed_lost() {
    let checked = common::check_text(
        "missing.sales",
        r#"
process missing {
  stage discovery { probability: 20% }
  stage demo { }
  stage proposal { probability: 60% }
  stage review { }
  stage won { outcome: won }
  stage lost { outcome: lost  from: any }
}
"#,
    );
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let hubspot = run("hubspot", &checked);
    let pipeline = json_of(file(&hubspot, "missing.hubspot.json"));
    let probabilities = stage_probabilities(&pipeline);
    assert_eq!(
        probabilities,
        [
            &json!("0.2"),
            &json!("0.4"),
            &json!("0.6"),
            &json!("0.8"),
            &json!("1.0"),
            &json!("0.0")
        ]
    );
    assert_valid(
        &vendor_schema("hubspot/create-deals-pipeline.schema.json"),
        &pipeline,
        "missing",
    );
    let checklist = text_of(file(&hubspot, "missing.hubspot.md"));
    assert!(
        checklist.contains("- Demo has no probability in the process file.")
            && checklist.contains("so it was created with 40%"),
        "{checklist}"
    );
    let pipedrive = json_of(file(&run("pipedrive", &checked), "missing.pipedrive.json"));
    assert!(pipedrive["stages"][1].get("deal_probability").is_none());
    assert!(pipedrive["stages"][3].get("deal_probability").is_none());
    assert_eq!(pipedrive["stages"][2]["deal_probability"], 60);
    let model = json_of(file(&run("json", &checked), "model.json"));
    let demo = &model["processes"][0]["stages"][1]["crm"];
    assert_eq!(demo["pipedrive"]["probability"], Value::Null);
    assert_eq!(demo["salesforce"]["probability"], Value::Null);

    // A lone stage without a probability sits halfway, not at 0%.
    let lone = common::check_text(
        "lone.sales",
        "process lone { stage s { } stage won { outcome: won } stage lost { outcome: lost  from: any } }",
    );
    let pipeline = json_of(file(&run("hubspot", &lone), "lone.hubspot.json"));
    assert_eq!(pipeline["stages"][0]["metadata"]["probability"], "0.5");
}

// ---- checklists ----------------------------------------------------------------------------

const AUTOMATED: &str = r#"
role rep "Account Executive"
role manager "Sales Manager"
field budget "Budget": bool
field amount "Amount": currency { hubspot: "amount"  pipedrive: "value" }
field reason "Loss reason": choice["Price", "Timing"]
criteria qualified "Qualified" {
  budget: budget
  size: amount >= 10000
}
scoring fit "Fit score" { +60 when amount >= 1000  threshold: 50 }
process automated {
  stage discovery {
    probability: 20%
    stale_after: 2w
    exit: qualified and amount >= 40000
    when entered: task "Call the buyer" for rep due 2d
    when entered: task "Call the buyer" for rep due 2d
    when exited: email "recap" after 1d
    when stale: notify manager
    follow_up "Second touch" after 3d
  }
  stage proposal {
    probability: 60%
    exit: qualified
    when stale: notify manager
  }
  stage won { outcome: won }
  stage lost { outcome: lost  from: any  requires: reason }
}
"#;

fn lines_once(markdown: &str) {
    let mut seen = std::collections::BTreeSet::new();
    for line in markdown
        .lines()
        .filter(|l| l.starts_with("| ") || l.starts_with("- "))
    {
        assert!(seen.insert(line), "listed twice: {line}\n{markdown}");
    }
}

#[test]
fn hubspot_checklist_lists_exits_workflows_stalled_deals_and_the_contact_score() {
    let checked = common::check_text("automated.sales", AUTOMATED);
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let hubspot = run("hubspot", &checked);
    let checklist = text_of(file(&hubspot, "automated.hubspot.md"));
    lines_once(checklist);
    let exits = section(checklist, "## Exit criteria");
    assert!(exits.contains("| Discovery | meets Qualified and Amount is at least 40,000 |"));
    assert!(exits.contains("| Proposal | meets Qualified |"));
    assert_eq!(
        exits.matches("A deal meets Qualified when").count(),
        1,
        "{exits}"
    );
    assert!(exits.contains("- Size: Amount is at least 10,000"));
    let automations = section(checklist, "## Automations");
    assert!(automations.contains(
        "| a deal enters Discovery | none | create a task \"Call the buyer\" for Account Executive, due in 2 days |"
    ), "{automations}");
    assert!(automations
        .contains("| a deal leaves Discovery | 1 day | send the email template \"recap\" |"));
    assert!(automations.contains(
        "| a deal enters Discovery | 3 days | if the deal is still in Discovery, create a task \"Second touch\" for the deal owner |"
    ));
    assert!(
        !automations.contains("Sales Manager"),
        "a stale action is an automation: {automations}"
    );
    let stalled = section(checklist, "## Stalled deals");
    assert!(stalled
        .contains("| Discovery | 2 weeks | send an internal notification to Sales Manager |"));
    assert!(stalled.contains("- Proposal has `when stale:` actions but no `stale_after:`"));
    let score = section(checklist, "## Score: Fit score");
    assert!(score.contains("*Contact properties*"), "{score}");
    assert!(score.contains("a contact with 50 points or more"));
}

#[test]
fn pipedrive_checklist_says_how_to_import_and_what_to_set_by_hand() {
    let checked = common::check_text("automated.sales", AUTOMATED);
    let pipedrive = run("pipedrive", &checked);
    let checklist = text_of(file(&pipedrive, "automated.pipedrive.md"));
    lines_once(checklist);
    let import = section(checklist, "## Import");
    let order: Vec<usize> = ["post v2/pipelines", "post v2/stages", "post v1/dealFields"]
        .iter()
        .map(|call| {
            import
                .find(call)
                .unwrap_or_else(|| panic!("no {call}: {import}"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{import}");
    assert!(import.contains("automated.pipedrive.fields.json"));
    let required = section(checklist, "## Required fields per stage");
    assert!(
        required.contains("| lost (Lost) | Loss reason (`reason`) | Loss reason (`reason`) |"),
        "{required}"
    );
    assert!(section(checklist, "## Exit criteria").contains("| Proposal | meets Qualified |"));
    let automations = section(checklist, "## Automations");
    assert!(automations
        .contains("| a deal leaves Discovery | 1 day | send the email template \"recap\" |"));
    assert!(automations
        .contains("| Discovery | 2 weeks | send an internal notification to Sales Manager |"));
    let lost = section(checklist, "## Lost reasons");
    assert!(lost.contains("- Price\n- Timing"), "{lost}");
}

// ---- conditions as trees -------------------------------------------------------------------

#[test]
fn model_json_has_each_condition_as_a_tree_with_criteria_by_name() {
    let checked = common::check_text(
        "trees.sales",
        r#"
field amount "Amount": currency
field champion "Champion": text
field region "Region": choice["EMEA", "APAC"]
field signed "Signed": bool
field discount "Discount": percent
criteria qualified "Qualified" {
  budget: amount > 0
  named: champion is set and discount <= 12.5%
}
criteria ready "Ready" { qualified: qualified }
scoring fit "Fit" { +60 when region in ["EMEA", "APAC"]  -10 when champion is not set  threshold: 50 }
process trees {
  stage discovery {
    probability: 20%
    requires: amount, champion, region, discount
    exit: amount >= 40000 and champion is set and ready or not (region == "EMEA" or signed)
  }
  stage won { outcome: won }
  stage lost { outcome: lost  from: any }
}
"#,
    );
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let model = json_of(file(&run("json", &checked), "model.json"));
    assert_valid(
        &schema(&common::root().join("docs/model.schema.json")),
        &model,
        "trees",
    );
    let exit = &model["processes"][0]["stages"][0]["exit"];
    assert_eq!(
        exit["source"],
        "amount >= 40000 and champion is set and ready or not (region == \"EMEA\" or signed)"
    );
    assert_eq!(
        exit["tree"],
        json!({"op": "or", "items": [
            {"op": "and", "items": [
                {"op": ">=", "field": "amount", "value": 40000},
                {"op": "set", "field": "champion"},
                {"op": "criteria", "name": "ready"}
            ]},
            {"op": "not", "item": {"op": "or", "items": [
                {"op": "==", "field": "region", "value": "EMEA"},
                {"op": "==", "field": "signed", "value": true}
            ]}}
        ]})
    );
    // A criteria that names another refers to it by name, never inlines it.
    assert_eq!(
        model["criteria"][1]["items"][0]["condition"]["tree"],
        json!({"op": "criteria", "name": "qualified"})
    );
    assert_eq!(
        model["criteria"][0]["items"][1]["condition"]["tree"],
        json!({"op": "and", "items": [
            {"op": "set", "field": "champion"},
            {"op": "<=", "field": "discount", "value": 12.5}
        ]})
    );
    assert_eq!(
        model["scorings"][0]["rules"][0]["when"]["tree"],
        json!({"op": "in", "field": "region", "values": ["EMEA", "APAC"]})
    );
    assert_eq!(
        model["scorings"][0]["rules"][1]["when"]["tree"],
        json!({"op": "not_set", "field": "champion"})
    );
    let yaml = run("yaml", &checked);
    let yaml: Value = serde_yaml::from_slice(file(&yaml, "model.yaml")).unwrap();
    assert_eq!(yaml, model);
}

#[test]
fn the_schema_rejects_a_malformed_condition_tree() {
    let validator = schema(&common::root().join("docs/model.schema.json"));
    let path = common::root().join("examples/branching.sales");
    let model = json_of(&common::emit("json", &path)[0].1);
    let with_exit = model["processes"][0]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .position(|s| !s["exit"].is_null())
        .expect("a stage with an exit");
    for bad in [
        json!({"op": "criteria", "name": "x", "items": []}),
        json!({"op": "and", "items": [{"op": "set"}]}),
        json!({"op": "~", "field": "amount", "value": 1}),
        json!({"op": ">=", "field": "amount", "value": [1]}),
    ] {
        let mut broken = model.clone();
        broken["processes"][0]["stages"][with_exit]["exit"]["tree"] = bad.clone();
        assert!(!validator.is_valid(&broken), "{bad} passed");
    }
}

#[test]
fn every_property_and_deal_field_body_follows_the_vendor_schemas() {
    let properties = vendor_schema("hubspot/batch-create-properties.schema.json");
    let fields = vendor_schema("pipedrive/add-deal-field-request.schema.json");
    let mut inputs = inputs_with_processes();
    inputs.push((
        PathBuf::from("fields.sales"),
        common::check_text("fields.sales", FIELDS),
    ));
    for (path, checked) in inputs {
        for (name, bytes) in run("hubspot", &checked).files {
            if name.ends_with(".hubspot.properties.json") {
                let what = format!("{} {name}", path.display());
                assert_valid(&properties, &json_of(&bytes), &what);
            }
        }
        for (name, bytes) in run("pipedrive", &checked).files {
            if name.ends_with(".pipedrive.fields.json") {
                let what = format!("{} {name}", path.display());
                assert_valid(&fields, &json_of(&bytes), &what);
            }
        }
    }
}

#[test]
fn the_field_schemas_reject_bodies_the_crms_reject() {
    let properties = vendor_schema("hubspot/batch-create-properties.schema.json");
    let body = |property: Value| json!({"inputs": [property]});
    let good = json!({"name": "signed", "label": "Signed", "type": "bool",
                      "fieldType": "booleancheckbox", "groupName": "dealinformation",
                      "options": [{"label": "Yes", "value": "true", "displayOrder": 0},
                                  {"label": "No", "value": "false", "displayOrder": 1}]});
    assert!(properties.is_valid(&body(good.clone())));
    let mut no_options = good.clone();
    no_options.as_object_mut().unwrap().remove("options");
    assert!(!properties.is_valid(&body(no_options)));
    let mut wrong_pair = good.clone();
    wrong_pair["fieldType"] = json!("text");
    assert!(!properties.is_valid(&body(wrong_pair)));
    let mut upper = good;
    upper["name"] = json!("Signed");
    assert!(!properties.is_valid(&body(upper)));
    let fields = vendor_schema("pipedrive/add-deal-field-request.schema.json");
    assert!(fields.is_valid(&json!([{"name": "Seats", "field_type": "double"}])));
    assert!(!fields.is_valid(&json!([{"key": "seats", "name": "Seats", "field_type": "double"}])));
    assert!(!fields.is_valid(&json!([{"name": "Region", "field_type": "enum"}])));
    assert!(!fields.is_valid(&json!([{"name": "Seats", "field_type": "integer"}])));
}
