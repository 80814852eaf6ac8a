/**
 * `langgraph.showHistory` "Show History" (a thread's context menu, the palette, the panel's
 * History button): opens the thread's panel with its history view, where the checkpoints are
 * listed newest first a page at a time, grouped by run, each with what changed, and the actions
 * Re-run from Here, Edit State… and Open State as JSON (src/ui/threadPanel, src/webview/historyView.ts).
 */
import * as vscode from 'vscode';
import type { ThreadPanel } from '../threadPanel/threadPanel';
import type { Services } from '../services';
import { threadTarget } from './threadTarget';

export function registerShowHistory(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('langgraph.showHistory', async (arg?: unknown): Promise<ThreadPanel | undefined> => {
    const target = await threadTarget(services.registry, arg, 'Show History');
    if (!target) return undefined;
    if ('notConfigured' in target) {
      void vscode.window.showErrorMessage(`Could not show the history: ${target.notConfigured} is not a configured deployment.`);
      return undefined;
    }
    const panel = services.threadPanels.open({ deploymentUrl: target.deployment.id, threadId: target.threadId });
    panel.showHistory();
    return panel;
  });
}
