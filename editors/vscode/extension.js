// The salespath extension: highlighting comes from the grammar; everything else from the
// language server, `salespath lsp`, started here over standard input and output.
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("salespath").get("path") || "salespath";
  const run = { command, args: ["lsp"], transport: TransportKind.stdio };
  client = new LanguageClient(
    "salespath",
    "salespath",
    { run, debug: run },
    {
      documentSelector: [{ scheme: "file", language: "salespath" }, { scheme: "untitled", language: "salespath" }],
      synchronize: {
        fileEvents: vscode.workspace.createFileSystemWatcher("**/{*.sales,salespath.yaml}"),
      },
    },
  );
  context.subscriptions.push(
    vscode.commands.registerCommand("salespath.restart", () => client.restart()),
  );
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
