//! Output for CI: `check --format sarif`, `check --format github`, and `build --check`.
#![recursion_limit = "512"]

mod common;

use salespath::rule::Rule;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Output;

fn fixture(rule: &str, file: &str) -> PathBuf {
    common::root()
        .join("tests/fixtures/rules")
        .join(rule)
        .join(file)
}

fn check(format: &str, files: &[&Path]) -> Output {
    common::salespath()
        .args(["check", "--format", format])
        .args(files)
        .output()
        .unwrap()
}

/// The parts of SARIF 2.1.0 we emit, with the properties the standard requires of each.
fn sarif_schema() -> Value {
    let text = json!({ "type": "object", "required": ["text"], "properties": { "text": { "type": "string" } } });
    let level = json!({ "enum": ["none", "note", "warning", "error"] });
    let positive = json!({ "type": "integer", "minimum": 1 });
    json!({
        "type": "object",
        "required": ["$schema", "version", "runs"],
        "properties": {
            "$schema": { "type": "string", "format": "uri" },
            "version": { "const": "2.1.0" },
            "runs": {
                "type": "array", "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["tool", "results"],
                    "properties": {
                        "tool": {
                            "type": "object", "required": ["driver"],
                            "properties": { "driver": {
                                "type": "object",
                                "required": ["name", "informationUri", "rules"],
                                "properties": {
                                    "name": { "type": "string" },
                                    "informationUri": { "type": "string" },
                                    "rules": { "type": "array", "items": {
                                        "type": "object",
                                        "required": ["id", "shortDescription", "fullDescription", "defaultConfiguration"],
                                        "properties": {
                                            "id": { "type": "string" },
                                            "shortDescription": text,
                                            "fullDescription": text,
                                            "defaultConfiguration": {
                                                "type": "object", "required": ["level"],
                                                "properties": { "level": level }
                                            }
                                        }
                                    }}
                                }
                            }}
                        },
                        "columnKind": { "enum": ["utf16CodeUnits", "unicodeCodePoints"] },
                        "results": { "type": "array", "items": {
                            "type": "object",
                            "required": ["ruleId", "level", "message", "locations"],
                            "properties": {
                                "ruleId": { "type": "string" },
                                "ruleIndex": { "type": "integer", "minimum": 0 },
                                "level": level,
                                "message": text,
                                "locations": { "type": "array", "minItems": 1, "items": {
                                    "type": "object", "required": ["physicalLocation"],
                                    "properties": { "physicalLocation": {
                                        "type": "object", "required": ["artifactLocation", "region"],
                                        "properties": {
                                            "artifactLocation": {
                                                "type": "object", "required": ["uri"],
                                                "properties": { "uri": { "type": "string", "pattern": "^[^ \\\\]*$" } }
                                            },
                                            "region": {
                                                "type": "object",
                                                "required": ["startLine", "startColumn", "endLine", "endColumn"],
                                                "properties": {
                                                    "startLine": positive, "startColumn": positive,
                                                    "endLine": positive, "endColumn": positive
                                                }
                                            }
                                        }
                                    }}
                                }}
                            }
                        }}
                    }
                }
            }
        }
    })
}

#[test]
fn sarif_has_the_required_structure_every_rule_and_one_result_per_diagnostic() {
    let files = [
        fixture("unreachable-stage", "bad.sales"),
        fixture("probability-order", "bad.sales"),
    ];
    let files: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let output = check("sarif", &files);
    assert_eq!(
        output.status.code(),
        Some(1),
        "errors in the input give exit 1"
    );
    let sarif: Value = serde_json::from_slice(&output.stdout).expect("SARIF is JSON");

    let validator = jsonschema::validator_for(&sarif_schema()).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| e.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF does not have the required structure: {errors:#?}"
    );

    let run = &sarif["runs"][0];
    let rule_ids: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = Rule::names().collect();
    assert_eq!(rule_ids, expected);

    // The same diagnostics, at the same places, as the JSON report.
    let plain: Value = serde_json::from_slice(&check("json", &files).stdout).unwrap();
    let diagnostics = plain["diagnostics"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), diagnostics.len());
    assert!(results.iter().any(|r| r["level"] == "error"));
    assert!(results.iter().any(|r| r["level"] == "warning"));
    for (result, d) in results.iter().zip(diagnostics) {
        assert_eq!(result["ruleId"], d["rule"]);
        assert_eq!(result["level"], d["severity"]);
        let text = result["message"]["text"].as_str().unwrap();
        assert!(text.starts_with(d["message"].as_str().unwrap()));
        assert!(text.contains(d["help"].as_str().unwrap()));
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], d["file"]);
        let region = &location["region"];
        assert_eq!(region["startLine"], d["line"]);
        assert_eq!(region["startColumn"], d["column"]);
        assert_eq!(region["endLine"], d["end_line"]);
        assert_eq!(region["endColumn"], d["end_column"]);
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rule_ids[index], d["rule"]);
    }
}

#[test]
fn sarif_of_a_clean_file_has_no_results_and_exit_0() {
    let file = fixture("unreachable-stage", "good.sales");
    let output = check("sarif", &[&file]);
    assert_eq!(output.status.code(), Some(0));
    let sarif: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(sarif["runs"][0]["results"], json!([]));
}

#[test]
fn github_writes_one_escaped_workflow_command_per_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd, name: 100%.sales");
    std::fs::copy(fixture("probability-order", "bad.sales"), &path).unwrap();
    let output = check("github", &[&path]);
    assert_eq!(output.status.code(), Some(0), "warnings only");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(!lines.is_empty());

    let plain: Value = serde_json::from_slice(&check("json", &[&path]).stdout).unwrap();
    let diagnostics = plain["diagnostics"].as_array().unwrap();
    assert_eq!(lines.len(), diagnostics.len());
    let escaped_name = path
        .display()
        .to_string()
        .replace('%', "%25")
        .replace(':', "%3A")
        .replace(',', "%2C");
    for (line, d) in lines.iter().zip(diagnostics) {
        let expected = format!(
            "::{} file={escaped_name},line={},col={},endLine={},endColumn={},title={}::{}%0Ahelp: {}",
            d["severity"].as_str().unwrap(),
            d["line"],
            d["column"],
            d["end_line"],
            d["end_column"],
            d["rule"].as_str().unwrap(),
            d["message"].as_str().unwrap().replace('%', "%25"),
            d["help"].as_str().unwrap().replace('%', "%25"),
        );
        assert_eq!(*line, expected);
    }
}

#[test]
fn unknown_check_format_is_a_usage_error() {
    let file = fixture("unreachable-stage", "good.sales");
    let output = check("xml", &[&file]);
    assert_eq!(output.status.code(), Some(2));
}

// ---- build --check -----------------------------------------------------------------------

/// A backend that runs without Graphviz, when the build has one.
fn plain_backend() -> Option<&'static str> {
    let found = salespath::emit::BACKENDS
        .iter()
        .find(|b| !b.needs_graphviz)
        .map(|b| b.name);
    if found.is_none() {
        eprintln!("SKIPPED build --check: no backend without Graphviz is registered");
    }
    found
}

fn build(dir: &Path, backend: &str, check: bool) -> Output {
    let source = common::root().join("examples/transactional.sales");
    let mut command = common::salespath();
    command
        .arg("build")
        .arg(&source)
        .args(["--emit", backend, "--out"])
        .arg(dir.join("out"));
    if check {
        command.arg("--check");
    }
    command.output().unwrap()
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                found.extend(files_under(&path));
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

#[test]
fn build_check_reports_missing_and_stale_outputs_and_writes_nothing() {
    let Some(backend) = plain_backend() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");

    let missing = build(dir.path(), backend, true);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stdout).contains("missing: "));
    assert!(files_under(&out).is_empty(), "--check wrote files");

    assert_eq!(build(dir.path(), backend, false).status.code(), Some(0));
    let written = files_under(&out);
    assert!(!written.is_empty());
    let fresh = build(dir.path(), backend, true);
    assert_eq!(
        fresh.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&fresh.stdout)
    );

    std::fs::write(&written[0], b"edited by hand\n").unwrap();
    let stale = build(dir.path(), backend, true);
    assert_eq!(stale.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&stale.stdout);
    assert!(
        stdout.contains(&format!("out of date: {}", written[0].display())),
        "{stdout}"
    );
    assert_eq!(std::fs::read(&written[0]).unwrap(), b"edited by hand\n");
}
