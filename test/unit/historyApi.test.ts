/**
 * The time-travel calls of the client on the scripted server: what each sends (the forms both
 * Agent Servers take) and what it refuses to pass on (an answer about another thread or
 * checkpoint, the 200 both servers give for an unknown checkpoint, a "copy" that is the original).
 */
import { strict as assert } from 'node:assert';
import { AgentServerClient } from '../../src/api';
import { FakeServer, json, rejection, threadJson } from './fakeServer';

const T = '0d4a725e-2d53-4d73-89c7-1ad8702c1c9f';
const C = '1f1ede22-87f2-68d0-8000-537c87b1b017';
const stateAt = (extra: Record<string, unknown> = {}) => ({
  values: { messages: [] },
  next: ['agent'],
  tasks: [],
  metadata: { step: 0, source: 'loop' },
  created_at: '2026-12-01T23:51:42.316Z',
  checkpoint: { thread_id: T, checkpoint_id: C, checkpoint_ns: '' },
  ...extra,
});

describe('unit: time-travel calls (state at a checkpoint, update, copy, subgraph history)', () => {
  let server: FakeServer;
  let c: AgentServerClient;
  const sent = () => server.received.map((r) => ({ method: r.method, url: r.url, body: r.body ? (JSON.parse(r.body) as unknown) : undefined }));

  beforeEach(async () => {
    server = new FakeServer();
    c = new AgentServerClient({ url: await server.start(), retries: 0 });
  });
  afterEach(async () => {
    await c.close();
    await server.stop();
  });

  it('reads the state at a checkpoint by POST …/state/checkpoint, with a namespace when given', async () => {
    server.then(json(200, stateAt()), json(200, stateAt({ checkpoint: { thread_id: T, checkpoint_id: C, checkpoint_ns: 'research:1' } })));
    const root = await c.threads.getStateAt(T, C);
    assert.deepEqual(root.next, ['agent']);
    await c.threads.getStateAt(T, C, { checkpointNs: 'research:1', subgraphs: true });
    assert.deepEqual(sent(), [
      { method: 'POST', url: `/threads/${T}/state/checkpoint`, body: { checkpoint: { checkpoint_id: C } } },
      { method: 'POST', url: `/threads/${T}/state/checkpoint`, body: { checkpoint: { checkpoint_id: C, checkpoint_ns: 'research:1' }, subgraphs: true } },
    ]);
  });

  it('reads the 200 with empty values both servers give for an unknown checkpoint as 404', async () => {
    // JS: no metadata, created_at null; Python: metadata null too. Both echo the id asked for.
    server.then(
      json(200, { values: {}, next: [], tasks: [], created_at: null, checkpoint: { thread_id: T, checkpoint_id: C }, parent_checkpoint: null }),
      json(200, { values: {}, next: [], tasks: [], metadata: null, created_at: null, checkpoint: { thread_id: T, checkpoint_id: C }, interrupts: [] }),
    );
    for (let i = 0; i < 2; i++) {
      const error = await rejection(c.threads.getStateAt(T, C));
      assert.equal(error.status, 404);
      assert.match(error.message, /Checkpoint 1f1ede22-.* not found in thread 0d4a725e-/);
    }
  });

  it('refuses a state at another checkpoint or of another thread', async () => {
    server.then(
      json(200, stateAt({ checkpoint: { thread_id: T, checkpoint_id: '1f1ede22-0000-6000-8000-000000000000' } })),
      json(200, stateAt({ checkpoint: { thread_id: 'other-thread', checkpoint_id: C } })),
    );
    assert.match((await rejection(c.threads.getStateAt(T, C))).message, /answered about checkpoint 1f1ede22-0000-.*, not the checkpoint asked for/);
    const other = await rejection(c.threads.getStateAt(T, C));
    assert.equal(other.kind, 'invalid-response');
    assert.match(other.message, /answered about thread other-thread/);
  });

  it('updates state from a checkpoint as a node and answers the new checkpoint (JS and Python answers)', async () => {
    const made = { thread_id: T, checkpoint_ns: '', checkpoint_id: '1f1ede23-95e7-6700-8001-34efce4c74d2' };
    server.then(json(200, { checkpoint: made }), json(200, { checkpoint: made, configurable: made, checkpoint_id: made.checkpoint_id }), json(200, { checkpoint: made }));
    const values = { messages: [{ type: 'human', content: 'forked' }] };
    assert.deepEqual(await c.threads.updateState(T, { values, asNode: 'tools', checkpointId: C }), made);
    assert.equal((await c.threads.updateState(T, { values })).checkpoint_id, made.checkpoint_id);
    await c.threads.updateState(T, { values: null, checkpointId: C, checkpointNs: 'research:1' });
    assert.deepEqual(sent().map((r) => r.body), [
      { values, as_node: 'tools', checkpoint: { checkpoint_id: C } },
      { values },
      { values: null, checkpoint: { checkpoint_id: C, checkpoint_ns: 'research:1' } },
    ]);
    assert.ok(sent().every((r) => r.method === 'POST' && r.url === `/threads/${T}/state`));
  });

  it('does not retry a state update and refuses an answer without a checkpoint id or about another thread', async () => {
    const retrying = c.withRetries(3);
    server.then(json(503, { detail: 'busy' }));
    assert.equal((await rejection(retrying.threads.updateState(T, { values: {} }))).status, 503);
    assert.equal(server.received.length, 1, 'a second POST would make a second checkpoint');
    server.then(json(200, { checkpoint: { thread_id: T } }), json(200, { checkpoint: { thread_id: 'x', checkpoint_id: C } }));
    assert.equal((await rejection(c.threads.updateState(T, { values: {} }))).kind, 'invalid-response');
    assert.match((await rejection(c.threads.updateState(T, { values: {} }))).message, /answered about thread x/);
  });

  it('copies a thread, and refuses an answer that is the original', async () => {
    const copyId = 'c3ec999d-8ab6-4661-888d-6731db85fb6f';
    server.then(json(200, threadJson(copyId, { metadata: { graph_id: 'agent' } })), json(200, threadJson(T)));
    assert.equal((await c.threads.copy(T)).thread_id, copyId);
    const same = await rejection(c.threads.copy(T));
    assert.equal(same.kind, 'invalid-response');
    assert.match(same.message, /the thread itself, not a copy/);
    assert.deepEqual(sent().map((r) => `${r.method} ${r.url}`), [`POST /threads/${T}/copy`, `POST /threads/${T}/copy`]);
  });

  it("pages a subgraph's history by its namespace in `checkpoint`", async () => {
    server.then(json(200, []));
    await c.threads.history(T, { limit: 5, checkpointNs: 'research:725e9c56' });
    assert.deepEqual(sent()[0]!.body, { limit: 5, checkpoint: { checkpoint_ns: 'research:725e9c56' } });
  });

  it('reads a subgraph task with the namespace of its checkpoints', async () => {
    const task = { id: 'k', name: 'research', interrupts: [], checkpoint: { thread_id: T, checkpoint_ns: 'research:725e9c56' }, state: null };
    server.then(json(200, [stateAt({ tasks: [task] })]));
    const [state] = await c.threads.history(T, { limit: 1 });
    assert.equal(state!.tasks[0]!.checkpoint?.checkpoint_ns, 'research:725e9c56');
  });
});
