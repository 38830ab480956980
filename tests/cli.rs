//! The `check` and `explain` commands through the real binary: exit codes, formats, inputs,
//! configuration.

mod common;

use common::salespath;
use salespath::diag::JsonReport;
use std::io::Write;
use std::process::{Output, Stdio};

const DEAD_END: &str = "tests/fixtures/rules/dead-end/bad.sales";
const WARNING_ONLY: &str = "tests/fixtures/rules/self-transition/bad.sales";
const CLEAN: &str = "tests/fixtures/rules/dead-end/good.sales";

fn run(args: &[&str]) -> Output {
    salespath()
        .args(args)
        .current_dir(common::root())
        .env("NO_COLOR", "1")
        .output()
        .expect("run salespath")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

fn json(output: &Output) -> JsonReport {
    serde_json::from_slice(&output.stdout).expect("the JSON report shape")
}

#[test]
fn exit_codes_follow_the_reference() {
    assert_eq!(run(&["check", CLEAN]).status.code(), Some(0));
    assert_eq!(run(&["check", DEAD_END]).status.code(), Some(1));
    assert_eq!(run(&["check", WARNING_ONLY]).status.code(), Some(0));
    assert_eq!(
        run(&["check", "does/not/exist.sales"]).status.code(),
        Some(2)
    );
    assert_eq!(
        run(&["check", "--format", "xml", CLEAN]).status.code(),
        Some(2)
    );
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn deny_warnings_turns_warnings_into_failure() {
    assert_eq!(
        run(&["check", "--deny-warnings", WARNING_ONLY])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        run(&["check", "--deny-warnings", CLEAN]).status.code(),
        Some(0)
    );
}

#[test]
fn json_has_the_documented_shape_even_when_clean() {
    let clean = run(&["check", "--format", "json", CLEAN]);
    let report = json(&clean);
    assert_eq!(
        (report.diagnostics.len(), report.errors, report.warnings),
        (0, 0, 0)
    );

    let bad = json(&run(&["check", "--format", "json", DEAD_END]));
    assert_eq!((bad.errors, bad.warnings), (1, 0));
    let d = &bad.diagnostics[0];
    assert_eq!(d.rule, "dead-end");
    assert_eq!(d.severity, "error");
    assert_eq!(d.file, DEAD_END);
    assert_eq!(
        (d.line, d.column, d.end_line, d.end_column),
        (22, 9, 22, 16)
    );
    assert!(d.message.contains("`nurture`"));
    assert!(
        d.help.contains("`closed_lost`"),
        "says where deals can go: {}",
        d.help
    );
}

#[test]
fn several_files_are_checked_in_one_run_and_each_diagnostic_names_its_file() {
    let syntax = "tests/fixtures/rules/syntax/bad.sales";
    let output = run(&["check", "--format", "json", syntax, DEAD_END, CLEAN]);
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output);
    let files: Vec<(&str, &str)> = report
        .diagnostics
        .iter()
        .map(|d| (d.file.as_str(), d.rule.as_str()))
        .collect();
    // A syntax error stops its own file only.
    assert_eq!(files, vec![(syntax, "syntax"), (DEAD_END, "dead-end")]);

    let human = stdout(&run(&["check", syntax, DEAD_END]));
    assert!(human.contains("syntax/bad.sales:10:5"), "{human}");
    assert!(human.contains("dead-end/bad.sales:22:9"), "{human}");
    assert!(
        human.contains("checked 2 files: 2 errors, 0 warnings"),
        "{human}"
    );
}

#[test]
fn folders_are_searched_for_sales_files_in_sorted_order() {
    let output = run(&["check", "--format", "json", "tests/fixtures/rules/dead-end"]);
    let report = json(&output);
    assert_eq!(report.diagnostics.len(), 1);
    assert_eq!(report.diagnostics[0].file, DEAD_END);
    let human = stdout(&run(&["check", "tests/fixtures/rules/dead-end"]));
    assert!(human.contains("checked 2 files"), "{human}");
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let text = std::fs::read(common::root().join(DEAD_END)).unwrap();
    let mut child = salespath()
        .args(["check", "--format", "json", "-"])
        .current_dir(common::root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&text).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output);
    assert_eq!(report.diagnostics[0].file, "<stdin>");
    assert_eq!(report.diagnostics[0].rule, "dead-end");
}

#[test]
fn configuration_changes_severities_and_rejects_unknown_rules() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.sales");
    std::fs::copy(common::root().join(DEAD_END), &file).unwrap();
    let check = |config: &str| {
        std::fs::write(dir.path().join("salespath.yaml"), config).unwrap();
        salespath()
            .args(["check", "--format", "json", "p.sales"])
            .current_dir(dir.path())
            .output()
            .unwrap()
    };

    let off = check("rules:\n  dead-end: off\n");
    assert_eq!(off.status.code(), Some(0));
    assert!(json(&off).diagnostics.is_empty());

    let warning = check("rules:\n  dead-end: warning\n  missing-owner: warning\n");
    assert_eq!(warning.status.code(), Some(0));
    let report = json(&warning);
    assert_eq!((report.errors, report.warnings), (0, 1));
    assert_eq!(report.diagnostics[0].severity, "warning");

    let unknown = check("rules:\n  dead-ends: off\n");
    assert_eq!(unknown.status.code(), Some(2));
    let message = String::from_utf8_lossy(&unknown.stderr);
    assert!(message.contains("did you mean `dead-end`?"), "{message}");

    let bad_level = check("rules:\n  dead-end: fatal\n");
    assert_eq!(bad_level.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_level.stderr).contains("`error`, `warning` or `off`"));

    // Found in a parent folder too.
    std::fs::write(
        dir.path().join("salespath.yaml"),
        "rules:\n  dead-end: off\n",
    )
    .unwrap();
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    let from_sub = salespath()
        .args(["check", "../p.sales"])
        .current_dir(&sub)
        .output()
        .unwrap();
    assert_eq!(from_sub.status.code(), Some(0));
}

#[test]
fn off_by_default_rules_can_be_turned_on() {
    let output = salespath()
        .args(["check", "--format", "json", "bad.sales"])
        .current_dir(common::root().join("tests/fixtures/rules/missing-owner"))
        .output()
        .unwrap();
    let report = json(&output);
    assert_eq!(report.diagnostics.len(), 1);
    assert_eq!(report.diagnostics[0].rule, "missing-owner");
    assert_eq!(report.diagnostics[0].severity, "warning");
}

#[test]
fn explain_prints_the_rule_with_its_fixtures() {
    let output = run(&["explain", "dead-end"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    let bad = std::fs::read_to_string(common::root().join(DEAD_END)).unwrap();
    let good = std::fs::read_to_string(common::root().join(CLEAN)).unwrap();
    assert!(text.contains(&bad) && text.contains(&good));
    assert!(text.contains("Default severity: error"));

    let list = stdout(&run(&["explain"]));
    for name in salespath::rule::Rule::names() {
        assert!(list.contains(name), "{name} listed");
    }
    assert!(list.contains("missing-owner") && list.contains("off"));

    let unknown = run(&["explain", "dead-ends"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("did you mean `dead-end`?"));
}

#[test]
fn human_reports_have_no_colour_when_not_a_terminal() {
    let output = salespath()
        .args(["check", DEAD_END])
        .current_dir(common::root())
        .output()
        .unwrap();
    let text = stdout(&output);
    assert!(!text.contains('\u{1b}'), "no escape codes: {text}");
    assert!(text.contains("help: deals in `nurture` can only go to `closed_lost`"));
}

#[test]
fn a_problem_in_a_file_imported_twice_is_reported_once() {
    let dir = tempfile::tempdir().unwrap();
    let process = |name: &str| {
        format!("import \"defs.sales\"\nprocess {name} {{\n  stage a {{ owner: ae  probability: 10% }}\n  stage won {{ outcome: won }}\n  stage lost {{ outcome: lost  from: any }}\n}}\n")
    };
    std::fs::write(
        dir.path().join("defs.sales"),
        "role ae\ncriteria c { x: nothing is set }\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("a.sales"), process("a")).unwrap();
    std::fs::write(dir.path().join("b.sales"), process("b")).unwrap();
    let output = salespath()
        .args(["check", "--format", "json", "a.sales", "b.sales"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let report = json(&output);
    let rules: Vec<&str> = report.diagnostics.iter().map(|d| d.rule.as_str()).collect();
    assert_eq!(rules, ["unknown-reference"]);
    assert_eq!(report.diagnostics[0].file, "defs.sales");
}

#[test]
fn backend_rules_are_explained_and_configurable() {
    let explained = run(&["explain", "crm-rounding"]);
    assert_eq!(explained.status.code(), Some(0));
    assert!(stdout(&explained).contains("steps of 10%"));

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("p.sales"),
        "process p {\n  stage one { probability: 15% }\n  stage won { outcome: won }\n  stage lost { outcome: lost  from: any }\n}\n",
    )
    .unwrap();
    let build = || {
        salespath()
            .args([
                "build",
                "p.sales",
                "--emit",
                "hubspot,pipedrive",
                "-o",
                "out",
            ])
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let warned = build();
    assert_eq!(warned.status.code(), Some(0));
    let text = stdout(&warned);
    assert_eq!(text.matches("crm-rounding").count(), 1, "{text}");

    std::fs::write(
        dir.path().join("salespath.yaml"),
        "rules:\n  crm-rounding: off\n",
    )
    .unwrap();
    let quiet = build();
    assert_eq!(
        quiet.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&quiet.stderr)
    );
    assert!(!stdout(&quiet).contains("crm-rounding"));
}
