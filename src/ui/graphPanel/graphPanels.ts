/**
 * The open graph panels, one per deployment + assistant: showing one that is open reveals it.
 * When a followed run ends with its thread stopped at a breakpoint, the panel of the thread's
 * assistant (if open) marks where; any other end on that thread clears the mark.
 */
import * as vscode from 'vscode';
import type { Assistant } from '../../api';
import type { Deployment } from '../../core/deployments';
import type { RunEnded, ThreadRef } from '../../core/refs';
import { GRAPH_VIEW_TYPE } from '../../webview-graph/protocol';
import { logError } from '../log';
import { breakpointStopOf } from './continueRun';
import { assistantName, GraphPanel, graphPanelKey, type GraphPanelDeps } from './graphPanel';

export class GraphPanels implements vscode.Disposable {
  private readonly panels = new Map<string, GraphPanel>();
  private readonly listening: vscode.Disposable;

  constructor(
    private readonly deps: GraphPanelDeps & { runEnded: vscode.Event<RunEnded>; find: (url: string) => Deployment | undefined },
  ) {
    this.listening = deps.runEnded((e) => void this.runEnded(e));
  }

  open(deployment: Deployment, assistant: Assistant): GraphPanel {
    const existing = this.get(deployment.id, assistant.assistant_id);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(GRAPH_VIEW_TYPE, `Graph: ${assistantName(assistant)}`, vscode.ViewColumn.Active, { enableFindWidget: true });
    const graphPanel = new GraphPanel(panel, deployment, assistant, this.deps);
    this.panels.set(graphPanel.key, graphPanel);
    graphPanel.onDidDispose(() => {
      if (this.panels.get(graphPanel.key) === graphPanel) this.panels.delete(graphPanel.key);
    });
    void graphPanel.load();
    return graphPanel;
  }

  get(deploymentId: string, assistantId: string): GraphPanel | undefined {
    return this.panels.get(graphPanelKey(deploymentId, assistantId));
  }

  all(): GraphPanel[] {
    return [...this.panels.values()];
  }

  dispose(): void {
    this.listening.dispose();
    for (const p of this.all()) p.dispose();
  }

  /** Marks where the thread stopped at a breakpoint, if it did, in the open panel of its assistant. */
  async markIfStopped(ref: ThreadRef): Promise<void> {
    const open = this.all().filter((p) => p.deployment.id === ref.deploymentUrl);
    const deployment = this.deps.find(ref.deploymentUrl);
    if (!open.length || !deployment) return;
    try {
      const client = await this.deps.clientFor(deployment);
      const { stopped, next, after, assistant } = await breakpointStopOf(client, ref.threadId);
      if (!stopped) return;
      // The thread names its assistant by id or by graph id.
      const panel = open.find((p) => p.assistant.assistant_id === assistant || p.assistant.graph_id === assistant);
      panel?.showPause({ threadId: ref.threadId, next, after });
    } catch (error) {
      logError(`Could not read where thread ${ref.threadId} stopped`, error);
    }
  }

  private async runEnded(e: RunEnded): Promise<void> {
    for (const p of this.all()) if (p.deployment.id === e.deploymentUrl && p.paused?.threadId === e.threadId) p.showPause(null);
    // The end's thread status is not always known (a joined stream does not say): the thread is read.
    if (e.status === 'success') await this.markIfStopped(e);
  }
}
