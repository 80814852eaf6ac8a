/**
 * Start Dev Server / Stop Dev Server: on a project item, or from the palette (a pick when the
 * workspace has several projects). Under the extension's tests they take a `langgraph.json` path
 * or Uri and StartOptions, and return what they did.
 */
import * as vscode from 'vscode';
import type { Project } from '../../core/devServer/project';
import type { Services } from '../services';
import { testOnly } from '../testMode';
import { DevServerDebugging } from './debugSession';
import type { StartOptions } from './devServers';
import { ProjectNode } from './projectNodes';

export function registerDevServers(services: Services): vscode.Disposable[] {
  const { devServers, tree } = services;
  tree.projects = () => devServers.nodes();
  const debugging = new DevServerDebugging(devServers);

  /** `running`: which projects a pick offers (undefined: all). */
  async function target(arg: unknown, running: boolean | undefined): Promise<Project | undefined> {
    if (arg instanceof ProjectNode) return (await devServers.projects.get(arg.project.configFile)) ?? arg.project;
    const path = arg instanceof vscode.Uri ? arg.fsPath : typeof arg === 'string' ? arg : undefined;
    if (path) {
      const found = (await devServers.projects.get(path)) ?? (await devServers.projects.rescan()).find((p) => p.configFile === path || p.folder === path);
      if (found) return found;
      void vscode.window.showErrorMessage(`No LangGraph project (langgraph.json) at ${path}.`);
      return undefined;
    }
    const all = (await devServers.projects.list()).filter((p) => running === undefined || (devServers.state(p).kind === 'stopped') !== running);
    if (!all.length) {
      void vscode.window.showInformationMessage(running ? 'No dev server of this workspace is running.' : 'No LangGraph project (langgraph.json) to start in this workspace.');
      return undefined;
    }
    if (all.length === 1) return all[0];
    const picked = await vscode.window.showQuickPick(
      all.map((p) => ({ label: p.name, description: vscode.workspace.asRelativePath(p.configFile), project: p })),
      { placeHolder: running ? 'Stop the dev server of…' : running === undefined ? 'Debug the dev server of…' : 'Start the dev server of…' },
    );
    return picked?.project;
  }

  return [
    devServers,
    debugging,
    devServers.onDidChange(() => tree.refreshProjects()),
    devServers.onDidReload((e) => tree.refreshDeployment(e.deploymentUrl)),
    vscode.commands.registerCommand('langgraph.startDevServer', async (arg?: unknown, options?: StartOptions) => {
      const project = await target(arg, false);
      return project ? devServers.start(project, testOnly(options) ?? {}) : undefined;
    }),
    vscode.commands.registerCommand('langgraph.debugDevServer', async (arg?: unknown, options?: StartOptions) => {
      const project = await target(arg, undefined);
      return project ? debugging.debug(project, testOnly(options) ?? {}) : undefined;
    }),
    vscode.commands.registerCommand('langgraph.stopDevServer', async (arg?: unknown) => {
      const project = await target(arg, true);
      return project ? devServers.stop(project) : undefined;
    }),
  ];
}
