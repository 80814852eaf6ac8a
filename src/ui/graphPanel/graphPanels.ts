/** The open graph panels, one per deployment + assistant: showing one that is open reveals it. */
import * as vscode from 'vscode';
import type { AgentServerClient, Assistant } from '../../api';
import type { Deployment } from '../../core/deployments';
import { GRAPH_VIEW_TYPE } from '../../webview-graph/protocol';
import { assistantName, GraphPanel, graphPanelKey } from './graphPanel';

export class GraphPanels implements vscode.Disposable {
  private readonly panels = new Map<string, GraphPanel>();

  constructor(private readonly deps: { extensionUri: vscode.Uri; clientFor: (deployment: Deployment) => Promise<AgentServerClient> }) {}

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
    for (const p of this.all()) p.dispose();
  }
}
