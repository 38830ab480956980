//! Every file that checks gives DOT that Graphviz accepts: empty labels, and labels, objectives
//! and ids past Graphviz's 16,384-byte limit on a string.

mod common;

use salespath::emit;
use std::io::Write;
use std::process::{Command, Stdio};

/// Graphviz refuses any quoted or HTML-like string of this many bytes or more.
const GRAPHVIZ_STRING_LIMIT: usize = 16_384;

/// The DOT of `text`, checked for a build of DOT alone: labels this long are far past what a
/// CRM accepts, which builds for CRMs report.
fn dot_of(text: &str) -> String {
    let config = salespath::config::Config::parse("build:\n  emit: [dot]\n").unwrap();
    let checked = salespath::session::check_one(
        &salespath::session::Input::Text {
            name: "limits.sales".into(),
            text: text.as_bytes().to_vec(),
            base: None,
        },
        &config,
        &salespath::session::Options::default(),
    )
    .expect("text input");
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let backend = emit::find("dot").expect("the dot backend");
    let files = emit::run(backend, &common::project(&checked))
        .expect("dot succeeds")
        .files;
    assert_eq!(files.len(), 1);
    String::from_utf8(files[0].1.clone()).unwrap()
}

/// Runs `dot -Tsvg`; returns the SVG, or what Graphviz said when it refused the input.
fn render(dot: &str) -> Result<String, String> {
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dot");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(dot.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    if output.status.success() && !stderr.contains("syntax error") {
        Ok(String::from_utf8(output.stdout).unwrap())
    } else {
        Err(stderr)
    }
}

/// The longest line of the DOT text: every string sits on one line.
fn longest_line(dot: &str) -> usize {
    dot.lines().map(str::len).max().unwrap_or(0)
}

fn process(roles: &str, process_label: &str, first_stage: &str) -> String {
    format!(
        "{roles}\nprocess p \"{process_label}\" {{\n{first_stage}\n  stage won {{ outcome: won }}\n  stage lost {{ outcome: lost from: any }}\n}}\n"
    )
}

#[test]
fn empty_labels_give_dot_that_graphviz_accepts() {
    let text = process(
        "role ae \"\"",
        "",
        "  stage a \"\" { owner: ae probability: 20% objective: \"\" }",
    );
    let dot = dot_of(&text);
    assert!(!dot.contains("<b></b>"), "{dot}");
    assert!(!dot.contains("\"9\"></font>"), "{dot}");
    if !common::require_tool("dot", "empty_labels_give_dot_that_graphviz_accepts") {
        return;
    }
    render(&dot).unwrap_or_else(|e| panic!("dot refused: {e}\n{dot}"));
}

#[test]
fn long_labels_and_objectives_are_clipped_below_graphviz_limit() {
    let long = "Ab&<\\\"".repeat(4_000);
    let text = process(
        &format!("role ae \"{long}\""),
        &long,
        &format!("  stage a \"{long}\" {{ owner: ae probability: 20% objective: \"{long}\" }}"),
    );
    let dot = dot_of(&text);
    assert!(
        longest_line(&dot) < GRAPHVIZ_STRING_LIMIT,
        "a line of {} bytes",
        longest_line(&dot)
    );
    assert!(dot.contains("…"), "the clipped text ends with an ellipsis");
    if !common::require_tool(
        "dot",
        "long_labels_and_objectives_are_clipped_below_graphviz_limit",
    ) {
        return;
    }
    let svg = render(&dot).unwrap_or_else(|e| panic!("dot refused: {e}"));
    assert!(
        svg.contains("Ab&amp;&lt;&quot;Ab"),
        "the label's start is drawn"
    );
}

#[test]
fn long_ids_stay_distinct_and_below_graphviz_limit() {
    let a = format!("{}_a", "s".repeat(20_000));
    let b = format!("{}_b", "s".repeat(20_000));
    let text = format!(
        "process {a} {{\n  stage {a} {{ probability: 20% }}\n  stage {b} {{ probability: 40% }}\n  stage won {{ outcome: won }}\n}}\n"
    );
    let dot = dot_of(&text);
    assert!(longest_line(&dot) < GRAPHVIZ_STRING_LIMIT);
    if !common::require_tool("dot", "long_ids_stay_distinct_and_below_graphviz_limit") {
        return;
    }
    let svg = render(&dot).unwrap_or_else(|e| panic!("dot refused: {e}"));
    assert_eq!(
        svg.matches("class=\"node\"").count(),
        3 + 1,
        "three stages and the legend"
    );
}
