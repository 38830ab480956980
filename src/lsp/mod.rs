//! `salespath lsp`: the language server, over the library session.
//!
//! The main loop owns the open documents and answers every request at once from the latest
//! [`Analysis`]; a worker thread makes analyses (checking every open document and workspace
//! file in one session) and hands them back, so no request waits for a parse, and a change
//! typed while one is made replaces the work queued behind it. Each request runs under
//! `catch_unwind`: a bug answers that request with an error and the server goes on.

mod actions;
mod analysis;
mod completion;
mod context;
mod diagnostics;
mod format;
mod hover;
mod index;
mod nav;
mod position;
mod symbols;

use crate::config::Config;
use analysis::{Analysis, Job};
use crossbeam_channel::{select, unbounded, Receiver, Sender};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest,
    PrepareRenameRequest, References, Rename, Request as _, WorkspaceSymbolRequest,
};
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, HoverProviderCapability, InitializeParams,
    OneOf, PublishDiagnosticsParams, RenameOptions, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, Url,
};
use std::collections::{BTreeMap, HashMap};
use std::error::Error;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::Arc;

pub type BoxError = Box<dyn Error + Send + Sync>;

/// Serves the protocol on standard input and output until the client says `exit`.
pub fn run_stdio() -> Result<(), BoxError> {
    let (connection, io_threads) = Connection::stdio();
    serve(&connection)?;
    drop(connection);
    io_threads.join()?;
    Ok(())
}

/// One open document.
pub struct Doc {
    pub text: String,
    pub version: i32,
}

/// What request handlers read: the open documents and the latest analysis.
pub struct World<'a> {
    pub docs: &'a BTreeMap<Url, Doc>,
    pub analysis: Option<&'a Analysis>,
}

impl<'a> World<'a> {
    /// The analysis, the file and the byte offset of a position in a document.
    pub fn locate(
        &self,
        url: &Url,
        position: lsp_types::Position,
    ) -> Option<(&'a Analysis, crate::source::FileId, usize)> {
        let analysis = self.analysis?;
        let file = analysis.file(url)?;
        let offset = position::LineIndex::new(analysis.text(file)).offset(position);
        Some((analysis, file, offset))
    }
}

/// Serves one client on `connection`: the handshake, then requests until `exit`.
pub fn serve(connection: &Connection) -> Result<(), BoxError> {
    let capabilities = serde_json::to_value(capabilities())?;
    let (id, params) = connection.initialize_start()?;
    let params: InitializeParams = serde_json::from_value(params)?;
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": ServerInfo {
            name: "salespath".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        },
    });
    connection.initialize_finish(id, result)?;

    let workspace = workspace_folder(&params);
    let config = workspace
        .as_deref()
        .map(|folder| Config::discover(folder).unwrap_or_default())
        .unwrap_or_default();
    let docs_base = params
        .initialization_options
        .as_ref()
        .and_then(|o| o.get("ruleDocs")?.as_str().map(str::to_string))
        .unwrap_or_else(|| diagnostics::RULE_DOCS.to_string());

    let (jobs, job_queue) = unbounded::<Job>();
    let (done, results) = unbounded::<Arc<Analysis>>();
    let worker = std::thread::Builder::new()
        .name("salespath-analysis".into())
        .stack_size(64 << 20)
        .spawn(move || analyse(&job_queue, &done))?;
    let mut server = Server {
        connection,
        docs: BTreeMap::new(),
        workspace_files: Arc::new(Vec::new()),
        workspace,
        config,
        docs_base,
        analysis: None,
        jobs,
        published: HashMap::new(),
    };
    if server.workspace.is_some() {
        server.list_workspace();
        server.reanalyse();
    }
    let outcome = server.main_loop(&results);
    drop(server);
    worker
        .join()
        .map_err(|_| "the analysis thread stopped unexpectedly")?;
    outcome
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![":".into(), " ".into(), ",".into(), "\"".into()]),
            ..Default::default()
        }),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..Default::default()
    }
}

#[allow(deprecated)] // `root_uri` is what clients without workspace folders send
fn workspace_folder(params: &InitializeParams) -> Option<PathBuf> {
    params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .map(|folder| &folder.uri)
        .or(params.root_uri.as_ref())
        .and_then(|uri| uri.to_file_path().ok())
}

/// The worker: makes an analysis of the newest job waiting, over and over.
fn analyse(queue: &Receiver<Job>, done: &Sender<Arc<Analysis>>) {
    let mut last_good = HashMap::new();
    while let Ok(mut job) = queue.recv() {
        while let Ok(newer) = queue.try_recv() {
            job = newer;
        }
        match catch_unwind(AssertUnwindSafe(|| Analysis::build(&job, &mut last_good))) {
            Ok(analysis) => {
                if done.send(Arc::new(analysis)).is_err() {
                    return;
                }
            }
            Err(_) => eprintln!("salespath lsp: the analysis failed; waiting for the next change"),
        }
    }
}

struct Server<'c> {
    connection: &'c Connection,
    docs: BTreeMap<Url, Doc>,
    workspace: Option<PathBuf>,
    workspace_files: Arc<Vec<PathBuf>>,
    config: Config,
    docs_base: String,
    analysis: Option<Arc<Analysis>>,
    jobs: Sender<Job>,
    /// What each document last got: the version it was for and its diagnostics.
    published: HashMap<Url, (Option<i32>, Vec<lsp_types::Diagnostic>)>,
}

impl Server<'_> {
    fn main_loop(&mut self, results: &Receiver<Arc<Analysis>>) -> Result<(), BoxError> {
        loop {
            select! {
                recv(self.connection.receiver) -> message => {
                    let Ok(message) = message else { return Ok(()) };
                    match message {
                        Message::Request(request) => {
                            if self.connection.handle_shutdown(&request)? {
                                return Ok(());
                            }
                            let response = self.request(request);
                            self.connection.sender.send(Message::Response(response))?;
                        }
                        Message::Notification(notification) => self.notification(notification),
                        Message::Response(_) => {}
                    }
                }
                recv(results) -> analysis => {
                    if let Ok(analysis) = analysis {
                        self.publish(&analysis)?;
                        self.analysis = Some(analysis);
                    }
                }
            }
        }
    }

    fn list_workspace(&mut self) {
        if let Some(folder) = &self.workspace {
            self.workspace_files = Arc::new(analysis::list_workspace(folder));
        }
    }

    fn reanalyse(&self) {
        let job = Job {
            open: self
                .docs
                .iter()
                .map(|(url, doc)| (url.clone(), doc.text.clone(), doc.version))
                .collect(),
            workspace_files: Arc::clone(&self.workspace_files),
            config: self.config.clone(),
        };
        // The worker only stops when the server does.
        let _ = self.jobs.send(job);
    }

    fn notification(&mut self, notification: Notification) {
        let method = notification.method.as_str();
        let params = notification.params;
        match method {
            DidOpenTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(params)
                {
                    let doc = Doc {
                        text: p.text_document.text,
                        version: p.text_document.version,
                    };
                    self.docs.insert(p.text_document.uri, doc);
                    self.reanalyse();
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(params)
                {
                    if let (Some(doc), Some(change)) = (
                        self.docs.get_mut(&p.text_document.uri),
                        p.content_changes.into_iter().last(),
                    ) {
                        doc.text = change.text;
                        doc.version = p.text_document.version;
                        self.reanalyse();
                    }
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(params)
                {
                    self.docs.remove(&p.text_document.uri);
                    self.reanalyse();
                }
            }
            DidSaveTextDocument::METHOD => self.reanalyse(),
            DidChangeWatchedFiles::METHOD => {
                self.list_workspace();
                if let Some(folder) = &self.workspace {
                    self.config = Config::discover(folder).unwrap_or_default();
                }
                self.reanalyse();
            }
            _ => {}
        }
    }

    /// Sends the diagnostics that changed, and those of documents edited since.
    fn publish(&mut self, analysis: &Analysis) -> Result<(), BoxError> {
        let mut fresh = diagnostics::by_document(analysis, &self.docs_base);
        let mut urls: Vec<Url> = self.published.keys().cloned().collect();
        urls.extend(fresh.keys().cloned());
        urls.extend(analysis.versions.keys().cloned());
        urls.sort();
        urls.dedup();
        for url in urls {
            let diagnostics = fresh.remove(&url).unwrap_or_default();
            let version = analysis.versions.get(&url).copied();
            let before = self.published.get(&url);
            if before.is_some_and(|(v, d)| *v == version && *d == diagnostics) {
                continue;
            }
            if before.is_none() && diagnostics.is_empty() && version.is_none() {
                continue;
            }
            let params = PublishDiagnosticsParams::new(url.clone(), diagnostics.clone(), version);
            let notification = Notification::new(PublishDiagnostics::METHOD.into(), params);
            self.connection
                .sender
                .send(Message::Notification(notification))?;
            self.published.insert(url, (version, diagnostics));
        }
        Ok(())
    }

    fn request(&self, request: Request) -> Response {
        let world = World {
            docs: &self.docs,
            analysis: self.analysis.as_deref(),
        };
        let Request { id, method, params } = request;
        let world = &world;
        match method.as_str() {
            HoverRequest::METHOD => answer::<HoverRequest>(id, params, |p| hover::hover(world, p)),
            GotoDefinition::METHOD => {
                answer::<GotoDefinition>(id, params, |p| nav::definition(world, p))
            }
            References::METHOD => answer::<References>(id, params, |p| nav::references(world, p)),
            PrepareRenameRequest::METHOD => {
                answer::<PrepareRenameRequest>(id, params, |p| nav::prepare_rename(world, p))
            }
            Rename::METHOD => answer::<Rename>(id, params, |p| nav::rename(world, p)),
            DocumentSymbolRequest::METHOD => {
                answer::<DocumentSymbolRequest>(id, params, |p| symbols::document(world, p))
            }
            WorkspaceSymbolRequest::METHOD => {
                answer::<WorkspaceSymbolRequest>(id, params, |p| symbols::workspace(world, p))
            }
            Completion::METHOD => {
                answer::<Completion>(id, params, |p| completion::complete(world, p))
            }
            Formatting::METHOD => answer::<Formatting>(id, params, |p| format::format(world, p)),
            CodeActionRequest::METHOD => {
                answer::<CodeActionRequest>(id, params, |p| actions::actions(world, p))
            }
            _ => Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("unknown request `{method}`"),
            ),
        }
    }
}

/// Runs one handler; bad parameters, a refusal (`Err`) and a panic each answer with an error.
fn answer<R: lsp_types::request::Request>(
    id: lsp_server::RequestId,
    params: serde_json::Value,
    handler: impl FnOnce(R::Params) -> Result<R::Result, String>,
) -> Response {
    let params = match serde_json::from_value::<R::Params>(params) {
        Ok(params) => params,
        Err(e) => return Response::new_err(id, ErrorCode::InvalidParams as i32, e.to_string()),
    };
    match catch_unwind(AssertUnwindSafe(|| handler(params))) {
        Ok(Ok(result)) => Response::new_ok(id, result),
        Ok(Err(refusal)) => Response::new_err(id, ErrorCode::RequestFailed as i32, refusal),
        Err(_) => Response::new_err(
            id,
            ErrorCode::InternalError as i32,
            format!(
                "salespath could not answer `{}`: an internal error",
                R::METHOD
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_handler_answers_with_an_error() {
        let params = serde_json::json!({
            "textDocument": { "uri": "file:///a.sales" },
            "position": { "line": 0, "character": 0 },
        });
        let response = answer::<HoverRequest>(1.into(), params.clone(), |_| panic!("a bug"));
        let error = response.error.expect("an error response");
        assert_eq!(error.code, ErrorCode::InternalError as i32);
        assert!(
            error.message.contains("textDocument/hover"),
            "{}",
            error.message
        );
        let fine = answer::<HoverRequest>(2.into(), params, |_| Ok(None));
        assert!(fine.error.is_none());
    }
}
