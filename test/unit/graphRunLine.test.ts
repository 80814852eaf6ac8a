/** The graph panel's run line: which run the highlight shows and how it went, in words. */
import { strict as assert } from 'node:assert';
import type { GraphRunPath } from '../../src/webview-graph/protocol';
import { runLineText } from '../../src/webview-graph/runLine';

const base: GraphRunPath = { running: [], done: {}, path: [], threadId: 't-long-id', threadLabel: '38e85f1a', runId: 'r-long-id', runLabel: 'd9b6eab6', live: false };

describe('unit: the graph panel\'s run line', () => {
  it('says which run, and how it went: running, finished, stopped before the end, failed with the words', () => {
    assert.equal(runLineText(null), '');
    assert.equal(runLineText({ ...base, live: true, running: ['agent'] }), 'Run d9b6eab6 on thread 38e85f1a: running agent');
    assert.equal(runLineText({ ...base, live: true }), 'Run d9b6eab6 on thread 38e85f1a: between steps');
    assert.equal(runLineText({ ...base, path: [{ source: 'agent', target: '__end__' }] }), 'Run d9b6eab6 on thread 38e85f1a: finished');
    assert.equal(runLineText({ ...base, path: [{ source: '__start__', target: 'agent' }] }), 'Run d9b6eab6 on thread 38e85f1a: stopped before the end');
    assert.equal(runLineText({ ...base, failed: { agent: 'ValueError: boom' } }), 'Run d9b6eab6 on thread 38e85f1a: failed at agent: ValueError: boom');
  });

  it('a run without an id (a thread\'s history that names none) and long words clipped', () => {
    const { runId: _r, runLabel: _l, ...noRun } = base;
    assert.equal(runLineText({ ...noRun, path: [{ source: 'a', target: '__end__' }] }), 'A run on thread 38e85f1a: finished');
    const line = runLineText({ ...base, failed: { tools: 'x'.repeat(1_000) } });
    assert.ok(line.length < 260, line);
    assert.ok(line.endsWith('…'));
  });
});
