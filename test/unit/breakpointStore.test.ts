/**
 * The graph panels' breakpoint store over a Memento-like map: per canonical deployment URL and
 * assistant, listeners told which scope changed, and a bad or oversized stored state read back
 * bounded instead of thrown.
 */
import { strict as assert } from 'node:assert';
import { MAX_BREAKPOINTS_PER_SCOPE } from '../../src/core/graph/breakpoints';
import { BREAKPOINTS_KEY, BreakpointStore, type BreakpointMemento } from '../../src/ui/graphPanel/breakpointStore';

function memento(initial?: unknown): BreakpointMemento & { saved: unknown[] } {
  const values = new Map<string, unknown>(initial === undefined ? [] : [[BREAKPOINTS_KEY, initial]]);
  const saved: unknown[] = [];
  return {
    saved,
    get: ((key: string, fallback?: unknown) => (values.has(key) ? values.get(key) : fallback)) as BreakpointMemento['get'],
    update: async (key: string, value: unknown) => {
      values.set(key, value);
      saved.push(JSON.parse(JSON.stringify(value)));
    },
  };
}

const scope = { deployment: 'http://127.0.0.1:2024', assistant: 'a1' };

describe('breakpoint store (workspace state)', () => {
  it('keeps breakpoints per canonical deployment URL and assistant, saves each change and tells listeners the scope', async () => {
    const m = memento();
    const store = new BreakpointStore(m);
    const told: string[] = [];
    store.onDidChange((s) => told.push(`${s.deployment} ${s.assistant}`));
    await store.toggle({ deployment: 'http://127.0.0.1:2024/', assistant: 'a1' }, { node: 'agent', when: 'before' });
    await store.set(scope, { node: 'tools', when: 'after' }, true);
    assert.deepEqual(store.list(scope), [
      { node: 'agent', when: 'before' },
      { node: 'tools', when: 'after' },
    ]);
    assert.deepEqual(store.list({ ...scope, assistant: 'a2' }), []);
    assert.deepEqual(told, ['http://127.0.0.1:2024 a1', 'http://127.0.0.1:2024 a1']);
    // A fresh store (a window reload) reads what was saved.
    assert.deepEqual(new BreakpointStore(m).list(scope), store.list(scope));
    await store.clear(scope, 'agent');
    assert.deepEqual(store.list(scope), [{ node: 'tools', when: 'after' }]);
    await store.clear(scope);
    assert.deepEqual(store.list(scope), []);
    assert.deepEqual(m.saved.at(-1), { version: 1, scopes: [] });
  });

  it('refuses what the servers cannot pause at without saving or telling anyone', async () => {
    const m = memento();
    const store = new BreakpointStore(m);
    let told = 0;
    store.onDidChange(() => told++);
    await store.toggle(scope, { node: 'research:gather', when: 'before' });
    await store.toggle(scope, { node: '__start__', when: 'after' });
    assert.deepEqual(store.list(scope), []);
    assert.equal(told, 0);
    assert.deepEqual(m.saved, []);
  });

  it('reads a bad or oversized stored state bounded, dropping what is not a breakpoint', () => {
    for (const bad of ['nonsense', 42, null, { scopes: 'x' }, { scopes: [{ deployment: 1 }] }]) {
      assert.deepEqual(new BreakpointStore(memento(bad)).list(scope), [], JSON.stringify(bad));
    }
    const many = Array.from({ length: MAX_BREAKPOINTS_PER_SCOPE + 50 }, (_, i) => ({ node: `n${i}`, when: 'before' }));
    const stored = { version: 1, scopes: [{ ...scope, breakpoints: [...many, { node: 'x', when: 'sometime' }, { node: 'a:b', when: 'after' }, 'junk'] }] };
    const list = new BreakpointStore(memento(stored)).list(scope);
    assert.equal(list.length, MAX_BREAKPOINTS_PER_SCOPE);
    assert.ok(list.every((b) => b.when === 'before' && /^n\d+$/.test(b.node)));
  });
});
