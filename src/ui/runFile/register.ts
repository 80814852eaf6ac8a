/** Runs from JSON files: the command, the CodeLens on `*.run.json`, and the file diagnostics. */
import * as vscode from 'vscode';
import { InputSchemaCache } from '../../core/runFile';
import { schemaChecks } from '../schemaChecks';
import type { Services } from '../services';
import { RUN_FILE_SELECTOR, RunFileCodeLens } from './codeLens';
import { createRunFromFile } from './createRunFromFile';
import { RunFileDiagnostics } from './diagnostics';
import { sanitizeOptions } from './options';
import { inTests } from '../testMode';
import type { FlowEnv } from './runOne';

export function registerRunFiles(services: Services): vscode.Disposable[] {
  const diagnostics = new RunFileDiagnostics();
  const checks = schemaChecks(services.context);
  const lenses = new RunFileCodeLens();
  const env: FlowEnv = { services, diagnostics, schemas: new InputSchemaCache(checks) };
  return [
    diagnostics,
    // A dev server that reloaded may have new input schemas.
    services.devServers.onDidReload((e) => env.schemas.forget(e.deploymentUrl)),
    vscode.commands.registerCommand('langgraph.createRunFromFile', (arg?: unknown, uris?: unknown, options?: unknown) =>
      createRunFromFile(env, arg, uris, sanitizeOptions(options, inTests())),
    ),
    lenses,
    vscode.languages.registerCodeLensProvider(RUN_FILE_SELECTOR, lenses),
  ];
}
