import { strict as assert } from 'node:assert';
import { STUCK_AFTER_OUTAGE, STUCK_THREAD_IDLE } from '../../../src/core/tracker/deploymentWatch';
import { ApiError } from '../../../src/api';
import { RunTracker } from '../../../src/core/tracker/tracker';
import { settle } from './fakes';
import { followRuns, LOOPBACK, ref, rig } from './harness';

/** Times (s since `from`) at which the fake server was searched. */
function searchTimes(log: { at: number; call: string }[], from: number): number[] {
  return log.filter((l) => l.call.startsWith('threads')).map((l) => (l.at - from) / 1000);
}

function recordTimes(r: ReturnType<typeof rig>): { at: number; call: string }[] {
  const log: { at: number; call: string }[] = [];
  const push = r.backend.calls.push.bind(r.backend.calls);
  r.backend.calls.push = (...items: string[]) => {
    for (const call of items) log.push({ at: r.clock.now(), call });
    return push(...items);
  };
  return log;
}

describe('tracker: when the server goes away', () => {
  it('falls back to polls with exponential backoff (1 s → 30 s), joins again when the server answers, and reports once', async () => {
    const r = rig();
    const log = recordTimes(r);
    await followRuns(r, ['a', 'b']);
    const t0 = r.clock.now();
    r.backend.kill();
    await r.clock.advance(200_000);
    // random() = 1: full delays. First probe 1 s after the drop, then 1, 2, 4, 8, 16, 30, 30… s apart.
    const times = searchTimes(log, t0);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    assert.equal(times[0], 1);
    assert.deepEqual(gaps.slice(0, 7), [1, 2, 4, 8, 16, 30, 30]);
    assert.equal(r.backend.count('join'), 2, 'no join is tried while the server does not answer');
    assert.deepEqual(r.tracker.list().map((x) => x.unreachable), [true, true], 'the list says the server does not answer');
    // The server comes back; the runs are still running there.
    r.backend.down = false;
    await r.clock.advance(30_000);
    assert.equal(r.backend.openJoinCount(), 2, 'both joined again');
    assert.deepEqual(r.tracker.list().map((x) => x.unreachable), [undefined, undefined]);
    r.backend.finish('a', 'success');
    r.backend.finish('b', 'error', { kind: 'error', message: 'boom' });
    await settle();
    assert.deepEqual(r.ended.map((e) => `${e.runId}:${e.outcome}`).sort(), ['a:succeeded', 'b:failed']);
    await r.clock.advance(120_000);
    assert.equal(r.ended.length, 2, 'nothing reported twice');
    assert.deepEqual(r.suspects, [], 'a remote server whose runs still run: nothing suspected');
  });

  it('a join dropped by a proxy while the server is fine costs one poll, then the run is joined again; nothing is flagged', async () => {
    const r = rig();
    await followRuns(r, ['a']);
    const join = r.backend.joins[0]!;
    r.backend.joins.splice(0, 1);
    join.reject(new ApiError('The connection was lost', { kind: 'network', method: 'GET', path: '/join', code: 'ECONNRESET' }));
    await settle();
    assert.equal(r.backend.count('join'), 1, 'not re-joined in a loop');
    await r.clock.advance(1_000);
    assert.deepEqual(r.backend.calls, ['join a', 'threads t-a', 'join a']);
    assert.equal(r.tracker.list()[0]!.unreachable, undefined);
    r.backend.finish('a', 'success');
    await settle();
    assert.deepEqual(r.ended.map((e) => e.outcome), ['succeeded']);
    assert.deepEqual(r.suspects, []);
  });

  it('jitters the backoff: with random() = 0 the delays are half', async () => {
    const r = rig();
    const log = recordTimes(r);
    // A second tracker on the same fake server, whose jitter source always says 0.
    const tracker = new RunTracker({ backendFor: async () => r.backend, storage: r.storage, clock: r.clock, random: () => 0 });
    r.backend.addRun('a');
    tracker.follow(ref('a'));
    await settle();
    const t0 = r.clock.now();
    r.backend.kill();
    await r.clock.advance(40_000);
    const times = searchTimes(log, t0);
    assert.deepEqual(times.slice(0, 5), [0.5, 1, 2, 4, 8]);
    tracker.dispose();
  });

  it('notices a run that ended while the server was away, and one the restart lost', async () => {
    const r = rig();
    await followRuns(r, ['done', 'lost']);
    r.backend.kill();
    await r.clock.advance(5_000);
    r.backend.finish('done', 'success');
    r.backend.runs.delete('lost');
    r.backend.down = false;
    await r.clock.advance(10_000);
    assert.deepEqual(r.ended.map((e) => `${e.runId}:${e.outcome}`).sort(), ['done:succeeded', 'lost:gone']);
    assert.equal(r.backend.count('join'), 2, 'no join needed after the outage');
  });

  it('on a loopback server, a run still "running" after the server went away is reported as maybe stuck (once), polled not joined, and can be deleted', async () => {
    const r = rig();
    await followRuns(r, ['stuck', 'queued'], LOOPBACK);
    r.backend.runs.get('queued')!.status = 'pending';
    r.backend.kill();
    await r.clock.advance(3_000);
    r.backend.down = false; // restarted: "stuck" stays running forever, "queued" is pending again
    await r.clock.advance(5_000);
    assert.deepEqual(r.suspects.map((s) => s.runId), ['stuck']);
    assert.equal(r.suspects[0]!.suspect, STUCK_AFTER_OUTAGE);
    assert.equal(r.tracker.get(ref('stuck', LOOPBACK))!.suspect, STUCK_AFTER_OUTAGE);
    assert.equal(r.backend.joins.map((j) => j.runId).join(), 'queued', 'the stuck run is not joined again (its join would never answer)');
    await r.clock.advance(120_000);
    assert.equal(r.suspects.length, 1, 'suspected once');
    assert.ok(r.backend.count('threads') < 12, `polls slow down when only suspects are left to poll: ${r.backend.count('threads')}`);
    assert.deepEqual(await r.tracker.deleteRun(ref('stuck', LOOPBACK)), { ok: true });
    assert.deepEqual(r.ended.map((e) => `${e.runId}:${e.outcome}`), ['stuck:deleted']);
    r.backend.finish('queued', 'success');
    await settle();
    assert.deepEqual(r.ended.map((e) => `${e.runId}:${e.outcome}`), ['stuck:deleted', 'queued:succeeded']);
  });

  it('on a loopback server, a run the restarted server took up again (Python: back to pending, updated_at then) is joined, not flagged, and reported when it ends', async () => {
    const r = rig();
    await followRuns(r, ['retried', 'stuck'], LOOPBACK);
    const iso = () => new Date(r.clock.now()).toISOString();
    r.backend.runs.get('stuck')!.updatedAt = iso(); // JS: left as it was before the crash
    r.backend.runs.get('retried')!.updatedAt = iso();
    await r.clock.advance(1_000);
    r.backend.kill();
    await r.clock.advance(3_000);
    // Restarted: the Python server put "retried" back to pending (updating it) and runs it again.
    r.backend.runs.get('retried')!.updatedAt = iso();
    r.backend.down = false;
    await r.clock.advance(5_000);
    assert.deepEqual(r.suspects.map((s) => s.runId), ['stuck']);
    assert.equal(r.tracker.get(ref('retried', LOOPBACK))!.suspect, undefined);
    assert.deepEqual(r.backend.joins.map((j) => j.runId), ['retried'], 'joined again, like any run');
    r.backend.finish('retried', 'success');
    await settle();
    assert.deepEqual(r.ended.map((e) => `${e.runId}:${e.outcome}`), ['retried:succeeded']);
    await r.clock.advance(60_000);
    assert.equal(r.suspects.length, 1);
  });

  it('a suspected run that ends after all is reported normally', async () => {
    const r = rig();
    await followRuns(r, ['slow'], LOOPBACK);
    r.backend.kill();
    await r.clock.advance(2_000);
    r.backend.down = false;
    await r.clock.advance(4_000);
    assert.equal(r.suspects.length, 1);
    r.backend.finish('slow', 'success');
    await r.clock.advance(30_000);
    assert.deepEqual(r.ended.map((e) => `${e.runId}:${e.outcome}`), ['slow:succeeded']);
  });

  it('suspects a run that reads "running" while its thread is idle', async () => {
    const r = rig({ settings: { maxOpenJoins: 0 } });
    await followRuns(r, ['odd']);
    r.backend.runs.get('odd')!.threadStatus = 'idle';
    await r.clock.advance(2_000);
    assert.equal(r.suspects[0]?.suspect, STUCK_THREAD_IDLE);
  });
});
