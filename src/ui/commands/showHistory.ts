/**
 * `langgraph.showHistory` "Show History": a thread's checkpoints, newest first, a page at a time
 * (core/history's HistoryPager: never the whole history at once), grouped by run, each with its
 * step, the node(s) that wrote it, its time, and the errors and interrupts it holds. A checkpoint
 * picked offers **Re-run from Here** (a run from that checkpoint with no input, followed by the
 * tracker and streamed live in the thread's panel) and **Open State as JSON**. A quick pick for
 * now; the thread panel's own history view (with diffs, edit and fork) is issue 12's next step.
 */
import * as vscode from 'vscode';
import type { AgentServerClient } from '../../api';
import { HistoryPager, historySource, type CheckpointSummary } from '../../core/history/historyPages';
import { writtenBy } from '../../core/history/historyGroups';
import type { RunRef } from '../../core/refs';
import { shortId, timeAgo } from '../../core/threadLabels';
import { clip, plural } from '../../shared/text';
import { describeError, logError } from '../log';
import type { Services } from '../services';
import { testOnly } from '../testMode';
import { rerunFromCheckpoint } from './rerunFromCheckpoint';
import { threadTarget } from './threadTarget';

const PAGE = 50;

/** What the command did (the tests read it). */
export type HistoryOutcome =
  | { action: 'rerun'; run: RunRef; checkpointId: string }
  | { action: 'json'; checkpointId: string }
  | { action: 'failed'; message: string }
  | undefined;

/** Answers ahead of the picks, taken only from the extension's own tests. */
interface HistoryPreset {
  checkpointId?: string;
  action?: 'rerun' | 'json';
}

type CheckpointItem = vscode.QuickPickItem & { checkpoint?: CheckpointSummary; more?: true };

export function registerShowHistory(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('langgraph.showHistory', async (arg?: unknown, presetArg?: unknown): Promise<HistoryOutcome> => {
    const preset = (testOnly(presetArg) ?? {}) as HistoryPreset;
    const target = await threadTarget(services.registry, arg, 'Show History');
    if (!target) return undefined;
    if ('notConfigured' in target) return failed('Could not show the history', `${target.notConfigured} is not a configured deployment.`);
    const { deployment, threadId } = target;
    let client: AgentServerClient;
    try {
      client = await services.registry.client(deployment);
    } catch (error) {
      return failed(`Could not read the history of thread ${shortId(threadId)}`, error);
    }
    const pager = new HistoryPager(historySource(client, threadId), { pageSize: PAGE });
    let checkpoint: CheckpointSummary | undefined;
    try {
      checkpoint = preset.checkpointId ? await findCheckpoint(pager, preset.checkpointId) : await pickCheckpoint(pager, `History of thread ${shortId(threadId)} — ${deployment.name}`);
    } catch (error) {
      return failed(`Could not read the history of thread ${shortId(threadId)} on ${deployment.name}`, error);
    }
    if (!checkpoint) return preset.checkpointId ? { action: 'failed', message: `No checkpoint ${preset.checkpointId} in the thread's history.` } : undefined;
    const action = preset.action ?? (await pickAction(checkpoint));
    if (action === 'json') {
      await vscode.commands.executeCommand('langgraph.openStateJson', { deploymentUrl: deployment.id, threadId }, checkpoint.id);
      return { action, checkpointId: checkpoint.id };
    }
    if (action !== 'rerun') return undefined;
    const started = await rerunFromCheckpoint(services, deployment, client, threadId, checkpoint.id);
    return started.ok ? { action: 'rerun', run: started.run, checkpointId: started.checkpointId } : { action: 'failed', message: started.message };
  });
}

/** Pages until the checkpoint is read (the tests name one; users pick). */
async function findCheckpoint(pager: HistoryPager, id: string): Promise<CheckpointSummary | undefined> {
  for (;;) {
    const found = pager.checkpoints.find((c) => c.id === id);
    if (found || !pager.hasMore) return found;
    await pager.next();
  }
}

async function pickCheckpoint(pager: HistoryPager, title: string): Promise<CheckpointSummary | undefined> {
  const pick = vscode.window.createQuickPick<CheckpointItem>();
  pick.title = title;
  pick.placeholder = 'A checkpoint, newest first: re-run from it, or open its state';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  const load = async () => {
    pick.busy = true;
    try {
      await pager.next();
      pick.items = historyItems(pager.checkpoints, pager.hasMore);
    } catch (error) {
      pick.items = [{ label: `$(error) Could not read the history: ${describeError(error)}`, alwaysShow: true }];
    } finally {
      pick.busy = false;
    }
  };
  return new Promise((resolve) => {
    pick.onDidAccept(() => {
      const [item] = pick.selectedItems;
      if (item?.more) return void load();
      if (!item?.checkpoint) return;
      resolve(item.checkpoint);
      pick.hide();
    });
    pick.onDidHide(() => {
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
    void load();
  });
}

/** The picker's rows: a separator per run, a row per checkpoint, and "Load older" while there are more. */
export function historyItems(checkpoints: readonly CheckpointSummary[], hasMore: boolean): CheckpointItem[] {
  const items: CheckpointItem[] = [];
  let run: string | undefined | null = null;
  for (const c of checkpoints) {
    if (c.ns) continue; // a subgraph's own checkpoints: the panel's history nests them
    if (c.runId !== run) {
      run = c.runId;
      items.push({ label: run ? `Run ${shortId(run)}` : 'Not from a run', kind: vscode.QuickPickItemKind.Separator });
    }
    items.push({ label: checkpointLabel(c), description: [c.createdAt ? timeAgo(c.createdAt) : '', shortId(c.id)].filter(Boolean).join(' · '), detail: checkpointDetail(c), checkpoint: c });
  }
  if (hasMore) items.push({ label: `$(fold-down) Load older checkpoints (${PAGE} more)…`, alwaysShow: true, more: true });
  return items;
}

export function checkpointLabel(c: CheckpointSummary): string {
  const icon = c.errors.length ? '$(error)' : c.interrupts.length ? '$(debug-pause)' : '$(git-commit)';
  const who = writtenBy(c);
  return `${icon} ${c.step === undefined ? 'step ?' : `step ${c.step}`}${who.length ? ` · ${who.join(', ')}` : ''}`;
}

function checkpointDetail(c: CheckpointSummary): string {
  const parts: string[] = [];
  if (c.errors.length) parts.push(`failed: ${c.errors.map((e) => `${e.task}: ${e.message}`).join('; ')}`);
  if (c.interrupts.length) parts.push(`waits for input (${plural(c.interrupts.length, 'interrupt')})`);
  parts.push(c.next.length ? `next: ${c.next.join(', ')}` : 'the graph had finished');
  return clip(parts.join(' · '), 300);
}

async function pickAction(c: CheckpointSummary): Promise<'rerun' | 'json' | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: '$(debug-restart) Re-run from Here', detail: 'A new run from this checkpoint, with no input, followed in the background and shown live.', action: 'rerun' as const },
      { label: '$(json) Open State as JSON', detail: 'The state at this checkpoint, read-only.', action: 'json' as const },
    ],
    { title: `Checkpoint ${shortId(c.id)}: ${checkpointLabel(c).replace(/^\$\([^)]+\) /, '')}` },
  );
  return picked?.action;
}

function failed(what: string, error: unknown): HistoryOutcome {
  logError(what, error);
  const message = `${what}: ${describeError(error)}`;
  void vscode.window.showErrorMessage(message);
  return { action: 'failed', message };
}
