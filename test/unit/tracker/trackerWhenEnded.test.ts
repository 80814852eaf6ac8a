import { strict as assert } from 'node:assert';
import { settle } from './fakes';
import { followRuns, ref, rig } from './harness';

describe('tracker: whenEnded (what the run-file runner waits on instead of its own join)', () => {
  it('resolves with the end report once the run ends, for every waiter, with no request of its own', async () => {
    const r = rig();
    await followRuns(r, ['a']);
    const waits = [r.tracker.whenEnded(ref('a')), r.tracker.whenEnded({ ...ref('a'), deploymentUrl: `${ref('a').deploymentUrl}/` })];
    let done = false;
    void waits[0]!.then(() => (done = true));
    await settle();
    assert.equal(done, false, 'not before the end');
    r.backend.finish('a', 'error', { kind: 'error', message: 'boom' });
    const [first, second] = await Promise.all(waits);
    assert.equal(first?.outcome, 'failed');
    assert.equal(first?.error, 'boom');
    assert.equal(second, first);
    assert.deepEqual(r.backend.calls, ['join a', 'get a'], 'one join and one read, as for any followed run');
  });

  it('answers at once for a run that ended lately, and undefined for a run not followed', async () => {
    const r = rig();
    await followRuns(r, ['a']);
    r.backend.finish('a', 'success');
    await settle();
    assert.equal((await r.tracker.whenEnded(ref('a')))?.outcome, 'succeeded');
    assert.equal(await r.tracker.whenEnded(ref('never')), undefined);
  });

  it('resolves undefined when the run stops being followed without an end (stopFollowing, dispose)', async () => {
    const r = rig();
    await followRuns(r, ['a', 'b']);
    const a = r.tracker.whenEnded(ref('a'));
    const b = r.tracker.whenEnded(ref('b'));
    r.tracker.stopFollowing(ref('a'));
    assert.equal(await a, undefined);
    r.tracker.dispose();
    assert.equal(await b, undefined);
  });
});
