/**
 * The Testing view for run files (issue 15, item 2): a TestController that lists the workspace's
 * `*.run.json` files by folder, a run profile per deployment, and runs the requested files as
 * tests, each on a new thread. One file's run is the command-line runner's (`runFileAsTest`,
 * src/core/runFile/runAsTest.ts: create the run with its thread, wait for the tracker's end, read
 * the thread, check the file's `expect`): every run goes to the server at once, the extension's
 * tracker follows them (status bar; its joins capped), and a cancel in the view cancels them there.
 */
import * as vscode from 'vscode';
import { limiter, REQUEST_CONCURRENCY, runFileAsTest, type FileResult, type TestRunner } from '../../core/runFile/runAsTest';
import { withLiveOptions } from '../../core/live/liveRun';
import type { RunRef, ThreadRef } from '../../core/refs';
import type { DeploymentRegistry } from '../../core/registry';
import type { ExpectationResult } from '../../core/runFile/expectations';
import { describeError } from '../log';
import type { RunTracking } from '../runs/runTracking';
import { SECTION } from '../settings';
import type { ParsedRunFile } from '../../core/runFile';
import { fileName as basename, readRunFile } from '../runFile/source';

export const CONTROLLER_ID = 'langgraph.runFiles';
/** The context value of a message that names a run's thread (package.json: testing/message/context). */
export const THREAD_MESSAGE = 'langgraphRunThread';
export const OPEN_THREAD_COMMAND = 'langgraph.openTestRunThread';
const GLOB = '**/*.run.json';
const EXCLUDE = '**/node_modules/**';

export type ItemState = 'passed' | 'failed' | 'errored' | 'skipped';

/** What one item ended with, as it was reported to the TestRun (the tests read these). */
export interface ItemReport {
  state: ItemState;
  durationMs?: number;
  messages: vscode.TestMessage[];
  run?: RunRef;
}

export interface RunFileTestsDeps {
  registry: DeploymentRegistry;
  runs: RunTracking;
  openThread: (ref: ThreadRef) => void;
  /** Whether the workspace is trusted (vscode.workspace.isTrusted; a test gives its own: the test host is always trusted). */
  isTrusted?: () => boolean;
  /** The controller's id (CONTROLLER_ID; a test's second controller needs its own). */
  controllerId?: string;
}

export class RunFileTests implements vscode.Disposable {
  readonly controller: vscode.TestController;
  /** One per deployment, the first the default; one that only explains when there is none. */
  private profileList: { profile: vscode.TestRunProfile; deploymentId?: string }[] = [];
  private profileKey: string | undefined;
  private watcher: vscode.FileSystemWatcher | undefined;
  private discovering: Promise<void> | undefined;
  /** The thread of each item's last run: the message menu's Open Thread. */
  private readonly threads = new Map<string, ThreadRef>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: RunFileTestsDeps) {
    this.controller = vscode.tests.createTestController(deps.controllerId ?? CONTROLLER_ID, 'LangGraph run files');
    // Nothing is read until VS Code asks (the Testing view is shown, or a test run starts).
    this.controller.resolveHandler = (item) => (item ? undefined : this.discover());
    this.controller.refreshHandler = () => this.discover(true);
    this.updateProfiles();
    this.disposables.push(deps.registry.onDidChange(() => this.updateProfiles()));
    // A second controller (a test's, with its own id) leaves the message menu's command to the first.
    if (!deps.controllerId) this.disposables.push(vscode.commands.registerCommand(OPEN_THREAD_COMMAND, (arg?: unknown) => this.openThreadOf(arg)));
  }

  get profiles(): readonly { profile: vscode.TestRunProfile; deploymentId?: string }[] {
    return this.profileList;
  }

  /** The thread of an item's last run (what the message menu opens). */
  threadOf(itemId: string): ThreadRef | undefined {
    return this.threads.get(itemId);
  }

  /** Finds every run file (again, with `again`) and starts watching for changes once. */
  discover(again = false): Promise<void> {
    if (this.discovering && !again) return this.discovering;
    this.discovering = this.findAll();
    return this.discovering;
  }

  private async findAll(): Promise<void> {
    if (!this.watcher) {
      this.watcher = vscode.workspace.createFileSystemWatcher(GLOB);
      this.disposables.push(
        this.watcher,
        this.watcher.onDidCreate((uri) => void this.addFile(uri)),
        this.watcher.onDidChange((uri) => void this.addFile(uri)),
        this.watcher.onDidDelete((uri) => this.removeFile(uri)),
      );
    }
    const uris = await vscode.workspace.findFiles(GLOB, EXCLUDE);
    const found = new Set(uris.map((u) => u.toString()));
    for (const folder of this.folders()) {
      for (const file of this.childrenOf(folder)) if (!found.has(file.id)) this.removeFile(file.uri!);
    }
    await Promise.all(uris.map((uri) => this.addFile(uri)));
  }

  /** Adds or updates a file's item under its folder's; its range is at the file's `expect`. */
  async addFile(uri: vscode.Uri): Promise<vscode.TestItem | undefined> {
    if (isExcluded(uri)) return undefined;
    const folder = this.folderItem(vscode.Uri.joinPath(uri, '..'));
    const id = uri.toString();
    let item = folder.children.get(id);
    if (!item) {
      item = this.controller.createTestItem(id, basename(uri), uri);
      folder.children.add(item);
    }
    const loaded = (await readRunFile(uri)).parsed;
    item.range = rangeOf(loaded);
    item.description = !loaded.ok ? 'does not parse' : undefined;
    return item;
  }

  removeFile(uri: vscode.Uri): void {
    const folderId = vscode.Uri.joinPath(uri, '..').toString();
    const folder = this.controller.items.get(folderId);
    if (!folder) return;
    folder.children.delete(uri.toString());
    if (folder.children.size === 0) this.controller.items.delete(folderId);
  }

  private folderItem(dir: vscode.Uri): vscode.TestItem {
    const id = dir.toString();
    const existing = this.controller.items.get(id);
    if (existing) return existing;
    const item = this.controller.createTestItem(id, folderLabel(dir), dir);
    this.controller.items.add(item);
    return item;
  }

  private folders(): vscode.TestItem[] {
    const all: vscode.TestItem[] = [];
    this.controller.items.forEach((item) => all.push(item));
    return all;
  }

  private childrenOf(item: vscode.TestItem): vscode.TestItem[] {
    const all: vscode.TestItem[] = [];
    item.children.forEach((child) => all.push(child));
    return all;
  }

  private updateProfiles(): void {
    const list = this.deps.registry.list();
    const key = JSON.stringify(list.map((d) => [d.id, d.name]));
    if (key === this.profileKey) return;
    this.profileKey = key;
    for (const { profile } of this.profileList) profile.dispose();
    const kind = vscode.TestRunProfileKind.Run;
    this.profileList = list.map((deployment, i) => ({
      deploymentId: deployment.id,
      profile: this.controller.createRunProfile(deployment.name, kind, (request, token) => this.runHandler(request, token, deployment.id), i === 0),
    }));
    if (this.profileList.length === 0) {
      const profile = this.controller.createRunProfile('LangGraph (no deployment)', kind, (request) => this.runHandler(request, undefined, undefined), true);
      this.profileList = [{ profile }];
    }
  }

  private async runHandler(request: vscode.TestRunRequest, token: vscode.CancellationToken | undefined, deploymentId: string | undefined): Promise<void> {
    await this.runItems(request, token ?? new vscode.CancellationTokenSource().token, deploymentId);
  }

  /**
   * Runs what the request names (an item, a folder, or everything) on the deployment, and reports
   * each file to a TestRun; returns the same reports by item id.
   */
  async runItems(request: vscode.TestRunRequest, token: vscode.CancellationToken, deploymentId: string | undefined): Promise<Map<string, ItemReport>> {
    await this.discover();
    const reports = new Map<string, ItemReport>();
    const run = this.controller.createTestRun(request);
    const items = this.collect(request);
    const report = (item: vscode.TestItem, r: ItemReport): void => {
      reports.set(item.id, r);
      if (r.state === 'passed') run.passed(item, r.durationMs);
      else if (r.state === 'failed') run.failed(item, r.messages, r.durationMs);
      else if (r.state === 'errored') run.errored(item, r.messages, r.durationMs);
      else run.skipped(item);
    };
    const refuseAll = (message: string): void => {
      run.appendOutput(`${message}\r\n`);
      void vscode.window.showWarningMessage(message);
      for (const item of items) report(item, { state: 'skipped', messages: [] });
    };
    try {
      // Workspace trust: a run file is the workspace's content, and nothing of it is sent before trust.
      if (!(this.deps.isTrusted?.() ?? vscode.workspace.isTrusted)) return (refuseAll('Run files are not run in an untrusted workspace: trust the workspace to run them as tests.'), reports);
      const deployment = deploymentId ? this.deps.registry.find(deploymentId) : undefined;
      if (!deployment) return (refuseAll('No LangGraph deployment to run the files on: add one to the langgraph.deployments setting.'), reports);
      let client;
      try {
        client = await this.deps.registry.client(deployment);
      } catch (error) {
        return (refuseAll(`Could not reach ${deployment.name}: ${describeError(error)}`), reports);
      }
      for (const item of items) run.enqueued(item);
      const assistant = vscode.workspace.getConfiguration(SECTION).get<string>('defaultAssistant', 'agent') || 'agent';
      // A cancel in the view stops the waits and cancels the runs on the server (runFileAsTest does both).
      const stop = new AbortController();
      const cancelled = token.onCancellationRequested(() => stop.abort());
      if (token.isCancellationRequested) stop.abort();
      const requests = limiter(REQUEST_CONCURRENCY);
      try {
        await Promise.all(
          items.map(async (item) => {
            if (token.isCancellationRequested) return report(item, { state: 'skipped', messages: [] });
            run.started(item);
            const uri = item.uri!;
            const loaded = (await readRunFile(uri)).parsed;
            if (!loaded.ok) return report(item, { state: 'errored', messages: problemMessages(uri, loaded) });
            let ref: RunRef | undefined;
            const runner: TestRunner = {
              client,
              deploymentUrl: deployment.id,
              tracker: this.deps.runs.tracker,
              follow: (r, label, created) => this.deps.runs.follow({ ...r, label }, created),
              requests,
              body: withLiveOptions,
              signal: stop.signal,
              onRun: (r) => {
                ref = r;
                this.threads.set(item.id, { deploymentUrl: r.deploymentUrl, threadId: r.threadId });
                run.appendOutput(`${item.label}: run ${r.runId} on thread ${r.threadId} of ${deployment.name}\r\n`, undefined, item);
              },
            };
            const result = await runFileAsTest(runner, item.label, loaded.file, assistant);
            if (result.cancelled || token.isCancellationRequested) return report(item, { state: 'skipped', messages: [], ...(ref ? { run: ref } : {}) });
            const messages = resultMessages(uri, loaded, result);
            if (result.threadId) run.appendOutput(`${item.label}: ${result.verdict} (thread ${result.threadId})\r\n`, undefined, item);
            const state: ItemState = result.verdict === 'pass' ? 'passed' : result.verdict === 'fail' ? 'failed' : 'errored';
            report(item, { state, durationMs: result.elapsedMs, messages, ...(ref ? { run: ref } : {}) });
          }),
        );
      } finally {
        cancelled.dispose();
      }
      return reports;
    } finally {
      run.end();
    }
  }

  /** The file items a request names (a folder: its files), without the excluded ones, in order. */
  private collect(request: vscode.TestRunRequest): vscode.TestItem[] {
    const excluded = new Set((request.exclude ?? []).map((i) => i.id));
    const roots = request.include ?? this.folders();
    const files = new Map<string, vscode.TestItem>();
    const visit = (item: vscode.TestItem): void => {
      if (excluded.has(item.id)) return;
      if (item.children.size > 0 || this.controller.items.get(item.id)) this.childrenOf(item).forEach(visit);
      else files.set(item.id, item);
    };
    roots.forEach(visit);
    return [...files.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  /** The message menu's Open Thread: VS Code passes `{ test, message }`. */
  private openThreadOf(arg: unknown): void {
    const id = (arg as { test?: { id?: unknown } } | undefined)?.test?.id;
    const ref = typeof id === 'string' ? this.threads.get(id) : undefined;
    if (!ref) {
      void vscode.window.showInformationMessage('This test has no run thread to open (yet).');
      return;
    }
    this.deps.openThread(ref);
  }

  dispose(): void {
    for (const { profile } of this.profileList) profile.dispose();
    for (const d of this.disposables) d.dispose();
    this.controller.dispose();
  }
}

/** One message per failed expectation (a diff where there are texts to compare), at its key in `expect`. */
function resultMessages(uri: vscode.Uri, loaded: Extract<ParsedRunFile, { ok: true }>, result: FileResult): vscode.TestMessage[] {
  if (result.verdict === 'error') {
    const message = new vscode.TestMessage(`Could not run: ${result.error ?? 'unknown error'}`);
    message.location = new vscode.Location(uri, rangeOf(loaded) ?? new vscode.Range(0, 0, 0, 0));
    if (result.threadId) message.contextValue = THREAD_MESSAGE;
    return [message];
  }
  return result.results
    .filter((r) => !r.pass)
    .map((r) => {
      const text = `${r.name}: ${r.message}`;
      const message = r.expected !== undefined && r.actual !== undefined ? vscode.TestMessage.diff(text, r.expected, r.actual) : new vscode.TestMessage(text);
      message.location = new vscode.Location(uri, expectationRange(loaded, r));
      message.contextValue = THREAD_MESSAGE;
      return message;
    });
}

function problemMessages(uri: vscode.Uri, loaded: Extract<ParsedRunFile, { ok: false }>): vscode.TestMessage[] {
  return loaded.problems.map((p) => {
    const message = new vscode.TestMessage(`line ${p.line}: ${p.message}`);
    const start = new vscode.Position(Math.max(0, p.line - 1), Math.max(0, p.column - 1));
    message.location = new vscode.Location(uri, new vscode.Range(start, start));
    return message;
  });
}

/** The `expect` key's line, or the top of the file. */
function rangeOf(loaded: ParsedRunFile): vscode.Range | undefined {
  if (!loaded.ok) {
    const first = loaded.problems[0];
    return first ? lineRange(first.line) : undefined;
  }
  return loaded.file.expect ? lineRange(loaded.file.place(['expect']).line) : lineRange(1);
}

/** Where in `expect` the failed expectation is (`lastMessage.contains` → expect.lastMessage), else `expect`. */
function expectationRange(loaded: Extract<ParsedRunFile, { ok: true }>, result: ExpectationResult): vscode.Range {
  const { expect } = loaded.file;
  const key = /^[A-Za-z]+/.exec(result.name)?.[0];
  if (expect && key && key in expect) return lineRange(loaded.file.place(['expect', key]).line);
  return rangeOf(loaded) ?? lineRange(1);
}

function lineRange(line: number): vscode.Range {
  const l = Math.max(0, line - 1);
  return new vscode.Range(l, 0, l, 0);
}

function isExcluded(uri: vscode.Uri): boolean {
  return uri.path.split('/').includes('node_modules');
}

/** A folder as the workspace names it: "examples/tests", or the workspace folder's name. */
function folderLabel(dir: vscode.Uri): string {
  const root = vscode.workspace.getWorkspaceFolder(dir);
  if (root && root.uri.toString() === dir.toString()) return root.name;
  return vscode.workspace.asRelativePath(dir, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
}
