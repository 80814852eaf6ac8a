/**
 * What a broken or hostile server can make the client hold: bodies past the cap, one endless
 * stream event, pages longer than their limit, answers about threads that were not asked for.
 * Each server here is a scripted loopback server.
 */
import { strict as assert } from 'node:assert';
import { AgentServerClient } from '../../src/api';
import { loadThreadView } from '../../src/core/loadThreadView';
import { FakeServer, json, rejection, threadJson, type Handler } from './fakeServer';

const MiB = 1024 * 1024;
const noWait = async (): Promise<void> => undefined;

/** What a streaming handler wrote, and whether the client closed the connection before the end. */
interface Flood {
  written: number;
  closedEarly: Promise<boolean>;
}

/**
 * Answers 200 with `total` bytes (`head`, then spaces), written as fast as the client reads them
 * (backpressure respected, so only what the client pulls is ever sent).
 */
function flood(total: number, options: { head?: string } = {}): { handler: Handler; flood: Flood } {
  const state: Flood = { written: 0, closedEarly: Promise.resolve(false) };
  const handler: Handler = (_req, res) => {
    let finished = false;
    state.closedEarly = new Promise((resolve) => res.on('close', () => resolve(!finished)));
    res.writeHead(200, { 'content-type': 'application/json' });
    const piece = Buffer.alloc(64 * 1024, ' ');
    const write = (): void => {
      while (state.written < total && !res.destroyed) {
        const ok = res.write(piece);
        state.written += piece.length;
        if (!ok) return void res.once('drain', write);
      }
      if (!res.destroyed) {
        finished = true;
        res.end();
      }
    };
    if (options.head) {
      res.write(options.head);
      state.written += Buffer.byteLength(options.head);
    }
    write();
  };
  return { handler, flood: state };
}

describe('Limits on what a server can make the client hold', () => {
  let server: FakeServer;
  let url: string;

  beforeEach(async () => {
    server = new FakeServer();
    url = await server.start();
  });
  afterEach(() => server.stop());

  const client = (options: { maxBodyBytes?: number; maxBodySetting?: string } = {}) => new AgentServerClient({ url, sleep: noWait, ...options });

  it('stops reading a 400 MB join answer at the 64 MB cap, names the cap, the request and the setting, and closes the connection', async function () {
    this.timeout(20_000);
    const { handler, flood: sent } = flood(400 * MiB, { head: '{"values": "' });
    server.then(handler);
    const error = await rejection(client({ maxBodySetting: 'langgraph.maxResponseMB' }).runs.join('t1', 'r1'));
    assert.equal(error.kind, 'too-large');
    assert.equal(
      error.message,
      'GET /threads/t1/runs/r1/join answered more than 64 MB, the most the client reads of one answer; the limit is langgraph.maxResponseMB.',
    );
    assert.equal(error.request, 'GET /threads/t1/runs/r1/join');
    assert.equal(await sent.closedEarly, true, 'the client closed the connection before the end of the body');
    // What the server got out before it saw the close: the cap, plus what sockets buffer.
    assert.ok(sent.written < 64 * MiB + 16 * MiB, `${(sent.written / MiB).toFixed(1)} MB were sent`);
    assert.equal(server.received.length, 1, 'an answer over the cap is not asked for again');
  });

  it('refuses a Content-Length over the cap before reading anything, with the cap the caller set', async () => {
    let closed!: Promise<void>;
    server.then((_req, res) => {
      closed = new Promise((resolve) => res.on('close', () => resolve()));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(400 * MiB) });
      res.write('[');
      // …and nothing more: a client that waited for the body would hang here.
    });
    const error = await rejection(client({ maxBodyBytes: 2 * MiB }).threads.get('t1'));
    assert.equal(error.kind, 'too-large');
    assert.equal(error.message, 'GET /threads/t1 announced an answer of 400 MB, more than the 2 MB the client reads of one answer.');
    await closed;
  });

  it('caps the answers of calls whose body is not needed (send) and reads error bodies only in part', async () => {
    const big = flood(8 * MiB);
    server.then(big.handler);
    const error = await rejection(client({ maxBodyBytes: MiB }).threads.delete('t1'));
    assert.equal(error.message, 'DELETE /threads/t1 answered more than 1 MB, the most the client reads of one answer.');
    assert.equal(await big.flood.closedEarly, true);

    // A 400 whose body is endless: the status and the start of the words, not the whole body.
    server.then((_req, res) => {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.write('Bad input: ');
      res.write(Buffer.alloc(4 * MiB, 'x'));
    });
    const bad = await rejection(client().threads.get('t1'));
    assert.equal(bad.status, 400);
    assert.match(bad.message, /^400 Bad Request: Bad input: x+…$/);
  });

  it('fails a stream whose one event grows past the cap, after the events before it, and closes it', async function () {
    this.timeout(20_000);
    let closed!: Promise<void>;
    server.then((_req, res) => {
      closed = new Promise((resolve) => res.on('close', () => resolve()));
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: metadata\ndata: {"run_id": "r1"}\n\n');
      // One event that never ends: `data:` lines without the blank line that closes it.
      const line = Buffer.from(`data: ${'x'.repeat(64 * 1024)}\n`);
      const write = (): void => {
        while (!res.destroyed) if (!res.write(line)) return void res.once('drain', write);
      };
      write();
    });
    const events: string[] = [];
    const error = await rejection(
      (async () => {
        for await (const event of client({ maxBodyBytes: 4 * MiB }).runs.joinStream('t1', 'r1')) events.push(event.event);
      })(),
    );
    assert.deepEqual(events, ['metadata']);
    assert.equal(error.kind, 'too-large');
    assert.equal(error.message, 'GET /threads/t1/runs/r1/stream sent a stream event of more than 4 MB, the most the client reads of one event.');
    await closed;
  });

  it('streams more than the cap in total when each event is small', async () => {
    server.then((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const event = `event: values\ndata: "${'v'.repeat(100 * 1024)}"\n\n`;
      for (let i = 0; i < 30; i++) res.write(event);
      res.end();
    });
    let count = 0;
    for await (const event of client({ maxBodyBytes: MiB }).runs.joinStream('t1', 'r1')) if (event.event === 'values') count++;
    assert.equal(count, 30, '3 MB in all through a 1 MB cap');
  });

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
