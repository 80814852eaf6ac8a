import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { AgentServerClient, ThreadState } from '../../src/api';
import { HistoryPager, historySource } from '../../src/core/history/historyPages';
import type { ThreadRef } from '../../src/core/refs';
import { historyItems, type HistoryOutcome } from '../../src/ui/commands/showHistory';
import { userInput } from '../harness/messages';
import { waitFor } from '../harness/until';
import { api, serverClient, serverUrl, setDeployments } from './helpers';

const content = (state: ThreadState) => (state.values as { messages: { type: string; content: unknown }[] }).messages.map((m) => `${m.type}: ${String(m.content)}`);

describe('extension: a thread history and a re-run from a checkpoint', function () {
  this.timeout(120_000);
  let client: AgentServerClient;

  before(async () => {
    client = serverClient();
    await setDeployments([{ name: 'History server', url: serverUrl() }]);
  });

  after(async () => {
    for (const panel of (await api()).threadPanels.all()) panel.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await client.close();
    await vscode.workspace.getConfiguration('langgraph').update('deployments', undefined, vscode.ConfigurationTarget.Global);
  });

  async function agentThread(): Promise<ThreadRef> {
    const t = await client.threads.create({ metadata: { title: `history ${randomUUID().slice(0, 8)}` } });
    await client.runs.wait(t.thread_id, { assistant_id: 'agent', input: userInput("what's the weather in sf") });
    return { deploymentUrl: serverUrl(), threadId: t.thread_id };
  }

  it('lists the checkpoints newest first, grouped by run, with the node that wrote each', async () => {
    const ref = await agentThread();
    const pager = new HistoryPager(historySource(client, ref.threadId), { pageSize: 50 });
    await pager.next();
    const items = historyItems(pager.checkpoints, pager.hasMore);
    const runs = items.filter((i) => i.kind === vscode.QuickPickItemKind.Separator).map((i) => i.label);
    assert.equal(runs.length, 1, runs.join(', '));
    assert.match(runs[0]!, /^Run [0-9a-f]{8}$/);
    const labels = items.filter((i) => i.checkpoint).map((i) => i.label);
    // Newest first: the last step (the model's answer) at the top, the input at the bottom.
    assert.match(labels[0]!, /step \d+ · agent$/);
    assert.ok(labels.some((l) => / · tools$/.test(l)), labels.join('\n'));
    assert.match(labels.at(-1)!, /step -1/);
    const steps = items.flatMap((i) => (i.checkpoint?.step === undefined ? [] : [i.checkpoint.step]));
    assert.deepEqual(steps, [...steps].sort((a, b) => b - a));
  });

  it('re-runs from the checkpoint before the tools ran: a new run with no input, followed, ending with the same answer, and a fork in the history', async () => {
    const ref = await agentThread();
    const before = await client.threads.getState(ref.threadId);
    const history = await client.threads.history(ref.threadId, { limit: 50 });
    const atTools = history.find((s) => s.next.includes('tools'));
    assert.ok(atTools?.checkpoint?.checkpoint_id, 'a checkpoint that waits for the tools node');
    const { runs } = await api();
    const outcome = await vscode.commands.executeCommand<HistoryOutcome>('langgraph.showHistory', ref, { checkpointId: atTools.checkpoint.checkpoint_id, action: 'rerun' });
    assert.equal(outcome?.action, 'rerun', JSON.stringify(outcome));
    const runRef = outcome.run;
    const server = await client.runs.get(ref.threadId, runRef.runId);
    assert.equal(server.kwargs?.input ?? null, null, 'no input sent');
    await waitFor('the re-run to end', () => runs.tracker.ended(runRef), { timeoutMs: 60_000 });
    assert.equal(runs.tracker.ended(runRef)?.outcome, 'succeeded');
    const after = await client.threads.getState(ref.threadId);
    assert.deepEqual(content(after), content(before), 'the same conversation again from that point');
    const newest = await client.threads.history(ref.threadId, { limit: 50 });
    assert.ok(newest.some((s) => (s.metadata as { source?: string } | null)?.source === 'fork'), 'the run started from a fork of the checkpoint');
    // The thread's panel opened on the run and ends showing it.
    const panel = (await api()).threadPanels.get(ref);
    assert.ok(panel, 'the thread panel is open');
    const r = await panel.whenRendered((x) => !x.streaming && new RegExp(`Run ${runRef.runId.slice(0, 8)} succeeded`).test(x.header), 60_000);
    assert.match(r.lastMessage, /60 degrees and foggy/);
  });

  it('opens the state at a checkpoint as JSON, and says so when the checkpoint is not in the history', async () => {
    const ref = await agentThread();
    const history = await client.threads.history(ref.threadId, { limit: 50 });
    const first = history.at(-1)!;
    const outcome = await vscode.commands.executeCommand<HistoryOutcome>('langgraph.showHistory', ref, { checkpointId: first.checkpoint!.checkpoint_id, action: 'json' });
    assert.equal(outcome?.action, 'json');
    await waitFor('the state document', () => vscode.window.activeTextEditor?.document.uri.scheme === 'langgraph-state');
    const doc = vscode.window.activeTextEditor!.document;
    assert.deepEqual(JSON.parse(doc.getText()).values, first.values);

    const missing = await vscode.commands.executeCommand<HistoryOutcome>('langgraph.showHistory', ref, { checkpointId: '00000000-0000-0000-0000-000000000000', action: 'rerun' });
    assert.deepEqual(missing, { action: 'failed', message: "No checkpoint 00000000-0000-0000-0000-000000000000 in the thread's history." });
  });
});
