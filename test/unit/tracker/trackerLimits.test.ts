import { strict as assert } from 'node:assert';
import { followRuns, ref, rig } from './harness';
import { settle } from './fakes';

const ids = (n: number, prefix = 'r') => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);

describe('tracker: join cap and the deployment poll', () => {
  it('opens at most 8 joins per deployment; the rest wait on one thread search every 2 s', async () => {
    const r = rig();
    await followRuns(r, ids(12));
    assert.equal(r.backend.openJoinCount(), 8);
    assert.equal(r.tracker.openJoins(ref('x').deploymentUrl), 8);
    assert.equal(r.backend.count('threads'), 0);
    await r.clock.advance(2_000);
    assert.deepEqual(
      r.backend.calls.filter((c) => c.startsWith('threads')),
      ['threads t-r08,t-r09,t-r10,t-r11'],
      'one request for the four waiting runs',
    );
    assert.equal(r.backend.count('get'), 0, 'busy threads: no run is read');
    await r.clock.advance(4_000);
    assert.equal(r.backend.count('threads'), 3);
    assert.equal(r.backend.maxOpenJoins, 8);
  });

  it('a waiting run that ends is noticed by the next poll; a run that ends joined frees its slot for a waiting one', async () => {
    const r = rig();
    await followRuns(r, ids(10));
    r.backend.finish('r09', 'success'); // waiting, not joined
    await r.clock.advance(2_000);
    assert.deepEqual(r.ended.map((e) => e.runId), ['r09']);
    assert.equal(r.ended[0]!.outcome, 'succeeded');
    assert.equal(r.ended[0]!.threadStatus, 'idle', 'the poll told the thread status: no extra read');
    assert.equal(r.backend.count('get r09'), 1);
    r.backend.finish('r00', 'success'); // joined
    await settle();
    assert.equal(r.backend.count('join r08'), 1, 'r08 took the free slot');
    assert.equal(r.backend.openJoinCount(), 8);
    assert.equal(r.ended.length, 2);
  });

  it('a waiting run that failed or waits for input gets its message or question with one more read', async () => {
    const r = rig({ settings: { maxOpenJoins: 0 } });
    await followRuns(r, ['f', 'h', 'ok']);
    r.backend.finish('f', 'error', { kind: 'error', message: 'boom' });
    r.backend.finish('h', 'success', { kind: 'interrupted' }, 'interrupted');
    r.backend.finish('ok', 'success');
    await r.clock.advance(2_000);
    const got = Object.fromEntries(r.ended.map((e) => [e.runId, `${e.outcome}:${e.error ?? e.question ?? ''}`]));
    assert.deepEqual(got, { f: 'failed:boom', h: 'needs-input:Approve?', ok: 'succeeded:' });
    assert.deepEqual(
      r.backend.calls.filter((c) => !c.startsWith('get')),
      ['threads t-f,t-h,t-ok', 'state t-f', 'question t-h'],
    );
  });

  it('caps joins per deployment, not overall', async () => {
    const r = rig();
    await followRuns(r, ids(8, 'a'), 'https://one.example.test');
    await followRuns(r, ids(8, 'b'), 'https://two.example.test');
    assert.equal(r.backend.openJoinCount(), 16);
    assert.equal(r.tracker.openJoins(), 16);
  });

  it('with 50 runs: 8 joins, one search per poll, and every run reported once with its status', async () => {
    const r = rig();
    const all = ids(50);
    await followRuns(r, all);
    for (let step = 0; step < 10; step++) {
      for (const id of all.slice(step * 5, step * 5 + 5)) r.backend.finish(id, step % 3 === 0 ? 'error' : 'success');
      await r.clock.advance(2_000);
    }
    await r.clock.advance(10_000);
    assert.equal(r.ended.length, 50);
    assert.equal(new Set(r.ended.map((e) => e.runId)).size, 50);
    for (const e of r.ended) assert.equal(e.outcome, Number(e.runId.slice(1)) % 15 < 5 ? 'failed' : 'succeeded', e.runId);
    assert.equal(r.backend.maxOpenJoins, 8);
    // Requests: one join or one read per run at most once… plus about one search per 2 s.
    assert.ok(r.backend.count('threads') <= 12, `${r.backend.count('threads')} searches`);
    assert.equal(r.backend.count('get'), 50);
  });

  it('reads a waiting run directly now and then even while its thread stays busy (another run may hold it), backing off', async () => {
    const r = rig({ settings: { maxOpenJoins: 0 } });
    await followRuns(r, ['a']);
    const readsAt: number[] = [];
    const start = r.clock.now();
    for (let s = 0; s < 400; s++) {
      const before = r.backend.count('get');
      await r.clock.advance(2_000);
      if (r.backend.count('get') > before) readsAt.push((r.clock.now() - start) / 1000);
    }
    // Roughly 30 s, then +30 s, +60 s, +120 s, +240 s, +300 s (cap)…
    assert.deepEqual(readsAt.slice(0, 5), [30, 60, 120, 240, 480]);
    assert.ok(readsAt.length <= 6, `${readsAt.length} direct reads in 800 s`);
  });
});
