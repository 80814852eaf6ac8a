/**
 * "As which node" a fork is written: the nodes that wrote the checkpoint first (its parent's
 * finished tasks, as historyPages.ts `summarize` reads them), then the nodes it runs next, then
 * the graph's other nodes (`GET /assistants/{id}/graph`, one small read). The update then counts
 * as that node's output, so the graph goes on from that node's edges.
 */
import * as vscode from 'vscode';
import type { AgentServerClient, ThreadState } from '../../api';
import { summarize } from '../../core/history/historyPages';
import { shortId } from '../../core/threadLabels';
import { threadAssistant } from '../commands/rerunFromCheckpoint';
import { log, describeError } from '../log';

export interface AsNodeChoice {
  node: string;
  why: 'wrote it' | 'runs next' | 'in the graph';
}

/**
 * The choices, the writers first. Reads the parent checkpoint (for the writers) and the graph
 * (for the other nodes); a failed read leaves its nodes out.
 */
export async function asNodeChoices(client: AgentServerClient, threadId: string, state: ThreadState): Promise<AsNodeChoice[]> {
  const parentId = state.parent_checkpoint?.checkpoint_id;
  const [parent, graphNodes] = await Promise.all([
    parentId ? client.threads.getStateAt(threadId, parentId).catch(skipped(`the parent checkpoint ${parentId}`)) : undefined,
    threadAssistant(client, threadId)
      .then(async (assistant) => (assistant ? (await client.assistants.graph(assistant)).nodes.map((n) => n.id) : []))
      .catch(skipped("the thread's graph")),
  ]);
  const choices: AsNodeChoice[] = [];
  const add = (nodes: readonly string[], why: AsNodeChoice['why']) => {
    for (const node of nodes) if (!node.startsWith('__') && !choices.some((c) => c.node === node)) choices.push({ node, why });
  };
  add(summarize(state, parent)?.writers ?? [], 'wrote it');
  add(state.next, 'runs next');
  add(graphNodes ?? [], 'in the graph');
  return choices;
}

function skipped(what: string): (error: unknown) => undefined {
  return (error) => {
    log().warn(`Edit State: could not read ${what}: ${describeError(error)}`);
    return undefined;
  };
}

const WHY: Record<AsNodeChoice['why'], string> = { 'wrote it': 'wrote this checkpoint', 'runs next': 'runs next from this checkpoint', 'in the graph': '' };

/** The user's pick; undefined when the pick was dismissed. */
export async function pickAsNode(choices: readonly AsNodeChoice[], threadId: string, checkpointId: string): Promise<string | undefined> {
  const items = choices.map((c) => ({ label: c.node, description: WHY[c.why], node: c.node }));
  const typed = { label: '$(edit) Another node…', description: 'type its name', node: '' };
  const picked = await vscode.window.showQuickPick([...items, typed], {
    title: `Fork thread ${shortId(threadId)} from checkpoint ${shortId(checkpointId)}`,
    placeHolder: 'Write the edited values as which node?',
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (picked.node) return picked.node;
  const name = await vscode.window.showInputBox({ title: 'Write the edited values as which node?', prompt: "A node of the thread's graph", ignoreFocusOut: true });
  return name?.trim() || undefined;
}
