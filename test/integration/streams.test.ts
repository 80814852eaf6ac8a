import { strict as assert } from 'node:assert';
import type { RunCreate, StreamEvent } from '../../src/api';
import { userInput } from '../harness/messages';
import { client } from './setup';

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
