/** Commands on threads and runs: new, delete, copy id (the result panel is in ../threadPanel). */
import * as vscode from 'vscode';
import { threadLabel } from '../../core/threadLabels';
import { describeError, logError } from '../log';
import type { Services } from '../services';
import { testOnly } from '../testMode';
import { ThreadNode } from '../tree/threadNode';
import { RunNode } from '../tree/runNode';
import { pickDeployment } from './pick';
import { registerCopyThread } from './copyThread';
import { registerShowHistory } from './showHistory';
import { registerStateDocuments } from '../stateDocument';
import { registerEditState } from '../editState/register';
import { registerContinueCommands } from '../graphPanel/continueRun';

export function registerThreadCommands(services: Services): vscode.Disposable[] {
  const { registry, tree } = services;
  return [
    registerCopyThread(services),
    registerShowHistory(services),
    ...registerStateDocuments(services),
    registerEditState(services),
    ...registerContinueCommands(services),
    vscode.commands.registerCommand('langgraph.createThread', async (node?: unknown) => {
      const target = await pickDeployment(registry, node, 'New thread on which deployment?');
      if (!target) return;
      try {
        const thread = await (await registry.client(target)).threads.create();
        tree.refreshDeployment(target.id);
        return thread.thread_id;
      } catch (error) {
        return report('Could not create a thread', error);
      }
    }),
    // `{confirmed: true}` skips the question only under the extension's tests.
    vscode.commands.registerCommand('langgraph.deleteThread', async (node?: unknown, options?: { confirmed?: boolean }) => {
      if (!(node instanceof ThreadNode)) return;
      const deployment = registry.find(node.deployment.id);
      if (!deployment) return report('Could not delete the thread', `${node.deployment.url} is no longer configured.`);
      if (!testOnly(options)?.confirmed) {
        const label = threadLabel(node.threadId, node.thread.metadata);
        const answer = await vscode.window.showWarningMessage(
          `Delete thread "${label}" on ${deployment.name}?`,
          {
            modal: true,
            detail: `Thread ${node.threadId} on ${deployment.url}: its state, history and runs are deleted on the server. This cannot be undone.`,
          },
          'Delete',
        );
        if (answer !== 'Delete') return;
      }
      try {
        await (await registry.client(deployment)).threads.delete(node.threadId);
        if (node.parent) tree.refresh(node.parent);
      } catch (error) {
        report('Could not delete the thread', error);
      }
    }),
    vscode.commands.registerCommand('langgraph.copyId', async (node?: unknown) => {
      const id = node instanceof RunNode ? node.runId : node instanceof ThreadNode ? node.threadId : undefined;
      if (!id) return;
      await vscode.env.clipboard.writeText(id);
      vscode.window.setStatusBarMessage(`Copied ${id}`, 3000);
    }),
  ];
}

function report(what: string, error: unknown): undefined {
  logError(what, error);
  void vscode.window.showErrorMessage(`${what}: ${describeError(error)}`);
  return undefined;
}
