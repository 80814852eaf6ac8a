/**
 * One assistant's graph in a webview panel: reads `GET /assistants/{id}/graph` with xray,
 * normalizes it (src/core/graph/graphModel.ts) and sends it to the page (src/webview-graph),
 * which lays it out and draws it, then reports what it drew (`whenRendered`, for the tests).
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { AgentServerClient, Assistant } from '../../api';
import type { Deployment } from '../../core/deployments';
import { normalizeGraph } from '../../core/graph/graphModel';
import { parseFromGraphPage, type GraphHeading, type GraphReport, type ToGraphPage } from '../../webview-graph/protocol';
import { describeError, log, logError } from '../log';
import { webviewOptions } from '../threadPanel/html';
import { panelShell } from '../threadPanel/shell';

export interface GraphPanelDeps {
  extensionUri: vscode.Uri;
  clientFor: (deployment: Deployment) => Promise<AgentServerClient>;
}

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
    );
  }

  get heading(): GraphHeading {
    return { deploymentName: this.deployment.name, assistantName: assistantName(this.assistant), graphId: this.assistant.graph_id, assistantId: this.assistant.assistant_id };
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
  }

  private post(message: ToGraphPage): void {
    if (message.type !== 'toggleSubgraph') this.last = message;
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private async handle(raw: unknown): Promise<void> {
    const message = parseFromGraphPage(raw);
    if (!message) return;
    switch (message.type) {
      case 'ready':
        // A page made afresh (first load, or shown again after being hidden) gets the last message again.
        if (this.last) void this.panel.webview.postMessage(this.last);
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
      case 'goToDefinition':
        await vscode.commands.executeCommand('langgraph.goToNodeDefinition', { deploymentUrl: this.deployment.id, assistantId: this.assistant.assistant_id, node: message.node });
        return;
    }
  }
}
