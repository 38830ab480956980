//! `--emit yaml` reads back as the same data as `--emit json`, in YAML 1.2 readers (serde_yaml)
//! and YAML 1.1 readers (PyYAML), whatever the labels say.

mod common;

use salespath::emit;
use serde_json::Value;
use std::process::Command;

/// Labels that YAML readers take for booleans, nulls, numbers, dates, merge keys or syntax
/// when written plain.
const LABELS: &[&str] = &[
    "no",
    "No",
    "NO",
    "yes",
    "Yes",
    "on",
    "On",
    "off",
    "OFF",
    "y",
    "Y",
    "n",
    "N",
    "true",
    "False",
    "~",
    "null",
    "Null",
    "=",
    "<<",
    "1.5",
    "12",
    "0x1F",
    "0o17",
    "017",
    "1_000",
    "1e3",
    "+1",
    "-1",
    ".5",
    ".inf",
    "-.inf",
    ".NaN",
    "nan",
    "2024-01-01",
    "2001-12-14t21:59:43.10-05:00",
    "12:30:00",
    "190:20:30",
    "- item",
    "-",
    "? key",
    "a: b",
    "a #b",
    "#hash",
    "&anchor",
    "*alias",
    "!tag",
    "!!str",
    "|",
    ">",
    "@at",
    "`tick",
    "%percent",
    "[list]",
    "{map}",
    ",",
    "'single'",
    "\"double\"",
    " leading",
    "trailing ",
    "",
    "two\nlines",
    "tab\there",
    "\u{85}",
    "line\u{2028}separator",
    "\u{7f}",
    "\u{feff}bom",
    "商談",
    "🚀 Launch",
    "Needs Assessment",
    "Q&A, then demo",
    "back\\slash",
    "first\n  indented\n\n# last: - x",
    "a\n ",
    "x:",
    "a:b",
    "https://example.com/#top",
    "key: value # not a comment",
];

/// A `.sales` string literal for `text`.
fn literal(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn source() -> String {
    let mut text = String::new();
    for (i, label) in LABELS.iter().enumerate() {
        text.push_str(&format!("role r{i} {}\n", literal(label)));
    }
    text.push_str(&format!(
        "process p {} {{\n  description: {}\n  stage a {} {{ owner: r0 probability: 12.5% objective: {} }}\n  stage won {} {{ outcome: won }}\n  stage lost {{ outcome: lost from: any }}\n}}\n",
        literal("off"),
        literal("<<"),
        literal("="),
        literal("2024-01-01"),
        literal("~"),
    ));
    text
}

/// `model.json` and `model.yaml` of the source above.
fn outputs() -> (String, String) {
    let checked = common::check_text("labels.sales", &source());
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let project = common::project(&checked);
    let one = |backend: &str| {
        let files = emit::run(emit::find(backend).unwrap(), &project)
            .unwrap()
            .files;
        assert_eq!(files.len(), 1);
        String::from_utf8(files[0].1.clone()).unwrap()
    };
    (one("json"), one("yaml"))
}

#[test]
fn yaml_reads_back_as_the_json_in_a_yaml_1_2_reader() {
    let (json, yaml) = outputs();
    let from_json: Value = serde_json::from_str(&json).unwrap();
    let from_yaml: Value = serde_yaml::from_str(&yaml).expect("valid YAML");
    assert_eq!(from_yaml, from_json);
    let labels: Vec<&str> = from_yaml["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, LABELS);
}

#[test]
fn yaml_reads_back_as_the_json_in_a_yaml_1_1_reader() {
    let has_pyyaml = Command::new("python3")
        .args(["-c", "import yaml"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_pyyaml {
        if std::env::var_os("CI").is_some() {
            panic!("PyYAML is required in CI (apt-get install python3-yaml)");
        }
        eprintln!("SKIPPED yaml_reads_back_as_the_json_in_a_yaml_1_1_reader: python3 with PyYAML (`import yaml`) is not installed");
        return;
    }
    let (json, yaml) = outputs();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("model.json"), &json).unwrap();
    std::fs::write(dir.path().join("model.yaml"), &yaml).unwrap();
    let script = r#"
import json, sys, yaml
with open(sys.argv[1], encoding="utf-8") as f:
    from_json = json.load(f)
with open(sys.argv[2], encoding="utf-8") as f:
    from_yaml = yaml.safe_load(f)
if from_json != from_yaml:
    for a, b in zip(from_json["roles"], from_yaml["roles"]):
        if a != b:
            print("differs:", repr(a), repr(b))
    sys.exit(1)
"#;
    let output = Command::new("python3")
        .args(["-c", script])
        .arg(dir.path().join("model.json"))
        .arg(dir.path().join("model.yaml"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "PyYAML reads other data than the JSON:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
