/**
 * Breakpoints as a pure model: per deployment and assistant, set, toggle, list, clear, kept in
 * workspace state as JSON, and how a run body gets them (the run file's own keys win). The nodes
 * are those of the graphs both servers sent (test/unit/fixtures/graph/).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assistantGraphSchema } from '../../src/api';
import {
  applyBreakpoints,
  breakpointSupport,
  Breakpoints,
  breakpointsText,
  continueBody,
  isBreakpointStop,
  MAX_BREAKPOINTS_PER_SCOPE,
  stepBody,
  type BreakpointScope,
} from '../../src/core/graph/breakpoints';
import { normalizeGraph } from '../../src/core/graph/graphModel';

const local: BreakpointScope = { deployment: 'http://127.0.0.1:2024', assistant: 'fe096781-5601-53d2-b2f6-0d3403f7e9ca' };
const other: BreakpointScope = { deployment: 'http://127.0.0.1:2024', assistant: 'b64c542a-8cbe-599d-9eb4-88d5d4a96d46' };
const remote: BreakpointScope = { deployment: 'https://example.invalid', assistant: local.assistant };
const graph = (name: string) =>
  normalizeGraph(assistantGraphSchema.parse(JSON.parse(readFileSync(join(__dirname, '../../../test/unit/fixtures/graph', name), 'utf8'))));

describe('breakpoints: per deployment and assistant, and in a run body', () => {
  it('sets, toggles, lists by node (before first) and clears, per scope, without changing the old value', () => {
    const none = Breakpoints.empty();
    const one = none.set(local, { node: 'tools', when: 'after' }, true);
    assert.deepEqual(none.list(local), [], 'a new value each time');
    const two = one.toggle(local, { node: 'agent', when: 'before' }).toggle(local, { node: 'tools', when: 'before' });
    assert.deepEqual(two.list(local), [
      { node: 'agent', when: 'before' },
      { node: 'tools', when: 'before' },
      { node: 'tools', when: 'after' },
    ]);
    assert.deepEqual(two.at(local, 'tools'), ['before', 'after']);
    assert.equal(two.has(local, { node: 'agent', when: 'before' }), true);
    assert.deepEqual(two.list(other), [], 'another assistant of the same deployment');
    assert.deepEqual(two.list(remote), [], 'the same assistant id on another deployment');
    assert.equal(two.set(local, { node: 'agent', when: 'before' }, true), two, 'set twice: unchanged');
    const off = two.toggle(local, { node: 'tools', when: 'before' });
    assert.deepEqual(off.at(local, 'tools'), ['after']);
    assert.deepEqual(off.clear(local, 'tools').list(local), [{ node: 'agent', when: 'before' }]);
    const cleared = off.clear(local);
    assert.deepEqual([cleared.list(local), cleared.scopes()], [[], []]);
  });

  it('refuses what no server can pause at: subgraph nodes, start and end, odd names; says why', () => {
    const model = graph('py-stream-xray.json');
    const support = Object.fromEntries(model.nodes.map((n) => [n.id, breakpointSupport(n.id)]));
    assert.deepEqual(support.model, { ok: true });
    assert.deepEqual(support.tools, { ok: true });
    const gather = support['research:gather']!;
    assert.equal(gather.ok, false);
    assert.equal(!gather.ok && gather.reason, 'subgraph');
    assert.match(!gather.ok ? gather.message : '', /inside a subgraph cannot take a breakpoint/);
    assert.equal(!support.__start__!.ok && support.__start__!.reason, 'start-end');
    assert.equal(!support.__end__!.ok && support.__end__!.reason, 'start-end');
    for (const odd of ['', 'research|gather', 'x'.repeat(501)]) assert.equal(breakpointSupport(odd).ok, false, odd);
    const bps = Breakpoints.empty()
      .toggle(local, { node: 'research:gather', when: 'before' })
      .toggle(local, { node: '__end__', when: 'before' });
    assert.deepEqual(bps.list(local), [], 'not pretended');
    // The JS server draws research as one node (a subgraph of one node, not expanded): that one can.
    assert.deepEqual(breakpointSupport(graph('js-stream-xray.json').nodes.find((n) => n.subgraph)!.id), { ok: true });
  });

  it('serializes to plain JSON and back; deserialize drops what is not a breakpoint', () => {
    const bps = Breakpoints.empty()
      .set(local, { node: 'tools', when: 'before' }, true)
      .set(local, { node: 'agent', when: 'after' }, true)
      .set(remote, { node: 'agent', when: 'before' }, true);
    const json = JSON.parse(JSON.stringify(bps.serialize())) as unknown;
    assert.deepEqual(json, {
      version: 1,
      scopes: [
        { ...local, breakpoints: [{ node: 'agent', when: 'after' }, { node: 'tools', when: 'before' }] },
        { ...remote, breakpoints: [{ node: 'agent', when: 'before' }] },
      ],
    });
    const back = Breakpoints.deserialize(json);
    assert.deepEqual(back.serialize(), bps.serialize());
    for (const junk of [undefined, null, 'x', 3, [], { scopes: 'no' }, { scopes: [null, 1, { deployment: 1 }] }]) {
      assert.deepEqual(Breakpoints.deserialize(junk).scopes(), [], JSON.stringify(junk));
    }
    const mixed = Breakpoints.deserialize({
      version: 1,
      scopes: [
        {
          ...local,
          breakpoints: [
            { node: 'tools', when: 'before' },
            { node: 'tools', when: 'before' },
            { node: 'tools', when: 'during' },
            { node: 'research:gather', when: 'before' },
            { node: 7, when: 'after' },
            null,
            { node: 'agent', when: 'after', extra: true },
          ],
        },
      ],
    });
    assert.deepEqual(mixed.list(local), [
      { node: 'agent', when: 'after' },
      { node: 'tools', when: 'before' },
    ]);
  });

  it('keeps at most MAX_BREAKPOINTS_PER_SCOPE per assistant', () => {
    let bps = Breakpoints.empty();
    for (let i = 0; i <= MAX_BREAKPOINTS_PER_SCOPE; i++) bps = bps.set(local, { node: `n${i}`, when: 'before' }, true);
    assert.equal(bps.list(local).length, MAX_BREAKPOINTS_PER_SCOPE);
    const many = { scopes: [{ ...local, breakpoints: Array.from({ length: 2000 }, (_, i) => ({ node: `n${i}`, when: 'after' })) }] };
    assert.equal(Breakpoints.deserialize(many).list(local).length, MAX_BREAKPOINTS_PER_SCOPE);
  });

  it('applies them as interrupt_before / interrupt_after, says which applied, leaves the body as it was', () => {
    const body = { assistant_id: 'agent', input: { messages: [] }, config: { recursion_limit: 5 } };
    const bps = Breakpoints.empty()
      .set(local, { node: 'tools', when: 'before' }, true)
      .set(local, { node: 'agent', when: 'after' }, true)
      .set(local, { node: 'agent', when: 'before' }, true);
    const out = applyBreakpoints(body, bps.list(local));
    assert.deepEqual(out.body, { ...body, interrupt_before: ['agent', 'tools'], interrupt_after: ['agent'] });
    assert.deepEqual(out.applied, [
      { node: 'agent', when: 'before' },
      { node: 'agent', when: 'after' },
      { node: 'tools', when: 'before' },
    ]);
    assert.deepEqual(out.skipped, []);
    assert.equal(breakpointsText(out.applied), 'before agent, after agent, before tools');
    assert.deepEqual(Object.keys(body), ['assistant_id', 'input', 'config'], 'not changed');
    const nothing = applyBreakpoints(body, []);
    assert.deepEqual([nothing.body, nothing.applied, breakpointsText(nothing.applied)], [body, [], '']);
  });

  it('the run file\'s own keys win, whatever they hold ([] and "*" too); each side on its own', () => {
    const bps = [
      { node: 'tools', when: 'before' as const },
      { node: 'agent', when: 'after' as const },
    ];
    const own = applyBreakpoints({ assistant_id: 'agent', interrupt_before: [] as string[] }, bps);
    assert.deepEqual(own.body, { assistant_id: 'agent', interrupt_before: [], interrupt_after: ['agent'] });
    assert.deepEqual(own.applied, [{ node: 'agent', when: 'after' }]);
    assert.deepEqual(own.skipped, [{ breakpoint: { node: 'tools', when: 'before' }, reason: 'file' }]);
    const star = applyBreakpoints({ assistant_id: 'agent', interrupt_before: '*', interrupt_after: ['tools'] }, bps);
    assert.deepEqual(star.body, { assistant_id: 'agent', interrupt_before: '*', interrupt_after: ['tools'] });
    assert.deepEqual(star.applied, []);
    assert.deepEqual(star.skipped.map((s) => s.reason), ['file', 'file']);
  });

  it('never sends a subgraph node (from an old state) or a duplicate, and says so', () => {
    const out = applyBreakpoints({ assistant_id: 'stream' }, [
      { node: 'research:gather', when: 'before' },
      { node: 'model', when: 'before' },
      { node: 'model', when: 'before' },
      { node: '__start__', when: 'after' },
    ]);
    assert.deepEqual(out.body, { assistant_id: 'stream', interrupt_before: ['model'] });
    assert.deepEqual(out.skipped, [
      { breakpoint: { node: '__start__', when: 'after' }, reason: 'start-end' },
      { breakpoint: { node: 'research:gather', when: 'before' }, reason: 'subgraph' },
    ]);
  });

  it('sends a node\'s name, not JS\'s quoted id for a node named "subgraph"', () => {
    const out = applyBreakpoints({ assistant_id: 'x' }, [{ node: '"subgraph"', when: 'after' }]);
    assert.deepEqual(out.body, { assistant_id: 'x', interrupt_after: ['subgraph'] });
    assert.deepEqual(out.applied, [{ node: '"subgraph"', when: 'after' }]);
  });

  it('Continue and Step bodies: input null; Step pauses after the next node(s)', () => {
    assert.deepEqual(continueBody('agent'), { assistant_id: 'agent', input: null });
    const next = ['tools'];
    const step = stepBody('agent', next);
    assert.deepEqual(step, { assistant_id: 'agent', input: null, interrupt_after: ['tools'] });
    assert.notEqual(step.interrupt_after, next, 'a copy');
  });

  it('a breakpoint stop: interrupted, something next, no interrupt value (an interrupt() or a cancel is not one)', () => {
    assert.equal(isBreakpointStop({ status: 'interrupted', next: ['tools'], interruptCount: 0 }), true);
    assert.equal(isBreakpointStop({ status: 'interrupted', next: ['approve'], interruptCount: 1 }), false, 'waits at interrupt()');
    assert.equal(isBreakpointStop({ status: 'interrupted', next: [], interruptCount: 0 }), false, "JS's pause after the last node, or Python's thread after a cancel");
    assert.equal(isBreakpointStop({ status: 'idle', next: [], interruptCount: 0 }), false);
    assert.equal(isBreakpointStop({ status: 'busy', next: ['agent'], interruptCount: 0 }), false);
  });
});
