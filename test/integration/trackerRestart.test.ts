import { strict as assert } from 'node:assert';
import { AgentServerClient } from '../../src/api';
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

  it('reports what ended, what the restart lost, and what is stuck "running"; recovers; reports nothing twice', async function () {
    this.timeout(180_000);
    // A long run the server has written to disk as running (it writes 3 s after its last
    // operation): waited for in the state file, not guessed with a sleep.
    const stuck = await start('slow', { delay_ms: 120_000 });
    await server.waitForSaved(stuck.runId, 'running');

    rig = realTracker(server.url);
    rig.tracker.follow(stuck, { label: 'slow' });
    // Runs made after the last write: lost by a crash. One ends before the crash.
    const quick = await start('slow', { delay_ms: 200 });
    const lost = await start('slow', { delay_ms: 60_000 });
    rig.tracker.follow(quick);
    rig.tracker.follow(lost);
    await waitFor('the quick run', () => rig.ended.some((e) => e.runId === quick.runId), RIG_WAIT);
    await waitFor('two joins open', () => rig.tracker.list().every((r) => r.state === 'joining'), RIG_WAIT);

    await server.kill();
    await waitFor('the tracker to notice', () => rig.tracker.list().every((r) => r.state === 'waiting'), { ...RIG_WAIT, timeoutMs: 30_000 });
    await new Promise((r) => setTimeout(r, 2_000)); // polls are refused meanwhile
    assert.equal(rig.ended.length, 1, 'nothing reported while the server is away');
    await server.restart();

    await waitFor('the lost run to be reported', () => rig.ended.some((e) => e.runId === lost.runId), { ...RIG_WAIT, timeoutMs: 90_000 });
    await waitFor('the stuck run to be suspected', () => rig.suspects.length === 1, { ...RIG_WAIT, timeoutMs: 90_000 });
    assert.equal(rig.suspects[0]!.runId, stuck.runId);
    assert.equal(rig.suspects[0]!.suspect, STUCK_AFTER_OUTAGE);
    assert.equal(rig.ended.find((e) => e.runId === lost.runId)!.outcome, 'gone');
    assert.equal((await c.runs.get(stuck.threadId, stuck.runId)).status, 'running', 'the server still says running');

    // The tracker works on: a new run after the restart is followed and reported.
    const after = await start('slow', { delay_ms: 300 });
    rig.tracker.follow(after);
    await waitFor('the new run', () => rig.ended.some((e) => e.runId === after.runId), RIG_WAIT);
    assert.equal(rig.ended.find((e) => e.runId === after.runId)!.outcome, 'succeeded');

    // The way out for the stuck run: delete it.
    assert.deepEqual(await rig.tracker.deleteRun(stuck), { ok: true });
    await waitFor('the stuck run to be reported deleted', () => rig.ended.some((e) => e.runId === stuck.runId), RIG_WAIT);
    await assert.rejects(c.runs.get(stuck.threadId, stuck.runId), /Run not found/);

    await new Promise((r) => setTimeout(r, 3_000));
    assert.deepEqual(
      rig.ended.map((e) => `${e.runId === quick.runId ? 'quick' : e.runId === lost.runId ? 'lost' : e.runId === after.runId ? 'after' : 'stuck'}:${e.outcome}`),
      ['quick:succeeded', 'lost:gone', 'after:succeeded', 'stuck:deleted'],
    );
    assert.equal(rig.suspects.length, 1);
    assert.deepEqual(rig.tracker.list(), []);
  });
});
