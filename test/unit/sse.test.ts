import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSse, type StreamEvent } from '../../src/api/sse';
import { FakeServer } from './fakeServer';
import { AgentServerClient } from '../../src/api';

// Real captures from the JS Agent Server (see ../shared/reference): pretty-printed JSON over
// several `data:` lines.
const fixture = (name: string): string => readFileSync(join(__dirname, '../../../test/unit/fixtures', name), 'utf8');

async function* chunked(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function collect(source: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const event of source) out.push(event);
  return out;
}

describe('parseSse', () => {
  it('joins multi-line data into JSON, whatever the chunk boundaries', async () => {
    const text = fixture('21_stream_values_only.sse');
    const whole = await collect(parseSse(chunked(text, text.length)));
    for (const size of [1, 7, 64]) assert.deepEqual(await collect(parseSse(chunked(text, size))), whole);
    assert.equal(whole[0]!.event, 'metadata');
    assert.equal(typeof (whole[0]!.data as { run_id: string }).run_id, 'string');
    assert.equal(whole[0]!.id, '0');
    const values = whole.filter((e) => e.event === 'values');
    assert.ok(values.length >= 2);
    const last = values.at(-1)!.data as { messages: { type: string }[] };
    assert.equal(last.messages.at(-1)!.type, 'ai');
  });

  it('passes an error event through with the server message', async () => {
    const events = await collect(parseSse(chunked(fixture('57_err_stream.sse'), 13)));
    const error = events.find((e) => e.event === 'error');
    assert.deepEqual(error?.data, { error: 'Error', message: 'Deliberate failure requested by input: "fail in stream"' });
  });

  it('stops at `event: end` (Python server), reports comments, and keeps non-JSON data as text', async () => {
    const comments: string[] = [];
    const text = ': heartbeat\r\n\r\nevent: custom\r\ndata: not json\r\n\r\nevent: end\r\ndata: null\r\n\r\nevent: after\r\ndata: 1\r\n\r\n';
    const events = await collect(parseSse(chunked(text, 5), { onComment: (c) => comments.push(c) }));
    assert.deepEqual(events.map((e) => e.event), ['custom', 'end']);
    assert.equal(events[0]!.data, 'not json');
    assert.deepEqual(comments, ['heartbeat']);
  });

  it('decodes UTF-8 split across network chunks, and arms the idle watchdog after a heartbeat', async () => {
    const server = new FakeServer();
    const url = await server.start();
    try {
      const payload = Buffer.from('event: values\ndata: {"text": "héllo 🌍"}\n\n', 'utf8');
      server.then((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        // Split inside the multi-byte characters.
        res.write(payload.subarray(0, 30));
        setTimeout(() => res.end(payload.subarray(30)), 20);
      });
      server.then((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(': heartbeat\n\n');
        // …then silence: the watchdog (armed by the heartbeat) must end the stream.
      });
      const client = new AgentServerClient({ url });
      const events = await collect(client.runs.joinStream('t1', 'r1'));
      assert.deepEqual(events[0]!.data, { text: 'héllo 🌍' });
      await assert.rejects(collect(client.runs.joinStream('t1', 'r1', { heartbeatIdleMs: 100 })), /went silent/);
    } finally {
      await server.stop();
    }
  });
});
