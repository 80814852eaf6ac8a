import { strict as assert } from 'node:assert';
import { ApiError, type Run, type StreamEvent } from '../../src/api';
import { FRAME_MS, LiveFeed, type LiveBatch, type LiveFeedOptions } from '../../src/core/live/liveFeed';
import type { LiveOp } from '../../src/core/live/liveOps';
import type { RunRef } from '../../src/core/refs';

const REF: RunRef = { deploymentUrl: 'http://127.0.0.1:2024', threadId: 't1', runId: 'r1' };
const CREATED = '2026-12-01T20:00:00.000Z';

const runRecord = (status: string, resumable = true): Run => ({
  run_id: 'r1',
  thread_id: 't1',
  assistant_id: 'a1',
  created_at: CREATED,
  updated_at: CREATED,
  status,
  metadata: {},
  kwargs: { resumable },
});

/** Fake time: timers fire in order as the test moves time on (fractions of a ms too). */
class FakeTime {
  t = 5_000_000;
  private timers: { id: number; at: number; fn: () => void }[] = [];
  private nextId = 1;
  readonly now = (): number => this.t;
  readonly setTimer = (fn: () => void, ms: number): unknown => {
    const id = this.nextId++;
    this.timers.push({ id, at: this.t + ms, fn });
    return id;
  };
  readonly clearTimer = (id: unknown): void => {
    this.timers = this.timers.filter((t) => t.id !== id);
  };
  pending(): number {
    return this.timers.length;
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const next = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.t = next.at;
      next.fn();
    }
    this.t = end;
  }
}

type FollowOptions = { lastEventId?: string; idleMs?: number; signal?: AbortSignal };

/**
 * A scripted client: `follow` plays one script per connection (a script is an async generator
 * that may move fake time), `get` answers the statuses in turn (the last one repeats).
 */
function fakeClient(connections: ((options: FollowOptions) => AsyncGenerator<StreamEvent>)[], statuses: string[], resumable = true) {
  const calls: string[] = [];
  const follows: FollowOptions[] = [];
  let gets = 0;
  const client = {
    runs: {
      get: async (threadId: string, runId: string, { signal }: { signal?: AbortSignal } = {}) => {
        calls.push(`get ${threadId} ${runId}`);
        assert.ok(signal, 'RunStream passes its signal');
        return runRecord(statuses[Math.min(gets++, statuses.length - 1)]!, resumable);
      },
      follow: (threadId: string, runId: string, options: FollowOptions) => {
        calls.push(`follow ${threadId} ${runId}`);
        follows.push(options);
        const script = connections[Math.min(follows.length - 1, connections.length - 1)]!;
        return script(options);
      },
    },
  };
  return { client: client as unknown as LiveFeedOptions['client'], calls, follows };
}

const token = (i: number, text: string, msg = 'lc_run--01a2'): StreamEvent => ({
  event: 'messages',
  data: [{ content: text, type: 'AIMessageChunk', id: msg, tool_call_chunks: [] }, { langgraph_node: 'model' }],
  id: String(i),
});
const task = (i: number, data: Record<string, unknown>): StreamEvent => ({ event: 'tasks', data, id: String(i) });

interface Posted {
  at: number;
  batch: LiveBatch;
}

function feed(time: FakeTime, client: LiveFeedOptions['client'], extra: Partial<LiveFeedOptions> = {}) {
  const posts: Posted[] = [];
  const nodes: string[][] = [];
  const live = new LiveFeed({
    client,
    ref: REF,
    post: (batch) => posts.push({ at: time.now(), batch }),
    onNodes: (n) => nodes.push(n),
    stream: { sleep: async () => undefined },
    now: time.now,
    setTimer: time.setTimer,
    clearTimer: time.clearTimer,
    ...extra,
  });
  return { live, posts, nodes };
}

const textOf = (ops: LiveOp[]) =>
  ops
    .filter((o): o is Extract<LiveOp, { op: 'text' }> => o.op === 'text')
    .map((o) => o.text)
    .join('');
const allOps = (posts: Posted[]) => posts.flatMap((p) => p.batch.ops);

describe('LiveFeed: a streamed run posted to the panel in frames', () => {
  it('posts the first op of a quiet spell at once, then at most one batch per 16 ms through a burst of 1,000 tokens, losing nothing', async () => {
    const time = new FakeTime();
    const words = Array.from({ length: 1_000 }, (_, i) => `w${i}${i % 12 === 11 ? '.\n\n' : ' '}`);
    const began = time.now();
    let firstPostedAfterEvents: number | undefined;
    let lastEventAt = 0;
    const { client } = fakeClient(
      [
        async function* () {
          yield task(0, { id: 'm1', name: 'model', input: {}, triggers: ['branch:to:model'] });
          // The first op went out at once, before the next event.
          firstPostedAfterEvents = posts.length;
          // 1,000 tokens, 0.1 ms apart: 100 ms in all.
          for (const [i, w] of words.entries()) {
            time.advance(0.1);
            yield token(i + 1, w);
          }
          lastEventAt = time.now();
          yield task(1_001, { id: 'm1', name: 'model', error: null, result: { messages: [] }, interrupts: [] });
        },
      ],
      ['success'],
    );
    const { live, posts, nodes } = feed(time, client, { run: runRecord('running') });
    const end = await live.run();
    assert.equal(end.reason, 'ended');
    assert.equal(firstPostedAfterEvents, 1);
    assert.deepEqual(posts[0]!.batch.ops.map((o) => o.op), ['step']);
    assert.equal(posts[0]!.at, began);
    // The tail waits for its frame.
    const beforeTail = posts.length;
    assert.equal(time.pending(), 1);
    time.advance(FRAME_MS);
    assert.equal(posts.length, beforeTail + 1);
    assert.equal(time.pending(), 0);

    const gaps = posts.slice(1).map((p, i) => p.at - posts[i]!.at);
    for (const gap of gaps) assert.ok(gap >= FRAME_MS - 1e-9, `a batch ${gap} ms after the one before`);
    const elapsed = posts.at(-1)!.at - posts[0]!.at;
    assert.ok(posts.length <= Math.floor(elapsed / FRAME_MS + 1e-9) + 1, `${posts.length} posts in ${elapsed} ms`);
    // And it did post along the way, not only at the end.
    assert.ok(posts.length >= Math.floor(elapsed / FRAME_MS) - 1, `${posts.length} posts in ${elapsed} ms`);
    assert.ok(posts.length < 20);

    const ops = allOps(posts);
    assert.equal(ops.filter((o) => o.op === 'text').length, 1_000);
    assert.equal(textOf(ops), words.join(''));
    assert.deepEqual(ops.at(-1), { op: 'stepEnd', key: 'm1', at: lastEventAt, wrote: ['messages'] });
    assert.deepEqual(nodes, [['model'], []]);
    assert.deepEqual(posts[1]!.batch.header.nodes, ['model']);
    assert.deepEqual(posts.at(-1)!.batch.header.nodes, []);
  });

  it('a burst that arrives all at once: one post at once, the rest in one batch a frame later', async () => {
    const time = new FakeTime();
    const { client } = fakeClient(
      [
        async function* () {
          for (let i = 0; i < 1_000; i++) yield token(i, `t${i} `);
        },
      ],
      ['success'],
    );
    const { live, posts } = feed(time, client, { run: runRecord('running') });
    await live.run();
    assert.equal(posts.length, 1);
    assert.equal(posts[0]!.batch.ops.length, 1);
    time.advance(FRAME_MS - 1);
    assert.equal(posts.length, 1, 'not before its frame');
    time.advance(1);
    assert.equal(posts.length, 2);
    assert.equal(posts[1]!.batch.ops.length, 999);
    assert.equal(textOf(allOps(posts)), Array.from({ length: 1_000 }, (_, i) => `t${i} `).join(''));
  });

  it('replay(): everything so far with the text of a message merged, tool-call args merged, reset', async () => {
    const time = new FakeTime();
    const words = Array.from({ length: 300 }, (_, i) => `w${i} `);
    const { client } = fakeClient(
      [
        async function* () {
          yield task(0, { id: 'm1', name: 'model', input: {}, triggers: [] });
          yield { event: 'messages', id: '1', data: [{ type: 'ai', id: 'call-msg', content: '', tool_call_chunks: [{ id: 'call_lookup_1', name: 'lookup', args: '{"qu', index: 0 }] }, {}] };
          yield { event: 'messages', id: '2', data: [{ type: 'ai', id: 'call-msg', content: '', tool_call_chunks: [{ args: 'ery":"hi"}', index: 0 }] }, {}] };
          for (const [i, w] of words.entries()) {
            time.advance(0.5);
            yield token(i + 3, w, 'answer');
          }
          yield token(400, 'aside', 'other-msg');
          yield token(401, ' more', 'answer');
        },
      ],
      ['success'],
    );
    const { live, posts } = feed(time, client, { run: runRecord('running') });
    await live.run();
    const replay = live.replay();
    assert.equal(replay.reset, true);
    assert.deepEqual(
      replay.ops.map((o) => (o.op === 'text' ? `text ${o.msg}` : o.op)),
      ['step', 'toolCall', 'text answer', 'text other-msg', 'text answer'],
    );
    assert.deepEqual(replay.ops[1], { op: 'toolCall', msg: 'call-msg', index: 0, id: 'call_lookup_1', name: 'lookup', args: '{"query":"hi"}', ns: [] });
    assert.equal((replay.ops[2] as Extract<LiveOp, { op: 'text' }>).text, words.join(''));
    assert.equal(textOf(replay.ops), `${words.join('')}aside more`);
    // The replay tells the same text as the posts did.
    time.advance(FRAME_MS);
    assert.equal(textOf(allOps(posts)), textOf(replay.ops));
    assert.equal(replay.header.runId, 'r1');
    assert.equal(replay.header.startedAt, Date.parse(CREATED));
    // A copy: what comes later does not change a replay already taken.
    live.finish('Succeeded');
    assert.equal(replay.header.ended, undefined);
  });

  it('keeps 16 MB of text for a replay: past it, no more text (no hole in a message) and a note says the final state has it', async () => {
    const time = new FakeTime();
    const big = 'x'.repeat(10 * 1024 * 1024);
    const { client } = fakeClient(
      [
        async function* () {
          yield token(0, big);
          yield token(1, 'y'.repeat(big.length));
          yield token(2, 'tail');
        },
      ],
      ['success'],
    );
    const { live, posts } = feed(time, client, { run: runRecord('running') });
    await live.run();
    time.advance(FRAME_MS);
    // Live, nothing is lost.
    assert.equal(textOf(allOps(posts)).length, 20 * 1024 * 1024 + 4);
    const replay = live.replay();
    const text = textOf(replay.ops);
    assert.equal(text.length, big.length);
    assert.ok(!text.includes('tail'), 'text after the cut is not spliced onto the message');
    const note = replay.ops.at(-1);
    assert.equal(note?.op, 'note');
    assert.match((note as Extract<LiveOp, { op: 'note' }>).text, /past 16 MB .* final state/);
  });

  it('says so when the run was not created with stream_resumable, and joins it from now on', async () => {
    const time = new FakeTime();
    const { client, follows, calls } = fakeClient(
      [
        async function* () {
          yield token(0, 'late ');
        },
      ],
      ['success'],
      false,
    );
    const { live, posts } = feed(time, client, { run: runRecord('running', false) });
    await live.run();
    assert.equal(follows[0]!.lastEventId, undefined);
    assert.deepEqual(calls, ['follow t1 r1', 'get t1 r1'], 'the run given saves the first read');
    const first = posts[0]!.batch.ops[0]!;
    assert.equal(first.op, 'note');
    assert.equal((first as Extract<LiveOp, { op: 'note' }>).tone, 'info');
    assert.match((first as Extract<LiveOp, { op: 'note' }>).text, /not created with stream_resumable/);
    assert.equal(posts[0]!.at, time.t);
    time.advance(FRAME_MS);
    assert.equal(textOf(allOps(posts)), 'late ');
  });

  it('reads the run itself when none is given: the header gets its creation time and status', async () => {
    const time = new FakeTime();
    const { client, calls } = fakeClient(
      [
        async function* () {
          yield { event: 'metadata', data: { run_id: 'r1' }, id: '0' };
          yield token(1, 'hi');
        },
      ],
      ['pending', 'success'],
    );
    const { live, posts } = feed(time, client);
    assert.equal(live.header.startedAt, time.t, 'until read: now');
    assert.equal(live.header.status, 'running');
    const end = await live.run();
    assert.deepEqual(calls, ['get t1 r1', 'follow t1 r1', 'get t1 r1']);
    assert.equal(end.status, 'success');
    assert.equal(live.header.status, 'success');
    assert.equal(posts[0]!.batch.header.status, 'running');
  });

  it('finish() sends what is pending at once, with the header ended and no nodes running', async () => {
    const time = new FakeTime();
    const { client } = fakeClient(
      [
        async function* () {
          yield task(0, { id: 'm1', name: 'model', input: {}, triggers: [] });
          yield token(1, 'a');
          yield token(2, 'b');
        },
      ],
      ['success'],
    );
    const { live, posts } = feed(time, client, { run: runRecord('running') });
    await live.run();
    assert.equal(posts.length, 1);
    assert.equal(time.pending(), 1, 'the rest waits for its frame');
    live.finish('Succeeded in 2 s');
    assert.equal(posts.length, 2, 'posted at once, not a frame later');
    assert.equal(time.pending(), 0, 'its frame timer is cleared');
    const last = posts[1]!.batch;
    assert.equal(last.header.ended, 'Succeeded in 2 s');
    assert.deepEqual(last.header.nodes, []);
    assert.equal(textOf(last.ops), 'ab');
    time.advance(100);
    assert.equal(posts.length, 2, 'nothing is posted twice');
    assert.equal(live.replay().header.ended, 'Succeeded in 2 s');
  });

  it('a stream that gives up posts warn notes: each reconnect, then that the run is followed in the background', async () => {
    const time = new FakeTime();
    const refused = () => new ApiError('Cannot connect to http://127.0.0.1:2024: connection refused.', { kind: 'network', method: 'GET', path: '/threads/t1/runs/r1/stream', code: 'ECONNREFUSED' });
    const { client, follows } = fakeClient(
      [
        async function* () {
          throw refused();
        },
      ],
      ['running'],
    );
    const { live, posts } = feed(time, client, {
      run: runRecord('running'),
      // The backoff waits pass on the fake clock.
      stream: { maxTries: 2, backoff: { baseMs: 500, capMs: 8_000, random: () => 1 }, sleep: async (ms) => time.advance(ms) },
    });
    const end = await live.run();
    assert.equal(end.reason, 'gave-up');
    assert.equal(follows.length, 3);
    const notes = allOps(posts).filter((o): o is Extract<LiveOp, { op: 'note' }> => o.op === 'note');
    assert.deepEqual(notes.map((n) => n.tone), ['warn', 'warn', 'warn']);
    assert.match(notes[0]!.text, /^Connection lost \(Cannot connect .*\); reconnecting in 0\.5 s/);
    assert.match(notes[1]!.text, /reconnecting in 1\.0 s/);
    assert.match(notes[2]!.text, /Stopped following the run after 2 failed reconnects: Cannot connect .* followed in the background/);
    // The last note is posted at once (the frame before it is long past).
    assert.equal(time.pending(), 0);
  });

  it('a stream that fails (the run is not there) posts a warn note in the server\'s words', async () => {
    const time = new FakeTime();
    const { client } = fakeClient(
      [
        async function* () {
          throw new ApiError('404 Not Found: Run not found', { kind: 'http', status: 404, method: 'GET', path: '/stream', serverMessage: 'Run not found' });
        },
      ],
      ['running'],
    );
    const { live, posts } = feed(time, client, { run: runRecord('running') });
    const end = await live.run();
    assert.equal(end.reason, 'failed');
    const [note] = allOps(posts);
    assert.equal(note?.op, 'note');
    assert.match((note as Extract<LiveOp, { op: 'note' }>).text, /^Stopped streaming: 404 Not Found: Run not found/);
    assert.equal((note as Extract<LiveOp, { op: 'note' }>).tone, 'warn');
  });

  it('dispose() stops the stream (aborted) and clears its frame timer', async () => {
    const time = new FakeTime();
    const holder: { feed?: LiveFeed } = {};
    const { client } = fakeClient(
      [
        async function* ({ signal }) {
          yield token(0, 'a');
          yield token(1, 'b');
          holder.feed!.dispose();
          assert.equal(signal?.aborted, true);
          // What the client does on an aborted signal.
          throw new ApiError('Cancelled.', { kind: 'aborted', method: 'GET', path: '/stream' });
        },
      ],
      ['running'],
    );
    const { live, posts } = feed(time, client, { run: runRecord('running') });
    holder.feed = live;
    const end = await live.run();
    assert.equal(end.reason, 'aborted');
    assert.equal(time.pending(), 0);
    time.advance(100);
    assert.equal(textOf(allOps(posts)), 'a');
  });
});
