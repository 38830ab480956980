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
