//! One session per run: several files of one command share one source map, so building,
//! formatting and checking them together never mixes up their files.

mod common;

use std::path::Path;

const A: &str = "role ae \"AE\"\nprocess a { stage one { owner: ae probability: 20% } stage won { outcome: won } stage lost { outcome: lost from: any } }\n";
const B: &str = "role ae \"AE\"\nprocess b { stage one { owner: ae probability: 25% } stage won { outcome: won } stage lost { outcome: lost from: any } }\n";

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output = common::salespath()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).to_string(),
        stderr,
    )
}

#[test]
fn two_independent_files_build_together() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.sales", A);
    write(dir.path(), "b.sales", B);
    let (code, stdout, stderr) = run(dir.path(), &["build", "a.sales", "b.sales"]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    for file in ["a/a.dot", "a/model.json", "b/b.dot", "b/b.playbook.md"] {
        assert!(
            dir.path().join("out").join(file).is_file(),
            "{file}: {stdout}"
        );
    }
}

#[test]
fn the_same_process_id_in_two_independent_files_builds() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "team/emea.sales", A);
    write(dir.path(), "team/us.sales", &A.replace("20%", "30%"));
    let (code, stdout, stderr) = run(dir.path(), &["check", "team"]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    let (code, stdout, stderr) = run(dir.path(), &["build", "team", "--emit", "dot,json"]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    let emea = std::fs::read_to_string(dir.path().join("out/emea/a.dot")).unwrap();
    let us = std::fs::read_to_string(dir.path().join("out/us/a.dot")).unwrap();
    assert!(emea.contains("20%") && us.contains("30%"));
}

#[test]
fn fmt_reports_a_syntax_error_in_each_of_several_files() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.sales", "process x {\n");
    write(dir.path(), "b.sales", "role ae\nprocess y {{\n");
    let (code, _, stderr) = run(dir.path(), &["fmt", "--check", "a.sales", "b.sales"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("a.sales:2:1"), "{stderr}");
    assert!(stderr.contains("b.sales:2:12"), "{stderr}");
}

#[test]
fn what_check_accepts_in_the_examples_build_builds() {
    let out = tempfile::tempdir().unwrap();
    let examples = common::root().join("examples");
    let check = common::salespath()
        .arg("check")
        .arg(&examples)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(0));
    let build = common::salespath()
        .args(["build", "--emit", "dot,mermaid,json,yaml,hubspot,pipedrive,salesforce,matrix-md,playbook-md,playbook-html", "-o"])
        .arg(out.path())
        .arg(&examples)
        .output()
        .unwrap();
    assert_eq!(
        build.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&build.stdout)
    );
    for file in [
        "enterprise/model.json",
        "reference/enterprise/model.json",
        "multi/processes/renewal.dot",
        "branching/salesforce/package.xml",
    ] {
        assert!(out.path().join(file).is_file(), "{file}");
    }
    // An imported file that is named too is built with the file that imports it.
    assert!(!out.path().join("multi/definitions").exists());
}

#[test]
fn two_units_that_would_write_one_path_are_refused_with_both_named() {
    let dir = tempfile::tempdir().unwrap();
    // Unit `p` writes `p/x.dot`; unit `p/x.dot` needs that path as its folder.
    write(dir.path(), "p.sales", &A.replace("process a", "process x"));
    write(dir.path(), "p/x.dot.sales", B);
    let (code, stdout, stderr) = run(dir.path(), &["build", ".", "--emit", "dot"]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(
        stderr.contains("two outputs would both be written to `p/x.dot`"),
        "{stderr}"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn diff_refuses_deep_nesting_with_the_message_check_gives() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!(
        "field f: bool\nprocess p {{\n  stage a {{ probability: 10%  exit: {}f{} }}\n  stage won {{ outcome: won }}\n}}\n",
        "(".repeat(50_000),
        ")".repeat(50_000)
    );
    write(dir.path(), "deep.sales", &deep);
    let (code, stdout, _) = run(dir.path(), &["check", "deep.sales"]);
    assert_eq!(code, Some(1));
    let message = "nested more than 128 levels";
    assert!(stdout.contains(message), "{stdout}");
    let (code, _, stderr) = run(dir.path(), &["diff", "deep.sales", "deep.sales"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains(message), "{stderr}");
}

#[test]
fn a_chain_of_three_thousand_imports_checks() {
    let dir = tempfile::tempdir().unwrap();
    let files = 3000;
    for i in 0..files {
        let import = if i + 1 < files {
            format!("import \"f{}.sales\"\n", i + 1)
        } else {
            String::new()
        };
        write(
            dir.path(),
            &format!("f{i}.sales"),
            &format!("{import}role r{i}\n"),
        );
    }
    let (code, stdout, stderr) = run(dir.path(), &["check", "f0.sales"]);
    // Nothing uses the roles of imported files, and the named file's own role is unused.
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("checked 1 file"), "{stdout}");
}
