/**
 * `langgraph.openStateJson` "Open State as JSON": a thread's state (the current one, or one
 * checkpoint's with a checkpoint id as the second argument) as a read-only JSON document in a
 * real editor, served by a TextDocumentContentProvider for the `langgraph-state` scheme (no file
 * system provider: nothing can write it back).
 *
 * The URI: `langgraph-state:/<short thread id> state.json` (current) or `…/<short thread id>
 * checkpoint <last 8 of the checkpoint id>.json`; the path is only the tab's title, the query
 * names the state: `deployment=<the deployment's canonical URL>&thread=<id>[&checkpoint=<id>]`.
 * The canonical URL has no credentials and no API key is ever in the URI; when the document is
 * read again (a window reload restores it) the deployment must still be configured
 * (`registry.find`), else nothing is asked.
 *
 * The document: the server's answer (GET …/state, or POST …/state/checkpoint), pretty-printed
 * with two spaces, keys in this order:
 *   { "values", "next", "tasks", "interrupts", "checkpoint", "parent_checkpoint", "created_at",
 *     "metadata", …any other field the server sent }
 * `values` is the state's values as they are; the rest is as the server wrote it (a field the
 * server did not send is left out). At most 50 MB of JSON: a bigger state is not opened, and the
 * message says how big it is.
 */
import * as vscode from 'vscode';
import type { ThreadState } from '../api';
import type { DeploymentRegistry } from '../core/registry';
import { shortId } from '../core/threadLabels';
import { describeError, logError } from './log';
import type { Services } from './services';
import { testOnly } from './testMode';
import { threadTarget } from './commands/threadTarget';

export const STATE_SCHEME = 'langgraph-state';
const MAX_BYTES = 50 * 1024 * 1024;
const ORDER = ['values', 'next', 'tasks', 'interrupts', 'checkpoint', 'parent_checkpoint', 'created_at', 'metadata'];

interface StateName {
  deploymentUrl: string;
  threadId: string;
  checkpointId?: string;
}

/** What the command answers (its callers and the tests read it): the document, or the words shown. */
export type StateDocumentOutcome = { ok: true; document: vscode.TextDocument } | { ok: false; message: string } | undefined;

export function stateUri({ deploymentUrl, threadId, checkpointId }: StateName): vscode.Uri {
  const title = checkpointId ? `${shortId(threadId)} checkpoint ${shortId(checkpointId)}` : `${shortId(threadId)} state`;
  const query = new URLSearchParams({ deployment: deploymentUrl, thread: threadId, ...(checkpointId ? { checkpoint: checkpointId } : {}) });
  return vscode.Uri.from({ scheme: STATE_SCHEME, path: `/${title.replace(/[/\\]/g, '_')}.json`, query: query.toString() });
}

function nameOf(uri: vscode.Uri): StateName | undefined {
  const q = new URLSearchParams(uri.query);
  const deploymentUrl = q.get('deployment');
  const threadId = q.get('thread');
  const checkpointId = q.get('checkpoint') ?? undefined;
  return deploymentUrl && threadId ? { deploymentUrl, threadId, ...(checkpointId ? { checkpointId } : {}) } : undefined;
}

/** The document's text (see the header for its shape). */
export function stateText(state: ThreadState): string {
  const fields = state as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  for (const key of [...ORDER, ...Object.keys(fields).filter((k) => !ORDER.includes(k))]) {
    if (fields[key] !== undefined) ordered[key] = fields[key];
  }
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

class StateDocuments implements vscode.TextDocumentContentProvider {
  private readonly changes = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changes.event;
  /** Texts the command read, handed to VS Code once (it keeps its own copy while open). */
  private readonly ready = new Map<string, string>();

  constructor(private readonly registry: DeploymentRegistry) {}

  /** Reads the state; the text, or the words why not (the server's own, or the size). */
  async read(name: StateName, maxBytes = MAX_BYTES): Promise<{ text: string } | { error: unknown }> {
    const deployment = this.registry.find(name.deploymentUrl);
    if (!deployment) return { error: `${name.deploymentUrl} is not a configured deployment.` };
    let text: string;
    try {
      const client = await this.registry.client(deployment);
      const state = name.checkpointId ? await client.threads.getStateAt(name.threadId, name.checkpointId) : await client.threads.getState(name.threadId);
      text = stateText(state);
    } catch (error) {
      return { error };
    }
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > maxBytes) {
      return { error: `its JSON is ${size(bytes)}, more than the ${size(maxBytes)} a state document holds. The thread panel shows big states a level at a time.` };
    }
    return { text };
  }

  /** Opens (or shows again, read afresh) the document of that state. */
  async open(name: StateName, maxBytes?: number): Promise<StateDocumentOutcome> {
    const what = `Could not open the state of thread ${shortId(name.threadId)}${name.checkpointId ? ` at checkpoint ${name.checkpointId}` : ''}`;
    const read = await this.read(name, maxBytes);
    if ('error' in read) {
      logError(what, read.error);
      const message = `${what}: ${describeError(read.error)}`;
      void vscode.window.showErrorMessage(message);
      return { ok: false, message };
    }
    const uri = stateUri(name);
    const key = uri.toString();
    this.ready.set(key, read.text);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
    if (open && open.getText() !== read.text) await this.reread(uri);
    else if (open) this.ready.delete(key);
    try {
      let document = await vscode.workspace.openTextDocument(uri);
      if (document.languageId !== 'json') document = await vscode.languages.setTextDocumentLanguage(document, 'json');
      await vscode.window.showTextDocument(document, { preview: false });
      return { ok: true, document };
    } finally {
      this.ready.delete(key);
    }
  }

  /** Asks VS Code to read an open document again, and waits until it has the new text. */
  private reread(uri: vscode.Uri): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        listener.dispose();
        resolve();
      };
      const listener = vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === uri.toString()) done();
      });
      // VS Code answers within milliseconds; past this the document is shown as it is.
      const timer = setTimeout(done, 10_000);
      this.changes.fire(uri);
    });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const key = uri.toString();
    const ready = this.ready.get(key);
    if (ready !== undefined) {
      this.ready.delete(key);
      return ready;
    }
    const name = nameOf(uri);
    if (!name) throw new Error(`${uri.toString()} does not name a thread state.`);
    const read = await this.read(name);
    if ('error' in read) throw new Error(describeError(read.error));
    return read.text;
  }

  dispose(): void {
    this.changes.dispose();
    this.ready.clear();
  }
}

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/**
 * The provider and the command. Arguments: a thread item or a ThreadRef (else the palette asks),
 * a checkpoint id (else the current state); under the tests only, `{maxBytes}` for the cap.
 */
export function registerStateDocuments({ registry }: Services): vscode.Disposable[] {
  const documents = new StateDocuments(registry);
  return [
    documents,
    vscode.workspace.registerTextDocumentContentProvider(STATE_SCHEME, documents),
    vscode.commands.registerCommand('langgraph.openStateJson', async (arg?: unknown, checkpointId?: unknown, options?: { maxBytes?: number }): Promise<StateDocumentOutcome> => {
      const target = await threadTarget(registry, arg, 'Open State as JSON');
      if (!target) return undefined;
      const name = { deploymentUrl: 'notConfigured' in target ? target.notConfigured : target.deployment.id, threadId: target.threadId };
      const checkpoint = typeof checkpointId === 'string' && checkpointId ? { checkpointId } : {};
      return documents.open({ ...name, ...checkpoint }, testOnly(options)?.maxBytes);
    }),
  ];
}
