/**
 * `langgraph.openThread`: the result panel for a thread, from a thread or run item, from a
 * ThreadRef (notifications, the tracker's "Open result"), or from the palette (pick the
 * deployment, then one of its recent threads or type an id).
 */
import * as vscode from 'vscode';
import { isThreadRef, type ThreadRef } from '../../core/refs';
import { pickDeployment } from '../commands/pick';
import { pickThreadId } from '../commands/threadTarget';
import type { DeploymentRegistry } from '../../core/registry';
import { RunNode } from '../tree/runNode';
import { ThreadNode } from '../tree/threadNode';
import type { ThreadPanel } from './threadPanel';
import type { ThreadPanels } from './threadPanels';

export function registerOpenThread(panels: ThreadPanels, registry: DeploymentRegistry): vscode.Disposable {
  return vscode.commands.registerCommand('langgraph.openThread', async (arg?: unknown): Promise<ThreadPanel | undefined> => {
    const target = arg instanceof ThreadNode || arg instanceof RunNode || isThreadRef(arg) ? fromArg(arg) : await fromPalette(registry, arg);
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

async function fromPalette(registry: DeploymentRegistry, arg: unknown): Promise<{ ref: ThreadRef; runId?: string } | undefined> {
  const deployment = await pickDeployment(registry, arg, 'Open a thread of which deployment?');
  if (!deployment) return undefined;
  const threadId = await pickThreadId(registry, deployment, 'Open Thread Result');
  return threadId ? { ref: { deploymentUrl: deployment.id, threadId } } : undefined;
}
