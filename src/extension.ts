/**
 * activate() builds the pieces and registers them. It does no network and no file scan: the
 * tree asks the server only when the view is shown and a deployment expanded.
 */
import * as vscode from 'vscode';
import { DeploymentRegistry } from './core/registry';
import { ApiKeys } from './ui/apiKeys';
import { registerDeploymentCommands } from './ui/commands/deploymentCommands';
import { registerThreadCommands } from './ui/commands/threadCommands';
import { registerFilterCommands } from './ui/commands/filterCommands';
import { registerShowGraph } from './ui/graphPanel/showGraph';
import { BreakpointStore } from './ui/graphPanel/breakpointStore';
import { registerGoToDefinition } from './ui/graphPanel/goToDefinition';
import { registerBreakpointCommands } from './ui/graphPanel/breakpointCommands';
import { DevServers } from './ui/devServer/devServers';
import { registerDevServers } from './ui/devServer/register';
import { registerThreadPanels } from './ui/threadPanel/register';
import { registerRunFiles } from './ui/runFile/register';
import { registerRunTracking, RunTracking } from './ui/runs/register';
import { RunFileTests } from './ui/testing/runFileTests';
import { ThreadPanels } from './ui/threadPanel/threadPanels';
import { BusyPoller } from './ui/tree/busyPoller';
import { log } from './ui/log';
import type { RunEnded } from './core/refs';
import type { Services } from './ui/services';
import { maxResponseBytes, readDeploymentSettings, SECTION } from './ui/settings';
import { setTestMode } from './ui/testMode';
import { DeploymentsTree } from './ui/tree/provider';

/**
 * What activate() returns under the extension's own tests, and only there: the internals. In
 * every other mode it returns nothing, since an extension's exports are open to every other
 * extension and these reach keys and clients.
 */
export type TestApi = Omit<Services, 'context'> & { testing: RunFileTests };

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const testing = context.extensionMode === vscode.ExtensionMode.Test;
  setTestMode(testing);
  const version = String(context.extension.packageJSON.version ?? '0');
  const keys = new ApiKeys(context.secrets);
  const registry = new DeploymentRegistry({
    read: readDeploymentSettings,
    keys,
    userAgent: `langgraph-deployments-vscode/${version}`,
    maxBodyBytes: maxResponseBytes,
  });
  const tree = new DeploymentsTree(registry);
  const runEnded = new vscode.EventEmitter<RunEnded>();
  // Panels and runs call each other (resume → follow; a notification → open); both are typed.
  const runs = new RunTracking(context.workspaceState, registry, (ref) => threadPanels.open(ref, ref.runId));
  const threadPanels = new ThreadPanels({
    extensionUri: context.extensionUri,
    registry,
    runEnded: runEnded.event,
    runs,
    followed: runs.onDidFollow,
    handoff: runs.tracker,
  });
  const devServers = new DevServers(registry);
  const breakpoints = new BreakpointStore(context.workspaceState);
  const services: Services = { context, registry, keys, tree, runEnded, threadPanels, runs, devServers, breakpoints };
  const view = vscode.window.createTreeView('langgraph.deployments', { treeDataProvider: tree, showCollapseAll: true });
  // The Testing view's run files: nothing is read until VS Code asks for the tests.
  const runFileTests = new RunFileTests({ registry, runs, openThread: (ref) => threadPanels.open(ref) });

  context.subscriptions.push(
    keys,
    tree,
    view,
    runEnded,
    runEnded.event((e) => tree.refreshThread(e.deploymentUrl, e.threadId)),
    { dispose: () => void registry.dispose() },
    registry.onDidChange(() => tree.refresh()),
    ...registerDeploymentCommands(services),
    ...registerThreadCommands(services),
    ...registerFilterCommands(tree, view),
    ...registerThreadPanels(services),
    ...registerRunFiles(services),
    ...registerRunTracking(services),
    ...registerShowGraph(services),
    registerGoToDefinition(services),
    ...registerBreakpointCommands(services),
    ...registerDevServers(services),
    new BusyPoller(tree, view),
    runFileTests,
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.deployments`)) registry.reload();
      if (e.affectsConfiguration(`${SECTION}.maxResponseMB`)) registry.reload(true);
      if (e.affectsConfiguration(`${SECTION}.threads.pageSize`)) tree.refresh();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => registry.reload()),
    keys.onDidChange(() => tree.refresh()),
  );
  log().info(`LangGraph Deployments ${version} activated${testing ? ' (test mode)' : ''}`);
  if (!testing) return undefined;
  const { context: _context, ...internals } = services;
  return { ...internals, testing: runFileTests };
}

export function deactivate(): void {}
