/**
 * Reads the extension's settings. `langgraph.deployments` is a restricted configuration: in an
 * untrusted workspace the workspace's own value is ignored (it could point a stored API key's
 * deployment at a host of the workspace author's choosing), and the view says so.
 */
import * as vscode from 'vscode';
import { DEFAULT_DEPLOYMENTS, normalizeUrl, parseDeployments, type Deployment, type DeploymentProblem } from '../core/deployments';

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

/**
 * Changes the deployments list where it comes from, entry by entry: `edit` gets the raw entries
 * (those it does not touch are written back as they were, even ones that cannot be read, so a
 * typo elsewhere in the list is never lost) and returns the new list.
 */
export async function editDeployments(edit: (entries: unknown[]) => unknown[]): Promise<void> {
  const target = deploymentsTarget();
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect<unknown>('deployments');
  const raw =
    target === vscode.ConfigurationTarget.WorkspaceFolder
      ? inspected?.workspaceFolderValue
      : target === vscode.ConfigurationTarget.Workspace
        ? inspected?.workspaceValue
        : (inspected?.globalValue ?? inspected?.defaultValue ?? DEFAULT_DEPLOYMENTS);
  if (raw !== undefined && !Array.isArray(raw)) throw new Error('langgraph.deployments is not a list: fix it in the settings first.');
  await vscode.workspace.getConfiguration(SECTION).update('deployments', edit([...((raw as unknown[] | undefined) ?? [])]), target);
}

/** The normalized URL of a raw `langgraph.deployments` entry, or undefined if it has none. */
export function entryUrl(entry: unknown): string | undefined {
  const url = (entry as { url?: unknown } | null)?.url;
  if (typeof url !== 'string') return undefined;
  try {
    return normalizeUrl(url);
  } catch {
    return undefined;
  }
}

/** `langgraph.maxResponseMB` in bytes: the most one response from a deployment may hold. */
export function maxResponseBytes(): number {
  const mb = vscode.workspace.getConfiguration(SECTION).get<number>('maxResponseMB', 64);
  return (Number.isFinite(mb) && mb >= 1 ? Math.min(mb, 2048) : 64) * 1024 * 1024;
}
