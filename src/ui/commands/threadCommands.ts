/** Commands on threads and runs: new, delete, copy id (the result panel is in ../threadPanel). */
import * as vscode from 'vscode';
import type { DeploymentClients } from '../../core/clients';
import { describeError, logError } from '../log';
import type { DeploymentsTree } from '../tree/provider';
import { ThreadNode } from '../tree/threadNode';
import { RunNode } from '../tree/runNode';
import { pickDeployment } from './pick';

export function registerThreadCommands(tree: DeploymentsTree, clients: DeploymentClients): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('langgraph.createThread', async (node?: unknown) => {
      const target = await pickDeployment(tree, node, 'New thread on which deployment?');
      if (!target) return;
      try {
        const thread = await clients.get(target.deployment).threads.create();
        tree.refresh(target);
        return thread.thread_id;
      } catch (error) {
        return report('Could not create a thread', error);
      }
    }),
    vscode.commands.registerCommand('langgraph.deleteThread', async (node?: unknown, options?: { confirmed?: boolean }) => {
      if (!(node instanceof ThreadNode)) return;
      if (!options?.confirmed) {
        const answer = await vscode.window.showWarningMessage(
          `Delete thread ${node.threadId}?`,
          { modal: true, detail: 'Its state, history and runs are deleted on the server. This cannot be undone.' },
          'Delete',
        );
        if (answer !== 'Delete') return;
      }
      try {
        await clients.get(node.deployment).threads.delete(node.threadId);
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
