// Starts `ldkit lsp` for the workspace and connects VS Code to it. All the work
// (findings, hover, completion, quick fixes, formatting) is the server's; this
// file only says which files it speaks for and how to start it.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const [command, ...args] = vscode.workspace
    .getConfiguration("ldkit")
    .get("command", ["ldkit", "lsp"]);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const server = { command, args, options: folder ? { cwd: folder } : {} };
  client = new LanguageClient(
    "ldkit",
    "ldkit",
    { run: server, debug: server },
    {
      documentSelector: [
        { scheme: "file", pattern: "**/integrations/**/*" },
        { scheme: "file", pattern: "**/.ldkit.toml" },
        { scheme: "file", pattern: "**/pyproject.toml" },
      ],
      synchronize: {
        // Files created, deleted or changed outside the editor re-check their integration.
        fileEvents: vscode.workspace.createFileSystemWatcher(
          "**/{integrations/**/*,.ldkit.toml,pyproject.toml}"
        ),
      },
    }
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
