//! Bad input never crashes: each of these ends in a diagnostic or a clear error, exit 1 or 2,
//! in bounded time.

mod common;

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

fn check_bytes(name: &str, bytes: &[u8]) -> (Output, Duration) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let start = Instant::now();
    let output = common::salespath()
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    (output, start.elapsed())
}

fn assert_diagnosed(name: &str, bytes: &[u8], rule: &str) -> String {
    let (output, took) = check_bytes(name, bytes);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{name}: {stderr}");
    assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    let report: salespath::diag::JsonReport =
        serde_json::from_slice(&output.stdout).expect("a JSON report");
    assert_eq!(report.diagnostics[0].rule, rule, "{name}");
    assert!(Path::new(&report.diagnostics[0].file).ends_with(name));
    assert!(took < Duration::from_secs(60), "{name} took {took:?}");
    report.diagnostics[0].message.clone()
}

const HEAD: &str = "field a: bool\nprocess p {\n  stage s {\n    probability: 10%\n    exit: ";
const TAIL: &str = "\n  }\n  stage w { outcome: won }\n}\n";

#[test]
fn tens_of_thousands_of_parentheses() {
    let text = format!("{HEAD}{}a{}{TAIL}", "(".repeat(50_000), ")".repeat(50_000));
    let message = assert_diagnosed("parens.sales", text.as_bytes(), "syntax");
    assert!(message.contains("nested"), "{message}");
}

#[test]
fn tens_of_thousands_of_nots() {
    let text = format!("{HEAD}{}a{TAIL}", "not ".repeat(50_000));
    assert_diagnosed("nots.sales", text.as_bytes(), "syntax");
}

#[test]
fn a_million_clauses_in_one_condition() {
    // Each `and` is a level of the condition's tree: past the limit it is refused at its line
    // before the tree is built, so no walk over it can run out of stack.
    let text = format!("{HEAD}a{}{TAIL}", " and a".repeat(1_000_000));
    let message = assert_diagnosed("clauses.sales", text.as_bytes(), "syntax");
    assert_eq!(
        message,
        "this condition has 1,000,001 clauses, more than the 10,000 a condition may have"
    );
    // At the limit it is a condition like any other.
    let text = format!("{HEAD}a{}{TAIL}", " or a".repeat(9_999));
    let (output, _) = check_bytes("limit.sales", text.as_bytes());
    let report: salespath::diag::JsonReport = serde_json::from_slice(&output.stdout).unwrap();
    assert!(report.diagnostics.iter().all(|d| d.rule != "syntax"));
}

#[test]
fn unclosed_parentheses_and_blocks() {
    let text = format!("{HEAD}{}", "(".repeat(50_000));
    assert_diagnosed("open.sales", text.as_bytes(), "syntax");
    assert_diagnosed(
        "blocks.sales",
        "process p {".repeat(20_000).as_bytes(),
        "syntax",
    );
}

#[test]
fn invalid_utf8_names_the_line() {
    let (output, _) = check_bytes(
        "latin1.sales",
        b"role ae \"Account\"\nrole se \"Solutions \xe9ngineer\"\n",
    );
    assert_eq!(output.status.code(), Some(1));
    let report: salespath::diag::JsonReport = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report.diagnostics[0].line, 2);
    assert!(report.diagnostics[0].message.contains("UTF-8"));
}

#[test]
fn binary_garbage() {
    // A fixed pseudo-random sequence, so the test is the same on every run.
    let mut state: u32 = 0x1234_5678;
    let bytes: Vec<u8> = (0..200_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .collect();
    let (output, _) = check_bytes("garbage.sales", &bytes);
    assert_eq!(output.status.code(), Some(1));
    // Human reports do not print control characters from the file.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("garbage.sales");
    std::fs::write(&path, &bytes).unwrap();
    let human = common::salespath()
        .arg("check")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(human.status.code(), Some(1));
    assert!(!human.stdout.iter().any(|&b| b < 0x20 && b != b'\n'));
}

#[test]
fn a_line_of_several_megabytes() {
    let text = format!(
        "role ae \"{}\"\nrole se {}\n",
        "x".repeat(4_000_000),
        "Y".repeat(3_000_000)
    );
    let (output, took) = check_bytes("long.sales", text.as_bytes());
    assert_eq!(output.status.code(), Some(1));
    assert!(took < Duration::from_secs(60));
    let human = {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("long.sales");
        std::fs::write(&path, &text).unwrap();
        common::salespath()
            .arg("check")
            .arg(&path)
            .output()
            .unwrap()
    };
    // The report names the place instead of quoting megabytes.
    assert!(
        human.stdout.len() < 10_000,
        "report of {} bytes",
        human.stdout.len()
    );
    assert!(String::from_utf8_lossy(&human.stdout).contains("long.sales:2:9"));
}

#[test]
fn empty_and_whitespace_files_are_fine() {
    for (name, text) in [
        ("empty.sales", ""),
        ("blank.sales", "  \n\t\n# only a comment\n"),
    ] {
        let (output, _) = check_bytes(name, text.as_bytes());
        assert_eq!(output.status.code(), Some(0), "{name}");
    }
}
