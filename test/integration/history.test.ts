/**
 * Time travel against the real server (both, per LANGGRAPH_TEST_SERVER_KIND): paging a long
 * history, a fork by a state update from an earlier checkpoint, runs from a checkpoint (both
 * request forms), copies, subgraph checkpoints by namespace, and what both servers answer for
 * an unknown checkpoint or a thread that never ran.
 */
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import type { AgentServerClient, ApiError, ThreadState } from '../../src/api';
import { branchView, forksOf, switchBranch } from '../../src/core/history/branches';
import { groupByRun, nestSubgraphs } from '../../src/core/history/historyGroups';
import { HistoryPager, historySource, type CheckpointSummary } from '../../src/core/history/historyPages';
import { diffKey, diffKeys } from '../../src/core/history/stateDiff';
import { humanMessage, userInput } from '../harness/messages';
import { client } from './setup';

interface Msg {
  type: string;
  content: unknown;
  id?: string;
}
const messagesOf = (state: ThreadState) => (state.values as { messages: Msg[] }).messages;
const WEATHER_60 = "The weather in sf is: It's 60 degrees and foggy in sf.";

/** Every checkpoint of one graph of the thread, paged. */
async function allCheckpoints(c: AgentServerClient, threadId: string, pageSize = 50, checkpointNs?: string): Promise<CheckpointSummary[]> {
  const pager = new HistoryPager(historySource(c, threadId), { pageSize, checkpointNs });
  while (pager.hasMore) await pager.next();
  return [...pager.checkpoints];
}

/** A thread with one finished run of the agent graph ("weather in sf"): steps -1 (input) to 3. */
async function weatherThread(c: AgentServerClient): Promise<string> {
  const thread = await c.threads.create();
  await c.runs.wait(thread.thread_id, { assistant_id: 'agent', input: userInput('weather in sf') });
  return thread.thread_id;
}

/** The step-2 checkpoint of such a run: after `tools`, before the final `agent`. */
const afterTools = (checkpoints: CheckpointSummary[]) => checkpoints.find((cp) => cp.step === 2 && cp.source === 'loop')!;

describe('integration: history (time travel)', () => {
  it('pages over 255 checkpoints newest first without gap or duplicate, as one read of them all', async function () {
    this.timeout(300_000);
    const c = client();
    const threadId = await weatherThread(c);
    for (let i = 0; i < 250; i++) await c.threads.updateState(threadId, { values: { messages: [humanMessage(`note ${i}`)] }, asNode: 'agent' });
    const paged = await allCheckpoints(c, threadId, 40);
    assert.equal(paged.length, 255);
    assert.equal(new Set(paged.map((cp) => cp.id)).size, 255, 'no duplicate');
    paged.forEach((cp, i) => {
      // No gap: each checkpoint's parent is the next one down.
      assert.equal(cp.parentId, paged[i + 1]?.id, `parent of #${i}`);
      assert.equal(cp.step, 253 - i);
    });
    const once = await c.threads.history(threadId, { limit: 1000 });
    assert.deepEqual(paged.map((cp) => cp.id), once.map((s) => s.checkpoint?.checkpoint_id));
    // Who wrote what: the run's steps from their parents' tasks, the updates by source.
    assert.deepEqual(paged.slice(-5).map((cp) => [cp.step, cp.source, cp.writers]), [
      [3, 'loop', ['agent']],
      [2, 'loop', ['tools']],
      [1, 'loop', ['agent']],
      [0, 'loop', ['__start__']],
      [-1, 'input', []],
    ]);
    assert.deepEqual([paged[0]!.source, paged[0]!.runId, paged[0]!.writers], ['update', undefined, []]);
    const groups = groupByRun(nestSubgraphs(paged));
    assert.deepEqual(groups.map((g) => [g.runId === undefined, g.entries.length]), [[true, 250], [false, 5]]);
  });

  it('forks by a state update from an earlier checkpoint; the fork is a second child, branches switch, a run goes on from it', async function () {
    this.timeout(120_000);
    const c = client();
    const threadId = await weatherThread(c);
    const before = await allCheckpoints(c, threadId);
    const x = afterTools(before);
    const originalTip = before[0]!;
    const atX = await c.threads.getStateAt(threadId, x.id);
    assert.deepEqual(atX.next, ['agent']);
    const tool = messagesOf(atX)[2]!;
    assert.equal(tool.type, 'tool');

    const made = await c.threads.updateState(threadId, {
      values: { messages: [{ ...tool, content: "It's 99 degrees and sunny in sf." }] },
      asNode: 'tools',
      checkpointId: x.id,
    });
    assert.notEqual(made.checkpoint_id, x.id);
    const fork = await c.threads.getStateAt(threadId, made.checkpoint_id);
    assert.equal(fork.parent_checkpoint?.checkpoint_id, x.id, "the new checkpoint's parent is the one forked from");
    assert.deepEqual(fork.next, ['agent']);
    assert.deepEqual(messagesOf(fork).map((m) => m.content).slice(-1), ["It's 99 degrees and sunny in sf."]);
    assert.equal(messagesOf(fork).length, 3, 'the tool message replaced by id, not added');

    const after = await allCheckpoints(c, threadId);
    assert.equal(after.length, before.length + 1);
    assert.deepEqual(after.filter((cp) => cp.parentId === x.id).map((cp) => cp.id).sort(), [made.checkpoint_id, before.find((cp) => cp.parentId === x.id)!.id].sort());
    const forkPoint = forksOf(after).find((f) => f.parentId === x.id);
    assert.ok(forkPoint, 'branches see the fork');
    assert.equal(forkPoint.children[1], made.checkpoint_id, 'the fork is the newer child');
    const shown = branchView(after);
    assert.equal(shown.tip, made.checkpoint_id, 'the newest line is shown first');
    assert.deepEqual(shown.forks.map((f) => [f.parentId, f.shown]), [[x.id, 1]]);
    const other = branchView(after, switchBranch(after, x.id, forkPoint.children[0]!));
    assert.equal(other.tip, originalTip.id);
    assert.deepEqual(other.line.map((cp) => cp.id), before.map((cp) => cp.id));

    // A run from the fork (`checkpoint_id`, no input) ends with the edited tool result.
    const run = await c.runs.create(threadId, { assistant_id: 'agent', checkpoint_id: made.checkpoint_id, input: null });
    await c.runs.join(threadId, run.run_id);
    assert.equal((await c.runs.get(threadId, run.run_id)).status, 'success');
    const final = await c.threads.getState(threadId);
    assert.equal(messagesOf(final).at(-1)!.content, "The weather in sf is: It's 99 degrees and sunny in sf.");
    const ran = await allCheckpoints(c, threadId);
    const line = branchView(ran).line;
    assert.equal(line[0]!.runId, run.run_id);
    assert.ok(line.some((cp) => cp.id === made.checkpoint_id), 'the run went on from the fork');
    assert.equal(messagesOf(await c.threads.getStateAt(threadId, originalTip.id)).at(-1)!.content, WEATHER_60, 'the first branch is untouched');

    // What the run changed, against the fork: one new AI message, as a message.
    assert.deepEqual(diffKeys(fork.values, final.values).changed, ['messages']);
    const added = diffKey(fork.values, final.values, 'messages').messages!.added;
    assert.deepEqual(added.map((m) => [m.role, m.text]), [['ai', "The weather in sf is: It's 99 degrees and sunny in sf."]]);
  });

  it('runs again from a checkpoint given as `checkpoint: {checkpoint_id}`: a "fork" checkpoint as its first, the same answer', async function () {
    this.timeout(120_000);
    const c = client();
    const threadId = await weatherThread(c);
    const x = afterTools(await allCheckpoints(c, threadId));
    const result = await c.runs.wait(threadId, { assistant_id: 'agent', checkpoint: { checkpoint_id: x.id }, input: null });
    assert.equal(messagesOf({ values: result.values } as ThreadState).at(-1)!.content, WEATHER_60);
    const after = await allCheckpoints(c, threadId);
    const children = after.filter((cp) => cp.parentId === x.id);
    assert.equal(children.length, 2);
    const copyOfX = children.find((cp) => cp.source === 'fork');
    assert.ok(copyOfX, `children: ${JSON.stringify(children.map((cp) => cp.source))}`);
    assert.deepEqual(copyOfX.writers, [], 'a fork checkpoint is a copy: no node wrote it');
    assert.deepEqual((await c.threads.getStateAt(threadId, copyOfX.id)).values, (await c.threads.getStateAt(threadId, x.id)).values);
    assert.equal(after[0]!.runId, copyOfX.runId, 'the new run made both');
    assert.equal(after[0]!.parentId, copyOfX.id, 'the run went on from the copy');
    assert.deepEqual(after[0]!.writers, ['agent']);
  });

  it('copies a thread: the same values and checkpoints under a new id, the original untouched by changes to the copy', async function () {
    this.timeout(120_000);
    const c = client();
    const threadId = await weatherThread(c);
    const original = await c.threads.getState(threadId);
    const originalHistory = await allCheckpoints(c, threadId);
    const copy = await c.threads.copy(threadId);
    assert.notEqual(copy.thread_id, threadId);
    assert.equal(copy.metadata.graph_id, 'agent');
    const copied = await c.threads.getState(copy.thread_id);
    assert.deepEqual(copied.values, original.values);
    assert.equal(copied.checkpoint?.thread_id, copy.thread_id);
    assert.deepEqual((await allCheckpoints(c, copy.thread_id)).map((cp) => cp.step), originalHistory.map((cp) => cp.step));

    await c.threads.updateState(copy.thread_id, { values: { messages: [humanMessage('only in the copy')] } });
    assert.equal(messagesOf(await c.threads.getState(copy.thread_id)).at(-1)!.content, 'only in the copy');
    assert.deepEqual((await c.threads.getState(threadId)).values, original.values);
    assert.equal((await allCheckpoints(c, threadId)).length, originalHistory.length);
    await assert.rejects(c.threads.copy(randomUUID()), (e: ApiError) => e.status === 409);
  });

  it('reads a subgraph\'s checkpoints by namespace and nests them under the step that ran it', async function () {
    this.timeout(120_000);
    const c = client();
    const thread = await c.threads.create();
    const run = await c.runs.create(thread.thread_id, { assistant_id: 'stream', input: userInput('q'), context: { tokens: 3, tokens_per_second: 0 } });
    await c.runs.join(thread.thread_id, run.run_id);
    const root = await allCheckpoints(c, thread.thread_id);
    assert.ok(root.every((cp) => cp.ns === ''), 'history is the root graph only');
    const step = root.find((cp) => cp.subgraphs.length > 0)!;
    assert.deepEqual([step.step, step.next], [0, ['research']]);
    assert.equal(step.subgraphs[0]!.task, 'research');
    const ns = step.subgraphs[0]!.ns;
    assert.match(ns, /^research:[0-9a-f-]+$/);
    assert.deepEqual(root.find((cp) => cp.parentId === step.id)!.writers, ['research']);

    const sub = await allCheckpoints(c, thread.thread_id, 2, ns);
    assert.deepEqual(sub.map((cp) => [cp.step, cp.source, cp.ns, cp.parentStepId]), [
      [1, 'loop', ns, step.id],
      [0, 'loop', ns, step.id],
      [-1, 'input', ns, step.id],
    ]);
    assert.deepEqual(sub[0]!.writers, ['gather']);
    const entries = nestSubgraphs(root, new Map([[ns, sub]]));
    const nested = entries.find((e) => e.checkpoint.id === step.id)!.subgraphs[0]!;
    assert.deepEqual(nested.entries.map((e) => e.checkpoint.id), sub.map((cp) => cp.id));
    assert.deepEqual(groupByRun(entries).map((g) => [g.runId, g.entries.length]), [[run.run_id, root.length]]);

    const inside = await c.threads.getStateAt(thread.thread_id, sub[0]!.id, { checkpointNs: ns });
    assert.deepEqual((inside.values as { notes: string[] }).notes, ['gathered']);
    assert.equal(inside.checkpoint?.checkpoint_ns, ns);
  });

  it('answers an unknown checkpoint as not found, and refuses a state update on a thread that never ran', async () => {
    const c = client();
    const threadId = await weatherThread(c);
    await assert.rejects(c.threads.getStateAt(threadId, randomUUID()), (e: ApiError) => e.status === 404 && /not found in thread/.test(e.message));
    const fresh = await c.threads.create();
    await assert.rejects(c.threads.updateState(fresh.thread_id, { values: { messages: [] } }), (e: ApiError) => e.status === 400 && /graph id/i.test(e.message));
  });
});
