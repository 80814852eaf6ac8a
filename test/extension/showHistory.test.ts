import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { AgentServerClient, ThreadState } from '../../src/api';
import type { ThreadRef } from '../../src/core/refs';
import type { ThreadPanel } from '../../src/ui/threadPanel/threadPanel';
import { userInput } from '../harness/messages';
import { waitFor } from '../harness/until';
import { api, serverClient, serverUrl, setDeployments } from './helpers';
import { shortId } from '../../src/core/threadLabels';

const content = (state: ThreadState) => (state.values as { messages: { type: string; content: unknown }[] }).messages.map((m) => `${m.type}: ${String(m.content)}`);

describe('extension: the thread panel history view and a re-run from a checkpoint', function () {
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

  async function showHistory(ref: ThreadRef): Promise<ThreadPanel> {
    const panel = await vscode.commands.executeCommand<ThreadPanel | undefined>('langgraph.showHistory', ref);
    assert.ok(panel, 'Show History opened the thread panel');
    return panel;
  }

  it('Show History opens the panel with the checkpoints newest first, grouped by run, with the node that wrote each', async () => {
    const ref = await agentThread();
    const history = await client.threads.history(ref.threadId, { limit: 50 });
    const panel = await showHistory(ref);
    const r = await panel.whenHistory((x) => x.shown.length > 0);
    assert.deepEqual(r.shown, history.map((s) => s.checkpoint!.checkpoint_id!), 'every checkpoint, newest first, in the server order');
    assert.equal(r.groups.length, 1, r.groups.join(', '));
    assert.match(r.groups[0]!, /^Run [0-9a-f]{8} · /);
    // Newest first: the last step (the model's answer) at the top, the input at the bottom.
    assert.match(r.rows[0]!, /^step \d+ · agent/);
    assert.ok(r.rows.some((l) => /^step \d+ · tools/.test(l)), r.rows.join('\n'));
    assert.match(r.rows.at(-1)!, /^step -1 · input/);
    assert.equal(r.hasMore, false);
    assert.deepEqual(r.forks, []);
  });

  it('selecting a checkpoint shows what changed there: the new message as a message, and the state at that point', async () => {
    const ref = await agentThread();
    const panel = await showHistory(ref);
    const r = await panel.whenHistory((x) => x.shown.length > 0);
    const newest = r.shown[0]!;
    assert.equal(await panel.handle({ type: 'historySelect', id: newest, ns: '' }), 'sent');
    const selected = await panel.whenHistory((x) => x.selected === newest && x.diff !== '');
    assert.match(selected.diff, /messages/);
    assert.match(selected.diff, /60 degrees and foggy/, 'the answer the model wrote at this step');
    assert.doesNotMatch(selected.diff, /what's the weather in sf/, 'the older messages are not shown as changes');

    // A checkpoint the thread does not have: the server's words, nothing else.
    const missing = '00000000-0000-0000-0000-000000000000';
    await panel.handle({ type: 'historySelect', id: missing, ns: '' });
    const d = await panel.whenHistory((x) => x.selected === missing && x.errors.length > 0);
    assert.match(d.errors.join('\n'), /Could not read checkpoint 0{8}-0{4}-0{4}-0{4}-0{12}: .*not found/i);
    assert.equal(d.diff, '', 'no diff for a checkpoint that could not be read');
  });

  it('re-runs from the checkpoint before the tools ran: a new run with no input, followed, the same answer, and a fork with a branch switcher', async () => {
    const ref = await agentThread();
    const before = await client.threads.getState(ref.threadId);
    const history = await client.threads.history(ref.threadId, { limit: 50 });
    const atTools = history.find((s) => s.next.includes('tools'))!.checkpoint!.checkpoint_id!;
    const oldHead = history[0]!.checkpoint!.checkpoint_id!;
    const { runs } = await api();
    const panel = await showHistory(ref);
    await panel.whenHistory((x) => x.shown.includes(atTools));
    assert.equal(await panel.handle({ type: 'historyAction', id: atTools, ns: '', action: 'rerun' }), 'resumed');
    const noted = await panel.whenHistory((x) => /^Run [0-9a-f]{8} started from checkpoint/.test(x.note));
    const short = /^Run ([0-9a-f]{8})/.exec(noted.note)![1]!;
    const runId = (await client.runs.list(ref.threadId)).items.find((r) => shortId(r.run_id) === short)!.run_id;
    const runRef = { ...ref, runId };
    const server = await client.runs.get(ref.threadId, runId);
    assert.equal(server.kwargs?.input ?? null, null, 'no input sent');
    await waitFor('the re-run to end', () => runs.tracker.ended(runRef), { timeoutMs: 60_000 });
    assert.equal(runs.tracker.ended(runRef)?.outcome, 'succeeded');
    assert.deepEqual(content(await client.threads.getState(ref.threadId)), content(before), 'the same conversation again from that point');
    await panel.whenRendered((x) => !x.streaming && new RegExp(`Run ${shortId(runId)} succeeded`).test(x.header), 60_000);

    // The panel read the newer checkpoints: the line shown is the new run's, through a fork at the checkpoint.
    const forked = await panel.whenHistory((x) => x.forks.length === 1 && !x.shown.includes(oldHead), 30_000);
    assert.equal(forked.forks[0], `${atTools}: 2 of 2`);
    assert.ok(forked.shown.includes(atTools));
    const newHead = (await client.threads.history(ref.threadId, { limit: 1 }))[0]!.checkpoint!.checkpoint_id!;
    assert.equal(forked.shown[0], newHead);

    // The other branch: the first run's line, the old head at its top.
    panel.showHistory(oldHead);
    const other = await panel.whenHistory((x) => x.tip === oldHead);
    assert.equal(other.shown[0], oldHead);
    assert.ok(!other.shown.includes(newHead), 'the new branch is not on this line');
    assert.deepEqual(other.forks, [`${atTools}: 1 of 2`], JSON.stringify({ other, history: (await client.threads.history(ref.threadId, { limit: 50 })).map((s) => [s.checkpoint?.checkpoint_id, s.parent_checkpoint?.checkpoint_id]) }));
  });

  it("nests a subgraph's checkpoints under the step that ran it, read when asked for", async () => {
    const t = await client.threads.create({ metadata: { title: `history subgraph ${randomUUID().slice(0, 8)}` } });
    const run = await client.runs.create(t.thread_id, { assistant_id: 'stream', input: userInput('q'), context: { tokens: 3, tokens_per_second: 0 } });
    await client.runs.join(t.thread_id, run.run_id);
    const panel = await showHistory({ deploymentUrl: serverUrl(), threadId: t.thread_id });
    const r = await panel.whenHistory((x) => x.subgraphs.length > 0);
    assert.deepEqual(r.subgraphs.map((s) => [s.task, s.rows.length]), [['research', 0]], 'one subgraph, closed until opened');
    const ns = r.subgraphs[0]!.ns;
    assert.match(ns, /^research:[0-9a-f-]+$/);
    assert.equal(await panel.handle({ type: 'historyMore', ns }), 'sent');
    const opened = await panel.whenHistory((x) => (x.subgraphs[0]?.rows.length ?? 0) > 0);
    assert.deepEqual(opened.subgraphs[0]!.rows.map((row) => row.split(' · ').slice(0, 2).join(' · ')), ['step 1 · gather', 'step 0 · __start__', 'step -1 · input']);
    // The root rows are the root graph's only: the subgraph's are not among them.
    assert.ok(!opened.rows.some((row) => row.startsWith('step 1 · gather')), opened.rows.join('\n'));
  });

  it("opens a checkpoint's state as JSON from the history view", async () => {
    const ref = await agentThread();
    const history = await client.threads.history(ref.threadId, { limit: 50 });
    const first = history.at(-1)!;
    const panel = await showHistory(ref);
    await panel.whenHistory((x) => x.shown.length > 0);
    assert.equal(await panel.handle({ type: 'historyAction', id: first.checkpoint!.checkpoint_id!, ns: '', action: 'json' }), 'opened');
    await waitFor('the state document', () => vscode.window.activeTextEditor?.document.uri.scheme === 'langgraph-state');
    assert.deepEqual(JSON.parse(vscode.window.activeTextEditor!.document.getText()).values, first.values);
    // An action the view does not offer is not one.
    assert.equal(await panel.handle({ type: 'historyAction', id: first.checkpoint!.checkpoint_id!, ns: '', action: 'delete' }), 'ignored');
  });
});
