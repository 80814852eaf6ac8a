/**
 * Reads the extension's settings. `langgraph.deployments` is a restricted configuration: in an
 * untrusted workspace the workspace's own value is ignored (it could point a stored API key's
 * deployment at a host of the workspace author's choosing), and the view says so.
 */
import * as vscode from 'vscode';
import { DEFAULT_DEPLOYMENTS, parseDeployments, type Deployment, type DeploymentProblem } from '../core/deployments';

export const SECTION = 'langgraph';

export interface DeploymentSettings {
  deployments: Deployment[];
  problems: DeploymentProblem[];
  /** True when a workspace value exists and was ignored because the workspace is not trusted. */
  ignoredUntrusted: boolean;
}

export function readDeploymentSettings(): DeploymentSettings {
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect<unknown>('deployments');
  const workspaceValue = inspected?.workspaceFolderValue ?? inspected?.workspaceValue;
  const trusted = vscode.workspace.isTrusted;
  const raw = trusted && workspaceValue !== undefined
    ? workspaceValue
    : (inspected?.globalValue ?? inspected?.defaultValue ?? DEFAULT_DEPLOYMENTS);
  const { deployments, problems } = parseDeployments(raw);
  return { deployments, problems, ignoredUntrusted: !trusted && workspaceValue !== undefined };
}

/**
 * In restricted mode VS Code hides a restricted setting's workspace value even from inspect(),
 * so to say why the workspace's deployments are not shown, read the workspace's own settings
 * files. Only done when the workspace is not trusted; a mention in a comment only adds a notice.
 */
export async function untrustedWorkspaceSetsDeployments(): Promise<boolean> {
  if (vscode.workspace.isTrusted) return false;
  const files = [
    ...(vscode.workspace.workspaceFolders ?? []).map((f) => vscode.Uri.joinPath(f.uri, '.vscode', 'settings.json')),
    ...(vscode.workspace.workspaceFile?.scheme === 'file' ? [vscode.workspace.workspaceFile] : []),
  ];
  for (const file of files) {
    try {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
      if (/"langgraph\.deployments"\s*:/.test(text)) return true;
    } catch {
      // No such file: nothing set there.
    }
  }
  return false;
}

export function threadPageSize(): number {
  const value = vscode.workspace.getConfiguration(SECTION).get<number>('threads.pageSize', 50);
  return Number.isInteger(value) && value > 0 ? Math.min(value, 1000) : 50;
}

/** Where a change to the deployments list is written: where the list the user sees comes from. */
export function deploymentsTarget(): vscode.ConfigurationTarget {
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect('deployments');
  if (vscode.workspace.isTrusted && inspected?.workspaceFolderValue !== undefined) return vscode.ConfigurationTarget.WorkspaceFolder;
  if (vscode.workspace.isTrusted && inspected?.workspaceValue !== undefined) return vscode.ConfigurationTarget.Workspace;
  return vscode.ConfigurationTarget.Global;
}

export async function writeDeployments(list: { name: string; url: string }[]): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update('deployments', list, deploymentsTarget());
}
