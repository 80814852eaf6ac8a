import { strict as assert } from 'node:assert';
import { AgentServerClient } from '../../src/api';
import { LiveFeed, type LiveBatch } from '../../src/core/live/liveFeed';
import type { LiveOp } from '../../src/core/live/liveOps';
import { startAgentServer, type AgentServer } from '../harness/agentServer';
import { waitFor } from '../harness/until';
import { streamRun } from './streams.test';

describe('integration: a live run when the server is killed mid-run and restarted', () => {
  let server: AgentServer;
  let c: AgentServerClient;

  before(async function () {
    this.timeout(120_000);
    server = await startAgentServer();
    c = new AgentServerClient({ url: server.url, retries: 0 });
  });
  after(async function () {
    this.timeout(30_000);
    await c?.close();
    await server?.stop();
  });

  it('reconnects, then: Python runs it again from its last checkpoint (a line says attempt 2) and the feed ends with the run; JS leaves it "running" and the feed gives up with its reason for the tracker to take over', async function () {
    this.timeout(240_000);
    const python = server.server === 'python';
    const thread = await c.threads.create();
    const run = await c.runs.create(thread.thread_id, streamRun(400, 25));
    await server.waitForSaved(run.run_id, 'running');
    const ops: LiveOp[] = [];
    const feed = new LiveFeed({
      client: c,
      ref: { deploymentUrl: server.url, threadId: thread.thread_id, runId: run.run_id },
      post: (batch: LiveBatch) => ops.push(...batch.ops),
      stream: { backoff: { baseMs: 300, capMs: 2_000 }, maxTries: 6, idleMs: 10_000 },
    });
    const ended = feed.run();
    await waitFor('tokens before the crash', () => ops.some((o) => o.op === 'text'), { timeoutMs: 30_000 });
    await server.kill();
    await waitFor('the feed to notice', () => ops.some((o) => o.op === 'note' && /Connection lost/.test(o.text)), { timeoutMs: 30_000 });
    await server.restart();
    const end = await ended;
    const notes = ops.filter((o): o is Extract<LiveOp, { op: 'note' }> => o.op === 'note').map((o) => o.text);
    if (python) {
      assert.equal(end.reason, 'ended', JSON.stringify(end));
      assert.equal(end.status, 'success');
      assert.ok(ops.some((o) => o.op === 'attempt' && o.attempt >= 2), 'the second attempt is said');
      const after = ops.slice(ops.findIndex((o) => o.op === 'attempt'));
      const text = after.filter((o): o is Extract<LiveOp, { op: 'text' }> => o.op === 'text').map((o) => o.text).join('');
      const state = await c.threads.getState(thread.thread_id);
      const messages = (state.values as { messages: { content: unknown }[] }).messages;
      // It goes on from its last checkpoint: the model step runs again and streams the answer whole.
      assert.equal(text, messages.at(-1)!.content, 'the answer of the attempt that finished, whole');
    } else {
      assert.equal(end.reason, 'gave-up', JSON.stringify(end));
      assert.match(end.message ?? '', /Stopped following the run after 6 failed reconnects/);
      assert.ok(notes.some((n) => /followed in the background/.test(n)), notes.join('\n'));
      assert.equal((await c.runs.get(thread.thread_id, run.run_id)).status, 'running', 'the JS server never resumes it');
    }
    feed.dispose();
  });
});
