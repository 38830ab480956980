//! Helpers shared by the integration tests.
#![allow(dead_code)]

use salespath::config::Config;
use salespath::emit::{self, Project, Unit};
use salespath::session::{self, Checked, Input, Options};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The project's root folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The language's reference examples, kept in the project (`examples/reference`).
pub fn shared_examples() -> Vec<PathBuf> {
    sales_files(&root().join("examples/reference"))
}

/// The vendors' schemas that generated CRM files are validated against.
pub fn vendor_schema(relative: &str) -> PathBuf {
    root().join("tests/vendor-schemas").join(relative)
}

/// The project's own examples.
pub fn examples() -> Vec<PathBuf> {
    sales_files(&root().join("examples"))
}

pub fn sales_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "sales"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Checks a file with the default configuration.
pub fn check(path: &Path) -> Checked {
    session::check_one(
        &Input::Path(path.to_path_buf()),
        &Config::default(),
        &Options::default(),
    )
    .expect("readable input")
}

/// Checks text as if it were a file called `name` in the tests folder.
pub fn check_text(name: &str, text: &str) -> Checked {
    session::check_one(
        &Input::Text {
            name: name.into(),
            text: text.as_bytes().to_vec(),
            base: Some(root().join("tests")),
        },
        &Config::default(),
        &Options::default(),
    )
    .expect("text input")
}

/// Checks a file that must be clean and returns it.
pub fn check_clean(path: &Path) -> Checked {
    let checked = check(path);
    assert!(
        checked.diagnostics.is_empty(),
        "{} is not clean: {:#?}",
        path.display(),
        checked.diagnostics
    );
    checked
}

/// The processes of a checked file, as a project for the backends.
pub fn project(checked: &Checked) -> Project<'_> {
    let model = checked.model.as_ref().expect("a model");
    let processes = checked.own_processes();
    Project {
        units: vec![Unit {
            model,
            sources: &checked.sources,
            processes,
        }],
        org_stages: None,
    }
}

/// Runs one backend (by `--emit` name) over a clean file and returns its files.
pub fn emit(backend: &str, path: &Path) -> Vec<(String, Vec<u8>)> {
    let checked = check_clean(path);
    let backend = emit::find(backend).unwrap_or_else(|| panic!("no backend `{backend}`"));
    let emitted = emit::run(backend, &project(&checked)).expect("backend succeeds");
    emitted.files
}

/// Compares `actual` with the golden file `tests/golden/<name>`; with `UPDATE_GOLDEN=1`
/// (re)writes it instead. A missing golden file fails like a different one: it is only ever
/// written on request, so a test can never pass by recording its own output.
pub fn assert_golden(name: &str, actual: &[u8]) {
    assert_golden_at(&Path::new("tests/golden").join(name), actual);
}

/// Like [`assert_golden`], for a file anywhere in the project (such as generated docs).
pub fn assert_golden_at(relative: &Path, actual: &[u8]) {
    let path = root().join(relative);
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    if update {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden file {} (run with UPDATE_GOLDEN=1 to write it, then review it)",
            path.display()
        )
    });
    if expected != actual {
        let shown = String::from_utf8_lossy(actual);
        panic!(
            "{} differs from the output (run with UPDATE_GOLDEN=1 to accept it):\n{}",
            path.display(),
            shown.chars().take(4000).collect::<String>()
        );
    }
}

/// Whether an external program is installed. In CI (`CI` set) a missing program fails the
/// test; elsewhere the test says it was skipped.
pub fn require_tool(program: &str, test: &str) -> bool {
    let found = Command::new(program)
        .arg("-V")
        .output()
        .or_else(|_| Command::new(program).arg("--version").output())
        .is_ok();
    if !found {
        if std::env::var_os("CI").is_some() {
            panic!("{test}: `{program}` is required in CI but is not installed");
        }
        eprintln!("SKIPPED {test}: `{program}` is not installed");
    }
    found
}

/// The `salespath` binary, for CLI tests.
pub fn salespath() -> Command {
    Command::new(env!("CARGO_BIN_EXE_salespath"))
}
