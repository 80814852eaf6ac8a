import { strict as assert } from 'node:assert';
import type { RunCreate, StreamEvent } from '../../src/api';
import type { LiveOp } from '../../src/core/live/liveOps';
import { LIVE_RUN_OPTIONS, LiveRun, withLiveOptions } from '../../src/core/live/liveRun';

/** The Python server's ids: `<ms>-0`, the time of the event. */
const T0 = 1_767_304_800_000;
const py = (ms: number, event: string, data: unknown): StreamEvent => ({ event, data, id: `${T0 + ms}-0` });

/** The JS server's ids: a counter (no time in it). */
const jsEvents = (list: [string, unknown][]): StreamEvent[] => list.map(([event, data], i) => ({ event, data, id: String(i) }));

const RESEARCH = '5a8b6c1e-0d3f-4a9b-9e7c-2f1a0b3c4d5e';
const GATHER = '9c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f';
const MODEL_1 = '1b2c3d4e-5f60-4718-a9b0-c1d2e3f4a5b6';
const TOOLS = '2c3d4e5f-6071-4829-b0c1-d2e3f4a5b6c7';
const MODEL_2 = '3d4e5f60-7182-493a-c1d2-e3f4a5b6c7d8';

const start = (id: string, name: string, input: unknown = {}) => ({ id, name, input, triggers: [`branch:to:${name}`] });
const end = (id: string, name: string, result: unknown, error: unknown = null, interrupts: unknown[] = []) => ({ id, name, error, result, interrupts });

/** A messages-tuple event's data: `[chunk, metadata]`. */
const chunk = (message: Record<string, unknown>, node = 'model') => [message, { langgraph_node: node, langgraph_step: 3 }];
const aiChunk = (id: string, content: string, extra: Record<string, unknown> = {}) => chunk({ content, type: 'AIMessageChunk', id, tool_call_chunks: [], ...extra });

/** The stream fixture graph on the Python server: research (a subgraph: gather) → model → tools → model. */
function pythonRun(): StreamEvent[] {
  return [
    py(0, 'metadata', { run_id: 'r1', attempt: 1 }),
    py(2, 'tasks', start(RESEARCH, 'research', { messages: [] })),
    py(3, `tasks|research:${RESEARCH}`, start(GATHER, 'gather')),
    py(4, `custom|research:${RESEARCH}`, { stage: 'research', note: 'gathered' }),
    py(6, `tasks|research:${RESEARCH}`, end(GATHER, 'gather', { notes: ['gathered'] })),
    py(7, 'tasks', end(RESEARCH, 'research', { messages: [{ type: 'ai', content: 'notes' }], notes: ['gathered'] })),
    py(8, 'tasks', start(MODEL_1, 'model')),
    py(9, 'custom', { stage: 'model', step: 'tool_call' }),
    py(10, 'messages', aiChunk('lc_run--01a2', '', { tool_call_chunks: [{ id: 'call_lookup_1', name: 'lookup', args: '{"query":"hi"}', index: 0, type: 'tool_call_chunk' }], tool_calls: [{ id: 'call_lookup_1', name: 'lookup', args: { query: 'hi' } }] })),
    // Python ends every model call with one empty chunk.
    py(11, 'messages', aiChunk('lc_run--01a2', '', { chunk_position: 'last' })),
    py(20, 'tasks', end(MODEL_1, 'model', { messages: [{ type: 'ai', content: '' }] })),
    py(21, 'tasks', start(TOOLS, 'tools')),
    py(23, 'messages', chunk({ content: 'lookup found 3 results for "hi"', type: 'tool', name: 'lookup', tool_call_id: 'call_lookup_1', id: 'tool-1', status: 'success' }, 'tools')),
    py(24, 'tasks', end(TOOLS, 'tools', { messages: [{ type: 'tool' }] })),
    py(25, 'tasks', start(MODEL_2, 'model')),
    py(26, 'messages', aiChunk('lc_run--03b4', '## Answer\n\n')),
    py(27, 'messages', aiChunk('lc_run--03b4', 'tokens ')),
    py(27, 'messages', aiChunk('lc_run--03b4', 'tokens ')),
    py(28, 'messages', aiChunk('lc_run--03b4', '', { chunk_position: 'last' })),
    py(40, 'tasks', end(MODEL_2, 'model', { messages: [{ type: 'ai', content: '## Answer\n\ntokens tokens ' }] })),
  ];
}

/** Applies each event; returns every op and the running nodes after each event. */
function fold(live: LiveRun, events: StreamEvent[]): { ops: LiveOp[]; nodes: string[][] } {
  const ops: LiveOp[] = [];
  const nodes: string[][] = [];
  for (const event of events) {
    ops.push(...live.apply(event));
    nodes.push(live.nodes());
  }
  return { ops, nodes };
}

const of = <K extends LiveOp['op']>(ops: LiveOp[], kind: K) => ops.filter((o): o is Extract<LiveOp, { op: K }> => o.op === kind);

/** Each finished step as `node (ns) ms wrote`, from its step and stepEnd ops. */
function steps(ops: LiveOp[]): string[] {
  const started = new Map(of(ops, 'step').map((s) => [s.key, s]));
  return of(ops, 'stepEnd').map((e) => {
    const s = started.get(e.key)!;
    return `${[...s.ns, s.node].join(' › ')} ${e.at - s.at}ms [${e.wrote.join(',')}]${e.error ? ` error=${e.error}` : ''}${e.interrupted ? ' interrupted' : ''}`;
  });
}

describe('LiveRun: stream events folded into live ops', () => {
  it("folds the Python server's run: steps with keys written and durations from the <ms>-0 ids, the subgraph's node, tool call, tool result, text", () => {
    const live = new LiveRun(() => 0);
    const { ops, nodes } = fold(live, pythonRun());
    assert.deepEqual(steps(ops), [
      'research › gather 3ms [notes]',
      'research 5ms [messages,notes]',
      'model 12ms [messages]',
      'tools 3ms [messages]',
      'model 15ms [messages]',
    ]);
    assert.deepEqual(of(ops, 'step')[0], { op: 'step', key: RESEARCH, node: 'research', ns: [], at: T0 + 2 });
    // A subgraph's task is keyed by its parent's task id too, so it cannot collide with a top-level one.
    assert.deepEqual(of(ops, 'step')[1], { op: 'step', key: `${RESEARCH}/${GATHER}`, node: 'gather', ns: ['research'], at: T0 + 3 });
    assert.equal(live.finished, 5);
    assert.deepEqual(nodes.slice(0, 7), [[], ['research'], ['research', 'research › gather'], ['research', 'research › gather'], ['research'], [], ['model']]);
    assert.deepEqual(nodes.at(-2), ['model']);
    assert.deepEqual(live.nodes(), []);

    assert.deepEqual(of(ops, 'custom'), [
      { op: 'custom', ns: ['research'], node: 'research', at: T0 + 4, data: '{\n  "stage": "research",\n  "note": "gathered"\n}' },
      { op: 'custom', ns: [], node: 'model', at: T0 + 9, data: '{\n  "stage": "model",\n  "step": "tool_call"\n}' },
    ]);
    assert.deepEqual(of(ops, 'toolCall'), [{ op: 'toolCall', msg: 'lc_run--01a2', index: 0, id: 'call_lookup_1', name: 'lookup', args: '{"query":"hi"}', ns: [] }]);
    assert.deepEqual(of(ops, 'toolResult'), [{ op: 'toolResult', msg: 'tool-1', name: 'lookup', callId: 'call_lookup_1', text: 'lookup found 3 results for "hi"', ns: [] }]);
    const texts = of(ops, 'text');
    assert.deepEqual(texts.map((t) => t.text), ['## Answer\n\n', 'tokens ', 'tokens ']);
    for (const t of texts) assert.deepEqual({ msg: t.msg, node: t.node, ns: t.ns }, { msg: 'lc_run--03b4', node: 'model', ns: [] });
    // The empty last chunks, and the metadata event, make no op.
    assert.equal(ops.length, 10 + 2 + 1 + 1 + 3);
  });

  it("folds the JS server's shapes the same: type ai, counter ids (times from the clock), results with $writes", () => {
    let clock = 50_000;
    const live = new LiveRun(() => (clock += 10));
    const events = jsEvents([
      ['metadata', { run_id: 'r1' }],
      ['tasks', { ...start(RESEARCH, 'research'), interrupts: [] }],
      [`tasks|research:${RESEARCH}`, { ...start(GATHER, 'gather'), interrupts: [] }],
      [`tasks|research:${RESEARCH}`, end(GATHER, 'gather', { notes: ['gathered'] })],
      ['tasks', end(RESEARCH, 'research', { messages: { $writes: [{ type: 'ai' }, { type: 'ai' }] }, notes: ['gathered'] })],
      ['tasks', { ...start(MODEL_2, 'model'), interrupts: [] }],
      ['messages', chunk({ content: 'one ', type: 'ai', id: 'run-7f00', tool_call_chunks: [], tool_calls: [] })],
      ['messages', chunk({ content: 'two', type: 'ai', id: 'run-7f00', tool_call_chunks: [], tool_calls: [] })],
      ['tasks', end(MODEL_2, 'model', { messages: [{ type: 'ai' }] })],
    ]);
    const { ops, nodes } = fold(live, events);
    // Each event reads the clock once (the metadata event too), 10 ms apart.
    assert.deepEqual(steps(ops), ['research › gather 10ms [notes]', 'research 30ms [messages,notes]', 'model 30ms [messages]']);
    assert.deepEqual(of(ops, 'step').map((s) => s.at), [50_020, 50_030, 50_060]);
    assert.deepEqual(nodes[2], ['research', 'research › gather']);
    assert.deepEqual(of(ops, 'text').map((t) => [t.msg, t.node, t.text]), [
      ['run-7f00', 'model', 'one '],
      ['run-7f00', 'model', 'two'],
    ]);
    assert.deepEqual(live.nodes(), []);
  });

  it('lists the running nodes top level first, a nested subgraph as parent › child › node', () => {
    const live = new LiveRun(() => 0);
    live.apply(py(0, `tasks|research:${RESEARCH}|inner:${GATHER}`, start('deep', 'fetch')));
    live.apply(py(1, `tasks|research:${RESEARCH}`, start(GATHER, 'inner')));
    live.apply(py(2, 'tasks', start(RESEARCH, 'research')));
    live.apply(py(3, 'tasks', start(MODEL_1, 'critic')));
    assert.deepEqual(live.nodes(), ['research', 'critic', 'research › inner', 'research › inner › fetch']);
    const [endOp] = live.apply(py(9, `tasks|research:${RESEARCH}|inner:${GATHER}`, end('deep', 'fetch', {})));
    assert.deepEqual(endOp, { op: 'stepEnd', key: `${RESEARCH}/${GATHER}/deep`, at: T0 + 9, wrote: [] });
    assert.deepEqual(live.nodes(), ['research', 'critic', 'research › inner']);
  });

  it('a step that ends without its start (joined late) gets its step op first, and two parallel nodes both run', () => {
    const live = new LiveRun(() => 0);
    const ops = [...live.apply(py(0, 'tasks', start('a', 'left'))), ...live.apply(py(0, 'tasks', start('b', 'right')))];
    assert.deepEqual(live.nodes(), ['left', 'right']);
    ops.push(...live.apply(py(5, 'tasks', end('b', 'right', { out: 1 }))));
    assert.deepEqual(live.nodes(), ['left']);
    const late = live.apply(py(7, 'tasks', end('zzz', 'earlier', { out: 2 })));
    assert.deepEqual(late, [
      { op: 'step', key: 'zzz', node: 'earlier', ns: [], at: T0 + 7 },
      { op: 'stepEnd', key: 'zzz', at: T0 + 7, wrote: ['out'] },
    ]);
    assert.deepEqual(live.nodes(), ['left']);
  });

  it('reads the keys written from a list of [channel, value] writes too, once each', () => {
    const live = new LiveRun(() => 0);
    const ops = live.apply(py(0, 'tasks', end('w', 'writer', [['messages', 1], ['notes', 'a'], ['notes', 'b'], 'junk', [7, 'x']])));
    assert.deepEqual(ops, [
      { op: 'step', key: 'w', node: 'writer', ns: [], at: T0 },
      { op: 'stepEnd', key: 'w', at: T0, wrote: ['messages', 'notes'] },
    ]);
  });

  it('marks a step that stopped at an interrupt', () => {
    const live = new LiveRun(() => 0);
    live.apply(py(0, 'tasks', start('h', 'approve')));
    const [op] = live.apply(py(4, 'tasks', end('h', 'approve', {}, null, [{ value: { question: 'Approve?' }, id: 'i1' }])));
    assert.deepEqual(op, { op: 'stepEnd', key: 'h', at: T0 + 4, wrote: [], interrupted: true });
  });

  it("gives a failed task's error in words: Python's repr string, JS's {message, name}", () => {
    const live = new LiveRun(() => 0);
    let n = 0;
    const error = (e: unknown) => {
      const ops = live.apply(py(0, 'tasks', end(`k${n++}`, 'fail', null, e)));
      return (ops.at(-1) as Extract<LiveOp, { op: 'stepEnd' }>).error;
    };
    assert.equal(error("ValueError('boom')"), 'ValueError: boom');
    assert.equal(error(`ValueError('it\\'s "quoted"')`), 'ValueError: it\'s "quoted"');
    assert.equal(error('plain words'), 'plain words');
    // The JS server writes {message, name}; a plain Error reads as its message alone.
    assert.equal(error({ message: 'boom', name: 'Error' }), 'boom');
    assert.equal(error({ message: 'x is undefined', name: 'TypeError' }), 'TypeError: x is undefined');
    assert.equal(error({ error: 'ValueError', message: 'boom' }), 'ValueError: boom');
    assert.equal(error(null), undefined);
  });

  it('one op per text chunk, keyed by its message id, with the node and the subgraph it came from', () => {
    const live = new LiveRun(() => 0);
    const ops = [
      py(0, 'messages', aiChunk('m-a', 'alpha ')),
      py(1, `messages|research:${RESEARCH}`, chunk({ content: 'inner', type: 'AIMessageChunk', id: 'm-b' }, 'summarize')),
      py(2, 'messages', aiChunk('m-a', 'beta')),
      // Whitespace is text too (a paragraph break), kept as it came.
      py(3, 'messages', aiChunk('m-a', '\n\n')),
    ].flatMap((e) => live.apply(e));
    assert.deepEqual(ops, [
      { op: 'text', msg: 'm-a', node: 'model', ns: [], text: 'alpha ' },
      { op: 'text', msg: 'm-b', node: 'summarize', ns: ['research'], text: 'inner' },
      { op: 'text', msg: 'm-a', node: 'model', ns: [], text: 'beta' },
      { op: 'text', msg: 'm-a', node: 'model', ns: [], text: '\n\n' },
    ]);
  });

  it('reads text from content blocks, and gives no op for a human message or an empty chunk', () => {
    const live = new LiveRun(() => 0);
    assert.deepEqual(live.apply(py(0, 'messages', aiChunk('m', '', { content: [{ type: 'text', text: 'Hel', index: 0 }] }))), [{ op: 'text', msg: 'm', node: 'model', ns: [], text: 'Hel' }]);
    assert.deepEqual(live.apply(py(1, 'messages', chunk({ content: 'hi', type: 'human', id: 'h' }))), []);
    assert.deepEqual(live.apply(py(2, 'messages', aiChunk('m', ''))), []);
  });

  it('tool-call chunks: one op per chunk, args appended by index, id and name only when sent', () => {
    const live = new LiveRun(() => 0);
    const ops = [
      py(0, 'messages', aiChunk('m', '', { tool_call_chunks: [{ id: 'call_lookup_1', name: 'lookup', args: '{"que', index: 0 }] })),
      py(1, 'messages', aiChunk('m', '', { tool_call_chunks: [{ id: null, name: null, args: 'ry":"hi"}', index: 0 }] })),
      py(2, 'messages', aiChunk('m', '', { tool_call_chunks: [{ id: 'call_2', name: 'search', args: '', index: 1 }, { args: '{}' }] })),
    ].flatMap((e) => live.apply(e));
    assert.deepEqual(ops, [
      { op: 'toolCall', msg: 'm', index: 0, id: 'call_lookup_1', name: 'lookup', args: '{"que', ns: [] },
      { op: 'toolCall', msg: 'm', index: 0, args: 'ry":"hi"}', ns: [] },
      { op: 'toolCall', msg: 'm', index: 1, id: 'call_2', name: 'search', args: '', ns: [] },
      // No index: its place in the chunk list.
      { op: 'toolCall', msg: 'm', index: 1, args: '{}', ns: [] },
    ]);
  });

  it('a whole message (not streamed) with tool_calls: its text and all its calls at once', () => {
    const live = new LiveRun(() => 0);
    const ops = live.apply({
      event: 'messages',
      id: '12',
      data: chunk({ type: 'ai', id: 'msg-9', content: 'Let me look.', tool_calls: [{ id: 'call_a', name: 'lookup', args: { query: 'hi' } }, { name: 'search', args: {} }] }),
    });
    assert.deepEqual(ops, [
      { op: 'text', msg: 'msg-9', node: 'model', ns: [], text: 'Let me look.' },
      { op: 'toolCall', msg: 'msg-9', index: 0, id: 'call_a', name: 'lookup', args: '{\n  "query": "hi"\n}', ns: [] },
      { op: 'toolCall', msg: 'msg-9', index: 1, name: 'search', args: '{}', ns: [] },
    ]);
  });

  it("tool results: the tool's words, its call and name; a failed tool (status error) marked", () => {
    const live = new LiveRun(() => 0);
    const ok = live.apply(py(0, `messages|agent:${RESEARCH}`, chunk({ content: 'lookup found 3 results…', type: 'tool', name: 'lookup', tool_call_id: 'call_lookup_1', id: 't1' }, 'tools')));
    assert.deepEqual(ok, [{ op: 'toolResult', msg: 't1', name: 'lookup', callId: 'call_lookup_1', text: 'lookup found 3 results…', ns: ['agent'] }]);
    const failed = live.apply(py(1, 'messages', chunk({ content: "Error: KeyError('city')", type: 'tool', name: 'weather', tool_call_id: 'call_w', id: 't2', status: 'error' }, 'tools')));
    assert.deepEqual(failed, [{ op: 'toolResult', msg: 't2', name: 'weather', callId: 'call_w', text: "Error: KeyError('city')", error: true, ns: [] }]);
  });

  it('clips a huge custom payload to 2,000 characters; a small one is shown whole, a string as it came', () => {
    const live = new LiveRun(() => 0);
    const [big] = live.apply(py(0, 'custom', { blob: 'x'.repeat(100_000) })) as [Extract<LiveOp, { op: 'custom' }>];
    assert.ok(big.data.length <= 2_000, `clipped to ${big.data.length}`);
    assert.ok(big.data.startsWith('{\n  "blob": "xxx'));
    assert.ok(big.data.endsWith('…'));
    const [small] = live.apply(py(1, 'custom', { stage: 'tools', tool: 'lookup' })) as [Extract<LiveOp, { op: 'custom' }>];
    assert.deepEqual(JSON.parse(small.data), { stage: 'tools', tool: 'lookup' });
    assert.deepEqual(live.apply(py(2, 'custom', 'progress: 50%')), [{ op: 'custom', ns: [], at: T0 + 2, data: 'progress: 50%' }]);
  });

  it("an error event in the server's words", () => {
    const live = new LiveRun(() => 7);
    assert.deepEqual(live.apply(py(0, 'error', { error: 'ValueError', message: 'boom' })), [{ op: 'error', text: 'ValueError: boom', at: T0 }]);
    assert.deepEqual(live.apply({ event: 'error', data: { error: 'Error', message: 'boom' }, id: '4' }), [{ op: 'error', text: 'boom', at: 7 }]);
    assert.deepEqual(live.apply({ event: 'error', data: 'Internal Server Error' }), [{ op: 'error', text: 'Internal Server Error', at: 7 }]);
  });

  it('an unknown event type, data that is not JSON, and a messages event whose data is not an array become `other` lines', () => {
    const live = new LiveRun(() => 7);
    assert.deepEqual(live.apply(py(0, 'tasks/whatever', { a: 1 })), [{ op: 'other', event: 'tasks/whatever', data: '{\n  "a": 1\n}', at: T0 }]);
    assert.deepEqual(live.apply({ event: 'updates', data: 'not json {', id: '3' }), [{ op: 'other', event: 'updates', data: 'not json {', at: 7 }]);
    assert.deepEqual(live.apply({ event: 'messages', data: { content: 'x', type: 'ai' }, id: '4' }), [{ op: 'other', event: 'messages', data: '{\n  "content": "x",\n  "type": "ai"\n}', at: 7 }]);
    assert.deepEqual(live.apply({ event: 'messages', data: 'not json [', id: '5' }), [{ op: 'other', event: 'messages', data: 'not json [', at: 7 }]);
    assert.deepEqual(live.apply({ event: 'messages', data: ['not a message', {}], id: '6' }), [{ op: 'other', event: 'messages', data: '[\n  "not a message",\n  {}\n]', at: 7 }]);
    // A task event without an id or a name cannot be placed.
    assert.deepEqual(live.apply({ event: 'tasks', data: { name: 'x' }, id: '7' }), [{ op: 'other', event: 'tasks', data: '{\n  "name": "x"\n}', at: 7 }]);
    assert.deepEqual(live.nodes(), []);
    // An event name that is huge is clipped too.
    const [odd] = live.apply({ event: 'z'.repeat(5_000), data: 'x'.repeat(10_000) }) as [Extract<LiveOp, { op: 'other' }>];
    assert.ok(odd.event.length <= 200 && odd.data.length <= 2_000);
  });

  it('passes a 10 MB text chunk through whole', () => {
    const live = new LiveRun(() => 0);
    const text = 'abcdefghij'.repeat(1024 * 1024);
    const ops = live.apply(py(0, 'messages', aiChunk('big', text)));
    assert.equal(ops.length, 1);
    assert.equal((ops[0] as Extract<LiveOp, { op: 'text' }>).text.length, 10 * 1024 * 1024);
    assert.equal((ops[0] as Extract<LiveOp, { op: 'text' }>).text, text);
  });
});

describe('withLiveOptions: what a run the extension creates asks for', () => {
  const body = (extra: Partial<RunCreate> = {}): RunCreate => ({ assistant_id: 'agent', input: { messages: [] }, ...extra });

  it('adds the live stream modes, subgraphs and resumable to a body without them', () => {
    const out = withLiveOptions(body());
    assert.deepEqual(out, { assistant_id: 'agent', input: { messages: [] }, ...LIVE_RUN_OPTIONS });
    assert.deepEqual(LIVE_RUN_OPTIONS, { stream_mode: ['messages-tuple', 'tasks', 'custom'], stream_subgraphs: true, stream_resumable: true });
  });

  it("keeps a file's own stream modes in a union, given as a string or a list, each once", () => {
    assert.deepEqual(withLiveOptions(body({ stream_mode: 'values' })).stream_mode, ['values', 'messages-tuple', 'tasks', 'custom']);
    assert.deepEqual(withLiveOptions(body({ stream_mode: ['updates', 'custom', 'tasks'] })).stream_mode, ['updates', 'custom', 'tasks', 'messages-tuple']);
  });

  it("lets the file's own stream_subgraphs and stream_resumable win, and leaves the rest of the body alone", () => {
    const input = body({ stream_subgraphs: false, stream_resumable: false, metadata: { k: 1 } });
    const out = withLiveOptions(input);
    assert.equal(out.stream_subgraphs, false);
    assert.equal(out.stream_resumable, false);
    assert.deepEqual(out.metadata, { k: 1 });
    assert.equal(input.stream_mode, undefined, 'the body given is not changed');
  });
});

describe('LiveRun: a run the server starts again', () => {
  it('says "attempt 2" at a second metadata event (whatever its count says) and forgets the nodes it cut off', () => {
    const live = new LiveRun(() => T0);
    live.apply(py(0, 'metadata', { run_id: 'r1', attempt: 1 }));
    live.apply(py(1, 'tasks', start(MODEL_1, 'model')));
    assert.deepEqual(live.nodes(), ['model']);
    // Python after a restart: a new process, whose count starts at 1 again.
    assert.deepEqual(live.apply(py(500, 'metadata', { run_id: 'r1', attempt: 1 })), [{ op: 'attempt', attempt: 2, at: T0 + 500 }]);
    assert.deepEqual(live.nodes(), []);
    assert.deepEqual(live.apply(py(501, 'metadata', { run_id: 'r1', attempt: 5 })), [{ op: 'attempt', attempt: 5, at: T0 + 501 }]);
  });
});
