import { strict as assert } from 'node:assert';
import type { RunCreate, StreamEvent } from '../../src/api';
import { LIVE_RUN_OPTIONS } from '../../src/core/live/liveRun';
import { RunStream, type RunStreamNotice } from '../../src/core/live/runStream';
import { userInput } from '../harness/messages';
import { RecordingProxy } from '../harness/proxy';
import { agentServer, client } from './setup';

/** The `stream` fixture graph's run body: `tokens` chunks of markdown at `rate` per second (0: no pause). */
export function streamRun(tokens: number, rate: number, extra: Partial<RunCreate> = {}): RunCreate {
  return {
    assistant_id: 'stream',
    input: userInput('tell me about streams'),
    context: { tokens, tokens_per_second: rate },
    stream_mode: ['messages-tuple', 'updates', 'custom'],
    stream_subgraphs: true,
    stream_resumable: true,
    ...extra,
  };
}

/** The answer's token chunks (`messages` events of the model's answer with text), in order. */
export function answerChunks(events: StreamEvent[]): string[] {
  return events
    .filter((e) => e.event === 'messages')
    .map((e) => (e.data as [{ type: string; content: unknown }, { langgraph_node?: string }])[0])
    .filter((m) => (m.type === 'ai' || m.type === 'AIMessageChunk') && typeof m.content === 'string' && m.content !== '')
    .map((m) => m.content as string);
}

export const baseName = (event: string) => event.split('|')[0]!;

describe('integration: the streaming graph', () => {
  it('streams token chunks (messages-tuple), node updates, custom events and subgraph namespaces, alike on both servers', async () => {
    const c = client();
    const thread = await c.threads.create();
    const events: StreamEvent[] = [];
    for await (const event of c.runs.stream(thread.thread_id, streamRun(40, 0))) events.push(event);
    assert.equal(events[0]!.event, 'metadata');

    const chunks = answerChunks(events);
    assert.equal(chunks.length, 40);
    assert.equal(chunks[0], '## Answer\n\n');
    const state = await c.threads.getState(thread.thread_id);
    const messages = (state.values as { messages: { type: string; content: unknown; tool_calls?: { name: string }[] }[] }).messages;
    assert.deepEqual(messages.map((m) => m.type), ['human', 'ai', 'tool', 'ai']);
    assert.equal(messages[1]!.tool_calls?.[0]?.name, 'lookup');
    assert.equal(messages[2]!.content, 'lookup found 3 results for "tell me about streams"');
    assert.equal(messages[3]!.content, chunks.join(''));
    assert.equal(chunks.join('').length, 228);

    const updates = events.filter((e) => e.event === 'updates').map((e) => Object.keys(e.data as object)[0]);
    assert.deepEqual(updates, ['research', 'model', 'tools', 'model']);
    const custom = events.filter((e) => baseName(e.event) === 'custom').map((e) => e.data);
    assert.deepEqual(custom, [
      { stage: 'research', note: 'gathered' },
      { stage: 'model', step: 'tool_call' },
      { stage: 'tools', tool: 'lookup' },
      { stage: 'model', step: 'answer' },
    ]);
    const namespaced = events.filter((e) => e.event.includes('|')).map((e) => e.event.replace(/:[0-9a-f-]+$/, ''));
    assert.deepEqual(namespaced, ['custom|research', 'updates|research']);
  });
});

describe('integration: RunStream on the real server', () => {
  const collect = async (stream: AsyncIterable<StreamEvent>) => {
    const events: StreamEvent[] = [];
    for await (const event of stream) events.push(event);
    return events;
  };
  const sameEvents = (events: StreamEvent[]) => events.map((e) => JSON.stringify([e.event, e.id, e.data]));

  it('follows a resumable run live: every token, node updates while it runs, custom events, subgraph namespaces; a finished run replays the same', async () => {
    const c = client();
    const thread = await c.threads.create();
    const run = await c.runs.create(thread.thread_id, streamRun(60, 50));
    const stream = new RunStream(c, thread.thread_id, run.run_id);
    const events: StreamEvent[] = [];
    const statusAtUpdate: string[] = [];
    for await (const event of stream) {
      events.push(event);
      if (event.event === 'updates' && statusAtUpdate.length < 2) statusAtUpdate.push((await c.runs.get(thread.thread_id, run.run_id)).status);
    }
    assert.deepEqual(stream.end, { reason: 'ended', status: 'success', reconnects: 0 });
    assert.equal(stream.resumable, true);
    assert.deepEqual(statusAtUpdate, ['running', 'running']);
    assert.equal(answerChunks(events).length, 60);
    assert.deepEqual(events.filter((e) => e.event === 'updates').map((e) => Object.keys(e.data as object)[0]), ['research', 'model', 'tools', 'model']);
    assert.equal(events.filter((e) => baseName(e.event) === 'custom').length, 4);
    assert.deepEqual(events.filter((e) => e.event.includes('|')).map((e) => baseName(e.event)), ['custom', 'updates']);

    const again = new RunStream(c, thread.thread_id, run.run_id);
    assert.deepEqual(sameEvents(await collect(again)), sameEvents(events));
    assert.equal(again.end?.reason, 'ended');
  });

  it('resumes a stream cut mid-event by the loopback proxy: no duplicate, no gap', async () => {
    const proxy = new RecordingProxy(agentServer().url);
    const c = client({ url: await proxy.start() });
    try {
      const thread = await c.threads.create();
      const run = await c.runs.create(thread.thread_id, streamRun(80, 80));
      // Well into the answer's tokens (a token event is 1.5-2.5 kB), and not at an event's end.
      proxy.cutAfter(40_001, (req) => (req.url ?? '').includes('/stream'));
      const notices: RunStreamNotice[] = [];
      const stream = new RunStream(c, thread.thread_id, run.run_id, { onNotice: (n) => notices.push(n) });
      const events = await collect(stream);
      assert.equal(proxy.cutsDone, 1);
      assert.deepEqual(stream.end, { reason: 'ended', status: 'success', reconnects: 1 });
      assert.deepEqual(notices.map((n) => n.kind), ['reconnecting']);
      const replay = await collect(c.runs.follow(thread.thread_id, run.run_id, { lastEventId: '-1' }));
      assert.deepEqual(sameEvents(events), sameEvents(replay));
      assert.equal(answerChunks(events).length, 80);
    } finally {
      await proxy.stop();
    }
  });

  it('resumes a cut stream of a run made with the live options (messages-tuple, tasks, custom): every token once', async () => {
    const proxy = new RecordingProxy(agentServer().url);
    const c = client({ url: await proxy.start() });
    try {
      const thread = await c.threads.create();
      const run = await c.runs.create(thread.thread_id, { ...streamRun(150, 60), ...LIVE_RUN_OPTIONS });
      proxy.cutAfter(30_001, (req) => (req.url ?? '').includes('/stream'));
      const stream = new RunStream(c, thread.thread_id, run.run_id, { run });
      const events = await collect(stream);
      assert.equal(proxy.cutsDone, 1);
      assert.equal(stream.end?.reason, 'ended');
      const state = await c.threads.getState(thread.thread_id);
      const messages = (state.values as { messages: { content: unknown }[] }).messages;
      assert.equal(answerChunks(events).join(''), messages.at(-1)!.content);
      const replay = await collect(c.runs.follow(thread.thread_id, run.run_id, { lastEventId: '-1' }));
      assert.deepEqual(sameEvents(events), sameEvents(replay));
    } finally {
      await proxy.stop();
    }
  });

  it('follows a run whose tokens come in a burst (many per millisecond): the chunks make the final answer exactly', async () => {
    const c = client();
    const thread = await c.threads.create();
    const run = await c.runs.create(thread.thread_id, streamRun(300, 0));
    const stream = new RunStream(c, thread.thread_id, run.run_id);
    const events = await collect(stream);
    assert.equal(stream.end?.reason, 'ended');
    const state = await c.threads.getState(thread.thread_id);
    const messages = (state.values as { messages: { content: unknown }[] }).messages;
    assert.equal(answerChunks(events).join(''), messages.at(-1)!.content);
    assert.equal(answerChunks(events).length, 300);
  });

  it('says that earlier events are not available for a run made without stream_resumable, and still reads its end', async () => {
    const c = client();
    const thread = await c.threads.create();
    const run = await c.runs.create(thread.thread_id, streamRun(30, 30, { stream_resumable: false }));
    const notices: RunStreamNotice[] = [];
    const stream = new RunStream(c, thread.thread_id, run.run_id, { onNotice: (n) => notices.push(n) });
    const events = await collect(stream);
    assert.deepEqual(notices, [{ kind: 'earlier-events-unavailable' }]);
    assert.equal(stream.resumable, false);
    assert.deepEqual(stream.end, { reason: 'ended', status: 'success', reconnects: 0 });
    assert.ok(answerChunks(events).length <= 30);
  });
});
