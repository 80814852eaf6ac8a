import { strict as assert } from 'node:assert';
import type { AgentServerClient, RunCreate } from '../../src/api';
import { parseRunFile, type RunFile } from '../../src/core/runFile';
import { limiter, runFileAsTest, type TestRunner } from '../../src/core/runFile/runAsTest';
import { settle } from './tracker/fakes';
import { REMOTE, rig, type Rig } from './tracker/harness';

/** A run file of the `slow` graph that expects `done`. */
function runFile(extra: Record<string, unknown> = {}): RunFile {
  const parsed = parseRunFile(JSON.stringify({ assistant_id: 'slow', input: { messages: [] }, expect: { lastMessage: { contains: 'done' }, ...extra } }));
  assert.ok(parsed.ok);
  return parsed.file;
}

/** The client calls the runner itself makes (create, thread read) on the tracker's fake server; nothing else exists. */
function fakeClient(r: Rig) {
  const creates: { threadId: string; body: RunCreate }[] = [];
  const reads: string[] = [];
  let n = 0;
  const client = {
    runs: {
      create: async (threadId: string, body: RunCreate) => {
        const runId = `r${++n}`;
        creates.push({ threadId, body });
        r.backend.addRun(runId, threadId);
        return { run_id: runId, thread_id: threadId, status: 'pending' };
      },
    },
    threads: {
      get: async (threadId: string) => {
        reads.push(threadId);
        return { thread_id: threadId, status: 'idle', values: { messages: [{ type: 'ai', content: 'done' }] }, interrupts: {} };
      },
    },
  } as unknown as AgentServerClient;
  return { client, creates, reads };
}

const runIdOf = (r: Rig, threadId: string): string => [...r.backend.runs].find(([, run]) => run.threadId === threadId)![0];

describe('run files as tests: the runner (runFileAsTest) over the tracker', () => {
  it('makes the run with its thread in one request and takes the end from the tracker: no join of its own', async () => {
    const r = rig();
    const { client, creates, reads } = fakeClient(r);
    const runner: TestRunner = { client, deploymentUrl: REMOTE, tracker: r.tracker, requests: limiter(2) };
    const results = Promise.all([1, 2, 3].map((i) => runFileAsTest(runner, `f${i}`, runFile(), 'agent')));
    await settle();
    assert.equal(creates.length, 3, 'every run is on the server before any ends');
    assert.ok(creates.every((c) => c.body.if_not_exists === 'create' && c.body.assistant_id === 'slow'));
    assert.equal(r.backend.count('join'), 3, "the tracker's joins, one per run");
    for (const c of creates) r.backend.finish(runIdOf(r, c.threadId), 'success');
    const done = await results;
    assert.deepEqual(done.map((d) => d.verdict), ['pass', 'pass', 'pass']);
    assert.deepEqual(reads.sort(), creates.map((c) => c.threadId).sort(), 'one thread read per file');
    assert.equal(r.backend.count('join'), 3);
  });

  it('a run past its time limit is cancelled through the tracker and fails with timed-out', async () => {
    const r = rig();
    const { client } = fakeClient(r);
    const runner: TestRunner = { client, deploymentUrl: REMOTE, tracker: r.tracker, requests: limiter(2) };
    const result = await runFileAsTest(runner, 'slow', runFile({ timeoutSeconds: 0.05 }), 'agent');
    assert.equal(result.verdict, 'fail');
    assert.deepEqual(result.results.map((x) => [x.name, x.pass, x.expected]), [['timeoutSeconds', false, 'at most 0.05 s']]);
    assert.equal(r.backend.count(`cancel ${result.runId}`), 1, 'cancelled on the server');
  });

  it('a cancel stops the wait and cancels the run; a file still waiting its turn sends nothing', async () => {
    const r = rig();
    const { client, creates } = fakeClient(r);
    const stop = new AbortController();
    const requests = limiter(1);
    const runner: TestRunner = { client, deploymentUrl: REMOTE, tracker: r.tracker, requests, signal: stop.signal };
    const first = runFileAsTest(runner, 'a', runFile(), 'agent');
    await settle();
    assert.equal(creates.length, 1);
    // Something else holds the one lane: the second file waits its turn.
    let release!: () => void;
    const busy = requests(() => new Promise<void>((resolve) => (release = resolve)));
    const second = runFileAsTest(runner, 'b', runFile(), 'agent');
    await settle();
    stop.abort();
    release();
    await busy;
    const [a, b] = await Promise.all([first, second]);
    assert.deepEqual([a.cancelled, b.cancelled], [true, true]);
    assert.equal(creates.length, 1, 'the waiting file sent nothing');
    assert.equal(r.backend.count(`cancel ${a.runId}`), 1);
    assert.equal(b.runId, undefined);
  });
});
