/** `langgraph.joinRun`, `langgraph.cancelRun` and `langgraph.showTrackedRuns`. */
import * as vscode from 'vscode';
import { isRunRef } from '../../core/refs';
import { describeEnd, runName } from '../../core/tracker';
import { cancelAndReport, type Target } from './cancelRun';
import { RunNode } from '../tree/runNode';
import type { RunTracking } from './runTracking';
import { showTrackedRuns } from './trackedRunsPick';

/** A run item of the tree, or a RunRef (from the run-file command, the webview, a notification). */
export function runTarget(arg: unknown): { target: Target; fromTree: boolean } | undefined {
  if (arg instanceof RunNode) {
    const graph = arg.run.metadata.graph_id;
    return {
      target: { deploymentUrl: arg.deployment.id, threadId: arg.threadId, runId: arg.runId, ...(typeof graph === 'string' ? { label: graph } : {}) },
      fromTree: true,
    };
  }
  if (isRunRef(arg) && arg.runId && arg.threadId && arg.deploymentUrl) {
    const label = (arg as { label?: unknown }).label;
    return {
      target: { deploymentUrl: arg.deploymentUrl, threadId: arg.threadId, runId: arg.runId, ...(typeof label === 'string' && label ? { label } : {}) },
      fromTree: false,
    };
  }
  return undefined;
}

export function registerRunCommands(runs: RunTracking): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('langgraph.joinRun', (arg?: unknown) => {
      const found = runTarget(arg);
      if (!found) {
        void vscode.window.showInformationMessage('Join Run follows a run: use it on a pending or running run in the LangGraph view.');
        return undefined;
      }
      const result = runs.follow(found.target);
      // Callers that pass a RunRef right after creating a run want no prompt; a click gets feedback.
      if (found.fromTree) {
        if (result.kind === 'already-ended') {
          void vscode.window.showInformationMessage(describeEnd(result.report), 'Open Result').then((c) => c && runs.open(result.report));
        } else {
          vscode.window.setStatusBarMessage(`$(eye) Following run ${runName(found.target)} in the background`, 3_000);
        }
      }
      return result.kind;
    }),
    vscode.commands.registerCommand('langgraph.cancelRun', async (arg?: unknown) => {
      const found = runTarget(arg);
      if (!found) {
        void vscode.window.showInformationMessage('Cancel Run works on a run: use it on a pending or running run in the LangGraph view.');
        return undefined;
      }
      return cancelAndReport(runs, found.target);
    }),
    vscode.commands.registerCommand('langgraph.showTrackedRuns', () => showTrackedRuns(runs)),
  ];
}
