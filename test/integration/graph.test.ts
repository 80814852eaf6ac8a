/**
 * Graphs and breakpoints against the real server (both, per LANGGRAPH_TEST_SERVER_KIND): each
 * fixture assistant's graph has the nodes and edges its source declares
 * (test/fixtures/deployment/src/*.ts, deployment-py/src/*.py), xray on the stream graph's research
 * subgraph, breakpoints at run creation (interrupt_before / interrupt_after from the breakpoint
 * model), Continue and Step, and what each server does with a breakpoint on a node inside a
 * subgraph (neither pauses there: see CONTRIBUTING "Graphs and breakpoints").
 */
import { strict as assert } from 'node:assert';
import type { AgentServerClient, GraphOptions, RunCreate, ThreadState } from '../../src/api';
import { applyBreakpoints, breakpointSupport, continueBody, stepBody, type Breakpoint } from '../../src/core/graph/breakpoints';
import { collapse, nodeById, normalizeGraph, type GraphModel } from '../../src/core/graph/graphModel';
import { userInput } from '../harness/messages';
import { agentServer, client } from './setup';

const python = () => agentServer().server === 'python';
const ids = (m: GraphModel) => m.nodes.map((n) => n.id).sort();
const edges = (m: GraphModel) => m.edges.map((e) => `${e.source}${e.conditional ? ' -?-> ' : ' --> '}${e.target}`).sort();

/** What the fixtures' sources declare (the same in both folders). `-?->` is a conditional edge. */
const DECLARED: Record<string, { nodes: string[]; edges: string[] }> = {
  // addEdge(START, "agent"), addConditionalEdges("agent", route, ["tools", END]), addEdge("tools", "agent")
  agent: { nodes: ['agent', 'tools'], edges: ['__start__ --> agent', 'agent -?-> __end__', 'agent -?-> tools', 'tools --> agent'] },
  slow: { nodes: ['work'], edges: ['__start__ --> work', 'work --> __end__'] },
  fail: { nodes: ['fail'], edges: ['__start__ --> fail', 'fail --> __end__'] },
  hitl: { nodes: ['approve', 'plan'], edges: ['__start__ --> plan', 'approve --> __end__', 'plan --> approve'] },
  // research (a compiled subgraph: START → gather → END) → model ⇄ tools
  stream: {
    nodes: ['model', 'research', 'tools'],
    edges: ['__start__ --> research', 'model -?-> __end__', 'model -?-> tools', 'research --> model', 'tools --> model'],
  },
};
const WEATHER_60 = "The weather in sf is: It's 60 degrees and foggy in sf.";
/** The stream graph without pauses, and a short answer. */
const QUICK = { tokens_per_second: 0, tokens: 5 };

async function graphOf(c: AgentServerClient, graphId: string, options: GraphOptions = {}): Promise<GraphModel> {
  const assistant = await c.assistants.resolve(graphId);
  assert.ok(assistant, `the ${graphId} assistant`);
  return normalizeGraph(await c.assistants.graph(assistant.assistant_id, options));
}

interface Stop {
  runStatus: string;
  threadStatus: string;
  state: ThreadState;
  interrupts: unknown;
}

/** Starts a run, waits for it to end, and reads where the thread stands. */
async function runToStop(c: AgentServerClient, threadId: string, body: RunCreate): Promise<Stop> {
  const run = await c.runs.create(threadId, body);
  await c.runs.join(threadId, run.run_id);
  const [ended, thread, state] = await Promise.all([c.runs.get(threadId, run.run_id), c.threads.get(threadId), c.threads.getState(threadId, { subgraphs: true })]);
  return { runStatus: ended.status, threadStatus: thread.status, state, interrupts: thread.interrupts };
}

const messagesOf = (state: ThreadState) => (state.values as { messages: { type: string; content: unknown }[] }).messages;
const notesOf = (state: ThreadState) => (state.values as { notes?: string[] }).notes;

/** A run stopped at a breakpoint: the run itself succeeded, the thread waits, no interrupt value. */
function assertPaused(stop: Stop, next: string[]) {
  assert.deepEqual(stop.state.next, next);
  assert.deepEqual(stop.state.tasks.map((t) => t.name), next);
  for (const task of stop.state.tasks) assert.deepEqual(task.interrupts ?? [], [], 'a breakpoint has no interrupt value');
  assert.equal(stop.threadStatus, 'interrupted');
  assert.equal(stop.runStatus, 'success', 'on both servers the run that stopped at a breakpoint ends "success"');
  // Thread.interrupts: JS lists the waiting task with no values, Python nothing.
  const byTask = (stop.interrupts ?? {}) as Record<string, unknown[]>;
  if (python()) assert.deepEqual(byTask, {});
  else {
    assert.deepEqual(Object.keys(byTask).length, next.length);
    for (const values of Object.values(byTask)) assert.deepEqual(values, []);
  }
}

function assertFinished(stop: Stop) {
  assert.deepEqual(stop.state.next, []);
  assert.equal(stop.threadStatus, 'idle');
  assert.equal(stop.runStatus, 'success');
}

describe('integration: graphs and breakpoints', () => {
  describe('the graph from the server', () => {
    for (const [graphId, declared] of Object.entries(DECLARED)) {
      it(`${graphId}: the nodes and edges its source declares, start and end marked`, async () => {
        const m = await graphOf(client(), graphId);
        assert.deepEqual(ids(m), ['__end__', '__start__', ...declared.nodes].sort());
        assert.deepEqual(edges(m), declared.edges);
        assert.deepEqual(m.nodes.filter((n) => n.kind !== 'node').map((n) => [n.id, n.kind]).sort(), [
          ['__end__', 'end'],
          ['__start__', 'start'],
        ]);
        for (const node of m.nodes) assert.deepEqual([node.path, node.parent], [[], undefined], node.id);
      });
    }

    it('takes the graph id as well as the assistant id, on both', async () => {
      const c = client();
      const byUuid = await graphOf(c, 'agent');
      assert.deepEqual(normalizeGraph(await c.assistants.graph('agent')), byUuid);
    });

    it('xray on the stream graph: Python draws research:gather in place of research; JS keeps research (a one-node subgraph) as one node', async () => {
      const c = client();
      const plain = await graphOf(c, 'stream');
      const xray = await graphOf(c, 'stream', { xray: true });
      if (python()) {
        assert.deepEqual(ids(xray), ['__end__', '__start__', 'model', 'research:gather', 'tools']);
        assert.deepEqual(edges(xray), ['__start__ --> research:gather', 'model -?-> __end__', 'model -?-> tools', 'research:gather --> model', 'tools --> model']);
        const gather = nodeById(xray, 'research:gather')!;
        assert.deepEqual([gather.name, gather.path, gather.parent], ['gather', ['research'], 'research']);
        assert.deepEqual(xray.subgraphs.map((s) => [s.id, s.children, s.expandable]), [['research', ['research:gather'], true]]);
        // Collapsed in place, it is the graph without xray.
        const folded = collapse(xray, ['research']);
        assert.deepEqual([ids(folded), edges(folded)], [ids(plain), edges(plain)]);
        // Without xray Python gives no sign that research is a subgraph.
        assert.equal(nodeById(plain, 'research')!.subgraph, false);
      } else {
        // @langchain/langgraph 1.7 expands a subgraph only when more than one node is left after
        // trimming its start and end; research has one (gather).
        assert.deepEqual([ids(xray), edges(xray)], [ids(plain), edges(plain)]);
        // Its data names a compiled graph, with or without xray.
        for (const m of [plain, xray]) assert.deepEqual(m.subgraphs.map((s) => [s.id, s.expandable, s.collapsed]), [['research', false, true]]);
      }
    });

    it('an xray depth: Python takes 1 and 2 (here both expand research); JS reads 1 as on and 2 as off', async () => {
      const c = client();
      const plain = ids(await graphOf(c, 'stream'));
      const all = ids(await graphOf(c, 'stream', { xray: true }));
      const one = ids(await graphOf(c, 'stream', { xray: 1 }));
      const two = ids(await graphOf(c, 'stream', { xray: 2 }));
      assert.deepEqual(one, all);
      assert.deepEqual(two, python() ? all : plain);
      // false and 0 send no xray at all (Python answers 422 "Invalid xray value" to xray=0).
      assert.deepEqual(ids(await graphOf(c, 'stream', { xray: 0 })), plain);
      assert.deepEqual(ids(await graphOf(c, 'stream', { xray: false })), plain);
    });
  });

  describe('breakpoints at run creation (agent: agent → tools → agent)', () => {
    it('pause before tools: the run stops there (next tools); Continue (input null) finishes it', async () => {
      const c = client();
      const thread = await c.threads.create();
      const { body, applied } = applyBreakpoints({ assistant_id: 'agent', input: userInput('weather in sf') }, [{ node: 'tools', when: 'before' }]);
      assert.deepEqual([body.interrupt_before, applied], [['tools'], [{ node: 'tools', when: 'before' }]]);
      const paused = await runToStop(c, thread.thread_id, body);
      assertPaused(paused, ['tools']);
      assert.deepEqual(messagesOf(paused.state).map((m) => m.type), ['human', 'ai'], 'the tool call made, not run');
      const done = await runToStop(c, thread.thread_id, continueBody('agent'));
      assertFinished(done);
      assert.deepEqual(messagesOf(done.state).map((m) => m.type), ['human', 'ai', 'tool', 'ai']);
      assert.equal(messagesOf(done.state).at(-1)!.content, WEATHER_60);
    });

    it('pause after agent: stops with tools next; Step (pause after the next node) stops after tools; Continue finishes', async () => {
      const c = client();
      const thread = await c.threads.create();
      const { body } = applyBreakpoints({ assistant_id: 'agent', input: userInput('weather in sf') }, [{ node: 'agent', when: 'after' }]);
      assert.deepEqual(body.interrupt_after, ['agent']);
      const first = await runToStop(c, thread.thread_id, body);
      assertPaused(first, ['tools']);
      assert.deepEqual(messagesOf(first.state).map((m) => m.type), ['human', 'ai']);

      const step = await runToStop(c, thread.thread_id, stepBody('agent', first.state.next));
      assertPaused(step, ['agent']);
      assert.deepEqual(messagesOf(step.state).map((m) => m.type), ['human', 'ai', 'tool'], 'one node (tools) ran');

      const done = await runToStop(c, thread.thread_id, continueBody('agent'));
      assertFinished(done);
      assert.equal(messagesOf(done.state).at(-1)!.content, WEATHER_60);
    });

    it('Step through to the end: nothing next after the last node; Python reads idle, JS interrupted until a Continue', async () => {
      const c = client();
      const thread = await c.threads.create();
      let stop = await runToStop(c, thread.thread_id, { assistant_id: 'agent', input: userInput('weather in sf'), interrupt_before: ['agent'] });
      assertPaused(stop, ['agent']);
      const seen: string[][] = [];
      for (let i = 0; i < 5 && stop.state.next.length; i++) {
        seen.push(stop.state.next);
        stop = await runToStop(c, thread.thread_id, stepBody('agent', stop.state.next));
      }
      assert.deepEqual(seen, [['agent'], ['tools'], ['agent']]);
      assert.deepEqual(stop.state.next, []);
      assert.equal(messagesOf(stop.state).at(-1)!.content, WEATHER_60);
      assert.equal(stop.runStatus, 'success');
      if (python()) {
        assert.equal(stop.threadStatus, 'idle');
        assert.deepEqual(stop.interrupts ?? {}, {});
      } else {
        // JS pauses after the last node all the same: the thread reads interrupted with nothing
        // next (thread.interrupts names a task that is not in state.tasks).
        assert.equal(stop.threadStatus, 'interrupted');
        assert.deepEqual(stop.state.tasks, []);
        assert.deepEqual(Object.values(stop.interrupts as Record<string, unknown[]>), [[]]);
      }
      // A Continue then runs nothing and leaves the thread idle, on both.
      const again = await runToStop(c, thread.thread_id, continueBody('agent'));
      assertFinished(again);
      assert.equal(messagesOf(again.state).length, 4);
    });
  });

  describe('a breakpoint on a node inside a subgraph (stream: research → gather)', () => {
    for (const [label, keys] of [
      ['interrupt_before ["gather"] (its own name)', { interrupt_before: ['gather'] }],
      ['interrupt_before ["research:gather"] (the xray id)', { interrupt_before: ['research:gather'] }],
      ['interrupt_before ["research|gather"] (the checkpoint namespace form)', { interrupt_before: ['research|gather'] }],
      ['interrupt_after ["gather"]', { interrupt_after: ['gather'] }],
    ] as [string, Partial<RunCreate>][]) {
      it(`${label}: accepted, ignored: the run does not stop in the subgraph (both servers)`, async () => {
        const c = client();
        const thread = await c.threads.create();
        const done = await runToStop(c, thread.thread_id, { assistant_id: 'stream', input: userInput('look it up'), context: QUICK, ...keys });
        assertFinished(done);
        assert.deepEqual(notesOf(done.state), ['gathered'], 'gather ran');
        assert.deepEqual(messagesOf(done.state).map((m) => m.type), ['human', 'ai', 'tool', 'ai']);
      });
    }

    it('so the model never sends one: it says why, and the run gets only the root graph\'s breakpoints', () => {
      const support = breakpointSupport('research:gather');
      assert.equal(!support.ok && support.reason, 'subgraph');
      const bps: Breakpoint[] = [
        { node: 'research:gather', when: 'before' },
        { node: 'model', when: 'before' },
      ];
      const { body, skipped } = applyBreakpoints({ assistant_id: 'stream' }, bps);
      assert.deepEqual(body, { assistant_id: 'stream', interrupt_before: ['model'] });
      assert.deepEqual(skipped, [{ breakpoint: bps[0], reason: 'subgraph' }]);
    });

    it('before the subgraph\'s own node it stops (next research); "*" on Continue stops before model, never inside research', async () => {
      const c = client();
      const thread = await c.threads.create();
      const before = await runToStop(c, thread.thread_id, { assistant_id: 'stream', input: userInput('look it up'), context: QUICK, interrupt_before: ['research'] });
      assertPaused(before, ['research']);
      assert.deepEqual(notesOf(before.state), [], 'gather has not run');
      // With subgraphs=true the waiting task carries the subgraph's state, with nothing next in it:
      // the subgraph has not started.
      const task = before.state.tasks[0]!;
      assert.deepEqual((task.state as { next?: string[] } | null | undefined)?.next ?? [], []);

      const star = await runToStop(c, thread.thread_id, { ...continueBody('stream'), context: QUICK, interrupt_before: '*' });
      assertPaused(star, ['model']);
      assert.deepEqual(notesOf(star.state), ['gathered'], 'research ran through gather without a stop');

      const done = await runToStop(c, thread.thread_id, { ...continueBody('stream'), context: QUICK });
      assertFinished(done);
    });
  });
});
