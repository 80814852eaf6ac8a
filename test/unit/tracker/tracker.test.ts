import { strict as assert } from 'node:assert';
import { ApiError } from '../../../src/api';
import { RunTracker } from '../../../src/core/tracker/tracker';
import { settle } from './fakes';
import { followRuns, ref, rig } from './harness';

describe('tracker: following runs', () => {
  it('holds one join per run, then reads the run once and reports its end once', async () => {
    const r = rig();
    await followRuns(r, ['a']);
    assert.deepEqual(r.backend.calls, ['join a']);
    assert.equal(r.tracker.list()[0]!.state, 'joining');
    r.backend.finish('a', 'success');
    await settle();
    assert.deepEqual(r.backend.calls, ['join a', 'get a']);
    assert.equal(r.ended.length, 1);
    assert.equal(r.ended[0]!.outcome, 'succeeded');
    assert.equal(r.ended[0]!.status, 'success');
    assert.deepEqual(r.tracker.list(), []);
    assert.equal(r.clock.pending(), 0, 'no poll is planned once nothing is followed');
  });

  it('opens one join per run: while a run is read after its join answered, another join ending or a poll does not join it again', async () => {
    const r = rig();
    await followRuns(r, ['a', 'b']);
    // The read after a's join is slow (the Python server answers a join ≈10 ms after the end, so
    // other joins end while it is read); b's join ends meanwhile and the scheduler runs.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const getRun = r.backend.getRun.bind(r.backend);
    r.backend.getRun = async (threadId, runId) => {
      if (runId === 'a') await gate;
      return getRun(threadId, runId);
    };
    r.backend.finish('a', 'success');
    await settle();
    r.backend.finish('b', 'success');
    await r.clock.advance(5_000);
    assert.deepEqual(r.ended.map((e) => e.runId), ['b']);
    release();
    await settle();
    assert.deepEqual(r.ended.map((e) => e.runId), ['b', 'a']);
    assert.deepEqual(r.backend.calls.filter((c) => c.startsWith('join')), ['join a', 'join b']);
  });

  it('never follows one run twice, and does not follow again a run that just ended', async () => {
    const r = rig();
    await followRuns(r, ['a']);
    assert.equal(r.tracker.follow(ref('a')).kind, 'already-following');
    // The same deployment written with a trailing slash is the same run.
    assert.equal(r.tracker.follow({ ...ref('a'), deploymentUrl: `${ref('a').deploymentUrl}/` }).kind, 'already-following');
    await settle();
    assert.equal(r.backend.count('join'), 1);
    r.backend.finish('a', 'success');
    await settle();
    const again = r.tracker.follow(ref('a'));
    assert.equal(again.kind, 'already-ended');
    await settle();
    assert.equal(r.backend.count('join'), 1);
    assert.equal(r.ended.length, 1);
  });

  it('says how each run ended: error with the server message, waiting for input, timeout, cancelled before it started', async () => {
    const r = rig();
    await followRuns(r, ['fail', 'hitl', 'slow', 'early']);
    r.backend.finish('fail', 'error', { kind: 'error', message: 'Deliberate failure requested by input: "x"' });
    r.backend.finish('hitl', 'success', { kind: 'interrupted', question: 'Do you approve the plan?' }, 'interrupted');
    r.backend.finish('slow', 'timeout');
    r.backend.finish('early', 'interrupted');
    await settle();
    const by = Object.fromEntries(r.ended.map((e) => [e.runId, e]));
    assert.equal(by.fail!.outcome, 'failed');
    assert.equal(by.fail!.error, 'Deliberate failure requested by input: "x"');
    assert.equal(by.hitl!.outcome, 'needs-input');
    assert.equal(by.hitl!.threadStatus, 'interrupted');
    assert.equal(by.hitl!.question, 'Do you approve the plan?');
    assert.equal(by.slow!.outcome, 'timed-out');
    assert.equal(by.early!.outcome, 'cancelled');
    assert.equal(r.backend.count('state'), 0, 'the join gave the error: no state read');
  });

  it('reports a run the server does not know (join answers 200 "Run not found") as gone, after reading it', async () => {
    const r = rig();
    r.tracker.follow(ref('ghost'));
    await settle();
    assert.deepEqual(r.backend.calls, ['join ghost', 'get ghost']);
    assert.equal(r.ended[0]!.outcome, 'gone');
  });

  it('stop following aborts the open join and reports nothing', async () => {
    const r = rig();
    await followRuns(r, ['a']);
    const join = r.backend.joins[0]!;
    assert.equal(r.tracker.stopFollowing(ref('a')), true);
    assert.equal(join.signal.aborted, true);
    await settle();
    assert.equal(r.backend.openJoinCount(), 0);
    assert.deepEqual(r.ended, []);
    assert.deepEqual(r.tracker.list(), []);
  });

  it('dispose aborts every join, plans nothing more, and keeps what it followed in storage', async () => {
    const r = rig();
    await followRuns(r, ['a', 'b']);
    r.tracker.dispose();
    await settle();
    assert.equal(r.backend.openJoinCount(), 0);
    assert.equal(r.clock.pending(), 0);
    const saved = r.storage.value as { runs: { runId: string }[] };
    assert.deepEqual(saved.runs.map((x) => x.runId), ['a', 'b']);
  });

  it('gives a run up with a clear report when its deployment cannot be followed', async () => {
    const r = rig();
    const tracker = new RunTracker({
      backendFor: async () => 'http://gone.test is no longer in langgraph.deployments.',
      storage: r.storage,
      clock: r.clock,
    });
    const ended: string[] = [];
    tracker.onDidEnd((e) => ended.push(`${e.outcome}: ${e.error}`));
    tracker.follow(ref('a', 'http://gone.test'));
    await settle();
    assert.deepEqual(ended, ['unfollowable: http://gone.test is no longer in langgraph.deployments.']);
  });

  it('gives a run up when the server refuses the key (403), without retrying', async () => {
    const r = rig();
    r.backend.addRun('a');
    r.backend.join = async () => {
      r.backend.calls.push('join a');
      throw new ApiError('403 Forbidden: bad key', { kind: 'http', status: 403, method: 'GET', path: '/join' });
    };
    r.tracker.follow(ref('a'));
    await r.clock.advance(60_000);
    assert.deepEqual(r.backend.calls, ['join a']);
    assert.equal(r.ended[0]!.outcome, 'unfollowable');
    assert.equal(r.ended[0]!.error, '403 Forbidden: bad key');
  });

  it('gives a run up after answers it cannot read, saying what the last one was', async () => {
    const r = rig();
    r.backend.addRun('a');
    const unreadable = async () => {
      r.backend.calls.push('unreadable');
      throw new ApiError('The answer to GET /runs/a does not have the expected shape: status: Required', { kind: 'http', status: 422, method: 'GET', path: '/runs/a' });
    };
    r.backend.join = unreadable;
    r.backend.getRun = unreadable;
    r.tracker.follow(ref('a'));
    await r.clock.advance(600_000);
    assert.equal(r.ended[0]!.outcome, 'unfollowable');
    assert.equal(r.ended[0]!.error, 'the server kept answering in a way the tracker cannot read (last: The answer to GET /runs/a does not have the expected shape: status: Required)');
    assert.ok(r.backend.calls.length >= 2 && r.backend.calls.length < 20, `retried a few times, not forever (${r.backend.calls.length})`);
  });
});
