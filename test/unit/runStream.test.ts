import { strict as assert } from 'node:assert';
import { AgentServerClient, type StreamEvent } from '../../src/api';
import { RunStream, type RunStreamNotice, type RunStreamOptions } from '../../src/core/runStream';
import { FakeServer, json, type Handler } from './fakeServer';

const run = (status: string, resumable = true): Handler =>
  json(200, {
    run_id: 'r1',
    thread_id: 't1',
    assistant_id: 'a1',
    created_at: '2026-12-01T20:00:00.000Z',
    updated_at: '2026-12-01T20:00:00.000Z',
    status,
    metadata: {},
    kwargs: { resumable },
  });

/** One SSE frame; `data` goes as JSON unless it is a string. */
const frame = (event: string, data: unknown, id?: string): string =>
  `event: ${event}\ndata: ${typeof data === 'string' ? data : JSON.stringify(data)}\n${id !== undefined ? `id: ${id}\n` : ''}\n`;

/** A stream that sends `body` and closes; with `cut`, it sends that much more of the next text and drops the connection. */
const sse = (body: string, cut?: string): Handler => (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write(body);
  if (cut === undefined) return void res.end();
  res.write(cut);
  setTimeout(() => res.socket?.destroy(), 20);
};

const tokens = (ids: string[]): string => ids.map((id) => frame('messages', [{ type: 'ai', content: `t${id} ` }, {}], id)).join('');

describe('RunStream: a run followed through dropped connections', () => {
  let server: FakeServer;
  let client: AgentServerClient;
  beforeEach(async () => {
    server = new FakeServer();
    client = new AgentServerClient({ url: await server.start(), retries: 0 });
  });
  afterEach(async () => {
    await client.close();
    await server.stop();
  });

  async function follow(options: RunStreamOptions = {}): Promise<{ events: StreamEvent[]; stream: RunStream; notices: RunStreamNotice[]; delays: number[] }> {
    const notices: RunStreamNotice[] = [];
    const delays: number[] = [];
    const stream = new RunStream(client, 't1', 'r1', {
      sleep: async (ms) => void delays.push(ms),
      onNotice: (n) => notices.push(n),
      ...options,
    });
    const events: StreamEvent[] = [];
    for await (const event of stream) events.push(event);
    return { events, stream, notices, delays };
  }
  const streamRequests = () => server.received.filter((r) => r.url.includes('/stream'));

  it('resumes a stream cut mid-event from the last id: no duplicate, no gap, and reads the end', async () => {
    server.then(
      run('running'),
      sse(frame('metadata', { run_id: 'r1' }, '0') + tokens(['1', '2']), 'event: messages\ndata: [{"type":"ai","con'),
      run('running'),
      // The server sends from after the id it is given: "1" → 2, 3, 4.
      sse(tokens(['2', '3', '4'])),
      run('success'),
    );
    const { events, stream, notices } = await follow();
    assert.deepEqual(events.map((e) => e.id), ['0', '1', '2', '3', '4']);
    assert.deepEqual(streamRequests().map((r) => r.headers['last-event-id']), ['-1', '1']);
    assert.deepEqual(stream.end, { reason: 'ended', status: 'success', reconnects: 1 });
    assert.equal(notices.filter((n) => n.kind === 'reconnecting').length, 1);
  });

  it("resumes on the Python server's shared ids (<ms>-0) without losing the events that share the last one", async () => {
    server.then(
      run('running'),
      sse(tokens(['100-0', '101-0', '101-0']), 'event: messa'),
      run('running'),
      // Python sends everything after the id it is given: both 101-0 events, then the rest.
      sse(tokens(['101-0', '101-0', '102-0', '102-0'])),
      run('success'),
    );
    const { events } = await follow();
    assert.deepEqual(events.map((e) => e.id), ['100-0', '101-0', '101-0', '102-0', '102-0']);
    assert.deepEqual(streamRequests().map((r) => r.headers['last-event-id']), ['-1', '100-0']);
  });

  it('passes an unknown event type and non-JSON data through as they came', async () => {
    server.then(run('running'), sse(frame('tasks/whatever', { a: 1 }, '0') + frame('custom', 'not json {', '1')), run('success'));
    const { events } = await follow();
    assert.deepEqual(events, [
      { event: 'tasks/whatever', data: { a: 1 }, id: '0' },
      { event: 'custom', data: 'not json {', id: '1' },
    ]);
  });

  it('reads a 10 MB event whole, and fails (no retry) on one past the cap', async () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    server.then(run('running'), sse(frame('custom', { big }, '0')), run('success'));
    const { events } = await follow();
    assert.equal((events[0]!.data as { big: string }).big.length, big.length);

    const small = new AgentServerClient({ url: client.url, retries: 0, maxBodyBytes: 1024 * 1024 });
    try {
      server.then(run('running'), sse(frame('custom', { big }, '0')));
      const stream = new RunStream(small, 't1', 'r1', { sleep: async () => undefined });
      const seen: StreamEvent[] = [];
      for await (const event of stream) seen.push(event);
      assert.deepEqual(seen, []);
      assert.equal(stream.end?.reason, 'failed');
      assert.match(stream.end?.message ?? '', /sent a stream event of more than/);
    } finally {
      await small.close();
    }
  });

  it('reconnects when the bytes stop (idle), then gives up after the bounded tries with a reason', async () => {
    server.then(run('running'), sse(tokens(['0']), ''), run('running'));
    // From then on every stream opens and goes silent; the run still reads running.
    const silent: Handler = (_req, res) => void res.writeHead(200, { 'content-type': 'text/event-stream' }).flushHeaders();
    server.otherwise((req, res, body) => (req.url?.includes('/stream') ? silent(req, res, body) : run('running')(req, res, body)));
    const { events, stream, delays } = await follow({ idleMs: 100, maxTries: 3, backoff: { baseMs: 100, capMs: 400, random: () => 1 } });
    assert.deepEqual(events.map((e) => e.id), ['0']);
    assert.equal(stream.end?.reason, 'gave-up');
    assert.match(stream.end?.message ?? '', /after 3 failed reconnects/);
    assert.deepEqual(delays, [100, 200, 400]);
    assert.deepEqual(streamRequests().map((r) => r.headers['last-event-id']), ['-1', '-1', '-1', '-1']);
  });

  it('opens once more after the run ended while cut off, for the rest of its events', async () => {
    server.then(run('running'), sse(tokens(['0', '1']), 'ev'), run('success'), sse(tokens(['1', '2'])), run('success'));
    const { events, stream } = await follow();
    assert.deepEqual(events.map((e) => e.id), ['0', '1', '2']);
    assert.equal(stream.end?.reason, 'ended');
  });

  it("keeps an error event's words and yields it", async () => {
    const error = { error: 'ValueError', message: 'Deliberate failure requested by input: "x"' };
    server.then(run('running'), sse(frame('error', error, '0')), run('error'));
    const { events, stream } = await follow();
    assert.deepEqual(events[0]!.data, error);
    assert.deepEqual(stream.end, { reason: 'ended', status: 'error', reconnects: 0, error: 'ValueError: Deliberate failure requested by input: "x"' });
  });

  it('says when the run was not made with stream_resumable, and joins it from now on', async () => {
    server.then(run('running', false), sse(tokens(['5'])), run('success'));
    const { events, stream, notices } = await follow();
    assert.equal(stream.resumable, false);
    assert.deepEqual(notices, [{ kind: 'earlier-events-unavailable' }]);
    assert.deepEqual(events.map((e) => e.id), ['5']);
    assert.equal(streamRequests()[0]!.headers['last-event-id'], undefined);
  });

  it('ends "failed" in the server\'s words for a run that is not there', async () => {
    server.then(json(404, { detail: 'Not Found' }));
    const { stream } = await follow();
    assert.equal(stream.end?.reason, 'failed');
    assert.match(stream.end?.message ?? '', /Not Found/);
  });

  it('ends "aborted" when the caller aborts', async () => {
    const abort = new AbortController();
    server.then(run('running'), (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(tokens(['0']));
    });
    const stream = new RunStream(client, 't1', 'r1', { signal: abort.signal });
    const seen: StreamEvent[] = [];
    for await (const event of stream) {
      seen.push(event);
      abort.abort();
    }
    assert.deepEqual(seen.map((e) => e.id), ['0']);
    assert.equal(stream.end?.reason, 'aborted');
  });
});
