//! Criteria that use criteria: a long chain builds with every backend without exhausting the
//! stack, and criteria that use a criteria twice per level keep every output small (they are
//! referred to by name), while a Salesforce formula, which must spell them out, is measured
//! and refused with a diagnostic at the stage.

mod common;

use salespath::emit::BACKENDS;
use std::path::Path;

/// `count` criteria, each naming the previous one, and a stage whose exit is the last.
fn chain(count: usize) -> String {
    let mut text = String::from("field f \"F\": bool\ncriteria c0 { a: f }\n");
    for i in 1..count {
        text.push_str(&format!("criteria c{i} {{ a: c{} }}\n", i - 1));
    }
    text + &process(&format!("c{}", count - 1))
}

/// `levels` criteria, each using the previous one twice: spelt out, the last doubles
/// `levels` times.
fn doubling(levels: usize) -> String {
    let mut text =
        String::from("field f \"F\": bool\nfield g \"G\": bool\ncriteria c0 { a: f  b: g }\n");
    for i in 1..levels {
        text.push_str(&format!(
            "criteria c{i} {{ a: c{0}  b: c{0} or f }}\n",
            i - 1
        ));
    }
    text + &process(&format!("c{}", levels - 1))
}

fn process(exit: &str) -> String {
    format!(
        "process p {{\n  stage one {{ probability: 20% exit: {exit} }}\n  stage won {{ outcome: won }}\n  stage lost {{ outcome: lost from: any }}\n}}\n"
    )
}

/// The backends that need no external program, except `except`.
fn text_backends(except: &[&str]) -> String {
    BACKENDS
        .iter()
        .filter(|b| !b.needs_graphviz && !except.contains(&b.name))
        .map(|b| b.name)
        .collect::<Vec<_>>()
        .join(",")
}

fn build(dir: &Path, file: &str, emit: &str) -> std::process::Output {
    common::salespath()
        .current_dir(dir)
        .args(["build", "--emit", emit, "-o", "out", file])
        .output()
        .unwrap()
}

#[test]
fn a_chain_of_20000_criteria_builds_with_every_backend() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("chain.sales"), chain(20_000)).unwrap();
    let out = build(dir.path(), "chain.sales", &text_backends(&[]));
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let rule = std::fs::read_to_string(dir.path().join(
        "out/salesforce/force-app/main/default/objects/Opportunity/validationRules/P_One_Exit.validationRule-meta.xml",
    ))
    .unwrap();
    assert!(rule.contains("NOT(F__c)"), "{rule}");
}

#[test]
fn criteria_that_double_per_level_keep_every_output_small() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("double.sales"), doubling(22)).unwrap();
    let out = build(dir.path(), "double.sales", &text_backends(&["salesforce"]));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let mut total = 0;
    for entry in std::fs::read_dir(dir.path().join("out")).unwrap() {
        let path = entry.unwrap().path();
        let size = std::fs::metadata(&path).unwrap().len();
        assert!(size < 40_000, "{} is {size} bytes", path.display());
        total += size;
    }
    assert!(total < 200_000, "{total} bytes in all");
    let matrix = std::fs::read_to_string(dir.path().join("out/p.matrix.md")).unwrap();
    assert!(matrix.contains("meets C21"), "{matrix}");
    let playbook = std::fs::read_to_string(dir.path().join("out/p.playbook.md")).unwrap();
    assert!(playbook.contains("meets C20"), "{playbook}");
}

#[test]
fn a_salesforce_formula_over_the_limit_is_measured_and_refused_at_the_stage() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("double.sales"), doubling(22)).unwrap();
    let out = build(dir.path(), "double.sales", "salesforce");
    assert_eq!(out.status.code(), Some(1));
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("salesforce-formula-limit"), "{shown}");
    assert!(
        shown.contains("the exit criteria of stage `one`"),
        "{shown}"
    );
    assert!(shown.contains("double.sales:26:"), "{shown}");
    assert!(!dir.path().join("out").exists());
}
