/**
 * The writable `langgraph-edit` documents of "Edit State…", served by a FileSystemProvider: a
 * checkpoint's `values` as JSON (two spaces; at most 50 MB), read through the registry (the
 * deployment must be configured; an untrusted workspace gets no clients). Saving writes a fork
 * (forkSave.ts); anything but a fork throws a FileSystemError with the words why, so VS Code shows
 * "Failed to save" with them and the editor stays dirty. After a fork the document is closed and
 * opened again on the new checkpoint (its URI names the checkpoint it edits, and the server's
 * reducers may have merged the values), and the thread's panel shows its history there.
 */
import * as vscode from 'vscode';
import type { ThreadState } from '../../api';
import { shortId } from '../../core/threadLabels';
import { rerunFromCheckpoint, type RerunOutcome } from '../commands/rerunFromCheckpoint';
import { describeError, logError } from '../log';
import type { Services } from '../services';
import type { EditChecks } from './editChecks';
import { checkpointNameOf, editUri, type CheckpointName } from './editUri';
import { forkSave, type EditPreset, type SaveOutcome } from './forkSave';
import { valuesText } from './stateText';

const MAX_BYTES = 50 * 1024 * 1024;

interface Entry {
  state: ThreadState;
  bytes: Uint8Array;
  mtime: number;
  preset?: EditPreset;
}

/** What a save did, as the tests read it; a fork comes once its document was reopened (and its run started). */
export type SaveReport = SaveOutcome & { uri: vscode.Uri; reopened?: vscode.Uri; run?: RerunOutcome };

export class EditDocuments implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changes = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changes.event;
  private readonly saved = new vscode.EventEmitter<SaveReport>();
  /** Every save's outcome (handed out under the tests only). */
  readonly onDidSaveOutcome = this.saved.event;
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly services: Pick<Services, 'registry' | 'threadPanels' | 'runs'>,
    private readonly checks: EditChecks,
  ) {}

  /** Reads the checkpoint for its document; the words why not (the server's, or the size). */
  async load(name: CheckpointName, preset?: EditPreset): Promise<{ uri: vscode.Uri } | { error: string }> {
    const deployment = this.services.registry.find(name.deploymentUrl);
    if (!deployment) return { error: `${name.deploymentUrl} is not a configured deployment.` };
    let state: ThreadState;
    try {
      state = await (await this.services.registry.client(deployment)).threads.getStateAt(name.threadId, name.checkpointId);
    } catch (error) {
      return { error: describeError(error) };
    }
    const bytes = Buffer.from(valuesText(state.values), 'utf8');
    if (bytes.byteLength > MAX_BYTES) {
      return { error: `its values are ${(bytes.byteLength / (1024 * 1024)).toFixed(1)} MB of JSON, more than the 50 MB an edit document holds.` };
    }
    const uri = editUri(name);
    const old = this.entries.get(uri.toString());
    this.entries.set(uri.toString(), { state, bytes, mtime: old?.mtime ?? Date.now(), preset: preset ?? old?.preset });
    return { uri };
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const entry = await this.entry(uri);
    return { type: vscode.FileType.File, ctime: entry.mtime, mtime: entry.mtime, size: entry.bytes.byteLength };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return (await this.entry(uri)).bytes;
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const name = checkpointNameOf(uri);
    const entry = this.entries.get(uri.toString());
    const deployment = name && this.services.registry.find(name.deploymentUrl);
    if (!name || !entry || !deployment) throw vscode.FileSystemError.Unavailable(`Nothing sent: ${name ? `${name.deploymentUrl} is not a configured deployment` : 'the document names no checkpoint'}.`);
    let client;
    try {
      client = await this.services.registry.client(deployment);
    } catch (error) {
      throw vscode.FileSystemError.Unavailable(`Nothing sent: ${describeError(error)}`);
    }
    const text = new TextDecoder('utf-8').decode(content);
    const outcome = await forkSave(this.checks, { uri, name, client, state: entry.state, text, preset: entry.preset });
    if (outcome.kind !== 'forked') {
      this.saved.fire({ ...outcome, uri });
      if (outcome.kind === 'unchanged') {
        void vscode.window.showInformationMessage(outcome.message);
        entry.bytes = content;
        return;
      }
      throw vscode.FileSystemError.Unavailable(outcome.message);
    }
    entry.bytes = content;
    entry.mtime = Date.now();
    void this.afterFork(uri, { ...name, checkpointId: outcome.checkpointId }, outcome, entry.preset).then(
      (report) => this.saved.fire(report),
      (error: unknown) => {
        logError(`Edit State: thread ${shortId(name.threadId)} was forked, but what follows the fork failed`, error);
        this.saved.fire({ ...outcome, uri });
      },
    );
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    this.changes.dispose();
    this.saved.dispose();
    this.entries.clear();
  }

  private async entry(uri: vscode.Uri): Promise<Entry> {
    const known = this.entries.get(uri.toString());
    if (known) return known;
    const name = checkpointNameOf(uri);
    if (!name) throw vscode.FileSystemError.FileNotFound(uri);
    const loaded = await this.load(name);
    if ('error' in loaded) throw vscode.FileSystemError.Unavailable(`Could not read checkpoint ${name.checkpointId} of thread ${shortId(name.threadId)}: ${loaded.error}`);
    return this.entries.get(uri.toString())!;
  }

  /** The document on the new checkpoint, the panel's history there, and the offer to run from it. */
  private async afterFork(old: vscode.Uri, fork: CheckpointName, outcome: SaveOutcome & { kind: 'forked' }, preset?: EditPreset): Promise<SaveReport> {
    const report: SaveReport = { ...outcome, uri: old };
    await savedOnce(old);
    const loaded = await this.load(fork, preset);
    if ('uri' in loaded) {
      report.reopened = loaded.uri;
      const column = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === old.toString())?.viewColumn;
      const document = await vscode.workspace.openTextDocument(loaded.uri);
      await vscode.window.showTextDocument(document, { preview: false, ...(column ? { viewColumn: column } : {}) });
      const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === old.toString());
      await vscode.window.tabGroups.close(tabs);
      this.entries.delete(old.toString());
    }
    const ref = { deploymentUrl: fork.deploymentUrl, threadId: fork.threadId };
    this.services.threadPanels.open(ref).showHistory(fork.checkpointId);
    const words = `Forked thread ${shortId(fork.threadId)}: checkpoint ${shortId(fork.checkpointId)} (as node ${outcome.asNode})`;
    if (preset?.runAfter) report.run = await this.runFrom(fork);
    else if (!preset) void this.offer(words, fork);
    return report;
  }

  private async offer(words: string, fork: CheckpointName): Promise<void> {
    const answer = await vscode.window.showInformationMessage(words, 'Run from Here', 'Show History');
    if (answer === 'Run from Here') await this.runFrom(fork);
    else if (answer === 'Show History') this.services.threadPanels.open({ deploymentUrl: fork.deploymentUrl, threadId: fork.threadId }).showHistory(fork.checkpointId);
  }

  private async runFrom(fork: CheckpointName): Promise<RerunOutcome> {
    const deployment = this.services.registry.find(fork.deploymentUrl);
    if (!deployment) return { ok: false, message: `${fork.deploymentUrl} is no longer configured.` };
    const client = await this.services.registry.client(deployment);
    return rerunFromCheckpoint(this.services, deployment, client, fork.threadId, fork.checkpointId);
  }
}

/** Resolves once VS Code says the document was saved (it does right after writeFile answers), or after 5 s. */
function savedOnce(uri: vscode.Uri): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      listener.dispose();
      resolve();
    };
    const listener = vscode.workspace.onDidSaveTextDocument((d) => {
      if (d.uri.toString() === uri.toString()) done();
    });
    const timer = setTimeout(done, 5_000);
  });
}
