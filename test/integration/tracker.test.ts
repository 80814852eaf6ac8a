import { strict as assert } from 'node:assert';
import type { RunCreate } from '../../src/api';
import { describeEnd } from '../../src/core/runOutcome';
import { userInput } from '../harness/messages';
import { until, waitFor } from '../harness/until';
import { agentServer, client } from './setup';
import { RIG_WAIT, realTracker, type RealRig } from './trackerHelpers';
import { shortId } from '../../src/core/threadLabels';

interface Planned {
  body: RunCreate;
  expect: string;
}

describe('integration: tracker against the real server', () => {
  let rig: RealRig;
  beforeEach(() => {
    rig = realTracker(agentServer().url);
  });
  afterEach(async () => {
    await rig.close();
  });

  async function start(body: RunCreate): Promise<{ deploymentUrl: string; threadId: string; runId: string }> {
    const c = client();
    const thread = await c.threads.create();
    const run = await c.runs.create(thread.thread_id, body);
    return { deploymentUrl: agentServer().url, threadId: thread.thread_id, runId: run.run_id };
  }

  it('follows 20 concurrent runs of varied length, at most 8 joins open, and reports each once with its real status', async function () {
    this.timeout(120_000);
    const plans: Planned[] = [];
    for (let i = 0; i < 20; i++) {
      if (i % 7 === 3) plans.push({ body: { assistant_id: 'fail', input: userInput(`fail ${i}`) }, expect: `failed:Deliberate failure requested by input: "fail ${i}"` });
      else if (i % 7 === 5) plans.push({ body: { assistant_id: 'hitl', input: userInput('book a flight') }, expect: 'needs-input:Do you approve the plan?' });
      else plans.push({ body: { assistant_id: 'slow', input: userInput('x'), context: { delay_ms: 300 + ((i * 577) % 3_500) } }, expect: 'succeeded' });
    }
    const refs = await Promise.all(plans.map((p) => start(p.body)));
    for (const ref of refs) assert.equal(rig.tracker.follow(ref).kind, 'following');
    await waitFor('20 ends', () => rig.ended.length >= 20, { ...RIG_WAIT, timeoutMs: 90_000 });
    await new Promise((r) => setTimeout(r, 3_000)); // anything reported twice would show now
    assert.equal(rig.ended.length, 20);
    const byRun = new Map(rig.ended.map((e) => [e.runId, e]));
    refs.forEach((ref, i) => {
      const e = byRun.get(ref.runId);
      assert.ok(e, `run ${i} reported`);
      const got = e.outcome === 'failed' ? `failed:${e.error}` : e.outcome === 'needs-input' ? `needs-input:${e.question}` : e.outcome;
      assert.equal(got, plans[i]!.expect, `run ${i}`);
    });
    assert.ok(rig.counts.maxOpenJoins <= 8, `${rig.counts.maxOpenJoins} joins open at once`);
    // One join per run at most (a run that ends while it waits for a slot is seen by a poll).
    const twice = [...rig.joinsByRun].filter(([, n]) => n > 1);
    assert.deepEqual(twice, [], `${rig.counts.join} joins for 20 runs`);
    assert.deepEqual(rig.tracker.list(), []);
  });

  it('reports a failing run with the server\'s message, read from the join', async () => {
    const ref = await start({ assistant_id: 'fail', input: userInput('please fail now') });
    rig.tracker.follow(ref);
    await waitFor('the end', () => rig.ended.length === 1, RIG_WAIT);
    assert.equal(rig.ended[0]!.outcome, 'failed');
    assert.equal(rig.ended[0]!.status, 'error');
    assert.equal(rig.ended[0]!.error, 'Deliberate failure requested by input: "please fail now"');
    assert.deepEqual(rig.counts, { join: 1, get: 1, threads: 0, state: 0, question: 0, maxOpenJoins: 1 }, 'one join and one read');
  });

  it('reads the error from the thread state when the run failed before it was followed', async () => {
    const ref = await start({ assistant_id: 'fail', input: userInput('early failure') });
    await client().runs.join(ref.threadId, ref.runId).catch(() => undefined);
    // Not reported as "Run not found": the join of a finished run answers with the thread's values.
    rig.tracker.follow(ref);
    await waitFor('the end', () => rig.ended.length === 1, RIG_WAIT);
    assert.equal(rig.ended[0]!.outcome, 'failed');
    assert.equal(rig.ended[0]!.error, 'Deliberate failure requested by input: "early failure"');
  });

  it('reports a run stopped at interrupt() as waiting for input, with its question', async () => {
    const ref = await start({ assistant_id: 'hitl', input: userInput('book a flight') });
    rig.tracker.follow(ref, { label: 'hitl' });
    await waitFor('the end', () => rig.ended.length === 1, RIG_WAIT);
    const e = rig.ended[0]!;
    assert.deepEqual([e.outcome, e.status, e.threadStatus, e.question, e.label], ['needs-input', 'success', 'interrupted', 'Do you approve the plan?', 'hitl']);
  });

  it('cancels a running run and reports the server\'s real outcome: cancelled (the run reads "error" on JS, "interrupted" on Python)', async () => {
    const ref = await start({ assistant_id: 'slow', input: userInput('x'), context: { delay_ms: 30_000 } });
    rig.tracker.follow(ref);
    await waitFor('the run to run', () => rig.tracker.list()[0]?.state === 'joining', RIG_WAIT);
    // A run cancelled while pending reads "interrupted", not "error": ask the server, do not guess a time.
    const running = await until(() => client().runs.get(ref.threadId, ref.runId), (r) => r.status === 'running', { everyMs: 200 });
    assert.equal(running.status, 'running');
    const result = await rig.tracker.cancel(ref);
    await waitFor('the end', () => rig.ended.length === 1, RIG_WAIT);
    assert.ok(result.kind === 'ended' || result.kind === 'requested', result.kind);
    assert.equal(rig.ended[0]!.outcome, 'cancelled');
    assert.equal(describeEnd(rig.ended[0]!), `Run ${shortId(ref.runId)} was cancelled.`);
    // The server's own word differs: JS ends a cancelled running run "error", Python "interrupted"
    // (and leaves its thread "interrupted", with no interrupt to answer).
    const raw = agentServer().server === 'python' ? 'interrupted' : 'error';
    assert.equal(rig.ended[0]!.status, raw);
    assert.equal((await client().runs.get(ref.threadId, ref.runId)).status, raw);
  });

  it('cancels a pending run (it never starts) and reports it cancelled', async () => {
    const ref = await start({ assistant_id: 'slow', input: userInput('x'), after_seconds: 60 });
    const result = await rig.tracker.cancel(ref);
    await waitFor('the end', () => rig.ended.length === 1, RIG_WAIT);
    assert.notEqual(result.kind, 'failed');
    assert.deepEqual([rig.ended[0]!.outcome, rig.ended[0]!.status], ['cancelled', 'interrupted']);
  });

  it('reports a run the server does not have as gone, once', async () => {
    const thread = await client().threads.create();
    rig.tracker.follow({ deploymentUrl: agentServer().url, threadId: thread.thread_id, runId: '1ef6a5f8-bd86-6763-bbd6-bff042db7b1b' });
    await waitFor('the end', () => rig.ended.length === 1, RIG_WAIT);
    assert.equal(rig.ended[0]!.outcome, 'gone');
  });
});
