//! The project must build and test from a clone with nothing beside it: no source, test,
//! benchmark, script or document may name a path that leaves the project's root.

mod common;

use std::path::{Path, PathBuf};

/// Spellings of a path out of the root. Built from parts so this file does not match itself.
fn leaving_patterns() -> Vec<String> {
    let up = "..";
    vec![
        format!("{up}/shared"),
        format!("{up}\\shared"),
        format!("join(\"{up}\")"),
        format!("join(\"{up}/"),
        format!("/work/{}", "shared"),
    ]
}

fn project_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() {
            if name != "target" && name != ".git" && name != "node_modules" {
                project_files(&path, out);
            }
        } else if ["rs", "md", "toml", "sh", "yml", "yaml", "pest", "sales"]
            .iter()
            .any(|ext| name.ends_with(&format!(".{ext}")))
            || name == "run"
        {
            out.push(path);
        }
    }
}

#[test]
fn no_project_file_names_a_path_outside_the_root() {
    let root = common::root();
    let mut files = Vec::new();
    project_files(&root, &mut files);
    assert!(
        files.iter().any(|f| f.ends_with("tests/self_contained.rs")),
        "the scan must see the test sources"
    );
    let mut found = Vec::new();
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        for (number, line) in text.lines().enumerate() {
            for pattern in leaving_patterns() {
                if line.contains(&pattern) {
                    let shown = file.strip_prefix(&root).unwrap_or(file);
                    found.push(format!(
                        "{}:{}: {}",
                        shown.display(),
                        number + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "these lines reach outside the project (copy what they need into it):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_reference_example_and_vendor_schemas_are_in_the_project() {
    assert!(!common::shared_examples().is_empty());
    for schema in [
        "salesforce/sfdx-crm.xsd",
        "hubspot/create-deals-pipeline.schema.json",
        "pipedrive/add-stage-request.strict.schema.json",
    ] {
        assert!(common::vendor_schema(schema).is_file(), "{schema}");
    }
}
