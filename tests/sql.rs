//! The audit as SQL: the DuckDB views run by DuckDB over generated histories give the numbers
//! of `salespath audit --format json`, and every dialect's script parses.

mod common;

use salespath::audit::synth::{write_deals, write_history, Synth};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

const PROCESS: &str = "fleet_new_logo";

fn enterprise() -> std::path::PathBuf {
    common::root().join("examples/enterprise.sales")
}

/// True when `python3` can import `duckdb`; says so when the test is skipped (fails in CI).
fn duckdb_available(test: &str) -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import duckdb"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        if std::env::var_os("CI").is_some() {
            panic!("{test}: python3 with the `duckdb` package is required in CI");
        }
        eprintln!("SKIPPED {test}: python3 with the `duckdb` package is not installed (pip install duckdb)");
    }
    ok
}

fn build_sql(dir: &Path, dialect: &str) -> String {
    build_sql_reading(dir, dialect, "history")
}

/// The script for `inputs` (`history`, `deals` or `history,deals`).
fn build_sql_reading(dir: &Path, dialect: &str, inputs: &str) -> String {
    let out = common::salespath()
        .arg("build")
        .arg(enterprise())
        .args([
            "--emit",
            "sql",
            "--sql-dialect",
            dialect,
            "--sql-inputs",
            inputs,
            "-o",
        ])
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(dir.join(format!("{PROCESS}.audit.sql"))).unwrap()
}

/// The history as DuckDB reads it: a `line` column with each row's line in the original
/// file; rows that are not UTF-8 (a `bad-row` for the audit) are left out.
fn with_lines(csv: &[u8]) -> String {
    let mut out = String::new();
    for (i, line) in csv.split(|b| *b == b'\n').enumerate() {
        let Ok(text) = std::str::from_utf8(line) else {
            continue;
        };
        if text.is_empty() {
            continue;
        }
        let number = if i == 0 {
            "line".to_string()
        } else {
            (i + 1).to_string()
        };
        out.push_str(&format!("{text},{number}\n"));
    }
    out
}

fn same_number(what: &str, audit: &Value, sql: &Value) {
    match (audit.as_f64(), sql.as_f64()) {
        (None, None) => assert!(audit.is_null() && sql.is_null(), "{what}: {audit} vs {sql}"),
        (Some(a), Some(b)) => {
            // Sums of floats are added in another order by the engine; counts are exact.
            let tolerance = 1e-9 * a.abs().max(1.0);
            assert!((a - b).abs() <= tolerance, "{what}: audit {a}, sql {b}");
        }
        _ => panic!("{what}: audit {audit}, sql {sql}"),
    }
}

fn finding_key(f: &Value, to: &str) -> String {
    format!(
        "{} {} {} {} {}",
        f["rule"], f["stage"], f[to], f["field"], f["value"]
    )
}

/// The audit's report and the views' rows agree: every stage figure, every KPI, and each
/// finding the SQL can decide (all but `bad-row` and `unknown-stage`) with its count, its
/// message and its first example.
fn same_report(what: &str, audit: &Value, sql: &Value) -> BTreeSet<String> {
    let audit_stages = audit["stages"].as_array().unwrap();
    let mut sql_stages = sql["stages"].as_array().unwrap().clone();
    sql_stages.sort_by_key(|s| s["position"].as_u64());
    assert_eq!(audit_stages.len(), sql_stages.len());
    for (a, s) in audit_stages.iter().zip(&sql_stages) {
        assert_eq!(a["id"], s["id"]);
        for (key, value) in a.as_object().unwrap() {
            if matches!(key.as_str(), "id" | "label" | "outcome") {
                assert_eq!(value, &s[key], "{what} stage {} {key}", a["id"]);
            } else {
                same_number(&format!("{what} stage {} {key}", a["id"]), value, &s[key]);
            }
        }
    }
    for (key, value) in audit["kpis"].as_object().unwrap() {
        if key == "forecast" {
            for (category, v) in value.as_object().unwrap() {
                let column = format!("forecast_{category}");
                same_number(&format!("{what} {column}"), v, &sql["kpis"][&column]);
            }
        } else {
            same_number(&format!("{what} {key}"), value, &sql["kpis"][key]);
        }
    }
    type Figures<'a> = (u64, Option<u64>, &'a str);
    let expected: BTreeMap<String, Figures> = audit["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !matches!(f["rule"].as_str(), Some("bad-row" | "unknown-stage")))
        .map(|f| {
            let example = &f["examples"][0];
            let figures = (
                f["count"].as_u64().unwrap(),
                example["line"].as_u64(),
                f["message"].as_str().unwrap(),
            );
            (finding_key(f, "to"), figures)
        })
        .collect();
    let actual: BTreeMap<String, Figures> = sql["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let figures = (
                f["count"].as_u64().unwrap(),
                f["example_line"].as_u64(),
                f["message"].as_str().unwrap(),
            );
            (finding_key(f, "to"), figures)
        })
        .collect();
    assert_eq!(expected, actual, "{what}");
    actual
        .keys()
        .map(|k| k.split(' ').next().unwrap().trim_matches('"').to_string())
        .collect()
}

fn run_duckdb(sql: &Path, history: Option<&Path>, deals: Option<&Path>) -> Value {
    run_duckdb_typed(sql, PROCESS, history, deals, None)
}

/// `casts` types the deals columns (`column=TYPE,...`) where they are not the generic names.
fn run_duckdb_typed(
    sql: &Path,
    process: &str,
    history: Option<&Path>,
    deals: Option<&Path>,
    casts: Option<&str>,
) -> Value {
    let mut command = Command::new("python3");
    command
        .arg(common::root().join("tests/sql/run_duckdb.py"))
        .arg(sql)
        .arg(history.map_or_else(|| "-".into(), |h| h.as_os_str().to_owned()))
        .arg(process);
    if let Some(deals) = deals {
        command.arg(deals);
    }
    command.args(casts);
    let run = command.output().unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_slice(&run.stdout).unwrap()
}

fn audit_json(history: Option<&Path>, deals: Option<&Path>) -> Value {
    let mut command = common::salespath();
    command.arg("audit").arg(enterprise());
    if let Some(history) = history {
        command.arg("--history").arg(history);
    }
    if let Some(deals) = deals {
        command.arg("--deals").arg(deals);
    }
    let out = command.args(["--format", "json"]).output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn duckdb_runs_the_audit_with_the_same_numbers() {
    if !duckdb_available("duckdb_runs_the_audit_with_the_same_numbers") {
        return;
    }
    let checked = common::check_clean(&enterprise());
    let model = checked.model.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let sql_path = dir.path().join(format!("{PROCESS}.audit.sql"));
    build_sql(dir.path(), "duckdb");
    for seed in 1..=3 {
        let mut csv = Vec::new();
        let synth = Synth {
            rows: 4_000,
            seed,
            quirks: true,
        };
        write_history(&mut csv, &model.processes[0], synth).unwrap();
        let original = dir.path().join("history.csv");
        let lined = dir.path().join("history_lines.csv");
        std::fs::write(&original, &csv).unwrap();
        std::fs::write(&lined, with_lines(&csv)).unwrap();

        let audit = audit_json(Some(&original), None);
        let sql = run_duckdb(&sql_path, Some(&lined), None);
        let rules = same_report(&format!("seed {seed}"), &audit, &sql);
        assert!(
            rules.len() >= 4,
            "the history has findings of every kind: {rules:?}"
        );
        let kinds: BTreeSet<&str> = sql["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|f| {
                f["message"]
                    .as_str()?
                    .split(": it ")
                    .nth(1)?
                    .split(' ')
                    .next()
            })
            .collect();
        assert!(
            kinds.contains("skipped") && kinds.contains("went"),
            "{kinds:?}"
        );
    }
}

/// With a `deals` table beside the history (and alone), amounts, field values, the
/// field findings and deals without history follow the audit given both files.
#[test]
fn duckdb_reads_a_deals_table_as_the_audit_reads_a_deals_file() {
    if !duckdb_available("duckdb_reads_a_deals_table_as_the_audit_reads_a_deals_file") {
        return;
    }
    let checked = common::check_clean(&enterprise());
    let model = checked.model.unwrap();
    let process = &model.processes[0];
    let dir = tempfile::tempdir().unwrap();
    let sql_path = dir.path().join(format!("{PROCESS}.audit.sql"));
    for seed in 1..=2 {
        let synth = Synth {
            rows: 3_000,
            seed,
            quirks: true,
        };
        let mut history = Vec::new();
        let known = write_history(&mut history, process, synth).unwrap();
        let mut deals = Vec::new();
        write_deals(&mut deals, &model, process, known.deals, 300, synth).unwrap();
        let paths: Vec<_> = [
            "history.csv",
            "history_lines.csv",
            "deals.csv",
            "deals_lines.csv",
        ]
        .iter()
        .map(|name| dir.path().join(name))
        .collect();
        std::fs::write(&paths[0], &history).unwrap();
        std::fs::write(&paths[1], with_lines(&history)).unwrap();
        std::fs::write(&paths[2], &deals).unwrap();
        std::fs::write(&paths[3], with_lines(&deals)).unwrap();

        build_sql_reading(dir.path(), "duckdb", "history,deals");
        let audit = audit_json(Some(&paths[0]), Some(&paths[2]));
        let sql = run_duckdb(&sql_path, Some(&paths[1]), Some(&paths[3]));
        let rules = same_report(&format!("seed {seed}, both"), &audit, &sql);
        for rule in [
            "missing-required",
            "exit-not-met",
            "stale-deal",
            "illegal-move",
        ] {
            assert!(rules.contains(rule), "seed {seed}: no {rule} in {rules:?}");
        }

        // DuckDB also reads the PostgreSQL and Snowflake scripts: their own spellings of the
        // text-to-number casts and of the seconds between two times give the same rows.
        for dialect in ["postgres", "snowflake"] {
            build_sql_reading(dir.path(), dialect, "history,deals");
            let other = run_duckdb(&sql_path, Some(&paths[1]), Some(&paths[3]));
            let findings = |report: &Value| {
                let mut rows: Vec<String> = report["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(Value::to_string)
                    .collect();
                rows.sort();
                rows
            };
            assert_eq!(findings(&other), findings(&sql), "seed {seed}: {dialect}");
            assert_eq!(other["stages"], sql["stages"], "seed {seed}: {dialect}");
            assert_eq!(other["kpis"], sql["kpis"], "seed {seed}: {dialect}");
        }

        build_sql_reading(dir.path(), "duckdb", "deals");
        let audit = audit_json(None, Some(&paths[2]));
        let sql = run_duckdb(&sql_path, None, Some(&paths[3]));
        let rules = same_report(&format!("seed {seed}, deals"), &audit, &sql);
        assert!(rules.contains("missing-required"), "{rules:?}");
    }
}

/// A real CRM export (examples/maven-crm: 8,800 deals, one row each, no history) read as a
/// `deals` table with the example's own column mapping gives the audit's report.
#[test]
fn a_real_deals_export_gives_the_same_report() {
    if !duckdb_available("a_real_deals_export_gives_the_same_report") {
        return;
    }
    let example = common::root().join("examples/maven-crm");
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        example.join("pipeline.sales"),
        dir.path().join("pipeline.sales"),
    )
    .unwrap();
    // The export has no `stage_changed` column: the SQL is told so.
    let config = std::fs::read_to_string(example.join("salespath.yaml")).unwrap()
        + "  deals_columns:\n    stage_changed: \"\"\n";
    std::fs::write(dir.path().join("salespath.yaml"), config).unwrap();
    let export = std::fs::read(example.join("sales_pipeline.csv")).unwrap();
    std::fs::write(dir.path().join("sales_pipeline.csv"), &export).unwrap();
    let lined = dir.path().join("lined.csv");
    std::fs::write(&lined, with_lines(&export)).unwrap();

    let out = common::salespath()
        .current_dir(dir.path())
        .args(["build", "pipeline.sales", "--emit", "sql", "-o", "out"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let audit = common::salespath()
        .current_dir(dir.path())
        .args(["audit", "pipeline.sales", "--format", "json"])
        .output()
        .unwrap();
    let audit: Value = serde_json::from_slice(&audit.stdout).unwrap();
    let sql = run_duckdb_typed(
        &dir.path().join("out/hardware_sales.audit.sql"),
        "hardware_sales",
        None,
        Some(&lined),
        Some("engage_date=TIMESTAMPTZ,close_date=TIMESTAMPTZ,close_value=DOUBLE"),
    );
    let rules = same_report("maven-crm", &audit, &sql);
    assert_eq!(sql["kpis"]["deals"], 8_800);
    assert!(rules.contains("missing-required"), "{rules:?}");
}

/// Without any amount the money KPIs are null, in the audit and in the SQL.
#[test]
fn money_kpis_are_null_without_amounts() {
    if !duckdb_available("money_kpis_are_null_without_amounts") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sql_path = dir.path().join(format!("{PROCESS}.audit.sql"));
    build_sql(dir.path(), "duckdb");
    let history = "deal,stage,at,amount,probability\n\
                   a,discovery,2023-01-01,,\n\
                   b,discovery,2023-01-02,,\n";
    let original = dir.path().join("history.csv");
    std::fs::write(&original, history).unwrap();
    let lined = dir.path().join("history_lines.csv");
    std::fs::write(&lined, with_lines(history.as_bytes())).unwrap();
    let audit = audit_json(Some(&original), None);
    let sql = run_duckdb(&sql_path, Some(&lined), None);
    same_report("no amounts", &audit, &sql);
    for key in ["open_amount", "weighted_pipeline", "forecast_pipeline"] {
        assert!(sql["kpis"][key].is_null(), "{key}: {}", sql["kpis"]);
    }
    assert!(audit["kpis"]["open_amount"].is_null(), "{}", audit["kpis"]);
}

const HOSTILE_LABEL: &str = r#"O'Brien "review"; DROP TABLE stage_history; --"#;

/// A process whose labels hold quotes, a backslash and SQL.
fn hostile_source() -> String {
    format!(
        "process p \"P\" {{\n  stage a {:?} {{\n    probability: 10%\n    next: won, lost\n  }}\n  \
         stage won \"Won\\\\'' \" {{\n    outcome: won\n  }}\n  stage lost \"Lost\" {{\n    outcome: lost\n  }}\n}}\n",
        HOSTILE_LABEL
    )
}

#[test]
fn labels_with_quotes_stay_data() {
    if !duckdb_available("labels_with_quotes_stay_data") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let label = HOSTILE_LABEL;
    let source = hostile_source();
    let file = dir.path().join("hostile.sales");
    std::fs::write(&file, source).unwrap();
    let out = common::salespath()
        .arg("build")
        .arg(&file)
        .args(["--emit", "sql", "-o"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = dir.path().join("h.csv");
    let history = format!(
        "deal,stage,at,amount,probability,line\n\
         d1,\"{}\",2023-01-01,10,10,2\nd1,\"won\\'' \",2023-01-05,10,,3\n",
        label.replace('"', "\"\"")
    );
    std::fs::write(&csv, history).unwrap();
    let run = Command::new("python3")
        .arg(common::root().join("tests/sql/run_duckdb.py"))
        .arg(dir.path().join("p.audit.sql"))
        .arg(&csv)
        .arg("p")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let sql: Value = serde_json::from_slice(&run.stdout).unwrap();
    let stages = sql["stages"].as_array().unwrap();
    let a = stages.iter().find(|s| s["id"] == "a").unwrap();
    assert_eq!(a["label"], label);
    assert_eq!(a["advanced"], 1);
    let won = stages.iter().find(|s| s["id"] == "won").unwrap();
    assert_eq!(won["label"], "Won\\'' ");
    assert_eq!(won["entered"], 1);
    assert_eq!(sql["kpis"]["won"], 1);
}

/// Every dialect's script parses with that dialect's parser: one statement per view.
#[test]
fn every_dialect_parses() {
    use sqlparser::dialect::{
        BigQueryDialect, Dialect, DuckDbDialect, PostgreSqlDialect, SnowflakeDialect,
    };
    let dialects: [(&str, &dyn Dialect); 4] = [
        ("duckdb", &DuckDbDialect {}),
        ("postgres", &PostgreSqlDialect {}),
        ("snowflake", &SnowflakeDialect {}),
        ("bigquery", &BigQueryDialect {}),
    ];
    let dir = tempfile::tempdir().unwrap();
    let hostile = dir.path().join("hostile.sales");
    std::fs::write(&hostile, hostile_source()).unwrap();
    for (name, dialect) in dialects {
        // Labels with quotes, backslashes and SQL stay one literal each: the statements
        // are still the eleven views.
        let out = common::salespath()
            .arg("build")
            .arg(&hostile)
            .args(["--emit", "sql", "--sql-dialect", name, "-o"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = std::fs::read_to_string(dir.path().join("p.audit.sql")).unwrap();
        let statements = sqlparser::parser::Parser::parse_sql(dialect, &text)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(statements.len(), 11, "{name}");

        // With a deals table too: field values parsed by type, exit conditions, one more
        // view (`deal_rows`).
        let sql = build_sql_reading(dir.path(), name, "history,deals");
        let statements = sqlparser::parser::Parser::parse_sql(dialect, &sql)
            .unwrap_or_else(|e| panic!("{name} with deals: {e}"));
        assert_eq!(statements.len(), 12, "{name}");
        assert!(
            sql.contains("'exit-not-met'") && sql.contains("FROM deals AS r"),
            "{name}"
        );

        let sql = build_sql(dir.path(), name);
        let statements = sqlparser::parser::Parser::parse_sql(dialect, &sql)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(statements.len(), 11, "{name}");
        let views: Vec<String> = statements
            .iter()
            .filter_map(|s| match s {
                sqlparser::ast::Statement::CreateView { name, .. } => Some(name.to_string()),
                _ => None,
            })
            .collect();
        for view in ["stages", "kpis", "findings"] {
            let quote = if name == "bigquery" { '`' } else { '"' };
            let wanted = format!("{quote}{PROCESS}_{view}{quote}");
            assert!(views.contains(&wanted), "{name}: {views:?}");
        }
    }
}

/// The dbt package holds one model per view of the script: with the Jinja calls resolved,
/// each model is the view's query, and no other Jinja is left in it (labels hold `{{`).
#[test]
fn dbt_package_models_are_the_views() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.sales");
    let source = hostile_source().replace("\"Lost\"", "\"Lost {{ ref('x') }} {% if %}\"");
    std::fs::write(&file, source).unwrap();
    for emit in ["sql", "dbt"] {
        let out = common::salespath()
            .arg("build")
            .arg(&file)
            .args(["--emit", emit, "-o"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let script = std::fs::read_to_string(dir.path().join("p.audit.sql")).unwrap();
    let package = dir.path().join("p_dbt");
    let project = std::fs::read_to_string(package.join("dbt_project.yml")).unwrap();
    assert!(project.contains("name: \"salespath_p\""), "{project}");
    // Each model is built once as a table, so no model recomputes the ones it reads.
    assert!(project.contains("+materialized: table"), "{project}");
    let sources = std::fs::read_to_string(package.join("models/sources.yml")).unwrap();
    assert!(sources.contains("- name: stage_history") && !sources.contains("- name: deals"));
    let schema = std::fs::read_to_string(package.join("models/schema.yml")).unwrap();
    assert!(
        schema.contains("- name: \"p_findings\"")
            && schema.contains("values: [\"warning\", \"info\"]")
    );
    let mut models = 0;
    for entry in std::fs::read_dir(package.join("models")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "sql") {
            continue;
        }
        models += 1;
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut resolved = text.replace("{{ '{' }}", "\u{1}").replace(
            "{{ source('salespath', 'stage_history') }}",
            "stage_history",
        );
        while let Some(start) = resolved.find("{{ ref('") {
            let end = start + resolved[start..].find("') }}").unwrap();
            let view = resolved[start + 8..end].to_string();
            resolved.replace_range(start..end + 5, &format!("\"{view}\""));
        }
        assert!(!resolved.contains('{'), "{name}: Jinja left in\n{text}");
        let query = resolved.replace('\u{1}', "{");
        let body = query.split_once('\n').unwrap().1.trim_end();
        let view = format!("CREATE OR REPLACE VIEW \"{name}\" AS\n{body};\n");
        assert!(script.contains(&view), "{name}:\n{body}");
    }
    assert_eq!(models, 11);
}
