import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { userInput } from '../harness/messages';
import { agentServer, client } from './setup';

describe('integration: threads', () => {
  it('creates, gets, counts and deletes a thread with metadata', async () => {
    const c = client();
    const tag = randomUUID();
    const thread = await c.threads.create({ metadata: { tag, title: 'created by test' } });
    assert.equal(thread.status, 'idle');
    assert.equal((await c.threads.get(thread.thread_id)).metadata.tag, tag);
    assert.equal(await c.threads.count({ metadata: { tag } }), 1);
    await c.threads.delete(thread.thread_id);
    assert.equal(await c.threads.count({ metadata: { tag } }), 0);
    await assert.rejects(c.threads.get(thread.thread_id), /404 Not Found: Thread with ID .* not found/);
  });

  it('creates a thread with a chosen id, and answers 409 for the same id again', async () => {
    const c = client();
    const id = randomUUID();
    assert.equal((await c.threads.create({ threadId: id })).thread_id, id);
    await assert.rejects(c.threads.create({ threadId: id }), (e: Error & { status?: number }) => e.status === 409);
    assert.equal((await c.threads.create({ threadId: id, ifExists: 'do_nothing' })).thread_id, id);
  });

  it('lists with select, without values, filtered by status and metadata, sorted', async () => {
    const c = client();
    const tag = randomUUID();
    const done = await c.threads.create({ metadata: { tag, n: 1 } });
    await c.runs.wait(done.thread_id, { assistant_id: 'agent', input: userInput("what's the weather in sf") });
    await c.threads.create({ metadata: { tag, n: 2 } });
    const page = await c.threads.list({ metadata: { tag }, select: ['thread_id', 'status', 'updated_at'], limit: 10 });
    assert.equal(page.items.length, 2);
    for (const t of page.items) {
      assert.equal('values' in t, false, 'select leaves values out');
      assert.equal(typeof t.status, 'string');
    }
    assert.ok(page.items[0]!.updated_at! >= page.items[1]!.updated_at!, 'newest first');
    const full = await c.threads.search({ metadata: { tag, n: 1 } });
    assert.equal(full.items.length, 1);
    assert.ok(full.items[0]!.values, 'search without select has values');
    const idle = await c.threads.list({ metadata: { tag }, status: 'idle', select: ['thread_id'] });
    assert.equal(idle.items.length, 2);
    const asc = await c.threads.list({ metadata: { tag }, select: ['thread_id', 'created_at'], sortBy: 'created_at', sortOrder: 'asc' });
    assert.equal(asc.items[0]!.thread_id, done.thread_id);
  });

  it('reads state and history of a finished thread', async () => {
    const c = client();
    const thread = await c.threads.create();
    await c.runs.wait(thread.thread_id, { assistant_id: 'agent', input: userInput("what's the weather in nyc") });
    const state = await c.threads.getState(thread.thread_id);
    const messages = (state.values as { messages: { type: string; content: unknown }[] }).messages;
    assert.deepEqual(messages.map((m) => m.type), ['human', 'ai', 'tool', 'ai']);
    assert.match(String(messages[3]!.content), /The weather in nyc is: It's 60 degrees and foggy in nyc\./);
    assert.deepEqual(state.next, []);
    assert.ok(state.checkpoint?.checkpoint_id);
    const history = await c.threads.history(thread.thread_id, { limit: 3 });
    assert.equal(history.length, 3);
    // The next page starts where this one ended: before is read (JS wants the id, Python a config).
    const last = history.at(-1)!;
    const older = await c.threads.history(thread.thread_id, { limit: 2, before: last.checkpoint!.checkpoint_id! });
    assert.equal(older.length, 2);
    assert.equal(older[0]!.checkpoint?.checkpoint_id, last.parent_checkpoint?.checkpoint_id);
    const ids = (states: typeof history) => states.map((s) => s.checkpoint?.checkpoint_id);
    assert.equal(ids(older).filter((id) => ids(history).includes(id)).length, 0, 'no checkpoint twice');
    // Before and a metadata filter together (only a POST body carries both).
    const runId = (last.metadata as { run_id?: string } | null)?.run_id;
    assert.ok(runId, 'checkpoints name their run');
    const sameRun = await c.threads.history(thread.thread_id, { limit: 10, before: history[0]!.checkpoint!.checkpoint_id!, metadata: { run_id: runId } });
    assert.deepEqual(ids(sameRun), ids([...history.slice(1), ...older]).slice(0, sameRun.length));
    assert.ok(sameRun.length >= 3);
  });

  it('reads threads by ids: the ones asked for, with the fields asked for, none other', async () => {
    const c = client();
    const tag = randomUUID();
    const [a, b, other] = await Promise.all([1, 2, 3].map((n) => c.threads.create({ metadata: { tag, n } })));
    const unknown = randomUUID();
    const found = await c.threads.byIds([a!.thread_id, b!.thread_id, unknown, a!.thread_id], ['status', 'metadata']);
    assert.equal(found.others, 0, 'the real server searches by ids');
    assert.deepEqual(found.threads.map((t) => t.thread_id).sort(), [a!.thread_id, b!.thread_id].sort());
    for (const t of found.threads) {
      assert.equal(t.status, 'idle');
      assert.equal(t.metadata.tag, tag);
      assert.equal('values' in t, false, 'select leaves values out');
    }
    assert.equal((await c.threads.byId(other!.thread_id, ['status']))?.thread_id, other!.thread_id);
    assert.equal(await c.threads.byId(unknown, ['status']), undefined, 'an id the server does not have');
    assert.deepEqual(await c.threads.byIds([], ['status']), { threads: [], others: 0 });
    // The one-thread reads check the id of the answer and pass on the real server.
    assert.equal((await c.threads.get(a!.thread_id)).thread_id, a!.thread_id);
    assert.equal((await c.threads.getState(a!.thread_id)).values !== undefined, true);
  });

  it('rejects a malformed thread id with the field named in the server\'s words', async () => {
    // JS: 400 zod issues at thread_id; Python: 422 {"detail": "Invalid thread ID: must be a UUID"}.
    const python = agentServer().server === 'python';
    await assert.rejects(client().threads.get('not-a-uuid'), (e: Error & { status?: number; issues?: { path: string }[] }) => {
      assert.equal(e.status, python ? 422 : 400);
      if (python) assert.match(e.message, /Invalid thread ID: must be a UUID/);
      else {
        assert.equal(e.issues?.[0]?.path, 'thread_id');
        assert.match(e.message, /thread_id: Invalid uuid/);
      }
      return true;
    });
  });
});
