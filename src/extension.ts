/**
 * activate() builds the pieces and registers them. It does no network and no file scan: the
 * tree asks the server only when the view is shown and a deployment expanded.
 */
import * as vscode from 'vscode';
import { DeploymentClients } from './core/clients';
import { ApiKeys } from './ui/apiKeys';
import { registerDeploymentCommands } from './ui/commands/deploymentCommands';
import { registerThreadCommands } from './ui/commands/threadCommands';
import { registerFilterCommands } from './ui/commands/filterCommands';
import { registerThreadPanels } from './ui/threadPanel/register';
import { registerRunFiles } from './ui/runFile/register';
import { registerRunTracking, RunTracking } from './ui/runs/register';
import { ThreadPanels } from './ui/threadPanel/threadPanels';
import { BusyPoller } from './ui/tree/busyPoller';
import { log } from './ui/log';
import type { RunEnded } from './core/refs';
import type { Services } from './ui/services';
import { SECTION } from './ui/settings';
import { DeploymentsTree } from './ui/tree/provider';

/** What the extension exports: used by its tests in the extension host. */
export type ExtensionApi = Omit<Services, 'context'>;

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const version = String(context.extension.packageJSON.version ?? '0');
  const keys = new ApiKeys(context.secrets);
  const clients = new DeploymentClients({
    apiKeyFor: (deployment) => keys.get(deployment),
    userAgent: `langgraph-deployments-vscode/${version}`,
  });
  const tree = new DeploymentsTree(clients, keys);
  const runEnded = new vscode.EventEmitter<RunEnded>();
  const threadPanels = new ThreadPanels({ extensionUri: context.extensionUri, clients, keys, tree, runEnded: runEnded.event });
  const runs = new RunTracking(context.workspaceState, keys, clients);
  const services: Services = { context, clients, keys, tree, runEnded, threadPanels, runs };
  const view = vscode.window.createTreeView('langgraph.deployments', { treeDataProvider: tree, showCollapseAll: true });

  context.subscriptions.push(
    keys,
    tree,
    view,
    runEnded,
    runEnded.event((e) => tree.refreshThread(e.deploymentUrl, e.threadId)),
    { dispose: () => void clients.dispose() },
    ...registerDeploymentCommands(tree, keys),
    ...registerThreadCommands(tree, clients),
    ...registerFilterCommands(tree, view),
    ...registerThreadPanels(threadPanels, tree),
    ...registerRunFiles(services),
    ...registerRunTracking(services),
    new BusyPoller(tree, view),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.deployments`) || e.affectsConfiguration(`${SECTION}.threads.pageSize`)) tree.refresh();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => tree.refresh()),
    keys.onDidChange(() => tree.refresh()),
  );
  log().info(`LangGraph Deployments ${version} activated`);
  const { context: _context, ...api } = services;
  return api;
}

export function deactivate(): void {}
