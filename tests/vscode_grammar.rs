//! The VS Code extension's TextMate grammar, tested with `vscode-tmgrammar-test` on lines of
//! the examples (assertions) and on whole example files (snapshots). Needs node and the
//! extension's npm packages (`npm ci` in editors/vscode; CI installs them); without them the
//! grammar test says it is skipped.

use std::path::Path;
use std::process::Command;

const EXTENSION: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/editors/vscode");

#[test]
fn grammar_passes_its_tests_and_snapshots() {
    let extension = Path::new(EXTENSION);
    let runner = extension.join("node_modules/.bin/vscode-tmgrammar-test");
    if !runner.exists() {
        eprintln!(
            "skipped: run `npm ci` in editors/vscode (needs node and npm) to test the grammar"
        );
        return;
    }
    let output = Command::new("npm")
        .arg("test")
        .current_dir(extension)
        .output()
        .expect("npm runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("tests/snap/branching.sales run successfully"),
        "{stdout}"
    );
}

#[test]
fn snapshots_are_of_the_real_examples() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (snap, example) in [
        ("branching.sales", "examples/branching.sales"),
        ("processes.sales", "examples/multi/processes.sales"),
    ] {
        let copy = std::fs::read_to_string(root.join("editors/vscode/tests/snap").join(snap));
        let original = std::fs::read_to_string(root.join(example));
        assert_eq!(
            copy.unwrap(),
            original.unwrap(),
            "copy {example} into editors/vscode/tests/snap and update the snapshot with \
             `npx vscode-tmgrammar-snap -g syntaxes/salespath.tmLanguage.json -u \"tests/snap/*.sales\"`"
        );
    }
}
