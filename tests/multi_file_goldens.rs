//! The multi-file example (shared definitions, a base process, two variants, a scoring)
//! through every backend, pinned as golden files.

mod common;

use salespath::emit::{self, BACKENDS};

#[test]
fn every_backend_on_the_multi_file_example() {
    let path = common::root().join("examples/multi/processes.sales");
    let checked = common::check_clean(&path);
    let project = common::project(&checked);
    assert_eq!(
        project.units[0].processes.len(),
        3,
        "the base and two variants"
    );
    for backend in BACKENDS {
        // Graphviz's own output depends on its version; the DOT it is given is pinned here.
        if backend.needs_graphviz {
            continue;
        }
        let emitted = emit::run(backend, &project).unwrap_or_else(|_| panic!("{}", backend.name));
        assert!(
            !emitted.files.is_empty(),
            "{} writes something",
            backend.name
        );
        for (file, bytes) in &emitted.files {
            if file.ends_with(".xlsx") {
                continue; // a zip: its content is checked by the matrix tests
            }
            common::assert_golden(&format!("multi/{file}"), bytes);
        }
    }
}
