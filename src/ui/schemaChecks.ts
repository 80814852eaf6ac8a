/**
 * The extension's one schema-check worker (dist/schemaCheck.worker.js, built by esbuild.mjs and
 * shipped in the .vsix): run files' input checks and Edit State's state checks share it, one
 * thread, one check at a time. Made on first use; disposed with the extension.
 */
import * as vscode from 'vscode';
import { SchemaCheckWorker } from '../core/runFile';

let worker: SchemaCheckWorker | undefined;

export function schemaChecks(context: vscode.ExtensionContext): SchemaCheckWorker {
  if (!worker) {
    const made = (worker = new SchemaCheckWorker({ script: vscode.Uri.joinPath(context.extensionUri, 'dist', 'schemaCheck.worker.js').fsPath }));
    context.subscriptions.push({
      dispose: () => {
        made.dispose();
        if (worker === made) worker = undefined;
      },
    });
  }
  return worker;
}
