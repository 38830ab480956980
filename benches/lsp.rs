//! The language server's latency: from a `didChange` of a 2,000-line file to its published
//! diagnostics, and a hover right after. Run with `cargo bench --bench lsp`.

mod synth;

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use lsp_types::notification::{
    DidChangeTextDocument, DidOpenTextDocument, Exit, Initialized, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{HoverRequest, Initialize, Shutdown};
use lsp_types::*;
use std::time::{Duration, Instant};

const LINES: usize = 2_000;
const RUNS: usize = 40;

fn send_notification<N: lsp_types::notification::Notification>(c: &Connection, p: N::Params) {
    let n = Notification::new(N::METHOD.into(), p);
    c.sender.send(Message::Notification(n)).unwrap();
}

fn send_request<R: lsp_types::request::Request>(c: &Connection, id: i32, p: R::Params) {
    let r = Request::new(RequestId::from(id), R::METHOD.into(), p);
    c.sender.send(Message::Request(r)).unwrap();
}

/// Waits for the diagnostics of `version`, returning how many there were.
fn wait_diagnostics(c: &Connection, version: i32) -> usize {
    loop {
        if let Message::Notification(n) = c.receiver.recv().unwrap() {
            if n.method == PublishDiagnostics::METHOD {
                let p: PublishDiagnosticsParams = serde_json::from_value(n.params).unwrap();
                if p.version == Some(version) {
                    return p.diagnostics.len();
                }
            }
        }
    }
}

fn wait_response(c: &Connection, id: i32) {
    loop {
        if let Message::Response(r) = c.receiver.recv().unwrap() {
            if r.id == RequestId::from(id) {
                assert!(r.error.is_none(), "{:?}", r.error);
                return;
            }
        }
    }
}

/// A clean synthetic file of about `LINES` lines, cut at a block boundary.
fn source() -> String {
    let text = synth::generate(200_000, 7);
    let mut out = String::new();
    for block in text.split_inclusive("# block ") {
        if out.lines().count() >= LINES {
            break;
        }
        out.push_str(block);
    }
    out.trim_end_matches("# block ").to_string()
}

fn summary(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name}: median {:.2} ms, 90th percentile {:.2} ms, best {:.2} ms ({} runs)",
        ms(times[times.len() / 2]),
        ms(times[times.len() * 9 / 10]),
        ms(times[0]),
        times.len()
    );
}

fn main() {
    let text = source();
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("large.sales");
    std::fs::write(&path, &text).unwrap();
    let url = Url::from_file_path(&path).unwrap();
    println!("{} lines, {} bytes", text.lines().count(), text.len());

    let (client, server) = Connection::memory();
    let handle = std::thread::spawn(move || salespath::lsp::serve(&server).unwrap());
    #[allow(deprecated)]
    let init = InitializeParams {
        root_uri: Some(Url::from_directory_path(folder.path()).unwrap()),
        ..Default::default()
    };
    send_request::<Initialize>(&client, 0, init);
    wait_response(&client, 0);
    send_notification::<Initialized>(&client, InitializedParams {});
    send_notification::<DidOpenTextDocument>(
        &client,
        DidOpenTextDocumentParams {
            text_document: TextDocumentItem::new(url.clone(), "salespath".into(), 1, text.clone()),
        },
    );
    assert_eq!(
        wait_diagnostics(&client, 1),
        0,
        "the synthetic file is clean"
    );

    let mut changes = Vec::new();
    let mut hovers = Vec::new();
    // Each edit changes a probability, as a user typing would; the file stays clean.
    let at = text.find("probability: ").unwrap() + "probability: ".len();
    let end = at + text[at..].find('%').unwrap();
    let line = text[..at].matches('\n').count() as u32;
    for run in 0..RUNS {
        let version = run as i32 + 2;
        let edited = format!("{}{}{}", &text[..at], 10 + run % 5, &text[end..]);
        let start = Instant::now();
        send_notification::<DidChangeTextDocument>(
            &client,
            DidChangeTextDocumentParams {
                text_document: VersionedTextDocumentIdentifier::new(url.clone(), version),
                content_changes: vec![TextDocumentContentChangeEvent {
                    range: None,
                    range_length: None,
                    text: edited,
                }],
            },
        );
        wait_diagnostics(&client, version);
        changes.push(start.elapsed());

        let start = Instant::now();
        let id = 1000 + run as i32;
        let position = TextDocumentPositionParams::new(
            TextDocumentIdentifier::new(url.clone()),
            Position::new(line.saturating_sub(2), 9),
        );
        send_request::<HoverRequest>(
            &client,
            id,
            HoverParams {
                text_document_position_params: position,
                work_done_progress_params: Default::default(),
            },
        );
        wait_response(&client, id);
        hovers.push(start.elapsed());
    }
    summary("didChange to published diagnostics", changes);
    summary("hover", hovers);

    send_request::<Shutdown>(&client, 1, ());
    wait_response(&client, 1);
    send_notification::<Exit>(&client, ());
    handle.join().unwrap();
}
