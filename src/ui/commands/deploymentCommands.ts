/** Commands on deployments: refresh, add, remove, set the API key. */
import * as vscode from 'vscode';
import { normalizeUrl } from '../../core/deployments';
import type { ApiKeys } from '../apiKeys';
import { readDeploymentSettings, writeDeployments } from '../settings';
import type { TreeNode } from '../tree/node';
import type { DeploymentsTree } from '../tree/provider';
import { DeploymentNode } from '../tree/deploymentNode';
import { pickDeployment } from './pick';

export function registerDeploymentCommands(tree: DeploymentsTree, keys: ApiKeys): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('langgraph.refresh', (node?: TreeNode) => tree.refresh(node)),
    vscode.commands.registerCommand('langgraph.loadMore', async (node?: { loadMore?: () => Promise<void> }) => {
      await node?.loadMore?.();
    }),
    vscode.commands.registerCommand('langgraph.addDeployment', async (preset?: { name?: string; url?: string }) => addDeployment(preset)),
    vscode.commands.registerCommand('langgraph.removeDeployment', async (node?: unknown) => {
      const target = await pickDeployment(tree, node, 'Remove which deployment?');
      if (!target) return;
      const remaining = readDeploymentSettings().deployments.filter((d) => d.id !== target.deployment.id);
      await writeDeployments(remaining.map(({ name, url }) => ({ name, url })));
      tree.refresh();
    }),
    vscode.commands.registerCommand('langgraph.renameDeployment', async (node?: unknown, newName?: string) => {
      const target = await pickDeployment(tree, node, 'Rename which deployment?');
      if (!target) return;
      const name =
        newName ??
        (await vscode.window.showInputBox({
          title: `Rename ${target.deployment.name}`,
          value: target.deployment.name,
          validateInput: (value) => (value.trim() ? undefined : 'A name is needed.'),
        }));
      if (!name?.trim()) return;
      // The URL is the deployment's identity (and its key's), so renaming keeps both.
      const list = readDeploymentSettings().deployments.map(({ id, name: n, url }) => ({
        name: id === target.deployment.id ? name.trim() : n,
        url,
      }));
      await writeDeployments(list);
    }),
    vscode.commands.registerCommand('langgraph.setApiKey', async (node?: unknown) => {
      const target = await pickDeployment(tree, node, 'Set the API key of which deployment?');
      if (!target) return;
      await setApiKey(target, keys);
      tree.refresh(target);
    }),
  ];
}

async function addDeployment(preset?: { name?: string; url?: string }): Promise<void> {
  const url =
    preset?.url ??
    (await vscode.window.showInputBox({
      title: 'Add LangGraph Deployment (1/2)',
      prompt: 'The deployment URL',
      placeHolder: 'http://127.0.0.1:2024 or https://….langgraph.app',
      ignoreFocusOut: true,
      validateInput: (value) => {
        try {
          normalizeUrl(value);
          return undefined;
        } catch (error) {
          return (error as Error).message;
        }
      },
    }));
  if (!url) return;
  const normalized = normalizeUrl(url);
  const name =
    preset?.name ??
    (await vscode.window.showInputBox({
      title: 'Add LangGraph Deployment (2/2)',
      prompt: 'A name for it',
      value: new URL(normalized).host,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : 'A name is needed.'),
    }));
  if (!name) return;
  const current = readDeploymentSettings().deployments;
  if (current.some((d) => d.id === normalized)) {
    void vscode.window.showInformationMessage(`${normalized} is already in the list.`);
    return;
  }
  await writeDeployments([...current.map(({ name: n, url: u }) => ({ name: n, url: u })), { name: name.trim(), url: normalized }]);
}

async function setApiKey(target: DeploymentNode, keys: ApiKeys): Promise<void> {
  await keys.load(target.deployment);
  const had = keys.has(target.deployment);
  const value = await vscode.window.showInputBox({
    title: `API key for ${target.deployment.name}`,
    prompt: had
      ? `A key is set for ${target.deployment.url}. Enter a new one, or leave empty to remove it.`
      : `Sent as X-Api-Key to ${target.deployment.url} only. Kept in VS Code's secret storage.`,
    password: true,
    ignoreFocusOut: true,
  });
  if (value === undefined) return;
  await keys.set(target.deployment, value.trim() || undefined);
  void vscode.window.showInformationMessage(
    value.trim() ? `API key saved for ${target.deployment.name}.` : `API key removed for ${target.deployment.name}.`,
  );
}
