/**
 * The run path on what both servers really sent (test/unit/fixtures/run-path/: a run of the
 * fixture's `agent` and `stream` graphs with `tasks`, `updates`, `debug` and `stream_subgraphs`,
 * and the thread's history after it, captured from the JS dev server and `langgraph dev`; inputs,
 * results and values cut to their keys) against the graphs they drew (fixtures/graph/).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assistantGraphSchema, threadStateSchema, type ThreadState } from '../../src/api';
import { normalizeGraph } from '../../src/core/graph/graphModel';
import { lastRunPath, RunPath, type RunPathView } from '../../src/core/graph/runPath';
import type { HistorySource } from '../../src/core/history/historyPages';

const dir = join(__dirname, '../../../test/unit/fixtures');
const read = (path: string): unknown => JSON.parse(readFileSync(join(dir, path), 'utf8'));
const modelOf = (server: string, graph: string) => normalizeGraph(assistantGraphSchema.parse(read(`graph/${server}-${graph}${graph === 'stream' ? '-xray' : ''}.json`)));

interface Capture {
  events: { event: string; data: unknown }[];
  history: ThreadState[];
  subgraphs: Record<string, ThreadState[]>;
}
function capture(server: string, graph: string): Capture {
  const raw = read(`run-path/${server}-${graph}.json`) as { events: Capture['events']; history: unknown[]; subgraphs: Record<string, unknown[]> };
  const states = (list: unknown[]) => list.map((s) => threadStateSchema.parse(s));
  return { events: raw.events, history: states(raw.history), subgraphs: Object.fromEntries(Object.entries(raw.subgraphs).map(([ns, l]) => [ns, states(l)])) };
}

/** Pages the captured history as the servers do (by namespace), and records each request. */
function source(c: Capture, asked: { limit: number; before?: string; checkpointNs?: string }[] = [], older: ThreadState[] = []): HistorySource {
  return async (params) => {
    asked.push(params);
    const list = params.checkpointNs ? (c.subgraphs[params.checkpointNs] ?? []) : [...c.history, ...older];
    const from = params.before ? list.findIndex((s) => s.checkpoint?.checkpoint_id === params.before) + 1 : 0;
    return list.slice(from, from + params.limit);
  };
}

const edges = (v: RunPathView) => v.path.map((e) => `${e.source} -> ${e.target}`).sort();
const fold = (c: Capture, model: ReturnType<typeof modelOf>, keep: (e: Capture['events'][number]) => boolean = () => true) => {
  const path = new RunPath(model);
  for (const e of c.events) if (keep(e)) path.event(e);
  return path;
};
const mode = (m: string) => (e: { event: string }) => e.event.split('|')[0] === m;

const AGENT_PATH = ['__start__ -> agent', 'agent -> __end__', 'agent -> tools', 'tools -> agent'];

describe('unit: run path (the graph panel\'s live highlight)', () => {
  for (const server of ['js', 'py']) {
    it(`${server}: agent: each stream mode alone (tasks, debug, updates) and all at once give the same steps and path`, () => {
      const c = capture(server, 'agent');
      const model = modelOf(server, 'agent');
      for (const keep of [mode('tasks'), mode('debug'), mode('updates'), () => true]) {
        const path = fold(c, model, keep);
        assert.deepEqual(path.view().running, []);
        assert.deepEqual(path.view().done, { agent: 2, tools: 1 });
        path.end(true);
        assert.deepEqual(edges(path.view()), AGENT_PATH);
      }
      const stopped = fold(c, model);
      stopped.end(false);
      assert.deepEqual(edges(stopped.view()), AGENT_PATH.filter((e) => !e.endsWith('__end__')), 'a run that did not reach the end takes no edge into it');
    });

    it(`${server}: agent: mid-run the running node, the steps so far and the path so far`, () => {
      const c = capture(server, 'agent');
      const path = new RunPath(modelOf(server, 'agent'));
      const starts = c.events.filter((e) => e.event === 'tasks' && !('result' in (e.data as object)));
      const second = c.events.indexOf(starts[1]!);
      for (const e of c.events.slice(0, second + 1)) path.event(e);
      assert.deepEqual(path.view(), { running: ['tools'], done: { agent: 1 }, path: [{ source: '__start__', target: 'agent' }, { source: 'agent', target: 'tools' }], failed: {} });
    });

    it(`${server}: agent: the last run's path from the history, reading only as far as that run`, async () => {
      const c = capture(server, 'agent');
      // An earlier run of 60 checkpoints before it: never read past the last run's input.
      const earlier = Array.from({ length: 60 }, (_, i) => ({ ...c.history[1]!, checkpoint: { ...c.history[1]!.checkpoint!, checkpoint_id: `old-${i}` }, parent_checkpoint: { ...c.history[1]!.checkpoint!, checkpoint_id: `old-${i + 1}` }, metadata: { ...c.history[1]!.metadata, run_id: 'earlier-run' } }));
      const asked: { limit: number }[] = [];
      const view = await lastRunPath(modelOf(server, 'agent'), source(c, asked, earlier));
      assert.equal(view.runId, (c.events[0]!.data as { run_id: string }).run_id);
      assert.deepEqual(view.done, { agent: 2, tools: 1 });
      assert.deepEqual(view.running, []);
      assert.deepEqual(edges(view), AGENT_PATH);
      assert.equal(asked.length, 1, 'one page holds the run and the checkpoint before it');
    });
  }

  it('js: stream: a subgraph of one node (drawn as one node): its own task stands for its inner node', () => {
    const c = capture('js', 'stream');
    const model = modelOf('js', 'stream');
    const path = new RunPath(model);
    const gather = c.events.findIndex((e) => e.event.startsWith('tasks|research:') && !('result' in (e.data as object)));
    for (const e of c.events.slice(0, gather + 1)) path.event(e);
    assert.deepEqual(path.view().running, ['research'], 'research:gather is not a node of this graph');
    for (const e of c.events.slice(gather + 1)) path.event(e);
    path.end(true);
    assert.deepEqual(path.view().done, { research: 1, model: 2, tools: 1 });
    assert.deepEqual(edges(path.view()), ['__start__ -> research', 'model -> __end__', 'model -> tools', 'research -> model', 'tools -> model']);
  });

  it('py: stream: a subgraph expanded (xray): its node runs inside it, the edges into and out of it are taken', async () => {
    const c = capture('py', 'stream');
    const model = modelOf('py', 'stream');
    const path = new RunPath(model);
    const gather = c.events.findIndex((e) => e.event.startsWith('tasks|research:') && !('result' in (e.data as object)));
    for (const e of c.events.slice(0, gather + 1)) path.event(e);
    assert.deepEqual(path.view().running, ['research', 'research:gather']);
    for (const e of c.events.slice(gather + 1)) path.event(e);
    path.end(true);
    const expected = { research: 1, 'research:gather': 1, model: 2, tools: 1 };
    const expectedEdges = ['__start__ -> research:gather', 'model -> __end__', 'model -> tools', 'research:gather -> model', 'tools -> model'];
    assert.deepEqual(path.view().done, expected);
    assert.deepEqual(edges(path.view()), expectedEdges);
    const asked: { limit: number; checkpointNs?: string }[] = [];
    const fromHistory = await lastRunPath(model, source(c, asked));
    assert.deepEqual(fromHistory.done, expected, 'the subgraph\'s own history gives its node\'s step');
    assert.deepEqual(edges(fromHistory), expectedEdges);
    assert.equal(asked.filter((a) => a.checkpointNs?.startsWith('research:')).length, 1, 'one page of the subgraph run');
  });

  it('a polled state: a new checkpoint ends the step before and starts its next', () => {
    const path = new RunPath(modelOf('js', 'agent'));
    // The run's input checkpoint (from the history page read at the first poll): next is the start.
    path.polled('c0', ['__start__']);
    assert.equal(path.polled('c1', ['agent']), true);
    assert.equal(path.polled('c1', ['agent']), false, 'the same checkpoint again changes nothing');
    assert.deepEqual(path.view(), { running: ['agent'], done: {}, path: [{ source: '__start__', target: 'agent' }], failed: {} });
    path.polled('c2', ['tools']);
    path.polled('c3', ['agent']);
    assert.deepEqual(path.view().running, ['agent']);
    assert.deepEqual(path.view().done, { agent: 1, tools: 1 });
    assert.deepEqual(edges(path.view()), ['__start__ -> agent', 'agent -> tools', 'tools -> agent']);
  });

  it('events of nodes the graph does not have, and data that is not an object, change nothing', () => {
    const path = new RunPath(modelOf('js', 'agent'));
    assert.equal(path.event({ event: 'tasks', data: { id: 't1', name: 'nope', input: {} } }), false);
    assert.equal(path.event({ event: 'tasks', data: 'x' }), false);
    assert.equal(path.event({ event: 'tasks', data: { id: 5, name: 'agent' } }), false);
    assert.equal(path.event({ event: 'messages', data: [{}, {}] }), false);
    assert.deepEqual(path.view(), { running: [], done: {}, path: [], failed: {} });
  });

  it("a task that ends with an error is marked failed in the error's words (JS {message, name}, Python's text), counts no step, and keeps its edge", () => {
    for (const [error, words] of [
      [{ message: 'Deliberate failure requested by input: "x"', name: 'Error' }, 'Deliberate failure requested by input: "x"'],
      ["ValueError('Deliberate failure')", 'ValueError: Deliberate failure'],
    ] as const) {
      const path = new RunPath(modelOf('js', 'agent'));
      path.event({ event: 'tasks', data: { id: 't1', name: 'agent', input: {}, triggers: [] } });
      path.event({ event: 'tasks', data: { id: 't1', name: 'agent', result: {}, error: null, interrupts: [] } });
      path.event({ event: 'tasks', data: { id: 't2', name: 'tools', input: {}, triggers: [] } });
      assert.equal(path.event({ event: 'tasks', data: { id: 't2', name: 'tools', result: null, error, interrupts: [] } }), true);
      path.end(false);
      assert.deepEqual(path.view(), { running: [], done: { agent: 1 }, path: [{ source: '__start__', target: 'agent' }, { source: 'agent', target: 'tools' }], failed: { tools: words } });
    }
    const long = new RunPath(modelOf('js', 'agent'));
    long.event({ event: 'tasks', data: { id: 't1', name: 'agent', error: 'x'.repeat(10_000) } });
    assert.ok(long.view().failed.agent!.length <= 500, 'a long error is clipped');
  });

  for (const server of ['js', 'py']) {
    it(`${server}: the last run's history: the task that failed at its newest checkpoint is marked failed, with the server's words`, async () => {
      const c = capture(server, 'agent');
      // The run as far as its first agent step, and the tools task from there failed.
      const history = c.history.slice(2).map((s) => structuredClone(s));
      const newest = history[0]!;
      assert.deepEqual(newest.next, ['tools']);
      newest.tasks = newest.tasks.map((t) => ({ ...t, result: null, error: "ValueError('the tool broke')" }));
      const view = await lastRunPath(modelOf(server, 'agent'), source({ ...c, history }));
      assert.deepEqual(view.done, { agent: 1 });
      assert.deepEqual(view.failed, { tools: 'ValueError: the tool broke' }, 'in words (the repr read as the history view reads it)');
      assert.deepEqual(edges(view), ['__start__ -> agent', 'agent -> tools']);
    });
  }
});
