import { strict as assert } from 'node:assert';
import { AgentServerClient, type ApiError } from '../../src/api';
import { STUCK_AFTER_OUTAGE } from '../../src/core/tracker/deploymentWatch';
import { startAgentServer, type AgentServer } from '../harness/agentServer';
import { userInput } from '../harness/messages';
import { waitFor } from '../harness/until';
import { RIG_WAIT, realTracker, type RealRig } from './trackerHelpers';

describe('integration: tracker when the server is killed and restarted mid-run', () => {
  let server: AgentServer;
  let rig: RealRig;
  let c: AgentServerClient;

  before(async function () {
    this.timeout(120_000);
    server = await startAgentServer();
    c = new AgentServerClient({ url: server.url, retries: 0 });
  });
  after(async function () {
    this.timeout(30_000);
    await rig?.close();
    await c?.close();
    await server?.stop();
  });

  async function start(assistant: string, context: Record<string, unknown> = {}) {
    const thread = await c.threads.create();
    const run = await c.runs.create(thread.thread_id, { assistant_id: assistant, input: userInput('x'), context });
    return { deploymentUrl: server.url, threadId: thread.thread_id, runId: run.run_id };
  }

  it('reports what ended and what the restart lost; a run the crash cut off is flagged maybe stuck on JS (deleted by hand), run again and reported on Python; reports nothing twice', async function () {
    this.timeout(240_000);
    const python = server.server === 'python';
    // A long run the server has written to disk as running (JS writes 3 s after its last
    // operation, Python every 10 s): waited for in the state file, not guessed with a sleep.
    const cut = await start('slow', { delay_ms: 40_000 });
    await server.waitForSaved(cut.runId, 'running');

    rig = realTracker(server.url);
    rig.tracker.follow(cut, { label: 'slow' });
    // Runs made after the last write. One ends before the crash.
    const quick = await start('slow', { delay_ms: 200 });
    const lost = await start('slow', { delay_ms: 30_000 });
    rig.tracker.follow(quick);
    rig.tracker.follow(lost);
    await waitFor('the quick run', () => rig.ended.some((e) => e.runId === quick.runId), RIG_WAIT);
    await waitFor('two joins open', () => rig.tracker.list().every((r) => r.state === 'joining'), RIG_WAIT);

    await server.kill();
    await waitFor('the tracker to notice', () => rig.tracker.list().every((r) => r.state === 'waiting'), { ...RIG_WAIT, timeoutMs: 30_000 });
    await new Promise((r) => setTimeout(r, 2_000)); // polls are refused meanwhile
    assert.equal(rig.ended.length, 1, 'nothing reported while the server is away');
    await server.restart();

    // What the crash kept of "lost": JS nothing (an open join's polls keep pushing its write
    // back); Python whatever its last 10 s write held, and it runs again what it kept.
    const kept = await c.runs.get(lost.threadId, lost.runId).then(
      () => true,
      (e: ApiError) => (e.status === 404 ? false : Promise.reject(e)),
    );
    if (!python) assert.equal(kept, false, 'the JS server lost the run made after its last write');
    const name = (runId: string) => (runId === quick.runId ? 'quick' : runId === lost.runId ? 'lost' : runId === cut.runId ? 'cut' : 'after');
    const expected = new Map([
      ['quick', 'succeeded'],
      ['lost', kept ? 'succeeded' : 'gone'],
    ]);
    await waitFor('the lost run to be reported', () => rig.ended.some((e) => e.runId === lost.runId), { ...RIG_WAIT, timeoutMs: 90_000 });

    if (python) {
      // Python put the cut-off run back to pending and runs it again: it is followed like any run
      // and reported when it ends, never flagged.
      await waitFor('the cut-off run to be reported', () => rig.ended.some((e) => e.runId === cut.runId), { ...RIG_WAIT, timeoutMs: 120_000 });
      expected.set('cut', 'succeeded');
      assert.deepEqual(rig.suspects, [], 'nothing flagged maybe stuck');
    } else {
      // JS leaves it "running" forever (a join on it would never answer): flagged, polled.
      await waitFor('the cut-off run to be suspected', () => rig.suspects.length === 1, { ...RIG_WAIT, timeoutMs: 90_000 });
      assert.equal(rig.suspects[0]!.runId, cut.runId);
      assert.equal(rig.suspects[0]!.suspect, STUCK_AFTER_OUTAGE);
      assert.equal((await c.runs.get(cut.threadId, cut.runId)).status, 'running', 'the server still says running');
    }

    // The tracker works on: a new run after the restart is followed and reported.
    const after = await start('slow', { delay_ms: 300 });
    rig.tracker.follow(after);
    await waitFor('the new run', () => rig.ended.some((e) => e.runId === after.runId), RIG_WAIT);
    expected.set('after', 'succeeded');

    if (!python) {
      // The way out for the stuck run: delete it.
      assert.deepEqual(await rig.tracker.deleteRun(cut), { ok: true });
      await waitFor('the stuck run to be reported deleted', () => rig.ended.some((e) => e.runId === cut.runId), RIG_WAIT);
      await assert.rejects(c.runs.get(cut.threadId, cut.runId), (e: ApiError) => e.status === 404);
      expected.set('cut', 'deleted');
    }

    await new Promise((r) => setTimeout(r, 3_000)); // anything reported twice would show now
    assert.deepEqual(new Map(rig.ended.map((e) => [name(e.runId), e.outcome])), expected);
    assert.equal(rig.ended.length, expected.size, 'each reported once');
    assert.equal(rig.suspects.length, python ? 0 : 1);
    assert.deepEqual(rig.tracker.list(), []);
  });
});
