/**
 * One assistant's graph in a webview panel: reads `GET /assistants/{id}/graph` with xray,
 * normalizes it (src/core/graph/graphModel.ts) and sends it to the page (src/webview-graph),
 * which lays it out and draws it, then reports what it drew (`whenRendered`, for the tests).
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { AgentServerClient, Assistant } from '../../api';
import type { Deployment } from '../../core/deployments';
import type { BreakpointScope, BreakpointWhen } from '../../core/graph/breakpoints';
import { normalizeGraph, type GraphModel } from '../../core/graph/graphModel';
import type { ThreadRef } from '../../core/refs';
import { shortId } from '../../core/threadLabels';
import { parseFromGraphPage, type GraphHeading, type GraphPause, type GraphReport, type GraphRunPath, type ToGraphPage } from '../../webview-graph/protocol';
import type { BreakpointStore, ToggleOutcome } from './breakpointStore';
import type { ContinueOutcome } from './continueRun';
import { describeError, log, logError } from '../log';
import { webviewOptions } from '../threadPanel/html';
import { panelShell } from '../threadPanel/shell';

export interface GraphPanelDeps {
  extensionUri: vscode.Uri;
  clientFor: (deployment: Deployment) => Promise<AgentServerClient>;
  breakpoints: BreakpointStore;
  /** Continue or Step a thread that stopped at a breakpoint (continueRun.ts). */
  continueThread: (ref: ThreadRef, step: boolean) => Promise<ContinueOutcome>;
}

export type { ToggleOutcome };

export function graphPanelKey(deploymentId: string, assistantId: string): string {
  return `${deploymentId}\n${assistantId}`;
}

export function assistantName(assistant: Pick<Assistant, 'name' | 'graph_id'>): string {
  return assistant.name && assistant.name !== assistant.graph_id ? assistant.name : assistant.graph_id;
}

export class GraphPanel implements vscode.Disposable {
  readonly key: string;
  private last: ToGraphPage | undefined;
  private loading: AbortController | undefined;
  private lastReport: GraphReport | undefined;
  private readonly reports = new vscode.EventEmitter<GraphReport>();
  /** Fires each time the page reports what it drew. */
  readonly onDidRender = this.reports.event;
  private readonly disposedEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposedEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  private pause: GraphPause | null = null;
  private runPath: GraphRunPath | null = null;
  private readonly loaded = new vscode.EventEmitter<void>();
  /** Fires when a graph came from the server (`model` is it). */
  readonly onDidLoad = this.loaded.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly deployment: Deployment,
    readonly assistant: Assistant,
    private readonly deps: GraphPanelDeps,
  ) {
    this.key = graphPanelKey(deployment.id, assistant.assistant_id);
    panel.webview.options = webviewOptions(deps.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'langgraph.svg');
    const asset = (...parts: string[]) => panel.webview.asWebviewUri(vscode.Uri.joinPath(deps.extensionUri, ...parts)).toString();
    panel.webview.html = panelShell({
      cspSource: panel.webview.cspSource,
      // A fresh nonce per page: content cannot guess it to get a script of its own allowed.
      nonce: randomBytes(18).toString('base64'),
      cssUri: asset('media', 'graph.css'),
      scriptUri: asset('dist', 'graph.js'),
      title: panel.title,
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw) => void this.handle(raw)),
      panel.onDidDispose(() => this.dispose()),
      deps.breakpoints.onDidChange((scope) => {
        if (scope.deployment === this.scope.deployment && scope.assistant === this.scope.assistant) this.sendBreakpoints();
      }),
    );
  }

  /** Whose breakpoints this panel shows: the deployment (its canonical URL) and the assistant's id. */
  get scope(): BreakpointScope {
    return { deployment: this.deployment.id, assistant: this.assistant.assistant_id };
  }

  /** Where a run stopped at a breakpoint, as shown (null: none). */
  get paused(): GraphPause | null {
    return this.pause;
  }

  /** Pause before or after a node, on or off: what a click on its margin does. */
  async toggleBreakpoint(node: string, when: BreakpointWhen): Promise<ToggleOutcome> {
    const outcome = await this.deps.breakpoints.toggleOrSay(this.scope, { node, when });
    if (!outcome.ok) void vscode.window.showInformationMessage(outcome.message);
    return outcome;
  }

  /** One node's breakpoints, or all of the assistant's (Clear all). */
  clearBreakpoints(node?: string): Promise<void> {
    return this.deps.breakpoints.clear(this.scope, node);
  }

  /** Marks where a thread of this assistant stopped at a breakpoint (null clears it). */
  showPause(pause: { threadId: string; next: string[]; after: string[] } | null): void {
    this.pause = pause && { threadId: pause.threadId, threadLabel: shortId(pause.threadId), next: [...pause.next], after: [...pause.after] };
    this.post({ type: 'paused', pause: this.pause });
  }

  /** Continue (or Step) the thread shown stopped: what the page's buttons do. */
  async continueRun(step: boolean): Promise<ContinueOutcome> {
    const pause = this.pause;
    if (!pause) return { ok: false, message: 'No run of this assistant is shown paused at a breakpoint.' };
    this.post({ type: 'paused', pause: { ...pause, busy: true } });
    const outcome = await this.deps.continueThread({ deploymentUrl: this.deployment.id, threadId: pause.threadId }, step);
    if (this.pause !== pause) return outcome;
    if (outcome.ok) this.showPause(null);
    else this.post({ type: 'paused', pause: { ...pause, error: outcome.message } });
    return outcome;
  }

  /** The graph as last read (the full model, with xray). */
  get model(): GraphModel | undefined {
    return this.last?.type === 'graph' ? this.last.model : undefined;
  }

  /** The run path shown (liveGraph.ts): a run of this assistant live, or a thread's last run. */
  get shownRunPath(): GraphRunPath | null {
    return this.runPath;
  }

  showRunPath(runPath: GraphRunPath | null): void {
    this.runPath = runPath && { ...runPath, threadLabel: shortId(runPath.threadId), ...(runPath.runId ? { runLabel: shortId(runPath.runId) } : {}) };
    this.post({ type: 'runPath', runPath: this.runPath });
  }

  get heading(): GraphHeading {
    return { deploymentName: this.deployment.name, deploymentUrl: this.deployment.id, assistantName: assistantName(this.assistant), graphId: this.assistant.graph_id, assistantId: this.assistant.assistant_id };
  }

  /** The page's last report of what it drew. */
  get rendered(): GraphReport | undefined {
    return this.lastReport;
  }

  /** Resolves with the first report (the last one included) that passes `test`. */
  whenRendered(test: (r: GraphReport) => boolean = () => true, timeoutMs = 30_000): Promise<GraphReport> {
    if (this.lastReport && test(this.lastReport)) return Promise.resolve(this.lastReport);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.dispose();
        reject(new Error(`the graph did not draw what was expected within ${timeoutMs} ms; last report: ${JSON.stringify(this.lastReport)?.slice(0, 2000)}`));
      }, timeoutMs);
      const sub = this.reports.event((r) => {
        if (!test(r)) return;
        clearTimeout(timer);
        sub.dispose();
        resolve(r);
      });
    });
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** Expands or collapses a subgraph, as a click on it does. */
  toggleSubgraph(id: string, expanded: boolean): void {
    void this.panel.webview.postMessage({ type: 'toggleSubgraph', id, expanded } satisfies ToGraphPage);
  }

  /** Reads the graph (with xray: every level of subgraph the server expands) and sends it. */
  async load(): Promise<void> {
    this.loading?.abort();
    const controller = new AbortController();
    this.loading = controller;
    this.post({ type: 'loading', heading: this.heading });
    let message: ToGraphPage;
    try {
      const client = await this.deps.clientFor(this.deployment);
      const graph = await client.assistants.graph(this.assistant.assistant_id, { xray: true, signal: controller.signal });
      message = { type: 'graph', heading: this.heading, model: normalizeGraph(graph) };
    } catch (error) {
      if (controller.signal.aborted) return;
      logError(`Could not read the graph of ${this.heading.assistantName} on ${this.deployment.name}`, error);
      message = { type: 'loadError', heading: this.heading, message: `Could not read the graph of ${this.heading.assistantName} on ${this.deployment.name}: ${describeError(error)}` };
    }
    if (controller.signal.aborted || this.disposed) return;
    this.post(message);
    if (message.type === 'graph') this.loaded.fire();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.loading?.abort();
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
    this.disposedEmitter.fire();
    this.disposedEmitter.dispose();
    this.reports.dispose();
    this.loaded.dispose();
  }

  private post(message: ToGraphPage): void {
    if (message.type === 'loading' || message.type === 'graph' || message.type === 'loadError') this.last = message;
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private sendBreakpoints(): void {
    this.post({ type: 'breakpoints', breakpoints: this.deps.breakpoints.list(this.scope) });
  }

  private async handle(raw: unknown): Promise<void> {
    const message = parseFromGraphPage(raw);
    if (!message) return;
    switch (message.type) {
      case 'ready':
        // A page made afresh (first load, or shown again after being hidden) gets the last message again.
        if (this.last) void this.panel.webview.postMessage(this.last);
        this.sendBreakpoints();
        this.post({ type: 'paused', pause: this.pause });
        this.post({ type: 'runPath', runPath: this.runPath });
        return;
      case 'refresh':
        return this.load();
      case 'rendered':
        this.lastReport = message.report;
        this.reports.fire(message.report);
        return;
      case 'renderError':
        log().error(`The graph panel failed to draw ${this.assistant.assistant_id}: ${message.message}`);
        return;
      case 'toggleBreakpoint':
        await this.toggleBreakpoint(message.node, message.when);
        return;
      case 'clearBreakpoints':
        return this.clearBreakpoints(message.node);
      case 'continue':
        // Only the thread this panel shows stopped (the page cannot name another).
        if (this.pause?.threadId === message.threadId) await this.continueRun(message.step);
        return;
      case 'goToDefinition':
        await vscode.commands.executeCommand('langgraph.goToNodeDefinition', { deploymentUrl: this.deployment.id, assistantId: this.assistant.assistant_id, node: message.node });
        return;
    }
  }
}
