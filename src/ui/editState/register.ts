/**
 * `langgraph.editState` "Edit State…": a checkpoint's values in a writable JSON editor, checked
 * as the user types, and forked on save. Arguments: a thread item or a ThreadRef (else the
 * palette asks for the thread), a checkpoint id (else the thread's current one); under the tests
 * only, an EditPreset that answers the questions of the saves ahead.
 */
import * as vscode from 'vscode';
import { schemaChecks } from '../schemaChecks';
import { isRecord } from '../../shared/isRecord';
import { threadTarget } from '../commands/threadTarget';
import { describeError, logError } from '../log';
import type { Services } from '../services';
import { inTests, testOnly } from '../testMode';
import { registerStateCompletion } from './completion';
import { EditChecks } from './editChecks';
import { EditDocuments, type SaveReport } from './editDocuments';
import { EDIT_SCHEME } from './editUri';
import type { EditPreset } from './forkSave';
import { StateSchemas } from './stateSchemas';
import { shortId } from '../../core/threadLabels';

/** What the command answers; under the tests also every save's outcome. */
export type EditStateOutcome =
  | { ok: true; uri: vscode.Uri; document: vscode.TextDocument; saves?: vscode.Event<SaveReport> }
  | { ok: false; message: string }
  | undefined;

export function registerEditState(services: Services): vscode.Disposable {
  const { registry } = services;
  const schemas = new StateSchemas(registry, schemaChecks(services.context));
  const checks = new EditChecks(schemas);
  const documents = new EditDocuments(services, checks);

  const command = vscode.commands.registerCommand('langgraph.editState', async (arg?: unknown, checkpointId?: unknown, preset?: unknown): Promise<EditStateOutcome> => {
    const target = await threadTarget(registry, arg, 'Edit State');
    if (!target) return undefined;
    if ('notConfigured' in target) return failed('Could not edit the state', `${target.notConfigured} is not a configured deployment.`);
    const { deployment, threadId } = target;
    const what = `Could not edit the state of thread ${shortId(threadId)}`;
    let id = typeof checkpointId === 'string' && checkpointId ? checkpointId : undefined;
    if (!id) {
      try {
        id = (await (await registry.client(deployment)).threads.getState(threadId)).checkpoint?.checkpoint_id ?? undefined;
      } catch (error) {
        return failed(what, error);
      }
      if (!id) return failed(what, 'the thread has no checkpoint yet (it never ran).');
    }
    const loaded = await documents.load({ deploymentUrl: deployment.id, threadId, checkpointId: id }, testOnly(presetOf(preset)));
    if ('error' in loaded) return failed(`${what} at checkpoint ${id}`, loaded.error);
    let document = await vscode.workspace.openTextDocument(loaded.uri);
    if (document.languageId !== 'json') document = await vscode.languages.setTextDocumentLanguage(document, 'json');
    await vscode.window.showTextDocument(document, { preview: false });
    return { ok: true, uri: loaded.uri, document, ...(inTests() ? { saves: documents.onDidSaveOutcome } : {}) };
  });

  return vscode.Disposable.from(
    checks,
    documents,
    vscode.workspace.registerFileSystemProvider(EDIT_SCHEME, documents, { isCaseSensitive: true }),
    registerStateCompletion(schemas),
    command,
  );
}

function presetOf(value: unknown): EditPreset | undefined {
  if (!isRecord(value)) return undefined;
  return {
    ...(typeof value.asNode === 'string' ? { asNode: value.asNode } : {}),
    ...(value.runAfter === true ? { runAfter: true } : {}),
  };
}

function failed(what: string, error: unknown): EditStateOutcome {
  logError(what, error);
  const message = `${what}: ${describeError(error)}`;
  void vscode.window.showErrorMessage(message);
  return { ok: false, message };
}
