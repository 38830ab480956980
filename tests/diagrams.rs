//! Process maps: DOT, the formats Graphviz renders from it, and Mermaid.

mod common;

use salespath::emit;
use salespath::session::Checked;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn hostile() -> PathBuf {
    common::root().join("tests/fixtures/hostile/labels.sales")
}

/// Every clean example: the shared one and ours.
fn examples() -> Vec<PathBuf> {
    common::shared_examples()
        .into_iter()
        .chain(common::examples())
        .collect()
}

/// Runs a backend over checked text (warnings allowed, errors not).
fn emit_checked(backend: &str, checked: &Checked) -> Vec<(String, Vec<u8>)> {
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let backend = emit::find(backend).expect("backend");
    emit::run(backend, &common::project(checked))
        .expect("backend succeeds")
        .files
}

/// The single file a backend writes for a one-process input, as text.
fn only_text(files: Vec<(String, Vec<u8>)>) -> String {
    assert_eq!(
        files.len(),
        1,
        "{:?}",
        files.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    String::from_utf8(files.into_iter().next().unwrap().1).expect("UTF-8")
}

/// Runs `dot -Tsvg` on DOT text; fails the test when Graphviz rejects it.
fn dot_to_svg(dot: &str) -> String {
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
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "dot rejected the DOT: {stderr}\n{dot}"
    );
    assert!(!stderr.contains("syntax error"), "{stderr}");
    String::from_utf8(output.stdout).unwrap()
}

/// The texts drawn in an SVG and its tooltips (`<a xlink:title>`), as a reader sees them.
fn svg_texts(svg: &str) -> (Vec<String>, Vec<String>) {
    let doc = scraper::Html::parse_document(svg);
    let text = scraper::Selector::parse("text").unwrap();
    let link = scraper::Selector::parse("a").unwrap();
    let texts = doc.select(&text).map(|t| t.text().collect()).collect();
    let titles = doc
        .select(&link)
        .flat_map(|a| {
            a.value()
                .attrs()
                .filter(|(name, _)| name.ends_with("title"))
                .map(|(_, value)| value.to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    (texts, titles)
}

#[test]
fn dot_and_mermaid_match_golden_files() {
    let mut seen = Vec::new();
    for file in examples().into_iter().chain([hostile()]) {
        let checked = common::check_clean(&file);
        for backend in ["dot", "mermaid"] {
            for (name, bytes) in emit_checked(backend, &checked) {
                assert!(!seen.contains(&name), "two examples write {name}");
                common::assert_golden(&format!("diagrams/{name}"), &bytes);
                seen.push(name);
            }
        }
    }
    assert!(seen.iter().any(|n| n == "enterprise_new_business.dot"));
    assert!(seen.iter().any(|n| n == "enterprise_new_business.mmd"));
}

#[test]
fn dot_shows_outcomes_forecasts_backward_moves_and_tooltips() {
    let dot = only_text(common::emit("dot", &common::shared_examples()[0]));
    let line = |start: &str| {
        dot.lines()
            .find(|l| l.trim_start().starts_with(start))
            .unwrap_or_else(|| panic!("no line starting with {start} in\n{dot}"))
            .to_string()
    };
    assert!(line("graph[").contains("rankdir=\"LR\""));
    let won = line("\"closed_won\"[");
    let lost = line("\"closed_lost\"[");
    assert!(won.contains("shape=\"doubleoctagon\"") && lost.contains("shape=\"octagon\""));
    assert_ne!(attribute(&won, "fillcolor"), attribute(&lost, "fillcolor"));
    // Stage name, probability, expected time (human) and owner, and the objective.
    let negotiation = line("\"negotiation\"[");
    for part in ["<b>Negotiation</b>", "80% · 2 weeks", "Account Executive"] {
        assert!(
            negotiation.contains(part),
            "{part} missing from {negotiation}"
        );
    }
    assert!(negotiation.contains("tooltip=\"Agree on terms and get legal approval.\""));
    // Forecast category by fill: pipeline and commit stages differ.
    assert_ne!(
        attribute(&line("\"prospecting\"["), "fillcolor"),
        attribute(&negotiation, "fillcolor")
    );
    // The way back from negotiation is dashed; ways into the lost stage are light.
    assert!(line("\"negotiation\" -> \"proposal\"").contains("style=\"dashed\""));
    assert!(line("\"proposal\" -> \"closed_lost\"").contains("color=\"#c4c4c4\""));
    assert!(!line("\"proposal\" -> \"negotiation\"").contains("dashed"));
    // One compact legend node, after the last stages.
    assert!(dot.contains("subgraph \"legend\"") && dot.contains("rank=\"sink\""));
    assert_eq!(dot.matches("\"_legend\"[").count(), 1);
}

#[test]
fn a_long_process_wraps_into_rows_a_screen_can_show() {
    let checked = common::check_text("large.sales", &large_process(60));
    let dot = only_text(emit_checked("dot", &checked));
    assert!(dot.contains("rankdir=\"TB\""));
    // 60 stages and won and lost: 7 rows of 9 stages, the last with 8.
    assert_eq!(dot.matches("subgraph \"row_").count(), 7);
    let last_row = dot.split("subgraph \"row_6\"").nth(1).unwrap();
    let last_row = &last_row[..last_row.find('}').unwrap()];
    assert!(last_row.contains("rank=\"same\""), "{last_row}");
    assert!(
        last_row.contains("\"s54\"") && last_row.contains("\"lost\""),
        "{last_row}"
    );
    let small = only_text(common::emit("dot", &common::shared_examples()[0]));
    assert!(small.contains("rankdir=\"LR\"") && !small.contains("row_"));
    if !common::require_tool("dot", "a_long_process_wraps_into_rows_a_screen_can_show") {
        return;
    }
    let png = emit_checked("png", &checked).remove(0).1;
    let (width, height) = png_size(&png);
    assert!(width <= 2000 && height <= 2000, "{width} x {height}");
    assert!(width as f64 / height as f64 <= 2.0, "{width} x {height}");
}

/// A PNG's width and height, from its header.
fn png_size(png: &[u8]) -> (u32, u32) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let info = decoder.read_info().unwrap();
    (info.info().width, info.info().height)
}

fn attribute(line: &str, name: &str) -> String {
    let start = line.find(&format!(" {name}=\"")).expect("attribute") + name.len() + 3;
    line[start..].split('"').next().unwrap().to_string()
}

#[test]
fn graphviz_accepts_every_map() {
    if !common::require_tool("dot", "graphviz_accepts_every_map") {
        return;
    }
    let good = std::fs::read_dir(common::root().join("tests/fixtures/rules"))
        .unwrap()
        .map(|e| e.unwrap().path().join("good.sales"))
        .filter(|p| p.exists());
    let mut files: Vec<PathBuf> = examples().into_iter().chain([hostile()]).collect();
    files.extend(good);
    files.sort();
    for file in files {
        let checked = common::check(&file);
        if checked.has_errors() {
            continue; // a fixture for an import or extends rule may not build on its own
        }
        for (name, bytes) in emit_checked("dot", &checked) {
            let svg = dot_to_svg(std::str::from_utf8(&bytes).unwrap());
            assert!(svg.contains("<svg"), "{name}");
        }
    }
}

#[test]
fn backends_give_the_same_bytes_every_time() {
    let file = &common::shared_examples()[0];
    let mut backends = vec!["dot", "mermaid"];
    if common::require_tool("dot", "backends_give_the_same_bytes_every_time") {
        backends.extend(["svg", "png", "pdf"]);
    }
    for backend in backends {
        let first = common::emit(backend, file);
        let second = common::emit(backend, file);
        assert!(!first.is_empty() && !first[0].1.is_empty(), "{backend}");
        assert!(first == second, "{backend} output differs between two runs");
    }
}

/// Every file directly in a folder, by name.
fn folder(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|path| path.is_file())
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            (name, std::fs::read(&path).unwrap())
        })
        .collect()
}

fn build(args: &[&str], out: &Path) -> std::process::Output {
    common::salespath()
        .arg("build")
        .args(args)
        .arg("-o")
        .arg(out)
        .output()
        .expect("run salespath")
}

#[test]
fn two_builds_write_identical_files() {
    let emit = if common::require_tool("dot", "two_builds_write_identical_files") {
        "dot,mermaid,svg"
    } else {
        "dot,mermaid"
    };
    let file = common::root().join("examples/enterprise.sales");
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for dir in [&a, &b] {
        let output = build(&[file.to_str().unwrap(), "--emit", emit], dir.path());
        assert!(output.status.success(), "{output:?}");
    }
    let (first, second) = (folder(a.path()), folder(b.path()));
    // One process, one file per output.
    assert_eq!(first.len(), emit.split(',').count(), "{:?}", first.keys());
    assert!(first == second, "two builds differ");
}

#[test]
fn build_prints_what_it_wrote_and_a_failed_build_leaves_the_old_files() {
    let out = tempfile::tempdir().unwrap();
    let good = common::root().join("examples/enterprise.sales");
    let output = build(
        &[good.to_str().unwrap(), "--emit", "dot,mermaid"],
        out.path(),
    );
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let before = folder(out.path());
    assert_eq!(before.len(), 2, "{:?}", before.keys());
    for name in before.keys() {
        let line = format!("wrote {}", out.path().join(name).display());
        assert!(
            stdout.lines().any(|l| l == line),
            "no `{line}` in\n{stdout}"
        );
    }

    // The same processes with a mistake: the check fails and nothing may change.
    let text = std::fs::read_to_string(&good).unwrap();
    let broken = text.replacen("owner: ae", "owner: no_such_role", 1);
    assert_ne!(
        broken, text,
        "the example should have an `owner: ae` to break"
    );
    let input = tempfile::tempdir().unwrap();
    let bad = input.path().join("enterprise.sales");
    std::fs::write(&bad, broken).unwrap();
    let output = build(
        &[bad.to_str().unwrap(), "--emit", "dot,mermaid"],
        out.path(),
    );
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(!String::from_utf8_lossy(&output.stdout).contains("wrote "));
    assert!(
        before == folder(out.path()),
        "a failed build changed the output folder"
    );
}

#[test]
fn without_graphviz_explicit_rendering_fails_and_all_skips_it() {
    let empty_path = tempfile::tempdir().unwrap();
    let file = common::root().join("examples/branching.sales");
    let run = |emit: &str, out: &Path| {
        common::salespath()
            .env("PATH", empty_path.path())
            .args(["build", file.to_str().unwrap(), "--emit", emit, "-o"])
            .arg(out)
            .output()
            .expect("run salespath")
    };

    let out = tempfile::tempdir().unwrap();
    let output = run("dot,svg", out.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(
        stderr.contains("the `dot` program was not found"),
        "{stderr}"
    );
    assert!(stderr.contains("Install Graphviz"), "{stderr}");
    assert!(
        folder(out.path()).is_empty(),
        "nothing is written when a backend fails"
    );

    let output = run("all", out.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{output:?}");
    for backend in ["svg", "png", "pdf"] {
        assert!(stderr.contains(&format!("skipped `{backend}`")), "{stderr}");
    }
    let written: Vec<String> = folder(out.path()).into_keys().collect();
    assert!(
        written.contains(&"evaluation.dot".to_string()),
        "{written:?}"
    );
    assert!(
        written.contains(&"evaluation.mmd".to_string()),
        "{written:?}"
    );
    for rendered in ["evaluation.svg", "evaluation.png", "evaluation.pdf"] {
        assert!(!written.contains(&rendered.to_string()), "{written:?}");
    }
}

/// Labels that DOT, HTML-like labels, escape sequences and Mermaid could misread, and stage
/// ids that are keywords in DOT or Mermaid.
const TRICKY: &str = r##"
role owner "two\nlines \\N \\l"
process tricky "Tricky \\ title \"q\"" {
  stage node "ends with a backslash \\" {
    owner: owner
    probability: 10%
    objective: "quote \" and backslash \\ and \\N; <b>not bold</b>"
  }
  stage end "a;b:c #x; `code` [x] {y} (z) |p| %% -->" { probability: 20% }
  stage subgraph "style: fill:#f00;" { outcome: won }
  stage edge "Lost" { outcome: lost from: any }
}
"##;

#[test]
fn hostile_labels_survive_into_the_svg() {
    if !common::require_tool("dot", "hostile_labels_survive_into_the_svg") {
        return;
    }
    let svg = only_text(common::emit("svg", &hostile()));
    let (texts, titles) = svg_texts(&svg);
    for expected in [
        "Hostile <process> & \"friends\"",
        "=SUM(A1:A2)",
        "Proposal \"final\" <v2> & more",
        "Won 🚀 | 受注",
        "@Lost, \"sadly\"",
        "Rep \"Closer\" <b>&amp;</b> | {team}",
        "=HYPERLINK(\"http://evil.example\",\"click\")",
    ] {
        assert!(
            texts.iter().any(|t| t == expected),
            "{expected:?} not in {texts:#?}"
        );
    }
    assert!(titles.iter().any(|t| t == "-5% churn"), "{titles:?}");

    let checked = common::check_text("tricky.sales", TRICKY);
    let dot = only_text(emit_checked("dot", &checked));
    let (texts, titles) = svg_texts(&dot_to_svg(&dot));
    for expected in [
        "Tricky \\ title \"q\"",
        "ends with a backslash \\",
        "two",
        "lines \\N \\l",
    ] {
        assert!(
            texts.iter().any(|t| t == expected),
            "{expected:?} not in {texts:#?}"
        );
    }
    let objective = "quote \" and backslash \\ and \\N; <b>not bold</b>";
    assert!(titles.iter().any(|t| t == objective), "{titles:?}");
}

/// Mermaid entity codes back to characters, markup removed: what a reader sees.
fn mermaid_decode(label: &str) -> String {
    let text = label
        .replace("<b>", "")
        .replace("</b>", "")
        .replace("<br/>", "\n");
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find('#') {
        out.push_str(&rest[..at]);
        let end = rest[at..].find(';').expect("entity ends with ;") + at;
        let code = &rest[at + 1..end];
        out.push(match code {
            "quot" => '"',
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            n => char::from_u32(n.parse().expect("numeric entity")).unwrap(),
        });
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// A label's text holds nothing Mermaid or HTML could read as syntax: apart from the
/// backend's own `<b>`/`<br/>` markup, only text and complete `#...;` entity codes.
fn assert_no_raw_syntax(label: &str, line: &str) {
    let plain = label
        .replace("<b>", "")
        .replace("</b>", "")
        .replace("<br/>", "");
    let mut parts = plain.split('#');
    let mut text = parts.next().unwrap().to_string();
    for part in parts {
        let (code, rest) = part
            .split_once(';')
            .unwrap_or_else(|| panic!("a # that starts no entity in {line}"));
        assert!(code.chars().all(|c| c.is_ascii_alphanumeric()), "{line}");
        text.push_str(rest);
    }
    for c in [
        '"', '[', ']', '{', '}', '|', '<', '>', ';', ':', '`', '\\', '\n',
    ] {
        assert!(!text.contains(c), "raw {c:?} in the label of {line}");
    }
}

/// Checks every line of a flowchart is one statement of the forms the backend writes, with
/// each label a quoted string that nothing inside can end or break. Returns the decoded
/// labels of the stage nodes.
fn mermaid_structure(chart: &str) -> Vec<String> {
    let mut labels = Vec::new();
    let mut lines = chart.lines();
    assert!(lines.next().unwrap().starts_with("%% "));
    assert_eq!(lines.next(), Some("flowchart LR"));
    for line in lines {
        let statement = line.trim_start();
        let keyword = statement.split(' ').next().unwrap();
        if ["classDef", "class", "linkStyle", "end"].contains(&keyword)
            || statement == "subgraph legend [\"Legend\"]"
        {
            continue;
        }
        let (Some(open), Some(close)) = (statement.find('"'), statement.rfind('"')) else {
            // A link between two ids.
            let parts: Vec<&str> = statement.split(' ').collect();
            assert!(
                parts.len() == 3 && ["-->", "-.->"].contains(&parts[1]),
                "{line}"
            );
            continue;
        };
        assert!(open < close, "{line}");
        let (before, label, after) = (
            &statement[..open],
            &statement[open + 1..close],
            &statement[close + 1..],
        );
        assert_no_raw_syntax(label, line);
        let id: String = before
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let opener = before[id.len()..].trim_start();
        let node_shapes = [("(", ")"), ("(((", ")))"), ("{{", "}}"), ("[", "]")];
        let is_node = node_shapes.iter().any(|(o, c)| opener == *o && after == *c);
        let is_link = ["-->|", "-.->|"].contains(&opener)
            && after.strip_prefix("| ").is_some_and(|to| {
                !to.is_empty() && to.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            });
        assert!(
            !id.is_empty() && (is_node || is_link),
            "unexpected statement {line}"
        );
        if id.starts_with("s_") {
            labels.push(mermaid_decode(label));
        }
    }
    labels
}

#[test]
fn hostile_labels_do_not_break_mermaid() {
    for checked in [
        common::check_clean(&hostile()),
        common::check_text("tricky.sales", TRICKY),
    ] {
        let chart = only_text(emit_checked("mermaid", &checked));
        let labels = mermaid_structure(&chart);
        let model = checked.model.as_ref().unwrap();
        let process = &model.processes[0];
        assert_eq!(labels.len(), process.stages.len(), "{chart}");
        for (stage, label) in process.stages.iter().zip(&labels) {
            assert!(
                label.starts_with(&format!("{}\n", stage.label)) || *label == stage.label,
                "{label:?} does not start with {:?}",
                stage.label
            );
        }
        // Stage ids that are Mermaid keywords are prefixed.
        assert!(!chart.lines().any(|l| l.trim_start().starts_with("end(")));
    }
    let chart = only_text(emit_checked(
        "mermaid",
        &common::check_text("tricky.sales", TRICKY),
    ));
    assert!(chart.contains("s_end(\""), "{chart}");
    assert!(
        chart.contains("s_node -.-> s_end") || chart.contains("s_node --> s_end"),
        "{chart}"
    );
}

#[test]
fn mermaid_marks_outcomes_forecasts_and_backward_moves() {
    let chart = only_text(common::emit("mermaid", &common::shared_examples()[0]));
    assert!(chart.contains("\n    s_closed_won(((\""), "{chart}");
    assert!(chart.contains("\n    s_closed_lost{{\""), "{chart}");
    assert!(
        chart.contains("\n    s_negotiation -.-> s_proposal\n"),
        "{chart}"
    );
    assert!(
        chart.contains("\n    s_proposal --> s_negotiation\n"),
        "{chart}"
    );
    for class in ["pipeline", "best_case", "commit", "won", "lost"] {
        assert!(
            chart.contains(&format!("\n    classDef {class} fill:")),
            "{class}"
        );
    }
    assert!(
        chart.contains("\n    class s_proposal,legend_best_case best_case\n"),
        "{chart}"
    );
    assert!(
        chart.contains("\n    linkStyle 1,3,5,7,10,12 stroke:#c4c4c4"),
        "{chart}"
    );
}

/// A process of `n` stages with a way back every tenth stage and a lost stage reachable
/// from every stage.
fn large_process(n: usize) -> String {
    let mut text = String::from("role rep \"Rep\"\nprocess large \"Large\" {\n");
    for i in 0..n {
        let mut next = vec![if i + 1 < n {
            format!("s{}", i + 1)
        } else {
            "won".into()
        }];
        if i % 10 == 9 {
            next.push(format!("s{}", i - 5));
        }
        text.push_str(&format!(
            "  stage s{i} {{ owner: rep probability: {}% objective: \"Step {i}\" expected: 2d next: {} }}\n",
            1 + i * 98 / n,
            next.join(", ")
        ));
    }
    text.push_str("  stage won { outcome: won }\n  stage lost { outcome: lost from: any }\n}\n");
    text
}

#[test]
fn a_process_of_three_hundred_stages_renders() {
    let checked = common::check_text("large.sales", &large_process(300));
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    let dot = only_text(emit_checked("dot", &checked));
    let chart = only_text(emit_checked("mermaid", &checked));
    assert!(chart.contains("from any open stage"));
    assert_eq!(mermaid_structure(&chart).len(), 302);
    if !common::require_tool("dot", "a_process_of_three_hundred_stages_renders") {
        return;
    }
    let started = std::time::Instant::now();
    let svg = only_text(emit_checked("svg", &checked));
    let took = started.elapsed();
    assert!(took.as_secs() < 60, "rendering took {took:?}");
    let (texts, _) = svg_texts(&svg);
    for i in [0, 150, 299] {
        assert!(
            texts.iter().any(|t| *t == format!("S{i}")),
            "stage s{i} missing"
        );
    }
    assert!(dot.lines().count() > 300);
}

#[test]
fn a_large_process_with_many_moves_into_lost_renders() {
    // Every third stage may be lost: each of those 100 moves is drawn (no `from: any`).
    let mut text = String::from("process fan_in {\n");
    for i in 0..300 {
        let next = if i + 1 < 300 {
            format!("s{}", i + 1)
        } else {
            "won".into()
        };
        let lost = if i % 3 == 0 { ", lost" } else { "" };
        text.push_str(&format!(
            "  stage s{i} {{ probability: {}%  next: {next}{lost} }}\n",
            1 + i / 4
        ));
    }
    text.push_str("  stage won { outcome: won }\n  stage lost { outcome: lost }\n}\n");
    let checked = common::check_text("fan_in.sales", &text);
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    let dot = only_text(emit_checked("dot", &checked));
    assert!(dot.contains("concentrate=\"true\""));
    let drawn = dot
        .lines()
        .filter(|l| l.contains("-> \"lost\"") && !l.contains("invis"));
    assert_eq!(drawn.count(), 100);
    if !common::require_tool("dot", "a_large_process_with_many_moves_into_lost_renders") {
        return;
    }
    let started = std::time::Instant::now();
    let svg = only_text(emit_checked("svg", &checked));
    let took = started.elapsed();
    assert!(took.as_secs() < 60, "rendering took {took:?}");
    assert!(svg.contains("</svg>"));
}

#[test]
fn the_build_notes_labels_no_installed_font_draws() {
    if !common::require_tool("dot", "the_build_notes_labels_no_installed_font_draws")
        || !common::require_tool("fc-list", "the_build_notes_labels_no_installed_font_draws")
    {
        return;
    }
    let fonts_for = |charset: &str| {
        let out = std::process::Command::new("fc-list")
            .arg(format!(":charset={charset}"))
            .output()
            .unwrap();
        !out.stdout.trim_ascii().is_empty()
    };
    let out = tempfile::tempdir().unwrap();
    let output = build(
        &["--emit", "png,pdf", hostile().to_str().unwrap()],
        out.path(),
    );
    assert!(output.status.success(), "{output:?}");
    let said = String::from_utf8_lossy(&output.stderr);
    for (charset, package) in [
        ("53d7", "fonts-noto-cjk"),
        ("1f680", "fonts-noto-color-emoji"),
    ] {
        let noted = said
            .lines()
            .filter(|l| l.starts_with("note: hostile.") && l.contains(package))
            .collect::<Vec<_>>();
        if fonts_for(charset) {
            assert!(noted.is_empty(), "{said}");
        } else {
            assert_eq!(
                noted.len(),
                2,
                "one note for the PNG, one for the PDF: {said}"
            );
            assert!(noted[0].contains("`Won 🚀 | 受注`"), "{said}");
        }
    }
    // Labels every font draws give no note.
    let plain = build(
        &[
            "--emit",
            "png",
            common::shared_examples()[0].to_str().unwrap(),
        ],
        out.path(),
    );
    assert!(!String::from_utf8_lossy(&plain.stderr).contains("note:"));
}
