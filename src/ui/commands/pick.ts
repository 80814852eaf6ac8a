/** Quick picks shared by commands run from the palette (where no tree item says which one). */
import * as vscode from 'vscode';
import type { AgentServerClient } from '../../api';
import type { Deployment } from '../../core/deployments';
import type { DeploymentRegistry } from '../../core/registry';
import { threadLabel, timeAgo } from '../../core/threadLabels';
import { THREAD_LIST_FIELDS } from '../tree/threadFields';
import { DeploymentNode } from '../tree/deploymentNode';

/**
 * The deployment a command is about: the item it was run on (if still configured), or the
 * user's pick from the registry.
 */
export async function pickDeployment(registry: DeploymentRegistry, arg: unknown, purpose: string): Promise<Deployment | undefined> {
  if (arg instanceof DeploymentNode) return registry.find(arg.deployment.id);
  const nodes = registry.list();
  if (nodes.length === 0) {
    void vscode.window.showWarningMessage('No LangGraph deployment is configured. Add one first.', 'Add Deployment…').then((choice) => {
      if (choice) void vscode.commands.executeCommand('langgraph.addDeployment');
    });
    return undefined;
  }
  if (nodes.length === 1) return nodes[0];
  const picked = await vscode.window.showQuickPick(
    nodes.map((deployment) => ({ label: deployment.name, description: deployment.url, deployment })),
    { title: purpose, placeHolder: 'Deployment' },
  );
  return picked?.deployment;
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
