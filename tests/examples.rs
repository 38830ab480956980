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
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stdout.lines().all(|l| l.starts_with("wrote ")) && stderr.is_empty(),
            "{} builds with messages:\n{stdout}{stderr}",
            input.display()
        );
    }
}
