/**
 * The graph model on the graphs both servers really sent (test/unit/fixtures/graph/: `js-*` from
 * the JS dev server 2.0, `py-*` from `langgraph dev` 0.16.7, for the fixture deployment's graphs,
 * without and with `xray=true`; `*-lib-nested-xray` a three-level graph drawn by each server's own
 * LangGraph library, as the server would send it).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AgentServerClient, assistantGraphSchema, type AssistantGraph } from '../../src/api';
import { ancestorsOf, collapse, collapseToDepth, nodeById, normalizeGraph, type GraphModel } from '../../src/core/graph/graphModel';
import { FakeServer, json, rejection } from './fakeServer';

function graphFixture(name: string): AssistantGraph {
  // From out/test/unit/ (the compiled tests) to the repository's test/.
  return assistantGraphSchema.parse(JSON.parse(readFileSync(join(__dirname, '../../../test/unit/fixtures/graph', name), 'utf8')));
}
const model = (name: string) => normalizeGraph(graphFixture(name));
const ids = (m: GraphModel) => m.nodes.map((n) => n.id).sort();
const edges = (m: GraphModel) => m.edges.map((e) => `${e.source}${e.conditional ? ' -?-> ' : ' --> '}${e.target}`).sort();

const AGENT_EDGES = ['__start__ --> agent', 'agent -?-> __end__', 'agent -?-> tools', 'tools --> agent'];
const STREAM_EDGES = ['__start__ --> research', 'model -?-> __end__', 'model -?-> tools', 'research --> model', 'tools --> model'];

describe('graph model: the server\'s graph normalized', () => {
  for (const server of ['js', 'py']) {
    it(`${server}: the agent graph: start, end, two nodes, the conditional edges as such`, () => {
      const m = model(`${server}-agent.json`);
      assert.deepEqual(ids(m), ['__end__', '__start__', 'agent', 'tools']);
      assert.deepEqual(edges(m), AGENT_EDGES);
      assert.deepEqual(
        m.nodes.map((n) => [n.id, n.kind, n.label, n.path, n.parent, n.subgraph]).sort(),
        [
          ['__end__', 'end', 'end', [], undefined, false],
          ['__start__', 'start', 'start', [], undefined, false],
          ['agent', 'node', 'agent', [], undefined, false],
          ['tools', 'node', 'tools', [], undefined, false],
        ],
      );
      assert.deepEqual(m.subgraphs, []);
    });

    it(`${server}: the hitl graph: a line, no conditional edge`, () => {
      const m = model(`${server}-hitl.json`);
      assert.deepEqual(edges(m), ['__start__ --> plan', 'approve --> __end__', 'plan --> approve']);
    });

    it(`${server}: the stream graph without xray: research is one node`, () => {
      const m = model(`${server}-stream.json`);
      assert.deepEqual(ids(m), ['__end__', '__start__', 'model', 'research', 'tools']);
      assert.deepEqual(edges(m), STREAM_EDGES);
    });
  }

  it('js: a subgraph drawn as one node is known as a subgraph by its data (CompiledStateGraph), even with xray', () => {
    // The JS library does not expand a subgraph of one node (research has only gather).
    for (const name of ['js-stream.json', 'js-stream-xray.json']) {
      const m = model(name);
      assert.equal(nodeById(m, 'research')!.subgraph, true);
      assert.equal(nodeById(m, 'model')!.subgraph, false);
      assert.deepEqual(m.subgraphs.map((s) => [s.id, s.expandable, s.collapsed, s.children]), [['research', false, true, []]]);
    }
    assert.deepEqual(ids(model('js-stream-xray.json')), ids(model('js-stream.json')));
  });

  it('py: the stream graph with xray: research:gather in place of research, a subgraph with one child', () => {
    const m = model('py-stream-xray.json');
    assert.deepEqual(ids(m), ['__end__', '__start__', 'model', 'research:gather', 'tools']);
    assert.deepEqual(edges(m), ['__start__ --> research:gather', 'model -?-> __end__', 'model -?-> tools', 'research:gather --> model', 'tools --> model']);
    const gather = nodeById(m, 'research:gather')!;
    assert.deepEqual([gather.name, gather.label, gather.kind, gather.path, gather.parent], ['gather', 'gather', 'node', ['research'], 'research']);
    assert.deepEqual(m.subgraphs, [{ id: 'research', name: 'research', path: [], parent: undefined, children: ['research:gather'], expandable: true, collapsed: false }]);
    // Collapsed, it is the graph without xray.
    const folded = collapse(m, ['research']);
    assert.deepEqual(ids(folded), ids(model('py-stream.json')));
    assert.deepEqual(edges(folded), STREAM_EDGES);
    assert.equal(nodeById(folded, 'research')!.subgraph, true);
    assert.deepEqual(folded.subgraphs.map((s) => [s.id, s.collapsed]), [['research', true]]);
  });

  for (const server of ['js', 'py']) {
    it(`${server}: three levels (mid → inner → a, b): ids by path, children per subgraph, collapse per level`, () => {
      const m = model(`${server}-lib-nested-xray.json`);
      assert.deepEqual(
        m.subgraphs.map((s) => [s.id, s.name, s.parent, s.expandable, s.collapsed]),
        [
          ['mid', 'mid', undefined, true, false],
          ['mid:inner', 'inner', 'mid', true, false],
        ],
      );
      const inner = m.subgraphs[1]!;
      const a = nodeById(m, 'mid:inner:a')!;
      assert.deepEqual([a.name, a.path, a.parent, ancestorsOf(a)], ['a', ['mid', 'inner'], 'mid:inner', ['mid', 'mid:inner']]);
      assert.deepEqual(new Set(m.subgraphs[0]!.children), new Set(['mid:c', 'mid:inner']));
      assert.ok(inner.children.includes('mid:inner:a') && inner.children.includes('mid:inner:b'));
      assert.equal(edges(m).includes('mid:inner:a -?-> mid:inner:b'), true, 'the inner branch is conditional');

      // One level shown (Python's xray=1): inner collapsed into one node; two levels: all of it.
      const one = collapseToDepth(m, 1);
      assert.deepEqual(ids(one), ['__end__', '__start__', 'mid:c', 'mid:inner', 'top']);
      assert.deepEqual(edges(one), ['__start__ --> mid:inner', 'mid:c --> top', 'mid:inner --> mid:c', 'top --> __end__']);
      assert.deepEqual(
        [nodeById(one, 'mid:inner')!.subgraph, nodeById(one, 'mid:inner')!.label, nodeById(one, 'mid:inner')!.parent],
        [true, 'inner', 'mid'],
      );
      const none = collapseToDepth(m, 0);
      assert.deepEqual(ids(none), ['__end__', '__start__', 'mid', 'top']);
      assert.deepEqual(edges(none), ['__start__ --> mid', 'mid --> top', 'top --> __end__']);
      assert.deepEqual(none.subgraphs.map((s) => [s.id, s.collapsed]), [['mid', true]], 'the inner one is hidden inside');
      assert.deepEqual(ids(collapseToDepth(m, 2)), ids(m));
      // Expanding is collapsing fewer, from the full model.
      assert.deepEqual(collapse(m, []), m);
    });
  }

  it('py: collapsing to depth 1 gives what the server sends for xray=1 (captured from the same library)', () => {
    const serverOne = normalizeGraph({
      nodes: [
        { id: '__start__', type: 'runnable', data: { name: '__start__' } },
        { id: 'top', type: 'runnable', data: { name: 'top' } },
        { id: '__end__' },
        { id: 'mid:inner', type: 'runnable', data: { name: 'mid:inner' } },
        { id: 'mid:c', type: 'runnable', data: { name: 'mid:c' } },
      ],
      edges: [
        { source: '__start__', target: 'mid:inner' },
        { source: 'mid:c', target: 'top' },
        { source: 'top', target: '__end__' },
        { source: 'mid:inner', target: 'mid:c' },
      ],
    });
    const one = collapseToDepth(model('py-lib-nested-xray.json'), 1);
    assert.deepEqual(ids(one), ids(serverOne));
    assert.deepEqual(edges(one), edges(serverOne));
  });

  it('py: a subgraph\'s own end (mid:inner:__end__) is an end inside that subgraph', () => {
    const end = nodeById(model('py-lib-nested-xray.json'), 'mid:inner:__end__')!;
    assert.deepEqual([end.kind, end.label, end.parent], ['end', 'end', 'mid:inner']);
  });

  it('reads JS\'s quoted "subgraph" name, compiled interrupts, edge labels; drops duplicates and edges to unknown nodes', () => {
    const m = normalizeGraph(
      assistantGraphSchema.parse({
        nodes: [
          { id: '__start__', type: 'schema', data: {} },
          { id: '"subgraph"', type: 'runnable', data: { id: ['langgraph', 'RunnableCallable'], name: 'subgraph' }, metadata: { __interrupt: 'before,after' } },
          { id: 'outer:"subgraph"', type: 'runnable', data: { name: 'x' }, metadata: null },
          { id: '"subgraph"', type: 'runnable' },
          { id: '__end__' },
        ],
        edges: [
          { source: '__start__', target: '"subgraph"', conditional: false },
          { source: '"subgraph"', target: '__end__', conditional: true, data: 'done' },
          { source: '"subgraph"', target: '__end__', conditional: true, data: 'done' },
          { source: '"subgraph"', target: 'ghost' },
        ],
      }),
    );
    assert.deepEqual(m.nodes.map((n) => [n.id, n.name, n.path, n.compiledInterrupts]), [
      ['__start__', '__start__', [], []],
      ['"subgraph"', 'subgraph', [], ['before', 'after']],
      ['outer:"subgraph"', 'subgraph', ['outer'], []],
      ['__end__', '__end__', [], []],
    ]);
    assert.deepEqual(m.edges, [
      { source: '__start__', target: '"subgraph"', conditional: false },
      { source: '"subgraph"', target: '__end__', conditional: true, label: 'done' },
    ]);
  });

  it('collapse merges the edges out of a subgraph: conditional only if all were, a label only if all agree', () => {
    const m = normalizeGraph({
      nodes: [{ id: '__start__' }, { id: 'sg:a' }, { id: 'sg:b' }, { id: 'x' }, { id: 'y' }, { id: '__end__' }],
      edges: [
        { source: '__start__', target: 'sg:a' },
        { source: 'sg:a', target: 'sg:b', conditional: true },
        { source: 'sg:a', target: 'x', conditional: true, data: 'left' },
        { source: 'sg:b', target: 'x' },
        { source: 'sg:a', target: 'y', conditional: true, data: 'p' },
        { source: 'sg:b', target: 'y', conditional: true, data: 'q' },
        { source: 'x', target: '__end__', conditional: true, data: 'one' },
        { source: 'x', target: '__end__', conditional: true, data: 'two' },
        { source: 'y', target: 'y' },
      ],
    });
    const folded = collapse(m, ['sg']);
    assert.deepEqual(folded.edges, [
      { source: '__start__', target: 'sg', conditional: false },
      { source: 'sg', target: 'x', conditional: false },
      { source: 'sg', target: 'y', conditional: true },
      { source: 'x', target: '__end__', conditional: true, label: 'one' },
      { source: 'x', target: '__end__', conditional: true, label: 'two' },
      { source: 'y', target: 'y', conditional: false },
    ]);
    assert.deepEqual(collapse(m, ['nope']), m, 'an unknown subgraph changes nothing');
  });

  it('the schema takes both servers\' shapes and refuses a graph without nodes', () => {
    assert.deepEqual(assistantGraphSchema.parse({ nodes: [{ id: 'a' }] }).edges, []);
    assert.throws(() => assistantGraphSchema.parse({ edges: [] }));
    assert.throws(() => assistantGraphSchema.parse({ nodes: [{ id: 1 }] }));
  });
});

describe('assistants.graph: the request and the cap', () => {
  let server: FakeServer;
  let url: string;
  beforeEach(async () => {
    server = new FakeServer();
    url = await server.start();
  });
  afterEach(() => server.stop());

  it('sends xray as true or a depth ≥ 1, nothing for false, 0 or none; the id as one path segment', async () => {
    const c = new AgentServerClient({ url, sleep: async () => undefined });
    const py = JSON.parse(readFileSync(join(__dirname, '../../../test/unit/fixtures/graph', 'py-stream-xray.json'), 'utf8')) as unknown;
    server.otherwise(json(200, py));
    for (const xray of [undefined, true, false, 0, -1, 1.5, 1, 2]) {
      const graph = await c.assistants.graph('a/b c', xray === undefined ? {} : { xray });
      assert.equal(graph.nodes.length, 5);
    }
    assert.deepEqual(
      server.received.map((r) => r.url),
      [
        '/assistants/a%2Fb%20c/graph',
        '/assistants/a%2Fb%20c/graph?xray=true',
        '/assistants/a%2Fb%20c/graph',
        '/assistants/a%2Fb%20c/graph',
        '/assistants/a%2Fb%20c/graph',
        '/assistants/a%2Fb%20c/graph',
        '/assistants/a%2Fb%20c/graph?xray=1',
        '/assistants/a%2Fb%20c/graph?xray=2',
      ],
    );
    await c.close();
  });

  it('is capped like every answer, and an answer that is not a graph says which field', async () => {
    const small = new AgentServerClient({ url, sleep: async () => undefined, maxBodyBytes: 1024, maxBodySetting: 'langgraph.maxResponseMB' });
    server.then(json(200, { nodes: Array.from({ length: 200 }, (_, i) => ({ id: `n${i}` })), edges: [] }), json(200, { nodes: 'no' }));
    const big = await rejection(small.assistants.graph('agent'));
    assert.equal(big.kind, 'too-large');
    assert.match(big.message, /GET \/assistants\/agent\/graph .*langgraph\.maxResponseMB/);
    const odd = await rejection(small.assistants.graph('agent'));
    assert.equal(odd.kind, 'invalid-response');
    assert.match(odd.message, /nodes/);
    await small.close();
  });
});
