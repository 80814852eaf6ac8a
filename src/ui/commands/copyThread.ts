/**
 * `langgraph.copyThread` "Copy Thread": a new thread on the same deployment with the original's
 * metadata and every checkpoint (`POST /threads/{id}/copy`), so an experiment never spoils the
 * original. From a thread item, a ThreadRef, or the palette (pick a deployment, then a thread).
 * The deployment's thread list is refreshed, the copy's panel opened, and the status bar names
 * the copy. A refusal (an unknown thread: 409 on both servers) is shown in the server's words.
 */
import * as vscode from 'vscode';
import type { Thread } from '../../api';
import type { ThreadRef } from '../../core/refs';
import { shortId, threadLabel } from '../../core/threadLabels';
import { describeError, logError } from '../log';
import type { Services } from '../services';
import { threadTarget } from './threadTarget';

/** What the command answers (its callers and the tests read it): the copy, or the words shown. */
export type CopyOutcome = { ok: true; ref: ThreadRef; thread: Thread } | { ok: false; message: string } | undefined;

export function registerCopyThread({ registry, tree, threadPanels }: Services): vscode.Disposable {
  return vscode.commands.registerCommand('langgraph.copyThread', async (arg?: unknown): Promise<CopyOutcome> => {
    const target = await threadTarget(registry, arg, 'Copy Thread');
    if (!target) return undefined;
    if ('notConfigured' in target) return failed('Could not copy the thread', `${target.notConfigured} is not a configured deployment.`);
    const { deployment, threadId } = target;
    let copy: Thread;
    try {
      copy = await (await registry.client(deployment)).threads.copy(threadId);
    } catch (error) {
      return failed(`Could not copy thread ${shortId(threadId)} on ${deployment.name}`, error);
    }
    tree.refreshDeployment(deployment.id);
    const ref = { deploymentUrl: deployment.id, threadId: copy.thread_id };
    threadPanels.open(ref);
    vscode.window.setStatusBarMessage(`Copied thread ${shortId(threadId)} to "${threadLabel(copy.thread_id, copy.metadata)}" (${copy.thread_id})`, 5000);
    return { ok: true, ref, thread: copy };
  });
}

function failed(what: string, error: unknown): CopyOutcome {
  logError(what, error);
  const message = `${what}: ${describeError(error)}`;
  void vscode.window.showErrorMessage(message);
  return { ok: false, message };
}
