//! The language server, driven over JSON-RPC in memory through sessions of requests.

use crossbeam_channel::RecvTimeoutError;
use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidOpenTextDocument, Exit, Initialized, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest,
    Initialize, PrepareRenameRequest, References, Rename, Shutdown, WorkspaceSymbolRequest,
};
use lsp_types::*;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::Duration;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/lsp");

struct Client {
    connection: Connection,
    server: Option<JoinHandle<()>>,
    next_id: i32,
    /// Notifications received while waiting for something else.
    notifications: Vec<Notification>,
    folder: tempfile::TempDir,
}

impl Client {
    /// A server over a copy of the fixture files, its workspace folder.
    fn start() -> Client {
        let folder = tempfile::tempdir().unwrap();
        for name in ["sales.sales", "shared.sales"] {
            std::fs::copy(Path::new(FIXTURES).join(name), folder.path().join(name)).unwrap();
        }
        let (client, server) = Connection::memory();
        let handle = std::thread::spawn(move || salespath::lsp::serve(&server).unwrap());
        let mut client = Client {
            connection: client,
            server: Some(handle),
            next_id: 0,
            notifications: Vec::new(),
            folder,
        };
        let root = Url::from_directory_path(client.folder.path()).unwrap();
        #[allow(deprecated)]
        let params = InitializeParams {
            root_uri: Some(root),
            ..Default::default()
        };
        let result: InitializeResult = client.request::<Initialize>(params).unwrap();
        assert!(result.capabilities.hover_provider.is_some());
        client.notify::<Initialized>(InitializedParams {});
        client
    }

    fn path(&self, name: &str) -> PathBuf {
        self.folder.path().join(name)
    }

    fn url(&self, name: &str) -> Url {
        Url::from_file_path(self.path(name)).unwrap()
    }

    fn text(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap()
    }

    fn notify<N: lsp_types::notification::Notification>(&self, params: N::Params) {
        let notification = Notification::new(N::METHOD.into(), params);
        self.connection
            .sender
            .send(Message::Notification(notification))
            .unwrap();
    }

    fn request<R: lsp_types::request::Request>(
        &mut self,
        params: R::Params,
    ) -> Result<R::Result, lsp_server::ResponseError> {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        let request = Request::new(id.clone(), R::METHOD.into(), params);
        self.connection
            .sender
            .send(Message::Request(request))
            .unwrap();
        let response = self.wait(|m| match m {
            Message::Response(r) if r.id == id => Some(r.clone()),
            _ => None,
        });
        let Response { result, error, .. } = response;
        match error {
            Some(error) => Err(error),
            None => Ok(serde_json::from_value(result.unwrap_or_default()).unwrap()),
        }
    }

    /// Reads messages until `pick` takes one, keeping the notifications it passes over.
    fn wait<T>(&mut self, mut pick: impl FnMut(&Message) -> Option<T>) -> T {
        if let Some(i) = self
            .notifications
            .iter()
            .position(|n| pick(&Message::Notification(n.clone())).is_some())
        {
            let n = self.notifications.remove(i);
            return pick(&Message::Notification(n)).unwrap();
        }
        loop {
            match self
                .connection
                .receiver
                .recv_timeout(Duration::from_secs(30))
            {
                Ok(message) => {
                    if let Some(found) = pick(&message) {
                        return found;
                    }
                    if let Message::Notification(n) = message {
                        self.notifications.push(n);
                    }
                }
                Err(RecvTimeoutError::Timeout) => panic!("the server did not answer in 30 s"),
                Err(RecvTimeoutError::Disconnected) => panic!("the server stopped"),
            }
        }
    }

    /// The diagnostics the server publishes for `url` at `version`.
    fn diagnostics(&mut self, url: &Url, version: Option<i32>) -> Vec<Diagnostic> {
        self.wait(|m| match m {
            Message::Notification(n) if n.method == PublishDiagnostics::METHOD => {
                let p: PublishDiagnosticsParams = serde_json::from_value(n.params.clone()).unwrap();
                (p.uri == *url && p.version == version).then_some(p.diagnostics)
            }
            _ => None,
        })
    }

    fn open(&mut self, name: &str, text: &str) -> Vec<Diagnostic> {
        let url = self.url(name);
        self.notify::<DidOpenTextDocument>(DidOpenTextDocumentParams {
            text_document: TextDocumentItem::new(url.clone(), "salespath".into(), 1, text.into()),
        });
        self.diagnostics(&url, Some(1))
    }

    fn change(&mut self, name: &str, version: i32, text: &str) -> Vec<Diagnostic> {
        let url = self.url(name);
        self.notify::<DidChangeTextDocument>(DidChangeTextDocumentParams {
            text_document: VersionedTextDocumentIdentifier::new(url.clone(), version),
            content_changes: vec![TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: text.into(),
            }],
        });
        self.diagnostics(&url, Some(version))
    }

    fn position(&self, name: &str, at: Position) -> TextDocumentPositionParams {
        TextDocumentPositionParams::new(TextDocumentIdentifier::new(self.url(name)), at)
    }

    fn hover(&mut self, name: &str, at: Position) -> String {
        let params = HoverParams {
            text_document_position_params: self.position(name, at),
            work_done_progress_params: Default::default(),
        };
        match self.request::<HoverRequest>(params).unwrap() {
            Some(Hover {
                contents: HoverContents::Markup(markup),
                ..
            }) => markup.value,
            other => panic!("no hover text: {other:?}"),
        }
    }

    fn completion(&mut self, name: &str, at: Position) -> Vec<String> {
        let params = CompletionParams {
            text_document_position: self.position(name, at),
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
            context: None,
        };
        match self.request::<Completion>(params).unwrap() {
            Some(CompletionResponse::Array(items)) => items.into_iter().map(|i| i.label).collect(),
            other => panic!("no completion list: {other:?}"),
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        self.request::<Shutdown>(()).unwrap();
        self.notify::<Exit>(());
        self.server.take().unwrap().join().unwrap();
    }
}

/// The position of the `nth` (from 0) `needle` in `text`, plus `shift` characters.
fn at(text: &str, needle: &str, nth: usize, shift: u32) -> Position {
    let offset = text.match_indices(needle).nth(nth).expect(needle).0;
    let line = text[..offset].matches('\n').count() as u32;
    let column = (offset - text[..offset].rfind('\n').map_or(0, |i| i + 1)) as u32;
    Position::new(line, column + shift)
}

fn code(d: &Diagnostic) -> &str {
    match &d.code {
        Some(NumberOrString::String(code)) => code,
        other => panic!("no rule name: {other:?}"),
    }
}

#[test]
fn diagnostics_follow_typing_with_rule_links_and_help() {
    let mut client = Client::start();
    let text = client.text("sales.sales");
    assert_eq!(client.open("sales.sales", &text), []);

    let typo = text.replace(
        "owner: ae\n    probability: 20%",
        "owner: aee\n    probability: 20%",
    );
    let diagnostics = client.change("sales.sales", 2, &typo);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let d = &diagnostics[0];
    assert_eq!(code(d), "unknown-reference");
    assert_eq!(d.severity, Some(DiagnosticSeverity::ERROR));
    assert!(
        d.message.contains("there is no role called `aee`"),
        "{}",
        d.message
    );
    assert!(d.message.contains("did you mean `ae`?"), "{}", d.message);
    let href = d.code_description.as_ref().unwrap().href.as_str();
    assert!(href.ends_with("docs/rules/unknown-reference.md"), "{href}");
    assert_eq!(d.range.start, at(&typo, "aee", 0, 0));
    assert_eq!(d.range.end, at(&typo, "aee", 0, 3));

    assert_eq!(client.change("sales.sales", 3, &text), []);
}

#[test]
fn open_documents_override_files_on_disk_across_imports() {
    let mut client = Client::start();
    let text = client.text("sales.sales");
    assert_eq!(client.open("sales.sales", &text), []);
    // Renaming the field in the imported file, unsaved, breaks the file that uses it.
    let shared = "field amounts \"Deal amount\": currency\n";
    client.open("shared.sales", shared);
    let url = client.url("sales.sales");
    let diagnostics = client.diagnostics(&url, Some(1));
    let unknown: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| code(d) == "unknown-reference")
        .collect();
    assert_eq!(unknown.len(), 2, "{diagnostics:?}");
    assert!(unknown[0].message.contains("did you mean `amounts`?"));
}

#[test]
fn related_locations_point_into_the_other_file() {
    let mut client = Client::start();
    let text = client.text("sales.sales");
    let twice = text.replace("role ae", "field amount: text\nrole ae");
    let diagnostics = client.open("sales.sales", &twice);
    let duplicate = diagnostics
        .iter()
        .find(|d| code(d) == "duplicate-definition")
        .unwrap_or_else(|| panic!("{diagnostics:?}"));
    let related = duplicate.related_information.as_ref().unwrap();
    assert_eq!(related[0].location.uri, client.url("shared.sales"));
    assert_eq!(related[0].location.range.start, Position::new(0, 6));
}

#[test]
fn hover_explains_stages_fields_and_rules() {
    let mut client = Client::start();
    let text = client.text("sales.sales");
    client.open("sales.sales", &text);

    let stage = client.hover("sales.sales", at(&text, "proposal {", 0, 2));
    for part in [
        "stage `proposal` of `sales`",
        "Probability: 60%",
        "Forecast: Best case",
        "Owner: Account Executive",
        "Must be known here: Deal amount",
        "To move on: Region is EMEA",
        "Next: Won, Lost",
    ] {
        assert!(stage.contains(part), "{part:?} not in {stage}");
    }
    let discovery = client.hover("sales.sales", at(&text, "discovery", 0, 1));
    assert!(discovery.contains("Expected: 5 days"), "{discovery}");
    assert!(
        discovery.contains("To move on: Deal amount is more than 1,000"),
        "{discovery}"
    );

    let field = client.hover("sales.sales", at(&text, "requires: amount", 0, 12));
    for part in [
        "**Deal amount** (field `amount`): currency",
        "Salesforce `Amount`, HubSpot `amount`, Pipedrive `amount`",
        "Required in: Sales › Discovery",
        "Tested to leave: Sales › Discovery",
    ] {
        assert!(field.contains(part), "{part:?} not in {field}");
    }

    // The variant's restated stage shows the variant's probability.
    let variant = client.hover("sales.sales", at(&text, "proposal {", 1, 2));
    assert!(
        variant.contains("of `partner`") && variant.contains("Probability: 50%"),
        "{variant}"
    );

    let unowned = text.replace(
        "stage won { outcome: won }",
        "stage won { outcome: won }\n  stage idle { next: won }",
    );
    let diagnostics = client.change("sales.sales", 2, &unowned);
    assert!(
        diagnostics.iter().any(|d| code(d) == "missing-probability"),
        "{diagnostics:?}"
    );
    let rule = client.hover("sales.sales", at(&unowned, "idle", 0, 1));
    assert!(rule.contains("**`missing-probability`**"), "{rule}");
    assert!(rule.contains("weighted pipeline"), "{rule}");
}

fn definition(client: &mut Client, name: &str, at: Position) -> Location {
    let params = GotoDefinitionParams {
        text_document_position_params: client.position(name, at),
        work_done_progress_params: Default::default(),
        partial_result_params: Default::default(),
    };
    match client.request::<GotoDefinition>(params).unwrap() {
        Some(GotoDefinitionResponse::Scalar(location)) => location,
        other => panic!("no definition: {other:?}"),
    }
}

#[test]
fn definition_of_every_kind_of_name() {
    let mut client = Client::start();
    let text = client.text("sales.sales");
    client.open("sales.sales", &text);
    let url = client.url("sales.sales");

    let cases = [
        (at(&text, "won, lost", 0, 0), "stage won", 6),
        (at(&text, "owner: ae", 0, 7), "role ae", 5),
        (at(&text, "tools: crm", 0, 7), "tool crm", 5),
        (at(&text, "region ==", 0, 0), "field region", 6),
        (at(&text, "extends sales", 0, 8), "process sales", 8),
        (
            at(&text, "proposal {\n    probability: 50%", 0, 0),
            "stage proposal",
            6,
        ),
    ];
    for (from, declared, shift) in cases {
        let location = definition(&mut client, "sales.sales", from);
        assert_eq!(location.uri, url);
        assert_eq!(
            location.range.start,
            at(&text, declared, 0, shift),
            "{declared}"
        );
    }

    let field = definition(&mut client, "sales.sales", at(&text, "amount > 1000", 0, 0));
    assert_eq!(field.uri, client.url("shared.sales"));
    assert_eq!(field.range.start, Position::new(0, 6));

    let import = definition(&mut client, "sales.sales", at(&text, "shared.sales", 0, 2));
    assert_eq!(import.uri, client.url("shared.sales"));
}

#[test]
fn references_and_rename_across_files() {
    let mut client = Client::start();
    let text = client.text("sales.sales");
    client.open("sales.sales", &text);
    let amount = at(&text, "requires: amount", 0, 12);

    let params = ReferenceParams {
        text_document_position: client.position("sales.sales", amount),
        work_done_progress_params: Default::default(),
        partial_result_params: Default::default(),
        context: ReferenceContext {
            include_declaration: true,
        },
    };
    let found = client.request::<References>(params).unwrap().unwrap();
    let mut places: Vec<(String, u32)> = found
        .iter()
        .map(|l| {
            (
                l.uri.path().rsplit('/').next().unwrap().to_string(),
                l.range.start.line,
            )
        })
        .collect();
    places.sort();
    assert_eq!(
        places,
        [
            ("sales.sales".into(), 12),
            ("sales.sales".into(), 13),
            ("shared.sales".into(), 0)
        ]
    );

    let prepared = client
        .request::<PrepareRenameRequest>(client.position("sales.sales", amount))
        .unwrap();
    assert!(
        matches!(prepared, Some(PrepareRenameResponse::RangeWithPlaceholder { placeholder, .. }) if placeholder == "amount")
    );

    let rename = |client: &mut Client, new_name: &str| {
        client.request::<Rename>(RenameParams {
            text_document_position: client.position("sales.sales", amount),
            new_name: new_name.into(),
            work_done_progress_params: Default::default(),
        })
    };
    let edit = rename(&mut client, "deal_value").unwrap().unwrap();
    let changes = edit.changes.unwrap();
    assert_eq!(changes[&client.url("sales.sales")].len(), 2);
    assert_eq!(changes[&client.url("shared.sales")].len(), 1);
    assert!(changes
        .values()
        .flatten()
        .all(|e| e.new_text == "deal_value"));
    assert!(rename(&mut client, "Deal Value").is_err());
    assert!(rename(&mut client, "and").is_err());

    // A stage restated by a variant is renamed with the base's.
    let stage_at = at(&text, "proposal {", 0, 0);
    let edit = client
        .request::<Rename>(RenameParams {
            text_document_position: client.position("sales.sales", stage_at),
            new_name: "offer".into(),
            work_done_progress_params: Default::default(),
        })
        .unwrap()
        .unwrap();
    assert_eq!(edit.changes.unwrap()[&client.url("sales.sales")].len(), 2);
}

#[test]
fn outlines_of_the_document_and_the_workspace() {
    let mut client = Client::start();
    let text = client.text("sales.sales");
    client.open("sales.sales", &text);
    let params = DocumentSymbolParams {
        text_document: TextDocumentIdentifier::new(client.url("sales.sales")),
        work_done_progress_params: Default::default(),
        partial_result_params: Default::default(),
    };
    let Some(DocumentSymbolResponse::Nested(symbols)) =
        client.request::<DocumentSymbolRequest>(params).unwrap()
    else {
        panic!("no outline")
    };
    let names: Vec<&str> = symbols.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["ae", "region", "crm", "sales", "partner"]);
    let stages: Vec<&str> = symbols[3]
        .children
        .as_ref()
        .unwrap()
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(stages, ["discovery", "proposal", "won", "lost"]);

    let params = WorkspaceSymbolParams {
        query: "amou".into(),
        work_done_progress_params: Default::default(),
        partial_result_params: Default::default(),
    };
    let Some(WorkspaceSymbolResponse::Flat(found)) =
        client.request::<WorkspaceSymbolRequest>(params).unwrap()
    else {
        panic!("no workspace symbols")
    };
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].location.uri, client.url("shared.sales"));
}

#[test]
fn completion_offers_what_fits_the_cursor() {
    let mut client = Client::start();
    let text = client.text("sales.sales");
    client.open("sales.sales", &text);

    let draft = text.replace(
        "    owner: ae\n    probability: 20%",
        "    owner: \n    probability: 20%",
    );
    client.change("sales.sales", 2, &draft);
    let owners = client.completion("sales.sales", at(&draft, "owner: \n", 0, 7));
    assert_eq!(owners, ["ae"]);

    let next = client.completion("sales.sales", at(&text, "next: won", 0, 6));
    assert_eq!(next, ["discovery", "proposal", "won", "lost"]);
    let requires = client.completion("sales.sales", at(&text, "requires: region", 0, 10));
    assert_eq!(requires, ["amount", "region"]);
    let choices = client.completion("sales.sales", at(&text, "\"EMEA\"\n", 0, 0));
    assert_eq!(choices, ["\"EMEA\"", "\"APAC\""]);

    // At the start of a line in a stage: the properties it does not have yet.
    let properties = client.completion("sales.sales", at(&text, "    expected: 5d", 0, 4));
    assert!(
        properties.contains(&"objective:".to_string()),
        "{properties:?}"
    );
    assert!(
        !properties.contains(&"owner:".to_string()),
        "{properties:?}"
    );
    // In a process: its properties and a new stage.
    let in_process = client.completion("sales.sales", at(&text, "  stage won", 0, 2));
    assert!(
        in_process.contains(&"stage".to_string()) && in_process.contains(&"model:".to_string())
    );
    // At the top level: declarations.
    let top = client.completion("sales.sales", Position::new(1, 0));
    assert!(top.contains(&"process".to_string()) && top.contains(&"field".to_string()));
}

#[test]
fn formatting_uses_the_fmt_layout() {
    let mut client = Client::start();
    let messy = "role   ae\nprocess p {\nstage a { probability: 10%\nnext: won }\n stage won { outcome: won }\n}\n";
    client.open("sales.sales", messy);
    let params = DocumentFormattingParams {
        text_document: TextDocumentIdentifier::new(client.url("sales.sales")),
        options: FormattingOptions::default(),
        work_done_progress_params: Default::default(),
    };
    let edits = client.request::<Formatting>(params).unwrap().unwrap();
    assert_eq!(edits.len(), 1);
    assert_eq!(
        edits[0].new_text,
        salespath::fmt::format_source(messy).unwrap()
    );
    assert_ne!(edits[0].new_text, messy);
}

fn quick_fixes(client: &mut Client, name: &str, range: Range) -> Vec<CodeAction> {
    let params = CodeActionParams {
        text_document: TextDocumentIdentifier::new(client.url(name)),
        range,
        context: CodeActionContext::default(),
        work_done_progress_params: Default::default(),
        partial_result_params: Default::default(),
    };
    client
        .request::<CodeActionRequest>(params)
        .unwrap()
        .unwrap()
        .into_iter()
        .map(|a| match a {
            CodeActionOrCommand::CodeAction(a) => a,
            CodeActionOrCommand::Command(c) => panic!("a command: {c:?}"),
        })
        .collect()
}

/// Applies a one-file edit to `text`.
fn apply(client: &Client, text: &str, action: &CodeAction) -> String {
    let changes = action.edit.as_ref().unwrap().changes.as_ref().unwrap();
    let edits = &changes[&client.url("sales.sales")];
    assert_eq!(edits.len(), 1);
    let offset = |p: Position| {
        let line_start: usize = text
            .split_inclusive('\n')
            .take(p.line as usize)
            .map(str::len)
            .sum();
        line_start + p.character as usize
    };
    let (start, end) = (offset(edits[0].range.start), offset(edits[0].range.end));
    format!("{}{}{}", &text[..start], edits[0].new_text, &text[end..])
}

#[test]
fn quick_fixes_repair_what_they_say() {
    let mut client = Client::start();
    let text = client.text("sales.sales");
    let broken = text
        .replace("tools: crm", "tools: cmr")
        .replace("    probability: 20%\n", "")
        .replace("requires: region\n", "requires: region, budget\n");
    let mut diagnostics = client.open("sales.sales", &broken);
    assert_eq!(diagnostics.len(), 4, "{diagnostics:?}");
    let (mut fixed, mut version) = (broken, 1);
    // Each round takes the first fixable diagnostic's first fix, until none is left (the
    // misspelt tool also leaves the tool unused, which has no fix but goes with the typo).
    let fixable = |d: &&Diagnostic| code(d) != "unused-definition";
    while let Some(d) = diagnostics.iter().find(fixable).cloned() {
        assert!(version <= 3, "a fix did not take: {d:?}\n{fixed}");
        let actions = quick_fixes(&mut client, "sales.sales", d.range);
        let action = actions
            .first()
            .unwrap_or_else(|| panic!("no fix for {d:?}"));
        fixed = apply(&client, &fixed, action);
        version += 1;
        diagnostics = client.change("sales.sales", version, &fixed);
    }
    assert_eq!(diagnostics, []);
    assert!(fixed.contains("tools: crm"), "{fixed}");
    assert!(
        fixed.contains("field budget: text\n\nprocess sales"),
        "{fixed}"
    );
    assert!(
        fixed.contains("stage discovery {\n    probability: 30%\n"),
        "{fixed}"
    );
}

/// Writes one message with its `Content-Length` header.
fn frame(json: serde_json::Value) -> Vec<u8> {
    let body = json.to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

#[test]
fn the_command_serves_over_standard_input_and_output() {
    use std::io::{Read, Write};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_salespath"))
        .args(["lsp", "--stdio"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    for message in [
        serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                           "params": {"capabilities": {}}}),
        serde_json::json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
        serde_json::json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}),
        serde_json::json!({"jsonrpc": "2.0", "method": "exit"}),
    ] {
        stdin.write_all(&frame(message)).unwrap();
    }
    drop(stdin);
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert!(child.wait().unwrap().success());
    assert!(out.contains("\"hoverProvider\":true"), "{out}");
    assert!(out.contains("\"name\":\"salespath\""), "{out}");
    assert!(out.contains("\"id\":2,\"result\":null"), "{out}");
}
