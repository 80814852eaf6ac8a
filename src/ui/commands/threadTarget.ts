/**
 * Which thread a thread command is about: the tree item it was run on, a ThreadRef (a panel or a
 * notification), or, from the palette, the user's pick (the deployment, then one of its recent
 * threads or an id typed in). Only configured deployments come back: a ref or an item naming a
 * deployment that is no longer in the settings (or that an untrusted workspace hides) is refused.
 */
import * as vscode from 'vscode';
import type { Deployment } from '../../core/deployments';
import { isThreadRef, type ThreadRef } from '../../core/refs';
import type { DeploymentRegistry } from '../../core/registry';
import { describeError } from '../log';
import { ThreadNode } from '../tree/threadNode';
import { pickDeployment, recentThreadItems } from './pick';

export type ThreadTarget = { deployment: Deployment; threadId: string } | { notConfigured: string; threadId: string } | undefined;

/** The thread a command was given: a thread item or a ThreadRef; undefined for anything else. */
export function givenThread(arg: unknown): ThreadRef | undefined {
  if (arg instanceof ThreadNode) return { deploymentUrl: arg.deployment.id, threadId: arg.threadId };
  return isThreadRef(arg) ? { deploymentUrl: arg.deploymentUrl, threadId: arg.threadId } : undefined;
}

export async function threadTarget(registry: DeploymentRegistry, arg: unknown, title: string): Promise<ThreadTarget> {
  const given = givenThread(arg);
  if (given) {
    const deployment = registry.find(given.deploymentUrl);
    return deployment ? { deployment, threadId: given.threadId } : { notConfigured: given.deploymentUrl, threadId: given.threadId };
  }
  const deployment = await pickDeployment(registry, arg, `${title}: which deployment?`);
  if (!deployment) return undefined;
  const threadId = await pickThreadId(registry, deployment, title);
  return threadId ? { deployment, threadId } : undefined;
}

/** From the palette: one of the deployment's recent threads, or an id typed in (the one picker of thread commands). */
export async function pickThreadId(registry: DeploymentRegistry, deployment: Deployment, title: string): Promise<string | undefined> {
  const typeIt = { label: '$(edit) Enter a thread id…', alwaysShow: true, threadId: '' };
  const items = (async (): Promise<(vscode.QuickPickItem & { threadId: string })[]> => {
    try {
      return [typeIt, ...(await recentThreadItems(await registry.client(deployment)))];
    } catch (error) {
      return [typeIt, { label: `Could not list threads: ${describeError(error)}`, kind: vscode.QuickPickItemKind.Separator, threadId: '' }];
    }
  })();
  const picked = await vscode.window.showQuickPick(items, { title: `${title} — ${deployment.name}`, placeHolder: 'A recent thread, or enter its id', matchOnDescription: true, matchOnDetail: true });
  if (!picked) return undefined;
  if (picked.threadId) return picked.threadId;
  const typed = await vscode.window.showInputBox({
    title,
    prompt: `Thread id on ${deployment.name}`,
    placeHolder: 'e.g. 2b84a1b7-88d0-49e0-844b-f32dc75081a9',
    ignoreFocusOut: true,
    validateInput: (value) => {
      const v = value.trim();
      if (!v) return 'Enter the thread id.';
      if (v.length > 200 || /[\s\u0000-\u001f/?#]/.test(v)) return 'A thread id has no spaces, slashes, ? or #.';
      return undefined;
    },
  });
  return typed?.trim() || undefined;
}
