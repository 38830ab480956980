//! What a Salesforce deploy would send: every example is built with `--emit salesforce`, and
//! Salesforce's own source-deploy-retrieve library (the one `sf project deploy start` uses)
//! reads the package directory. The components it finds must be exactly the members of
//! `package.xml`, and every XML file must be valid against the Metadata API schema.
//!
//! Needs node and the npm packages of `tests/sdr` (`npm ci` there; CI installs them);
//! without them the test says it is skipped. `tests/sdr/package.json` pins undici to a
//! release that runs on Node 20, since the library's newest HTTP client needs Node 22 and
//! reading source never makes a request.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One component: metadata type and full name.
type Component = (String, String);

fn sdr_folder() -> PathBuf {
    common::root().join("tests/sdr")
}

/// Every input the CLI takes from `examples/` and `tests/fixtures/salesforce/`: each `.sales`
/// file, and each folder that holds `.sales` files, at any depth.
fn example_inputs() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        if entries
            .iter()
            .any(|p| p.extension().is_some_and(|e| e == "sales"))
        {
            out.push(dir.to_path_buf());
        }
        for entry in entries {
            if entry.is_dir() {
                walk(&entry, out);
            } else if entry.extension().is_some_and(|e| e == "sales") {
                out.push(entry);
            }
        }
    }
    let mut inputs = Vec::new();
    walk(&common::root().join("examples"), &mut inputs);
    // The fixtures written for this backend: every stage automation form, lead scores over
    // standard fields.
    walk(
        &common::root().join("tests/fixtures/salesforce"),
        &mut inputs,
    );
    inputs
}

/// Every SFDX project a build wrote below `out` (one per unit).
fn projects(out: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n == "salesforce")
                    && path.join("sfdx-project.json").is_file()
                {
                    out.push(path);
                } else {
                    walk(&path, out);
                }
            }
        }
    }
    let mut found = Vec::new();
    walk(out, &mut found);
    found.sort();
    found
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The contents of each `<tag>` in `text`, in order.
fn elements<'t>(text: &'t str, tag: &str) -> Vec<&'t str> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        let end = after.find(&close).expect("a closed element");
        found.push(&after[..end]);
        rest = &after[end + close.len()..];
    }
    found
}

/// Every member `package.xml` lists, with its type.
fn package_members(package: &str) -> BTreeSet<Component> {
    let mut members = BTreeSet::new();
    for types in elements(package, "types") {
        let name = elements(types, "name");
        assert_eq!(name.len(), 1, "one <name> per <types>: {types}");
        for member in elements(types, "members") {
            members.insert((unescape(name[0]), unescape(member)));
        }
    }
    members
}

/// What source-deploy-retrieve finds in each of `package_directories`, in one run of node
/// (loading the library takes a while).
fn deployed_components(package_directories: &[PathBuf]) -> Vec<BTreeSet<Component>> {
    let output = Command::new("node")
        .arg(sdr_folder().join("components.js"))
        .args(package_directories)
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "source-deploy-retrieve could not read the projects:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let found: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    package_directories
        .iter()
        .map(|dir| {
            found[dir.to_str().unwrap()]
                .as_array()
                .unwrap_or_else(|| panic!("nothing for {}", dir.display()))
                .iter()
                .map(|c| {
                    (
                        c["type"].as_str().unwrap().to_string(),
                        c["fullName"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        })
        .collect()
}

fn xml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            xml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "xml") {
            out.push(path);
        }
    }
}

fn assert_schema_valid(project: &Path) {
    let mut files = Vec::new();
    xml_files(project, &mut files);
    files.sort();
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(common::vendor_schema("salesforce/sfdx-crm.xsd"))
        .args(&files)
        .output()
        .expect("xmllint runs");
    assert!(
        output.status.success(),
        "{}: xmllint rejected the output:\n{}",
        project.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The major version of the installed node, if any.
fn node_major() -> Option<u32> {
    let output = Command::new("node").arg("--version").output().ok()?;
    let version = String::from_utf8_lossy(&output.stdout);
    version
        .trim()
        .trim_start_matches('v')
        .split('.')
        .next()?
        .parse()
        .ok()
}

/// Builds `input` for Salesforce into a new folder.
fn build(input: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let output = common::salespath()
        .arg("build")
        .arg(input)
        .args(["--emit", "salesforce", "-o"])
        .arg(out.path())
        .current_dir(out.path())
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}: {}{}",
        input.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

#[test]
fn a_deploy_sends_exactly_what_package_xml_lists() {
    let library = sdr_folder().join("node_modules/@salesforce/source-deploy-retrieve");
    if !library.is_dir() || node_major().is_none_or(|major| major < 20) {
        eprintln!(
            "skipped: run `npm ci` in tests/sdr (needs node 20 or later and npm) to compare the \
             Salesforce output with what source-deploy-retrieve deploys"
        );
        return;
    }
    let validate = common::require_tool("xmllint", "salesforce deploy xmllint validation");
    let inputs = example_inputs();
    assert!(inputs.len() >= 8, "{inputs:?}");
    let mut builds = Vec::new();
    let mut found = Vec::new();
    for input in &inputs {
        let out = build(input);
        // A file that only defines fields and roles has no stages to write.
        found.extend(projects(out.path()));
        builds.push(out);
    }
    assert!(found.len() >= 8, "only {} projects: {found:?}", found.len());
    let directories: Vec<PathBuf> = found.iter().map(|p| p.join("force-app")).collect();
    let deployed = deployed_components(&directories);
    for (project, deployed) in found.iter().zip(deployed) {
        let package = std::fs::read_to_string(project.join("package.xml")).unwrap();
        let listed = package_members(&package);
        assert_eq!(
            deployed,
            listed,
            "{}: source-deploy-retrieve finds other components than package.xml lists \
             (left: deployed, right: listed)",
            project.display()
        );
        assert!(listed.len() > 3, "{}", project.display());
        if validate {
            assert_schema_valid(project);
        }
    }
}
