/**
 * What a broken or hostile server can make the client hold: pages longer than their limit,
 * answers about threads that were not asked for.
 * Each server here is a scripted loopback server.
 */
import { strict as assert } from 'node:assert';
import { AgentServerClient } from '../../src/api';
import { loadThreadView } from '../../src/core/loadThreadView';
import { FakeServer, json, rejection, threadJson } from './fakeServer';

const noWait = async (): Promise<void> => undefined;

describe('Limits on what a server can make the client hold', () => {
  let server: FakeServer;
  let url: string;

  beforeEach(async () => {
    server = new FakeServer();
    url = await server.start();
  });
  afterEach(() => server.stop());

  const client = () => new AgentServerClient({ url, sleep: noWait });

  it('cuts a page of 200,000 threads for a limit of 50 to 50, and does not take it as a sign of more', async function () {
    this.timeout(20_000);
    const many = Array.from({ length: 200_000 }, (_, i) => ({ thread_id: `t${i}`, status: 'idle', updated_at: '2026-11-21T11:06:56.462Z' }));
    server.then(json(200, many), json(200, many.slice(0, 50)));
    const page = await client().threads.list({ limit: 50, select: ['status', 'updated_at'] });
    assert.equal(page.items.length, 50);
    assert.equal(page.items[49]!.thread_id, 't49');
    assert.equal(page.hasMore, false, 'a server that ignored the limit does not page');
    const full = await client().threads.list({ limit: 50, offset: 50, select: ['status'] });
    assert.equal(full.items.length, 50);
    assert.equal(full.hasMore, true, 'a page exactly full may have more after it');
  });

  it('cuts runs, assistants and history to their limit too', async () => {
    const run = (i: number) => ({ run_id: `r${i}`, thread_id: 't1', assistant_id: 'a', created_at: 'x', updated_at: 'x', status: 'success', metadata: {} });
    const assistant = (i: number) => ({ assistant_id: `a${i}`, graph_id: 'agent', metadata: {}, created_at: 'x', updated_at: 'x' });
    const state = (i: number) => ({ values: { i }, next: [], tasks: [], checkpoint: { thread_id: 't1', checkpoint_id: `c${i}` } });
    server.then(
      json(200, Array.from({ length: 500 }, (_, i) => run(i))),
      json(200, Array.from({ length: 500 }, (_, i) => assistant(i))),
      json(200, Array.from({ length: 500 }, (_, i) => state(i))),
    );
    assert.equal((await client().runs.list('t1', { limit: 20 })).items.length, 20);
    assert.equal((await client().assistants.search({ limit: 100 })).items.length, 100);
    assert.equal((await client().threads.history('t1', { limit: 10 })).length, 10);
  });

  it('keeps only the threads asked for from a search by ids, and counts the others', async () => {
    server.then(
      // A server that ignores `ids`: other threads only.
      json(200, [threadJson('other-1'), threadJson('other-2')]),
      // …or the asked thread among others, once more repeated.
      json(200, [threadJson('other-1'), threadJson('a'), threadJson('a')]),
      json(200, [threadJson('other-1')]),
      json(200, []),
    );
    const none = await client().threads.byIds(['a', 'b'], ['status']);
    assert.deepEqual(none, { threads: [], others: 2 });
    const mixed = await client().threads.byIds(['a', 'b'], ['status']);
    assert.deepEqual(mixed.threads.map((t) => t.thread_id), ['a']);
    assert.equal(mixed.others, 1);
    assert.deepEqual(JSON.parse(server.received[0]!.body), {
      ids: ['a', 'b'],
      limit: 2,
      offset: 0,
      sort_by: 'updated_at',
      sort_order: 'desc',
      select: ['thread_id', 'status'],
    });

    const mismatch = await rejection(client().threads.byId('a', ['status']));
    assert.equal(mismatch.kind, 'invalid-response');
    assert.equal(mismatch.message, 'The server answered with other threads, not a: it ignores the ids searched for.');
    assert.equal(await client().threads.byId('a', ['status']), undefined, 'an empty answer: no such thread');
  });

  it('asks for many ids in searches of 100 at most, each with its own limit', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `t${i}`);
    server.otherwise((_req, res, body) => {
      const asked = (JSON.parse(body) as { ids: string[] }).ids;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(asked.map((id) => threadJson(id))));
    });
    const { threads, others } = await client().threads.byIds([...ids, 't0'], ['status']);
    assert.equal(threads.length, 250);
    assert.equal(others, 0);
    assert.deepEqual(
      server.received.map((r) => (JSON.parse(r.body) as { ids: string[]; limit: number }).limit),
      [100, 100, 50],
    );
  });

  it('fails a read of one thread or run answered about another one', async () => {
    server.then(
      json(200, threadJson('other')),
      json(200, { values: {}, next: [], tasks: [], checkpoint: { thread_id: 'other', checkpoint_id: 'c1' } }),
      json(200, { run_id: 'r2', thread_id: 't1', assistant_id: 'a', created_at: 'x', updated_at: 'x', status: 'success', metadata: {} }),
    );
    assert.equal((await rejection(client().threads.get('t1'))).message, 'GET /threads/t1 answered about thread other, not the thread asked for.');
    assert.equal((await rejection(client().threads.getState('t1'))).message, 'GET /threads/t1/state answered about thread other, not the thread asked for.');
    assert.equal((await rejection(client().runs.get('t1', 'r1'))).message, 'GET /threads/t1/runs/r1 answered about run r2, not the run asked for.');
  });

  it("does not show another thread's state in the panel when the server answers with other threads", async () => {
    server.otherwise((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url === '/threads/search') res.end(JSON.stringify([threadJson('other', { metadata: { name: 'Not mine' } })]));
      else if (req.url?.startsWith('/threads/t1/state')) res.end(JSON.stringify({ values: { messages: [] }, next: [], tasks: [] }));
      else res.end('[]');
    });
    const ref = { deploymentUrl: url, threadId: 't1' };
    await assert.rejects(loadThreadView(client(), ref, { deploymentName: 'local' }), /answered with other threads, not t1/);
  });
});
