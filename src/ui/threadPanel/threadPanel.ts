/**
 * One thread's result panel: loads the thread (core/loadThreadView), sends it to the webview,
 * and answers the webview's requests (refresh, open a link, copy, resume an interrupt).
 * The webview is not kept alive while hidden: when it comes back it says `ready` and gets the
 * last view again, from memory, without asking the server.
 */
import * as vscode from 'vscode';
import type { AgentServerClient } from '../../api';
import type { Deployment } from '../../core/deployments';
import { loadThreadView } from '../../core/loadThreadView';
import type { RunEnded, RunRef, ThreadRef } from '../../core/refs';
import { parseResumeValue } from '../../core/resumeValue';
import { isSafeExternalUrl } from '../../core/safeLinks';
import { shortId } from '../../core/threadLabels';
import type { ThreadView } from '../../core/threadView';
import { parseFromWebview, type FromWebview, type RenderedReport, type ToWebview } from '../../webview/protocol';
import { describeError, log, logError } from '../log';
import { panelHtml, webviewOptions } from './html';

export interface PanelDeps {
  extensionUri: vscode.Uri;
  /** The configured deployment with this URL; only those are ever contacted. */
  deploymentFor(url: string): Deployment | undefined;
  /** The deployment's client, its API key loaded. */
  clientFor(deployment: Deployment): Promise<AgentServerClient>;
  /** Follows a run in the background (the tracker), so its end refreshes the panel. */
  follow(run: RunRef): void;
}

/** What handling a webview message did (extension tests look at it). */
export type HandleResult = 'ignored' | 'sent' | 'loaded' | 'opened' | 'refused' | 'copied' | 'resumed' | 'rejected' | 'noted';

export class ThreadPanel implements vscode.Disposable {
  private view: ThreadView | undefined;
  private last: ToWebview | undefined;
  private ready = false;
  private loading: AbortController | undefined;
  private lastReport: RenderedReport | undefined;
  private readonly reports = new vscode.EventEmitter<RenderedReport>();
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  private readonly disposedEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposedEmitter.event;
  /** Fires each time the webview reports what it rendered. */
  readonly onDidRender = this.reports.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly ref: ThreadRef,
    private readonly deps: PanelDeps,
    private runId?: string,
  ) {
    panel.webview.options = webviewOptions(deps.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'langgraph.svg');
    panel.webview.html = panelHtml(panel.webview, deps.extensionUri, panel.title);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw) => void this.handle(raw)),
      panel.onDidChangeViewState(() => {
        // Hidden webviews are torn down (no retainContextWhenHidden); they say `ready` when back.
        if (!panel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  get key(): string {
    return panelKey(this.ref);
  }

  /** The view last sent to the webview. */
  get current(): ThreadView | undefined {
    return this.view;
  }

  /** The webview's last report of what it rendered. */
  get rendered(): RenderedReport | undefined {
    return this.lastReport;
  }

  /** Resolves with the first report (the last one included) that passes `test`. */
  whenRendered(test: (r: RenderedReport) => boolean = () => true, timeoutMs = 30_000): Promise<RenderedReport> {
    if (this.lastReport && test(this.lastReport)) return Promise.resolve(this.lastReport);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.dispose();
        reject(new Error(`the panel did not render what was expected within ${timeoutMs} ms; last report: ${JSON.stringify(this.lastReport)?.slice(0, 2000)}`));
      }, timeoutMs);
      const sub = this.reports.event((r) => {
        if (!test(r)) return;
        clearTimeout(timer);
        sub.dispose();
        resolve(r);
      });
    });
  }

  reveal(runId?: string): void {
    if (runId && runId !== this.runId) {
      this.runId = runId;
      void this.refresh();
    }
    this.panel.reveal();
  }

  /** Reads the thread again; a load still running is abandoned. */
  async refresh(ended?: RunEnded): Promise<void> {
    if (this.disposed) return;
    if (ended) this.runId = ended.runId;
    this.loading?.abort();
    const controller = (this.loading = new AbortController());
    const title = this.panel.title;
    this.send({ type: 'loading', ref: this.ref, title });
    const deployment = this.deps.deploymentFor(this.ref.deploymentUrl);
    if (!deployment) {
      this.send({
        type: 'loadError',
        ref: this.ref,
        title,
        message: `The deployment ${this.ref.deploymentUrl} is not in langgraph.deployments any more. Add it back to see thread ${this.ref.threadId}.`,
      });
      return;
    }
    try {
      const view = await loadThreadView(await this.deps.clientFor(deployment), this.ref, {
        deploymentName: deployment.name,
        runId: this.runId,
        ended: ended ? { runId: ended.runId, status: ended.status, error: ended.error, outcome: ended.outcome } : undefined,
        signal: controller.signal,
      });
      if (controller.signal.aborted || this.disposed) return;
      this.view = view;
      this.panel.title = panelTitle(view.title);
      this.send({ type: 'render', view });
    } catch (error) {
      if (controller.signal.aborted || this.disposed) return;
      logError(`Could not load thread ${this.ref.threadId}`, error);
      this.send({ type: 'loadError', ref: this.ref, title, message: `Could not load the thread: ${describeError(error)}`, detail: describeError(error, true) });
    } finally {
      if (this.loading === controller) this.loading = undefined;
    }
  }

  /** Handles one message from the webview (public so extension tests can speak for the webview). */
  async handle(raw: unknown): Promise<HandleResult> {
    const message = parseFromWebview(raw);
    if (!message || this.disposed) return 'ignored';
    return this.dispatch(message);
  }

  private async dispatch(message: FromWebview): Promise<HandleResult> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        if (this.last) void this.panel.webview.postMessage(this.last);
        return this.last ? 'sent' : 'noted';
      case 'refresh':
        await this.refresh();
        return 'loaded';
      case 'openLink':
        // Checked again here: the webview shows a deployment's content and is trusted no more than it.
        if (!isSafeExternalUrl(message.url)) {
          log().warn(`Refused to open a link that is not http(s): ${message.url.slice(0, 200)}`);
          return 'refused';
        }
        void vscode.env.openExternal(vscode.Uri.parse(message.url, true));
        return 'opened';
      case 'copy':
        try {
          await vscode.env.clipboard.writeText(message.text);
          vscode.window.setStatusBarMessage(`Copied ${message.text.length.toLocaleString()} characters`, 3000);
        } catch (error) {
          void vscode.window.showWarningMessage(`Could not copy: ${describeError(error)}`);
        }
        return 'copied';
      case 'resume':
        return this.resume(message.json);
      case 'rendered':
        this.lastReport = message.report;
        this.reports.fire(message.report);
        return 'noted';
      case 'renderError':
        log().error(`The thread panel failed to render ${this.ref.threadId}: ${message.message}`);
        return 'noted';
    }
  }

  /** A new run with `command: {resume: value}`, then followed like any background run. */
  private async resume(json: string): Promise<HandleResult> {
    const reject = (why: string): HandleResult => {
      this.send({ type: 'resumeResult', ok: false, message: why });
      return 'rejected';
    };
    const parsed = parseResumeValue(json);
    if (!parsed.ok) return reject(parsed.message);
    const view = this.view;
    if (!view || view.thread.status !== 'interrupted') {
      return reject(`This thread is not waiting for input (status: ${view?.thread.status ?? 'unknown'}). Refresh to see its state.`);
    }
    if (!view.assistantId) return reject('Cannot tell which assistant runs this thread, so it cannot be resumed from here.');
    const deployment = this.deps.deploymentFor(this.ref.deploymentUrl);
    if (!deployment) return reject(`The deployment ${this.ref.deploymentUrl} is not configured any more.`);
    let runId: string;
    try {
      const client = await this.deps.clientFor(deployment);
      // "reject" said, not left to the server (Python's default is "enqueue"): a resume sent while
      // another run holds the thread (a second click, another window) is refused on both servers.
      const run = await client.runs.create(this.ref.threadId, {
        assistant_id: view.assistantId,
        command: { resume: parsed.value },
        multitask_strategy: 'reject',
      });
      runId = run.run_id;
    } catch (error) {
      logError(`Could not resume thread ${this.ref.threadId}`, error);
      return reject(`Could not resume: ${describeError(error)}`);
    }
    this.send({ type: 'resumeResult', ok: true, message: `Resumed: run ${shortId(runId)} started.` });
    const runRef = { deploymentUrl: this.ref.deploymentUrl, threadId: this.ref.threadId, runId };
    // The tracker follows it and fires runEnded, which refreshes this panel.
    this.deps.follow(runRef);
    this.runId = runId;
    void this.refresh();
    return 'resumed';
  }

  private send(message: ToWebview): void {
    this.last = message.type === 'resumeResult' ? this.last : message;
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.loading?.abort();
    this.disposedEmitter.fire();
    for (const d of this.disposables) d.dispose();
    this.reports.dispose();
    this.disposedEmitter.dispose();
    this.panel.dispose();
  }
}

export function panelKey(ref: ThreadRef): string {
  return `${ref.deploymentUrl}|${ref.threadId}`;
}

export function panelTitle(label: string): string {
  return `Thread: ${label}`;
}
