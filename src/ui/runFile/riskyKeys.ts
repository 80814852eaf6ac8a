/**
 * Keys of a run file that reach beyond the run itself, shown and confirmed before sending:
 * a `webhook` makes the deployment POST the run and its values to that URL when it ends, and a
 * `multitask_strategy` of "interrupt" or "rollback" stops (or deletes) the thread's current run
 * without the busy-thread question. Asked once per file content: the same text is not asked again.
 */
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import type { Deployment } from '../../core/deployments';
import type { RunFile } from '../../core/runFile';

const CONFIRMED_KEY = 'langgraph.runFile.confirmedRisky';
const KEEP = 200;

export function riskyParts(file: RunFile, deployment: Deployment): string[] {
  const body = file.body as { webhook?: unknown; multitask_strategy?: unknown };
  const parts: string[] = [];
  if (typeof body.webhook === 'string') {
    parts.push(`"webhook": when the run ends, ${deployment.name} sends the run and its final values to ${hostOf(body.webhook)} (${body.webhook}).`);
  }
  if (body.multitask_strategy === 'interrupt') {
    parts.push('"multitask_strategy": "interrupt": if the thread is running a run, that run is stopped, without asking.');
  } else if (body.multitask_strategy === 'rollback') {
    parts.push('"multitask_strategy": "rollback": if the thread is running a run, that run is stopped and deleted with what it wrote, without asking.');
  }
  return parts;
}

/** True when the file may be sent: nothing risky, confirmed before for this content, or confirmed now. */
export async function confirmRisky(memento: vscode.Memento, uri: vscode.Uri, name: string, file: RunFile, deployment: Deployment): Promise<boolean> {
  const parts = riskyParts(file, deployment);
  if (parts.length === 0) return true;
  const digest = createHash('sha256').update(`${uri.toString()}\n${deployment.id}\n${JSON.stringify(file.body)}`).digest('hex');
  const confirmed = memento.get<string[]>(CONFIRMED_KEY, []);
  if (confirmed.includes(digest)) return true;
  const send = 'Send';
  const answer = await vscode.window.showWarningMessage(
    `${name} asks for more than a run on ${deployment.name}.`,
    { modal: true, detail: `${parts.join('\n\n')}\n\nSend it as written? (Not asked again for this content.)` },
    send,
  );
  if (answer !== send) return false;
  await memento.update(CONFIRMED_KEY, [digest, ...confirmed.filter((d) => d !== digest)].slice(0, KEEP));
  return true;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}
