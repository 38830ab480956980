mod common;

#[test]
fn shared_and_own_examples_check_clean() {
    let files: Vec<_> = common::shared_examples()
        .into_iter()
        .chain(common::examples())
        .collect();
    assert!(
        files.len() >= 4,
        "expected the shared example and three of our own"
    );
    for file in files {
        common::check_clean(&file);
    }
}

/// What a user gets from the README's first command, for each of our own examples: files
/// and nothing to worry about. The reference example is the specification's text, which uses
/// 5% and 15%, probabilities HubSpot rounds; it is held to checking clean above.
#[test]
fn own_examples_build_with_no_warning() {
    let outputs: Vec<&str> = salespath::emit::BACKENDS
        .iter()
        .filter(|b| !b.needs_graphviz)
        .map(|b| b.name)
        .collect();
    let root = common::root().join("examples");
    let mut inputs: Vec<_> = common::examples();
    inputs.push(root.join("multi"));
    for input in inputs {
        let out = tempfile::tempdir().unwrap();
        let output = common::salespath()
            .arg("build")
            .arg(&input)
            .args(["--emit", &outputs.join(","), "-o"])
            .arg(out.path())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", input.display());
        let stdout = String::from_utf8_lossy(&output.stdout);
        // Without the org's stage list the Salesforce output always says it replaces it.
        let stderr: String = String::from_utf8_lossy(&output.stderr)
            .lines()
            .filter(|l| !l.starts_with("note: salesforce: deploying salesforce/ replaces"))
            .collect();
        assert!(
            stdout.lines().all(|l| l.starts_with("wrote ")) && stderr.is_empty(),
            "{} builds with messages:\n{stdout}{stderr}",
            input.display()
        );
    }
}

/// The language's reference example builds with every backend: those that need Graphviz too
/// where it is installed (and in CI, where it must be).
#[test]
fn the_reference_example_builds_with_every_backend() {
    let graphviz = common::require_tool("dot", "the_reference_example_builds_with_every_backend");
    let outputs: Vec<&str> = salespath::emit::BACKENDS
        .iter()
        .filter(|b| graphviz || !b.needs_graphviz)
        .map(|b| b.name)
        .collect();
    let out = tempfile::tempdir().unwrap();
    let output = common::salespath()
        .arg("build")
        .arg(&common::shared_examples()[0])
        .args(["--emit", &outputs.join(","), "-o"])
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(out
        .path()
        .join("enterprise_new_business.playbook.html")
        .is_file());
    assert!(out.path().join("salesforce/package.xml").is_file());
    assert!(out.path().join("model.json").is_file());
}
