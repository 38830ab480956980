//! `salespath audit` through the real binary: the Maven CRM example's figures, exit codes,
//! inputs and mapping errors, every output format, the JSON schema, determinism, and the
//! audit rules' pages.

mod common;

use serde_json::Value;
use std::process::Output;

fn audit(args: &[&str]) -> Output {
    common::salespath()
        .arg("audit")
        .args(args)
        .current_dir(common::root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(output), stderr(output)))
}

const MAVEN: &str = "examples/maven-crm/pipeline.sales";
const FUNNEL: &str = "tests/fixtures/audit/funnel.sales";
const HISTORY: &str = "tests/fixtures/audit/history.csv";
const DEALS: &str = "tests/fixtures/audit/deals.csv";

fn schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(common::root().join("docs/audit.schema.json")).unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).expect("a valid schema")
}

fn assert_valid(report: &Value) {
    let validator = schema();
    let errors: Vec<String> = validator
        .iter_errors(report)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "the report does not match docs/audit.schema.json: {errors:#?}"
    );
}

#[test]
fn maven_crm_figures() {
    let output = audit(&[MAVEN, "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = json(&output);
    assert_valid(&report);
    assert_eq!(report["format_version"], 1);
    assert_eq!(report["process"], "hardware_sales");
    assert_eq!(report["as_of"], "2017-12-27T00:00:00Z");
    assert_eq!(report["rows"]["read"], 8800);
    assert_eq!(report["rows"]["used"], 8800);
    let k = &report["kpis"];
    assert_eq!(
        (
            k["deals"].as_u64(),
            k["won"].as_u64(),
            k["lost"].as_u64(),
            k["open"].as_u64()
        ),
        (Some(8800), Some(4238), Some(2473), Some(2089))
    );
    // The win rate of closed deals: 4,238 / 6,711.
    assert_eq!(k["win_rate"].as_f64(), Some(4238.0 / 6711.0));
    let stages: Vec<(&str, u64, u64)> = report["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap(),
                s["entered"].as_u64().unwrap(),
                s["reached"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        stages,
        [
            ("prospecting", 500, 6327),
            ("engaging", 1589, 5827),
            ("won", 4238, 4238),
            ("lost", 2473, 2473)
        ]
    );
    let findings: Vec<(&str, &str, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap(),
                f["stage"].as_str().unwrap(),
                f["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        findings,
        [
            ("stale-deal", "engaging", 1465),
            ("missing-required", "engaging", 1088)
        ]
    );
    assert_eq!(report["findings"][1]["field"], "account");
    assert_eq!(
        report["findings"][1]["examples"][0],
        serde_json::json!({"deal": "HAXMC4IX", "line": 11})
    );
}

#[test]
fn maven_crm_by_owner_and_segment() {
    let report = json(&audit(&[MAVEN, "--format", "json", "--by", "owner"]));
    assert_valid(&report);
    let groups = report["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 30);
    let deals: u64 = groups
        .iter()
        .map(|g| g["kpis"]["deals"].as_u64().unwrap())
        .sum();
    assert_eq!(deals, 8800);
    let segments = json(&audit(&[MAVEN, "--format", "json", "--by", "segment"]));
    let names: Vec<&str> = segments["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["value"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["gtx", "mg"]);
}

#[test]
fn exit_codes() {
    // Warnings only: 0, or 1 with --deny-warnings.
    assert_eq!(
        audit(&[FUNNEL, "--history", HISTORY]).status.code(),
        Some(0)
    );
    assert_eq!(
        audit(&[FUNNEL, "--history", HISTORY, "--deny-warnings"])
            .status
            .code(),
        Some(1)
    );
    // A bad row is an error.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "deal,stage,at\nA,lead,someday\n").unwrap();
    let output = audit(&[FUNNEL, "--history", bad.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("error[bad-row]"),
        "{}",
        stdout(&output)
    );

    // Usage, I/O and mapping errors: 2, naming what is wrong.
    let no_input = audit(&[FUNNEL]);
    assert_eq!(no_input.status.code(), Some(2));
    assert!(stderr(&no_input).contains("--history"));
    let missing_file = audit(&[FUNNEL, "--history", "nowhere.csv"]);
    assert_eq!(missing_file.status.code(), Some(2));
    assert!(stderr(&missing_file).contains("nowhere.csv"));
    let no_column = dir.path().join("no-column.csv");
    std::fs::write(&no_column, "deal,when\nA,2023-01-01\n").unwrap();
    let output = audit(&[FUNNEL, "--history", no_column.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no column `stage`"),
        "{}",
        stderr(&output)
    );
    let process = audit(&[FUNNEL, "--history", HISTORY, "--process", "funel"]);
    assert_eq!(process.status.code(), Some(2));
    assert!(
        stderr(&process).contains("did you mean `funnel`?"),
        "{}",
        stderr(&process)
    );
    let date = audit(&[FUNNEL, "--history", HISTORY, "--as-of", "soon"]);
    assert_eq!(date.status.code(), Some(2));

    // A process file with errors: its diagnostics, exit 1.
    let broken = dir.path().join("broken.sales");
    std::fs::write(&broken, "process p { stage a { next: b } }\n").unwrap();
    let output = audit(&[broken.to_str().unwrap(), "--history", HISTORY]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("unknown-reference"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn every_format_is_deterministic_and_escaped() {
    let dir = tempfile::tempdir().unwrap();
    for (format, ext) in [
        ("human", "txt"),
        ("json", "json"),
        ("md", "md"),
        ("html", "html"),
    ] {
        let first = audit(&[
            FUNNEL,
            "--history",
            HISTORY,
            "--deals",
            DEALS,
            "--by",
            "owner",
            "--format",
            format,
        ]);
        let second = audit(&[
            FUNNEL,
            "--history",
            HISTORY,
            "--deals",
            DEALS,
            "--by",
            "owner",
            "--format",
            format,
        ]);
        assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
        assert_eq!(first.stdout, second.stdout, "{format} is deterministic");
        assert!(
            !first.stdout.contains(&0x1b),
            "{format}: no colour when not on a terminal"
        );
        // -o writes the same bytes, the format following the extension.
        let path = dir.path().join(format!("report.{ext}"));
        let mut args = vec![
            FUNNEL,
            "--history",
            HISTORY,
            "--deals",
            DEALS,
            "--by",
            "owner",
            "-o",
        ];
        args.push(path.to_str().unwrap());
        if format == "human" {
            args.extend(["--format", "human"]);
        }
        assert_eq!(audit(&args).status.code(), Some(0));
        assert_eq!(
            std::fs::read(&path).unwrap(),
            first.stdout,
            "{format} via -o"
        );
    }

    // Hostile deal ids and owners stay text in every format.
    let hostile = dir.path().join("hostile.csv");
    std::fs::write(
        &hostile,
        "deal,stage,at\n\"<script>alert(1)</script>|*x*\",qualify,2023-01-01\n",
    )
    .unwrap();
    let html = stdout(&audit(&[
        FUNNEL,
        "--history",
        hostile.to_str().unwrap(),
        "--format",
        "html",
    ]));
    assert!(!html.contains("<script>"));
    assert!(html.contains("&lt;script&gt;"));
    let md = stdout(&audit(&[
        FUNNEL,
        "--history",
        hostile.to_str().unwrap(),
        "--format",
        "md",
    ]));
    assert!(
        md.contains("\\<script\\>") && md.contains("\\|\\*x\\*"),
        "{md}"
    );
    let report = json(&audit(&[
        FUNNEL,
        "--history",
        hostile.to_str().unwrap(),
        "--format",
        "json",
    ]));
    assert_eq!(
        report["findings"][0]["examples"][0]["deal"],
        "<script>alert(1)</script>|*x*"
    );
}

#[test]
fn reports_match_the_schema() {
    for args in [
        vec![FUNNEL, "--history", HISTORY, "--format", "json"],
        vec![
            FUNNEL,
            "--history",
            HISTORY,
            "--deals",
            DEALS,
            "--by",
            "segment",
            "--target",
            "1000",
            "--format",
            "json",
        ],
        vec![FUNNEL, "--deals", DEALS, "--format", "json"],
    ] {
        let output = audit(&args);
        assert_valid(&json(&output));
    }
}

#[test]
fn standard_input_and_the_configured_mapping() {
    let mut child = common::salespath()
        .args(["audit", FUNNEL, "--history", "-", "--format", "json"])
        .current_dir(common::root())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&std::fs::read(common::root().join(HISTORY)).unwrap())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(json(&output)["kpis"]["deals"], 6);

    // `salespath.yaml` beside the process names the files (relative to itself) and columns.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(common::root().join(FUNNEL), dir.path().join("p.sales")).unwrap();
    std::fs::create_dir(dir.path().join("exports")).unwrap();
    std::fs::write(
        dir.path().join("exports/h.csv"),
        "Opp,Step,When\nA,lead,2023-01-01\nA,won,2023-01-03\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("salespath.yaml"),
        "rules:\n  illegal-move: error\ndata:\n  history: exports/h.csv\n  columns: {deal: Opp, stage: Step, at: When}\n  target: 100\n",
    )
    .unwrap();
    let output = audit(&[
        dir.path().join("p.sales").to_str().unwrap(),
        "--format",
        "json",
    ]);
    let report = json(&output);
    assert_eq!(report["kpis"]["won"], 1);
    assert_eq!(
        output.status.code(),
        Some(1),
        "lead to won skips stages, and illegal-move is an error here"
    );
}

#[test]
fn explain_knows_every_audit_rule_and_docs_link_each_page() {
    use salespath::rule::{Phase, Rule};
    let list = stdout(&common::salespath().arg("explain").output().unwrap());
    let docs = std::fs::read_to_string(common::root().join("docs/audit.md")).unwrap();
    let audit: Vec<Rule> = Rule::ALL
        .iter()
        .copied()
        .filter(|r| r.phase() == Phase::Audit)
        .collect();
    for rule in &audit {
        assert!(
            list.contains(rule.name()),
            "`explain` lists `{}`",
            rule.name()
        );
        let page = common::salespath()
            .args(["explain", rule.name()])
            .output()
            .unwrap();
        assert_eq!(page.status.code(), Some(0));
        assert_eq!(stdout(&page), rule.explain());
        assert!(
            docs.contains(&format!("rules/{}.md", rule.name())),
            "docs/audit.md links `{}`",
            rule.name()
        );
        assert!(common::root()
            .join("docs/rules")
            .join(format!("{}.md", rule.name()))
            .exists());
    }
    let names: Vec<(&str, &str)> = audit
        .iter()
        .map(|r| (r.name(), r.info().default.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("bad-row", "error"),
            ("unknown-stage", "error"),
            ("wrong-entry", "warning"),
            ("illegal-move", "warning"),
            ("stale-deal", "warning"),
            ("missing-required", "warning"),
            ("exit-not-met", "warning"),
            ("probability-mismatch", "warning"),
            ("field-not-in-data", "info"),
        ]
    );
    let unknown = common::salespath()
        .args(["explain", "ilegal-move"])
        .output()
        .unwrap();
    assert!(stderr(&unknown).contains("did you mean `illegal-move`?"));
}
