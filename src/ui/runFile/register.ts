/** Runs from JSON files: the command, the CodeLens on `*.run.json`, and the file diagnostics. */
import * as vscode from 'vscode';
import { InputSchemaCache } from '../../core/runFile';
import type { Services } from '../services';
import { RUN_FILE_SELECTOR, RunFileCodeLens } from './codeLens';
import { createRunFromFile } from './createRunFromFile';
import { RunFileDiagnostics } from './diagnostics';
import type { RunFileOptions } from './options';
import type { FlowEnv } from './runOne';

export function registerRunFiles(services: Services): vscode.Disposable[] {
  const diagnostics = new RunFileDiagnostics();
  const env: FlowEnv = { services, diagnostics, schemas: new InputSchemaCache() };
  return [
    diagnostics,
    vscode.commands.registerCommand('langgraph.createRunFromFile', (arg?: unknown, uris?: unknown, options?: RunFileOptions) =>
      createRunFromFile(env, arg, uris, options ?? {}),
    ),
    vscode.languages.registerCodeLensProvider(RUN_FILE_SELECTOR, new RunFileCodeLens()),
  ];
}
