/**
 * HistorySession (what a panel's history view asks of the server) on an in-memory thread: pages
 * by namespace, the checkpoints made since, a snapshot for a webview made afresh, a selection's
 * diff against its parent, a key compared on request, and failures in words.
 */
import { strict as assert } from 'node:assert';
import type { AgentServerClient, ThreadState } from '../../src/api';
import { HistorySession } from '../../src/core/history/historySession';

function cp(id: string, parent: string | undefined, values: Record<string, unknown>, step: number, ns = ''): ThreadState {
  return {
    values,
    next: [],
    tasks: [{ id: `${id}-t`, name: 'node', interrupts: [] }],
    metadata: { step, source: step < 0 ? 'input' : 'loop', run_id: 'r1', parents: {} },
    created_at: `2026-12-01T00:00:${String(step + 1).padStart(2, '0')}Z`,
    checkpoint: { thread_id: 't', checkpoint_id: id, checkpoint_ns: ns },
    parent_checkpoint: parent ? { thread_id: 't', checkpoint_id: parent, checkpoint_ns: ns } : null,
  };
}

/** A client whose history and getStateAt read `states` (newest first); counts the reads. */
function fakeClient(states: ThreadState[]) {
  const calls = { history: 0, state: 0 };
  const client = {
    threads: {
      history: async (_t: string, p: { limit: number; before?: string; checkpointNs?: string }) => {
        calls.history++;
        const list = states.filter((s) => (s.checkpoint?.checkpoint_ns ?? '') === (p.checkpointNs ?? ''));
        const start = p.before ? list.findIndex((s) => s.checkpoint?.checkpoint_id === p.before) + 1 : 0;
        return list.slice(start, start + p.limit);
      },
      getStateAt: async (_t: string, id: string) => {
        calls.state++;
        const found = states.find((s) => s.checkpoint?.checkpoint_id === id);
        if (!found) throw new Error(`Checkpoint ${id} not found in thread t.`);
        return found;
      },
    },
  };
  return { client: client as unknown as AgentServerClient, calls, states };
}

describe('history session (the panel history view)', () => {
  const thread = () => [
    cp('c2', 'c1', { messages: [{ id: 'h', type: 'human', content: 'hi' }, { id: 'a', type: 'ai', content: 'hello' }], notes: ['x', 'y'] }, 1),
    cp('c1', 'c0', { messages: [{ id: 'h', type: 'human', content: 'hi' }], notes: ['x'] }, 0),
    cp('c0', undefined, { messages: [] }, -1),
  ];

  it('pages the root, then answers newer checkpoints at the front, and a snapshot resets with all read', async () => {
    const fake = fakeClient(thread());
    const session = new HistorySession(fake.client, 't', 2);
    const first = await session.open();
    assert.equal(first.at, 'reset');
    assert.deepEqual(first.items.map((c) => c.id), ['c2', 'c1']);
    assert.equal(first.hasMore, true);
    const more = await session.more('');
    assert.deepEqual([more.at, more.items.map((c) => c.id), more.hasMore], ['end', ['c0'], false]);
    fake.states.unshift(cp('c3', 'c2', { messages: [] }, 2));
    const newer = await session.open();
    assert.deepEqual([newer.at, newer.items.map((c) => c.id)], ['front', ['c3']]);
    const [snap] = session.snapshot();
    assert.deepEqual([snap!.at, snap!.items.map((c) => c.id)], ['reset', ['c3', 'c2', 'c1', 'c0']]);
  });

  it("diffs a checkpoint against its parent: the new message as a message, a list's new item as a path", async () => {
    const fake = fakeClient(thread());
    const session = new HistorySession(fake.client, 't');
    const d = await session.select('c2', '');
    assert.equal(d.parentId, 'c1');
    assert.deepEqual(d.keys?.changed, ['messages', 'notes']);
    const messages = d.diffs!.find((k) => k.key === 'messages')!;
    assert.deepEqual(messages.messages?.added.map((m) => m.id), ['a']);
    const notes = d.diffs!.find((k) => k.key === 'notes')!;
    assert.deepEqual(notes.changes, [{ kind: 'added', path: ['notes', 1], after: 'y' }]);
    // The states are kept: a key compared on request reads nothing again.
    const reads = fake.calls.state;
    const asked = await session.keyDiff('c2', '', 'notes');
    assert.equal(asked.changes.length, 1);
    assert.equal(fake.calls.state, reads);
  });

  it('says a first checkpoint holds what it holds, and puts failures in words without throwing', async () => {
    const fake = fakeClient(thread());
    const session = new HistorySession(fake.client, 't');
    const first = await session.select('c0', '');
    assert.equal(first.parentId, undefined);
    assert.deepEqual(first.keys?.added, ['messages']);
    const missing = await session.select('nope', '');
    assert.equal(missing.values, undefined);
    assert.match(missing.error ?? '', /^Could not read checkpoint nope: Checkpoint nope not found/);
    const broken = new HistorySession({ threads: { history: async () => { throw new Error('socket hang up'); } } } as unknown as AgentServerClient, 't');
    const page = await broken.open();
    assert.equal(page.error, 'Could not read the history: socket hang up');
    assert.equal(broken.started, false, 'the next open tries again from the top');
  });
});
