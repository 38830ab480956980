//! `salespath build --watch`: rebuilds when a file or an import changes; a broken file keeps
//! the last good outputs and prints its diagnostics.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/lsp");

/// Kills the watcher however the test ends.
struct Watcher(Child);

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Every line printed until the watcher is waiting again.
fn until_watching(lines: &Receiver<String>) -> Vec<String> {
    let mut seen = Vec::new();
    loop {
        let line = lines
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("no rebuild; printed {seen:?}"));
        if line.starts_with("watching for changes") {
            return seen;
        }
        seen.push(line);
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from));
    std::fs::write(path, text.replace(from, to)).unwrap();
}

#[test]
fn rebuilds_on_changes_and_keeps_the_last_good_outputs() {
    let folder = tempfile::tempdir().unwrap();
    for name in ["sales.sales", "shared.sales"] {
        std::fs::copy(Path::new(FIXTURES).join(name), folder.path().join(name)).unwrap();
    }
    let child = Command::new(env!("CARGO_BIN_EXE_salespath"))
        .args([
            "build",
            "--watch",
            "sales.sales",
            "--emit",
            "json",
            "-o",
            "out",
        ])
        .current_dir(folder.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut watcher = Watcher(child);
    let stdout = watcher.0.stdout.take().unwrap();
    let (send, lines) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    let model = folder.path().join("out/model.json");
    let read_model = || std::fs::read_to_string(&model).unwrap();

    assert!(until_watching(&lines).contains(&"wrote out/model.json".to_string()));
    assert!(read_model().contains("\"Sales\""));

    edit(
        &folder.path().join("sales.sales"),
        "\"Sales\"",
        "\"Direct sales\"",
    );
    until_watching(&lines);
    assert!(read_model().contains("\"Direct sales\""));

    // A change in an imported file rebuilds too.
    edit(
        &folder.path().join("shared.sales"),
        "Deal amount",
        "Contract value",
    );
    until_watching(&lines);
    assert!(read_model().contains("Contract value"));

    // A broken file prints its diagnostics and leaves the outputs as they were.
    let before = read_model();
    edit(
        &folder.path().join("sales.sales"),
        "owner: ae\n    probability: 20%",
        "owner: ae\n    probability: 20",
    );
    let printed = until_watching(&lines).join("\n");
    assert!(printed.contains("sales.sales"), "{printed}");
    assert!(printed.contains("percentage"), "{printed}");
    assert_eq!(read_model(), before);
}
