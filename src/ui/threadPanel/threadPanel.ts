/**
 * One thread's result panel: loads the thread (core/loadThreadView), sends it to the webview,
 * and answers the webview's requests (refresh, open a link, copy, resume an interrupt).
 * The webview is not kept alive while hidden: when it comes back it says `ready` and gets the
 * last view again, from memory, without asking the server.
 */
import * as vscode from 'vscode';
import type { AgentServerClient, Run } from '../../api';
import type { Deployment } from '../../core/deployments';
import type { LiveBatch } from '../../core/live/liveFeed';
import { loadThreadInput } from '../../core/loadThreadView';
import type { RunEnded, RunRef, ThreadRef } from '../../core/refs';
import { LIVE_RUN_OPTIONS } from '../../core/live/liveRun';
import { isActiveRun } from '../../core/runOutcome';
import { parseResumeValue } from '../../core/resumeValue';
import { isSafeExternalUrl } from '../../core/safeLinks';
import { shortId } from '../../core/threadLabels';
import { buildThreadView, type ThreadView, type ThreadViewInput } from '../../core/threadView';
import { PANEL_COMMANDS, parseFromWebview, type CheckpointAction, type FromWebview, type HistoryReport, type LiveReport, type RenderedReport, type ToWebview } from '../../webview/protocol';
import { HistorySession } from '../../core/history/historySession';
import type { RerunOutcome } from '../commands/rerunFromCheckpoint';
import { describeError, log, logError } from '../log';
import { panelHtml, webviewOptions } from './html';
import { LiveSession, type StreamHandoff } from './liveSession';

export interface PanelDeps {
  extensionUri: vscode.Uri;
  /** The configured deployment with this URL; only those are ever contacted. */
  deploymentFor(url: string): Deployment | undefined;
  /** The deployment's client, its API key loaded. */
  clientFor(deployment: Deployment): Promise<AgentServerClient>;
  /** Follows a run in the background (the tracker), so its end refreshes the panel. */
  follow(run: RunRef): void;
  /** The tracker's side of a run this panel streams. */
  handoff: StreamHandoff;
  /** "Re-run from Here" on this thread (shown, followed, streamed here). */
  rerun(deployment: Deployment, checkpointId: string): Promise<RerunOutcome>;
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
  /** What the view was built from, to build it again when only the tracker's words change. */
  private input: ThreadViewInput | undefined;
  /** The run streaming now (or the last one streamed). */
  private live: LiveSession | undefined;
  private liveRunId: string | undefined;
  private lastLoad: Promise<void> | undefined;
  /** The tracker's last word on a run of this thread. */
  private ended: RunEnded | undefined;
  private lastLiveReport: LiveReport | undefined;
  private readonly liveReports = new vscode.EventEmitter<LiveReport>();
  /** Fires each time the webview reports what its live view shows (at most every 200 ms). */
  readonly onDidRenderLive = this.liveReports.event;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  private readonly disposedEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposedEmitter.event;
  /** Fires each time the webview reports what it rendered. */
  readonly onDidRender = this.reports.event;
  /** The history view's reads (made when the view first asks). */
  private history: HistorySession | undefined;
  /** Whether the history view is open, and the checkpoint to select: given again to a webview made afresh. */
  private historyShown: { select?: string } | undefined;
  private lastHistoryReport: HistoryReport | undefined;
  private readonly historyReports = new vscode.EventEmitter<HistoryReport>();
  /** Fires each time the webview reports what its history view shows. */
  readonly onDidRenderHistory = this.historyReports.event;

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
    return firstReport(this.lastReport, this.reports.event, test, timeoutMs, 'the panel did not render');
  }

  /** The webview's last report of its live view. */
  get liveRendered(): LiveReport | undefined {
    return this.lastLiveReport;
  }

  /** The webview's last report of its history view. */
  get historyRendered(): HistoryReport | undefined {
    return this.lastHistoryReport;
  }

  /** Resolves with the first history report (the last one included) that passes `test`. */
  whenHistory(test: (r: HistoryReport) => boolean, timeoutMs = 30_000): Promise<HistoryReport> {
    return firstReport(this.lastHistoryReport, this.historyReports.event, test, timeoutMs, 'the history view did not show');
  }

  /** Opens the history view (newest checkpoints first), selecting `selectId` once it is read. */
  showHistory(selectId?: string): void {
    this.historyShown = selectId ? { select: selectId } : {};
    this.panel.reveal();
    this.post({ type: 'historyShow', ...(selectId ? { select: selectId } : {}) });
  }

  /** The run streaming in this panel now, if any. */
  get streaming(): string | undefined {
    return this.live && !this.live.feed.header.ended ? this.live.runId : undefined;
  }

  /** Resolves with the first live report (the last one included) that passes `test`. */
  whenLive(test: (r: LiveReport) => boolean, timeoutMs = 30_000): Promise<LiveReport> {
    return firstReport(this.lastLiveReport, this.liveReports.event, test, timeoutMs, 'the live view did not show');
  }

  /**
   * Streams the run into the panel while it runs (a run on this thread that was just started,
   * resumed, or found active). A run already streamed here is not streamed twice.
   */
  watch(runId: string, run?: Run): void {
    if (this.disposed || this.liveRunId === runId) return;
    const deployment = this.deps.deploymentFor(this.ref.deploymentUrl);
    if (!deployment) return;
    this.live?.dispose();
    this.live = undefined;
    this.liveRunId = runId;
    void this.startLive(deployment, { ...this.ref, runId }, run);
  }

  private async startLive(deployment: Deployment, ref: RunRef, run: Run | undefined): Promise<void> {
    let client: AgentServerClient;
    try {
      client = await this.deps.clientFor(deployment);
    } catch (error) {
      logError(`Could not stream run ${ref.runId}`, error);
      return;
    }
    if (this.liveRunId !== ref.runId || this.disposed) return;
    const session: LiveSession = (this.live = new LiveSession(ref, run, {
      client,
      handoff: this.deps.handoff,
      post: (batch) => {
        if (this.live === session) this.sendLive(batch);
      },
      loadFinal: async (id) => {
        if (this.live !== session) return undefined;
        this.runId = id;
        await this.refresh();
        // The tracker's word on the end may have started another load meanwhile: the view is the last one's.
        await this.settled();
        return this.view?.run?.runId === id ? this.view : undefined;
      },
    }));
    await session.start();
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
    if (ended) {
      this.runId = ended.runId;
      this.ended = ended;
    }
    // What the tracker said about this run holds for every later load (it knows a cancel the run's status does not show).
    const known = this.ended?.runId === this.runId ? this.ended : undefined;
    // The run this panel streamed: its final view is loaded already; only the tracker's words are new.
    if (ended && this.input?.run?.run_id === ended.runId && !isActiveRun(this.input.run.status) && this.live?.runId === ended.runId && !this.loading) {
      this.input = { ...this.input, ended: endedOf(ended) };
      this.show(buildThreadView(this.input));
      return;
    }
    this.loading?.abort();
    const controller = (this.loading = new AbortController());
    const load = this.load(controller, known);
    this.lastLoad = load;
    await load;
  }

  /** Resolves once no load is in flight (a load started while one was awaited replaces it). */
  private async settled(): Promise<void> {
    for (let load = this.lastLoad; load; ) {
      await load;
      if (this.lastLoad === load) return;
      load = this.lastLoad;
    }
  }

  private async load(controller: AbortController, known: RunEnded | undefined): Promise<void> {
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
      const input = await loadThreadInput(await this.deps.clientFor(deployment), this.ref, {
        deploymentName: deployment.name,
        runId: this.runId,
        ended: known ? endedOf(known) : undefined,
        signal: controller.signal,
      });
      if (controller.signal.aborted || this.disposed) return;
      this.input = input;
      this.show(buildThreadView(input));
      if (input.run && isActiveRun(input.run.status)) this.watch(input.run.run_id, input.run);
    } catch (error) {
      if (controller.signal.aborted || this.disposed) return;
      logError(`Could not load thread ${this.ref.threadId}`, error);
      this.send({ type: 'loadError', ref: this.ref, title, message: `Could not load the thread: ${describeError(error)}`, detail: describeError(error, true) });
    } finally {
      if (this.loading === controller) this.loading = undefined;
    }
  }

  private show(view: ThreadView): void {
    this.view = view;
    this.panel.title = panelTitle(view.title);
    this.send({ type: 'render', view });
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
        // A webview made afresh gets the live view back whole, and its history view open again.
        if (this.live) void this.panel.webview.postMessage({ type: 'live', ...this.live.feed.replay() } satisfies ToWebview);
        if (this.historyShown) this.post({ type: 'historyShow', ...this.historyShown });
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
      case 'command':
        // Only the allow-listed thread commands, and only about this panel's thread.
        void vscode.commands.executeCommand(PANEL_COMMANDS[message.name], { deploymentUrl: this.ref.deploymentUrl, threadId: this.ref.threadId });
        return 'sent';
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
      case 'historyOpen':
      case 'historyMore':
      case 'historySelect':
      case 'historyKeyDiff':
      case 'historyAction':
        return this.historyRequest(message);
      case 'historyRendered':
        this.lastHistoryReport = message.report;
        this.historyReports.fire(message.report);
        return 'noted';
      case 'rendered':
        this.lastReport = message.report;
        this.reports.fire(message.report);
        return 'noted';
      case 'liveRendered':
        this.lastLiveReport = message.report;
        this.liveReports.fire(message.report);
        return 'noted';
      case 'renderError':
        log().error(`The thread panel failed to render ${this.ref.threadId}: ${message.message}`);
        return 'noted';
    }
  }

  /** The history view's requests: pages, a selection and its diff, a key compared, a checkpoint's action. */
  private async historyRequest(message: Extract<FromWebview, { type: 'historyOpen' | 'historyMore' | 'historySelect' | 'historyKeyDiff' | 'historyAction' }>): Promise<HandleResult> {
    const deployment = this.deps.deploymentFor(this.ref.deploymentUrl);
    if (!deployment) {
      this.post({ type: 'historyNote', ok: false, message: `The deployment ${this.ref.deploymentUrl} is not configured any more.` });
      return 'rejected';
    }
    if (message.type === 'historyAction') return this.checkpointAction(deployment, message.id, message.ns, message.action);
    let session: HistorySession;
    try {
      session = this.history ??= new HistorySession(await this.deps.clientFor(deployment), this.ref.threadId);
    } catch (error) {
      this.post({ type: 'history', ns: '', at: 'reset', items: [], updated: [], hasMore: false, error: `Could not read the history: ${describeError(error)}` });
      return 'rejected';
    }
    switch (message.type) {
      case 'historyOpen':
        this.historyShown ??= {};
        // A webview made afresh holds nothing: it gets everything read so far again.
        if (message.fresh && session.started) for (const chunk of session.snapshot()) this.post({ type: 'history', ...chunk });
        else this.post({ type: 'history', ...(await session.open()) });
        return 'sent';
      case 'historyMore':
        this.post({ type: 'history', ...(await session.more(message.ns)) });
        return 'sent';
      case 'historySelect':
        this.historyShown = { select: message.id };
        this.post({ type: 'checkpoint', ...(await session.select(message.id, message.ns)) });
        return 'sent';
      case 'historyKeyDiff':
        try {
          this.post({ type: 'historyKeyDiff', id: message.id, diff: await session.keyDiff(message.id, message.ns, message.key) });
        } catch (error) {
          this.post({ type: 'historyNote', ok: false, message: `Could not compare ${message.key}: ${describeError(error)}` });
        }
        return 'sent';
    }
  }

  private async checkpointAction(deployment: Deployment, id: string, ns: string, action: CheckpointAction): Promise<HandleResult> {
    const thread = { deploymentUrl: this.ref.deploymentUrl, threadId: this.ref.threadId };
    switch (action) {
      case 'rerun': {
        if (ns) {
          this.post({ type: 'historyNote', ok: false, message: 'A run starts from a checkpoint of the root graph: select the step above this subgraph checkpoint.' });
          return 'rejected';
        }
        const started = await this.deps.rerun(deployment, id);
        this.post({ type: 'historyNote', ok: started.ok, message: started.ok ? `Run ${shortId(started.run.runId)} started from checkpoint ${shortId(id)}.` : started.message });
        return started.ok ? 'resumed' : 'rejected';
      }
      case 'json':
        void vscode.commands.executeCommand('langgraph.openStateJson', thread, id);
        return 'opened';
      case 'edit':
        void vscode.commands.executeCommand('langgraph.editState', thread, id);
        return 'opened';
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
    let run: Run;
    try {
      const client = await this.deps.clientFor(deployment);
      // "reject" said, not left to the server (Python's default is "enqueue"): a resume sent while
      // another run holds the thread (a second click, another window) is refused on both servers.
      run = await client.runs.create(this.ref.threadId, {
        ...LIVE_RUN_OPTIONS,
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
    this.runId = runId;
    this.watch(runId, run);
    this.deps.follow(runRef);
    void this.refresh();
    return 'resumed';
  }

  private send(message: ToWebview): void {
    this.last = message.type === 'resumeResult' || message.type === 'live' ? this.last : message;
    this.post(message);
  }

  /** Posts to the webview if it is there (not kept as the last view). */
  private post(message: ToWebview): void {
    // A reply can come back after the panel closed (a history page read meanwhile): dropped.
    if (this.ready && !this.disposed) void this.panel.webview.postMessage(message);
  }

  private sendLive(batch: LiveBatch): void {
    this.send({ type: 'live', ...batch });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.loading?.abort();
    this.live?.dispose();
    this.disposedEmitter.fire();
    for (const d of this.disposables) d.dispose();
    this.reports.dispose();
    this.liveReports.dispose();
    this.historyReports.dispose();
    this.disposedEmitter.dispose();
    this.panel.dispose();
  }
}

/** The last report if it passes `test`, else the next one that does (tests wait on the webview's reports). */
function firstReport<R>(last: R | undefined, reports: vscode.Event<R>, test: (r: R) => boolean, timeoutMs: number, what: string): Promise<R> {
  if (last !== undefined && test(last)) return Promise.resolve(last);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`${what} what was expected within ${timeoutMs} ms; last report: ${JSON.stringify(last)?.slice(0, 2000)}`));
    }, timeoutMs);
    const sub = reports((r) => {
      last = r;
      if (!test(r)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(r);
    });
  });
}

function endedOf(ended: RunEnded): NonNullable<ThreadViewInput['ended']> {
  return { runId: ended.runId, status: ended.status, error: ended.error, outcome: ended.outcome };
}

export function panelKey(ref: ThreadRef): string {
  return `${ref.deploymentUrl}|${ref.threadId}`;
}

export function panelTitle(label: string): string {
  return `Thread: ${label}`;
}
