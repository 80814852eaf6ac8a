/** The graph page's breakpoint messages, checked on arrival: anything else is dropped, never thrown. */
import { strict as assert } from 'node:assert';
import { MAX_NODE_NAME } from '../../src/core/graph/breakpoints';
import { parseFromGraphPage } from '../../src/webview-graph/protocol';

describe('graph page protocol: breakpoint messages', () => {
  it('takes a toggle, a clear (one node or all) and a continue or step as they are', () => {
    assert.deepEqual(parseFromGraphPage({ type: 'toggleBreakpoint', node: 'agent', when: 'before' }), { type: 'toggleBreakpoint', node: 'agent', when: 'before' });
    assert.deepEqual(parseFromGraphPage({ type: 'toggleBreakpoint', node: 'tools', when: 'after', extra: 1 }), { type: 'toggleBreakpoint', node: 'tools', when: 'after' });
    assert.deepEqual(parseFromGraphPage({ type: 'clearBreakpoints' }), { type: 'clearBreakpoints' });
    assert.deepEqual(parseFromGraphPage({ type: 'clearBreakpoints', node: 'agent' }), { type: 'clearBreakpoints', node: 'agent' });
    assert.deepEqual(parseFromGraphPage({ type: 'continue', threadId: 't1', step: true }), { type: 'continue', threadId: 't1', step: true });
  });

  it('drops what is not one of them: another `when`, no or an oversized node, a clear of a non-string, a continue without step', () => {
    for (const bad of [
      { type: 'toggleBreakpoint', node: 'agent', when: 'during' },
      { type: 'toggleBreakpoint', node: '', when: 'before' },
      { type: 'toggleBreakpoint', node: 'x'.repeat(MAX_NODE_NAME + 1), when: 'before' },
      { type: 'toggleBreakpoint', node: ['agent'], when: 'before' },
      { type: 'clearBreakpoints', node: 3 },
      { type: 'continue', threadId: 't1' },
      { type: 'continue', threadId: '', step: false },
    ]) {
      assert.equal(parseFromGraphPage(bad), undefined, JSON.stringify(bad).slice(0, 80));
    }
  });
});
