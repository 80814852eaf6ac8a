/**
 * `langgraph.openThread`: the result panel for a thread, from a thread or run item, from a
 * ThreadRef (notifications, the tracker's "Open result"), or from the palette (pick the
 * deployment, then one of its recent threads or type an id).
 */
import * as vscode from 'vscode';
import type { Deployment } from '../../core/deployments';
import { isThreadRef, type ThreadRef } from '../../core/refs';
import { pickDeployment, recentThreadItems } from '../commands/pick';
import { describeError } from '../log';
import type { DeploymentRegistry } from '../../core/registry';
import { RunNode } from '../tree/runNode';
import { ThreadNode } from '../tree/threadNode';
import type { ThreadPanel } from './threadPanel';
import type { ThreadPanels } from './threadPanels';

const RECENT = 20;

export function registerOpenThread(panels: ThreadPanels, registry: DeploymentRegistry): vscode.Disposable {
  return vscode.commands.registerCommand('langgraph.openThread', async (arg?: unknown): Promise<ThreadPanel | undefined> => {
    const target = arg instanceof ThreadNode || arg instanceof RunNode || isThreadRef(arg) ? fromArg(arg) : await fromPalette(panels, registry, arg);
    if (!target) return undefined;
    return panels.open(target.ref, target.runId);
  });
}

function fromArg(arg: ThreadNode | RunNode | ThreadRef): { ref: ThreadRef; runId?: string } {
  if (arg instanceof RunNode) return { ref: { deploymentUrl: arg.deployment.id, threadId: arg.threadId }, runId: arg.runId };
  if (arg instanceof ThreadNode) return { ref: { deploymentUrl: arg.deployment.id, threadId: arg.threadId } };
  const runId = (arg as { runId?: unknown }).runId;
  return { ref: { deploymentUrl: arg.deploymentUrl, threadId: arg.threadId }, ...(typeof runId === 'string' && runId ? { runId } : {}) };
}

interface ThreadPick extends vscode.QuickPickItem {
  threadId?: string;
  enterId?: boolean;
}

async function fromPalette(panels: ThreadPanels, registry: DeploymentRegistry, arg: unknown): Promise<{ ref: ThreadRef; runId?: string } | undefined> {
  const deployment = await pickDeployment(registry, arg, 'Open a thread of which deployment?');
  if (!deployment) return undefined;
  const items = recentThreads(panels, deployment);
  const picked = await vscode.window.showQuickPick(items, {
    title: `Open Thread Result — ${deployment.name}`,
    placeHolder: 'A recent thread, or enter its id',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked) return undefined;
  const threadId = picked.enterId ? await askThreadId() : picked.threadId;
  return threadId ? { ref: { deploymentUrl: deployment.id, threadId } } : undefined;
}

async function recentThreads(panels: ThreadPanels, deployment: Deployment): Promise<ThreadPick[]> {
  const enter: ThreadPick = { label: '$(edit) Enter a thread id…', enterId: true, alwaysShow: true };
  try {
    const client = await panels.clientFor(deployment);
    return [enter, ...(await recentThreadItems(client, RECENT))];
  } catch (error) {
    return [enter, { label: `Could not list threads: ${describeError(error)}`, kind: vscode.QuickPickItemKind.Separator }];
  }
}

async function askThreadId(): Promise<string | undefined> {
  const id = await vscode.window.showInputBox({
    title: 'Open Thread Result',
    prompt: 'Thread id',
    placeHolder: 'e.g. 2b84a1b7-88d0-49e0-844b-f32dc75081a9',
    ignoreFocusOut: true,
    validateInput: (value) => {
      const v = value.trim();
      if (!v) return 'Enter the thread id.';
      if (v.length > 200 || /[\s\u0000-\u001f/?#]/.test(v)) return 'A thread id has no spaces, slashes, ? or #.';
      return undefined;
    },
  });
  return id?.trim() || undefined;
}
