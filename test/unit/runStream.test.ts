import { strict as assert } from 'node:assert';
import { AgentServerClient, type StreamEvent } from '../../src/api';
import { EventCursor, RunStream, type RunStreamNotice, type RunStreamOptions } from '../../src/core/live/runStream';
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

/** Token events; `id` or `id:text` (the text defaults to the id, so events that share an id differ by text). */
const tokens = (ids: string[]): string =>
  ids
    .map((spec) => {
      const [id, text = id] = spec.split(':');
      return frame('messages', [{ type: 'ai', content: `t${text} ` }, {}], id);
    })
    .join('');

const texts = (events: StreamEvent[]): string[] => events.map((e) => ((e.data as [{ content: string }])[0].content ?? '').trim());

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
      sse(tokens(['100-0', '101-0:a', '101-0:b']), 'event: messa'),
      run('running'),
      // Python sends everything after the id it is given: both 101-0 events, then the rest.
      sse(tokens(['101-0:a', '101-0:b', '102-0:c', '102-0:d'])),
      run('success'),
    );
    const { events } = await follow();
    assert.deepEqual(texts(events), ['t100-0', 'ta', 'tb', 'tc', 'td']);
    assert.deepEqual(streamRequests().map((r) => r.headers['last-event-id']), ['-1', '100-0']);
  });

  it("drops the Python server's own repeats: the events stored between its subscribe and its replay come twice", async () => {
    // One connection: the replay ends with 101-0 a, b; the live queue then sends 100-0 z, 101-0 a, b again, then c.
    server.then(run('running'), sse(tokens(['100-0:z', '101-0:a', '101-0:b', '100-0:z', '101-0:a', '101-0:b', '101-0:c', '102-0:d'])), run('success'));
    const { events } = await follow();
    assert.deepEqual(texts(events), ['tz', 'ta', 'tb', 'tc', 'td']);
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

describe('EventCursor: which events are new', () => {
  const ev = (id: string, text: string): StreamEvent => ({ event: 'messages', data: [{ content: text }], id });
  const feed = (cursor: EventCursor, events: StreamEvent[]) => events.flatMap((e) => cursor.accept(e)).map((e) => (e.data as [{ content: string }])[0].content);

  it('yields a token equal to an earlier one of the same millisecond once the next event shows it is new', () => {
    const cursor = new EventCursor();
    cursor.resume(true);
    const out = feed(cursor, [ev('5-0', 'one'), ev('5-0', 'by'), ev('5-0', 'one'), ev('5-0', 'more')]);
    assert.deepEqual(out, ['one', 'by', 'one', 'more']);
  });

  it('yields a held token when a later id comes, or when the connection closes cleanly', () => {
    const a = new EventCursor();
    a.resume(true);
    assert.deepEqual(feed(a, [ev('5-0', 'x'), ev('5-0', 'y'), ev('5-0', 'x'), ev('6-0', 'z')]), ['x', 'y', 'x', 'z']);
    const b = new EventCursor();
    b.resume(true);
    assert.deepEqual(feed(b, [ev('5-0', 'x'), ev('5-0', 'y'), ev('5-0', 'x')]), ['x', 'y']);
    assert.deepEqual(b.close(true).map((e) => (e.data as [{ content: string }])[0].content), ['x']);
  });

  it('drops a repeat of the tail of the last group that starts mid-group, and older ids', () => {
    const cursor = new EventCursor();
    cursor.resume(true);
    const out = feed(cursor, [ev('4-0', 'a'), ev('5-0', 'b'), ev('5-0', 'c'), ev('5-0', 'd'), ev('4-0', 'a'), ev('5-0', 'c'), ev('5-0', 'd'), ev('5-0', 'e')]);
    assert.deepEqual(out, ['a', 'b', 'c', 'd', 'e']);
  });

  it('skips the group by position on a resumed connection, then takes what follows as new', () => {
    const cursor = new EventCursor();
    cursor.resume(true);
    feed(cursor, [ev('4-0', 'a'), ev('5-0', 'b'), ev('5-0', 'c')]);
    assert.deepEqual(cursor.close(false), []);
    assert.deepEqual(cursor.resume(true), { lastEventId: '4-0' });
    assert.deepEqual(feed(cursor, [ev('5-0', 'b'), ev('5-0', 'c'), ev('5-0', 'b2'), ev('6-0', 'f')]), ['b2', 'f']);
  });

  it('on unique ids (JS), drops the one event sent again on resume', () => {
    const cursor = new EventCursor();
    cursor.resume(true);
    feed(cursor, [ev('0', 'a'), ev('1', 'b'), ev('2', 'c')]);
    assert.deepEqual(cursor.resume(true), { lastEventId: '1' });
    assert.deepEqual(feed(cursor, [ev('2', 'c'), ev('3', 'd')]), ['d']);
  });
});
