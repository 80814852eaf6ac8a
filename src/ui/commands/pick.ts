/** Quick picks shared by commands run from the palette (where no tree item says which one). */
import * as vscode from 'vscode';
import type { AgentServerClient } from '../../api';
import { threadLabel, timeAgo } from '../../core/threadLabels';
import { THREAD_LIST_FIELDS } from '../tree/threadFields';
import type { DeploymentsTree } from '../tree/provider';
import { DeploymentNode } from '../tree/deploymentNode';

/** The deployment node a command is about: the item it was run on, or the user's pick. */
export async function pickDeployment(tree: DeploymentsTree, arg: unknown, purpose: string): Promise<DeploymentNode | undefined> {
  if (arg instanceof DeploymentNode) return arg;
  const nodes = tree.deployments();
  if (nodes.length === 0) {
    void vscode.window.showWarningMessage('No LangGraph deployment is configured. Add one first.', 'Add Deployment…').then((choice) => {
      if (choice) void vscode.commands.executeCommand('langgraph.addDeployment');
    });
    return undefined;
  }
  if (nodes.length === 1) return nodes[0];
  const picked = await vscode.window.showQuickPick(
    nodes.map((node) => ({ label: node.deployment.name, description: node.deployment.url, node })),
    { title: purpose, placeHolder: 'Deployment' },
  );
  return picked?.node;
}

/** The deployment's most recently updated threads, as quick-pick items (label, status · age, id). */
export async function recentThreadItems(client: AgentServerClient, limit = 20): Promise<(vscode.QuickPickItem & { threadId: string })[]> {
  const page = await client.threads.list({ select: THREAD_LIST_FIELDS, limit, sortBy: 'updated_at', sortOrder: 'desc' });
  return page.items.map((t) => ({
    label: threadLabel(t.thread_id, t.metadata),
    description: [t.status, timeAgo(t.updated_at)].filter(Boolean).join(' · '),
    detail: t.thread_id,
    threadId: t.thread_id,
  }));
}
