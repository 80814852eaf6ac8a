import { strict as assert } from 'node:assert';
import { NOT_STOPPED } from '../../../src/core/tracker/tracker';
import { settle } from './fakes';
import { followRuns, ref, rig } from './harness';

describe('tracker: cancel', () => {
  it('cancels a running run and reports the real outcome once: cancelled', async () => {
    const r = rig();
    await followRuns(r, ['a']);
    const result = await r.tracker.cancel(ref('a'));
    await settle();
    assert.equal(result.kind, 'ended');
    assert.equal(r.ended.length, 1);
    assert.equal(r.ended[0]!.outcome, 'cancelled');
    assert.equal(r.ended[0]!.status, 'error');
  });

  it('reads a Python cancel (run and thread "interrupted") as cancelled too, joined or polled', async () => {
    const r = rig({ settings: { maxOpenJoins: 1 } });
    r.backend.cancelLike = 'python';
    await followRuns(r, ['joined', 'polled']);
    await r.tracker.cancel(ref('joined'));
    await r.tracker.cancel(ref('polled'));
    await r.clock.advance(2_000);
    const got = Object.fromEntries(r.ended.map((e) => [e.runId, `${e.outcome}:${e.status}:${e.threadStatus ?? ''}`]));
    assert.deepEqual(got, { joined: 'cancelled:interrupted:', polled: 'cancelled:interrupted:' });
  });

  it('a run that succeeded before a cancelled one on its thread does not read "waiting for input" (Python leaves the thread "interrupted", with no interrupt)', async () => {
    const r = rig({ settings: { maxOpenJoins: 0 } });
    r.backend.addRun('earlier', 't-x', 'success');
    r.backend.addRun('cancelled', 't-x', 'interrupted');
    for (const run of r.backend.runs.values()) run.threadStatus = 'interrupted';
    r.backend.runs.get('earlier')!.noInterrupts = true;
    r.tracker.follow({ ...ref('earlier'), threadId: 't-x' });
    await r.clock.advance(2_000);
    assert.deepEqual(r.ended.map((e) => `${e.runId}:${e.outcome}`), ['earlier:succeeded']);
    assert.equal(r.backend.count('question t-x'), 1, 'the thread was asked what it waits at');
  });

  it('cancels a run it did not follow yet (from the tree): follows it, then reports it', async () => {
    const r = rig();
    r.backend.addRun('p', 't-p', 'pending');
    const result = await r.tracker.cancel(ref('p'));
    await settle();
    assert.equal(result.kind, 'ended');
    assert.equal(r.ended.map((e) => `${e.outcome}:${e.status}`).join(), 'cancelled:interrupted');
  });

  it('says so when the run had already ended: the real outcome, not "cancelled"', async () => {
    const r = rig();
    r.backend.addRun('done', 't-done', 'success');
    const result = await r.tracker.cancel(ref('done'));
    await settle();
    assert.equal(result.kind, 'ended');
    assert.equal(r.ended[0]!.outcome, 'succeeded');
  });

  it('a cancel the server never answers (a stuck run) gives up after 15 s and marks the run as maybe stuck', async () => {
    const r = rig();
    await followRuns(r, ['stuck']);
    r.backend.cancelHangs = true;
    const pending = r.tracker.cancel(ref('stuck'));
    await r.clock.advance(15_000);
    const result = await pending;
    assert.deepEqual(result, { kind: 'not-stopped', message: NOT_STOPPED });
    assert.equal(r.suspects.length, 1);
    assert.equal(r.tracker.get(ref('stuck'))!.suspect, NOT_STOPPED);
    assert.deepEqual(r.ended, []);
  });

  it('reports a cancel that could not be sent (server down) as failed, and keeps following', async () => {
    const r = rig();
    await followRuns(r, ['a']);
    r.backend.down = true;
    const result = await r.tracker.cancel(ref('a'));
    assert.equal(result.kind, 'failed');
    assert.match((result as { message: string }).message, /connection refused/);
    assert.equal(r.tracker.list().length, 1);
  });
});
