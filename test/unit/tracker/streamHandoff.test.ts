import { strict as assert } from 'node:assert';
import { settle } from './fakes';
import { followRuns, ref, rig } from './harness';

describe('tracker: a run handed to a thread panel that streams it', () => {
  it('hold closes the open join (its signal aborts) and nothing joins or polls the run while held, however long', async () => {
    const r = rig();
    await followRuns(r, ['a']);
    assert.equal(r.backend.openJoinCount(), 1);
    const join = r.backend.joins[0]!;
    assert.equal(join.signal.aborted, false);

    assert.equal(r.tracker.hold(ref('a')), true);
    assert.equal(join.signal.aborted, true, 'the join was closed');
    await settle();
    assert.equal(r.backend.openJoinCount(), 0);
    assert.equal(r.tracker.openJoins(), 0);
    assert.equal(r.tracker.get(ref('a'))!.state, 'streaming');

    const callsAtHold = r.backend.calls.length;
    // Many poll periods (2 s), stale checks (30 s) and backoffs pass.
    await r.clock.advance(10 * 60_000);
    assert.deepEqual(r.backend.calls.slice(callsAtHold), []);
    assert.equal(r.clock.pending(), 0, 'no poll is planned for a held run');
    assert.equal(r.ended.length, 0);
    assert.equal(r.tracker.get(ref('a'))!.state, 'streaming');
  });

  it('holds only the run asked for: another run of the deployment is still joined and polled', async () => {
    const r = rig({ settings: { maxOpenJoins: 1 } });
    await followRuns(r, ['a', 'b']);
    assert.deepEqual(r.backend.calls, ['join a']);
    r.tracker.hold(ref('a'));
    await settle();
    // a's join slot is free again: b takes it.
    assert.deepEqual(r.backend.calls, ['join a', 'join b']);
    r.backend.finish('b', 'success');
    await r.clock.advance(5_000);
    assert.deepEqual(r.ended.map((e) => `${e.runId}:${e.outcome}`), ['b:succeeded']);
    assert.equal(r.backend.calls.filter((c) => c.endsWith(' a')).length, 1, 'a was joined once, before the hold');
  });

  it('streamEnded: success with the thread interrupted at an interrupt reads needs-input with the question, with no request after the hold', async () => {
    const r = rig();
    await followRuns(r, ['h']);
    r.tracker.hold(ref('h'));
    await settle();
    const callsAtHold = r.backend.calls.length;
    r.tracker.streamEnded(ref('h'), { runStatus: 'success', threadStatus: 'interrupted', interrupts: true, question: 'Do you approve the plan?' });
    await r.clock.advance(10_000);
    assert.deepEqual(r.backend.calls.slice(callsAtHold), []);
    assert.equal(r.ended.length, 1);
    const [report] = r.ended;
    assert.equal(report!.outcome, 'needs-input');
    assert.equal(report!.status, 'success');
    assert.equal(report!.threadStatus, 'interrupted');
    assert.equal(report!.question, 'Do you approve the plan?');
    assert.deepEqual(r.tracker.list(), []);
    assert.equal(r.tracker.ended(ref('h'))?.outcome, 'needs-input');
  });

  it('streamEnded: a thread that reads interrupted with no interrupt (Python, after a later cancel) is succeeded; an error keeps its words', async () => {
    const r = rig();
    await followRuns(r, ['ok', 'bad']);
    r.tracker.hold(ref('ok'));
    r.tracker.hold(ref('bad'));
    r.tracker.streamEnded(ref('ok'), { runStatus: 'success', threadStatus: 'interrupted', interrupts: false });
    r.tracker.streamEnded(ref('bad'), { runStatus: 'error', error: 'ValueError: boom' });
    await settle();
    const by = Object.fromEntries(r.ended.map((e) => [e.runId, e]));
    assert.equal(by.ok!.outcome, 'succeeded');
    assert.equal(by.bad!.outcome, 'failed');
    assert.equal(by.bad!.error, 'ValueError: boom');
    assert.equal(r.backend.count('state'), 0, 'the error the panel read is taken as it is');
  });

  it('streamEnded with an active status hands the run back: it is joined again, and its real end reported', async () => {
    const r = rig();
    await followRuns(r, ['a']);
    r.tracker.hold(ref('a'));
    await settle();
    assert.equal(r.backend.count('join'), 1);
    r.tracker.streamEnded(ref('a'), { runStatus: 'running' });
    await settle();
    assert.equal(r.ended.length, 0);
    assert.equal(r.backend.count('join'), 2);
    assert.equal(r.backend.openJoinCount(), 1);
    assert.equal(r.tracker.get(ref('a'))!.state, 'joining');
    r.backend.finish('a', 'success');
    await settle();
    assert.deepEqual(r.ended.map((e) => e.outcome), ['succeeded']);
  });

  it('release hands the run back: joined again, and it reports the end the server tells', async () => {
    const r = rig();
    await followRuns(r, ['a']);
    r.tracker.hold(ref('a'));
    r.tracker.streamProgress(ref('a'), ['research']);
    await settle();
    r.tracker.release(ref('a'));
    await settle();
    assert.equal(r.backend.count('join'), 2);
    const view = r.tracker.get(ref('a'))!;
    assert.equal(view.state, 'joining');
    assert.equal(view.nodes, undefined, 'the nodes are the panel’s, gone with it');
    r.backend.finish('a', 'error', { kind: 'error', message: 'boom' });
    await settle();
    assert.deepEqual(r.ended.map((e) => `${e.outcome}:${e.error ?? ''}`), ['failed:boom']);
    // A release of a run that is not held changes nothing.
    r.tracker.release(ref('a'));
    await settle();
    assert.equal(r.backend.count('join'), 2);
  });

  it('streamProgress shows the nodes of a held run in its view (changes fire once per change), and is ignored for a run not held', async () => {
    const r = rig();
    await followRuns(r, ['a', 'b']);
    r.tracker.hold(ref('a'));
    await settle();
    const changes = r.changes;
    r.tracker.streamProgress(ref('a'), ['research', 'research › gather']);
    await settle();
    assert.deepEqual(r.tracker.get(ref('a'))!.nodes, ['research', 'research › gather']);
    assert.equal(r.changes, changes + 1);
    r.tracker.streamProgress(ref('a'), ['research', 'research › gather']);
    await settle();
    assert.equal(r.changes, changes + 1, 'the same nodes again: no change');
    r.tracker.streamProgress(ref('b'), ['model']);
    await settle();
    assert.equal(r.tracker.get(ref('b'))!.nodes, undefined);
    r.tracker.streamProgress(ref('a'), []);
    await settle();
    assert.equal(r.tracker.get(ref('a'))!.nodes, undefined, 'no nodes: none shown');
  });

  it('a cancel asked for a held run, then the stream ends in error: cancelled', async () => {
    const r = rig();
    r.backend.cancelHangs = true;
    await followRuns(r, ['c']);
    r.tracker.hold(ref('c'));
    await settle();
    void r.tracker.cancel(ref('c'));
    await settle();
    assert.equal(r.tracker.get(ref('c'))!.cancelRequested, true);
    assert.equal(r.tracker.get(ref('c'))!.state, 'streaming', 'the cancel does not take the run back');
    r.tracker.streamEnded(ref('c'), { runStatus: 'error' });
    await settle();
    assert.equal(r.ended.length, 1);
    assert.equal(r.ended[0]!.outcome, 'cancelled');
    assert.equal(r.ended[0]!.status, 'error');
    assert.equal(r.ended[0]!.error, undefined);
  });

  it('a cancel requested earlier counts even when the error the panel read is not the cancel message', async () => {
    const r = rig();
    await followRuns(r, ['c']);
    const f = r.tracker.get(ref('c'))!;
    assert.equal(f.cancelRequested, false);
    r.backend.cancelHangs = true;
    void r.tracker.cancel(ref('c'));
    await settle();
    r.tracker.hold(ref('c'));
    r.tracker.streamEnded(ref('c'), { runStatus: 'error', error: 'Error: aborted' });
    await settle();
    assert.deepEqual(r.ended.map((e) => e.outcome), ['cancelled']);
  });

  it('hold of a run that is not followed, or has ended, returns false and asks nothing', async () => {
    const r = rig();
    assert.equal(r.tracker.hold(ref('nope')), false);
    await followRuns(r, ['a']);
    r.backend.finish('a', 'success');
    await settle();
    assert.equal(r.ended.length, 1);
    const calls = r.backend.calls.length;
    assert.equal(r.tracker.hold(ref('a')), false);
    // The panel's end of a run the tracker already reported is not reported twice.
    r.tracker.streamEnded(ref('a'), { runStatus: 'success' });
    r.tracker.streamEnded(ref('nope'), { runStatus: 'success' });
    await r.clock.advance(5_000);
    assert.equal(r.ended.length, 1);
    assert.equal(r.backend.calls.length, calls);
  });

  it('the join that answers just as the run is held is not read: the panel tells the end', async () => {
    const r = rig();
    await followRuns(r, ['a']);
    // The run ends and its join answers; the panel takes the run before the answer is read.
    r.backend.finish('a', 'success');
    assert.equal(r.tracker.hold(ref('a')), true);
    await r.clock.advance(5_000);
    assert.equal(r.backend.count('get'), 0);
    assert.equal(r.ended.length, 0);
    r.tracker.streamEnded(ref('a'), { runStatus: 'success', threadStatus: 'idle' });
    await settle();
    assert.deepEqual(r.ended.map((e) => e.outcome), ['succeeded']);
  });

  it('a held run is persisted like any other, and a new tracker (a window reload) joins it', async () => {
    const r = rig();
    await followRuns(r, ['a']);
    r.tracker.hold(ref('a'));
    await settle();
    r.tracker.dispose(); // the window reloads
    const next = rig({ storage: r.storage, backend: r.backend, clock: r.clock });
    assert.equal(next.tracker.resume(), 1);
    await settle();
    assert.equal(next.tracker.get(ref('a'))?.state, 'joining');
    assert.equal(r.backend.count('join'), 2);
  });
});
