//! The whole pipeline on several files at once: the input is split into files at each NUL byte
//! (`f0.sales`, `f1.sales`, ..., which may import each other), then checked together, every
//! diagnostic renderer run, every backend that needs no external program built with a parse
//! of what it wrote, each file formatted twice (the second pass must change nothing), and each
//! model compared with itself by `diff`. A panic or a failed assertion is a finding.

#![no_main]

use libfuzzer_sys::fuzz_target;
use salespath::config::Config;
use salespath::diag::{render_github, render_human, render_json, render_sarif, HumanOptions};
use salespath::session::build::Selection;
use salespath::session::{Input, Options, Session};
use std::path::PathBuf;

/// More files add little that two or three do not reach.
const MAX_FILES: usize = 6;

fuzz_target!(|data: &[u8]| {
    let files: Vec<&[u8]> = data.split(|&b| b == 0).take(MAX_FILES).collect();
    let dir = scratch_folder();
    for (i, bytes) in files.iter().enumerate() {
        std::fs::write(dir.join(format!("f{i}.sales")), bytes).expect("write a scratch file");
    }
    for stale in files.len()..MAX_FILES {
        let _ = std::fs::remove_file(dir.join(format!("f{stale}.sales")));
    }

    let mut session = Session::new(Config::default(), Options::default());
    for i in 0..files.len() {
        session
            .add(Input::Path(dir.join(format!("f{i}.sales"))))
            .expect("a scratch file is readable");
    }
    let run = session.check();
    let diagnostics: Vec<_> = run
        .diagnostics()
        .into_iter()
        .map(|d| (d, &*run.sources))
        .collect();
    render_human(&diagnostics, HumanOptions::default());
    render_github(&diagnostics);
    let json: serde_json::Value =
        serde_json::from_str(&render_json(&diagnostics)).expect("JSON diagnostics parse");
    assert_eq!(
        json["diagnostics"].as_array().map(Vec::len),
        Some(diagnostics.len())
    );
    serde_json::from_str::<serde_json::Value>(&render_sarif(&diagnostics)).expect("SARIF parses");

    for checked in &run.checked {
        if let (Some(model), false) = (&checked.model, checked.has_errors()) {
            let changes = salespath::diff::diff(model, model);
            assert!(
                changes.is_empty(),
                "a model differs from itself: {changes:?}"
            );
        }
    }

    let selection = Selection {
        backends: salespath::emit::BACKENDS
            .iter()
            .filter(|b| !b.needs_graphviz)
            .collect(),
        explicit: Vec::new(),
    };
    if let Ok(outputs) = run.build(&selection) {
        let mut models = Vec::new();
        for (path, output) in &outputs.files {
            parse_output(path, &output.bytes);
            if path.ends_with("model.json") || path.ends_with("model.yaml") {
                models.push((path.clone(), output.bytes.clone()));
            }
        }
        same_model_in_json_and_yaml(&models);
    }

    for bytes in &files {
        let Ok(text) = std::str::from_utf8(bytes) else {
            continue;
        };
        if let Ok(once) = salespath::fmt::format_source(text) {
            let twice = salespath::fmt::format_source(&once)
                .unwrap_or_else(|e| panic!("formatted text does not parse: {e:?}\n{once}"));
            assert_eq!(once, twice, "formatting twice changes the text");
        }
    }
});

/// A folder of this process's own, reused by every run.
fn scratch_folder() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("salespath-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

/// Every output a reader would open must parse as its format.
fn parse_output(path: &str, bytes: &[u8]) {
    let text = || std::str::from_utf8(bytes).unwrap_or_else(|_| panic!("{path} is not UTF-8"));
    if path.ends_with(".json") {
        serde_json::from_slice::<serde_json::Value>(bytes)
            .unwrap_or_else(|e| panic!("{path} is not JSON: {e}"));
    } else if path.ends_with(".yaml") || path.ends_with(".yml") {
        serde_yaml::from_slice::<serde_yaml::Value>(bytes)
            .unwrap_or_else(|e| panic!("{path} is not YAML: {e}"));
    } else if path.ends_with(".xml") {
        roxmltree::Document::parse(text()).unwrap_or_else(|e| panic!("{path} is not XML: {e}"));
    } else if path.ends_with(".csv") {
        // The matrix has a title line and sections, so rows differ in length.
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes);
        for record in reader.records() {
            record.unwrap_or_else(|e| panic!("{path} is not CSV: {e}"));
        }
    } else if path.ends_with(".md") || path.ends_with(".html") || path.ends_with(".mmd") {
        text();
    }
}

/// `model.yaml` holds the same data as `model.json` next to it.
fn same_model_in_json_and_yaml(models: &[(String, Vec<u8>)]) {
    for (path, bytes) in models.iter().filter(|(p, _)| p.ends_with("model.json")) {
        let yaml_path = path.replace("model.json", "model.yaml");
        let Some((_, yaml)) = models.iter().find(|(p, _)| *p == yaml_path) else {
            continue;
        };
        let from_json: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        let from_yaml: serde_json::Value = serde_yaml::from_slice(yaml).unwrap();
        assert_eq!(from_json, from_yaml, "{yaml_path} differs from {path}");
    }
}
