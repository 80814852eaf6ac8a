/** Quick picks shared by commands run from the palette (where no tree item says which one). */
import * as vscode from 'vscode';
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
