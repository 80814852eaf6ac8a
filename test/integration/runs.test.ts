import { strict as assert } from 'node:assert';
import type { ApiError, StreamEvent } from '../../src/api';
import { outcomeOf, RUN_WORDS } from '../../src/core/runOutcome';
import { userInput } from '../harness/messages';
import { agentServer, client } from './setup';
import { until } from '../harness/until';

const isApiError = (check: (e: ApiError) => void) => (e: unknown) => {
  check(e as ApiError);
  return true;
};

describe('integration: runs', () => {
  it('runs the seed: background run pending, join, success, final state with the last AI message', async () => {
    const c = client();
    const thread = await c.threads.create();
    assert.deepEqual((await c.runs.list(thread.thread_id)).items, []);
    const run = await c.runs.create(thread.thread_id, {
      assistant_id: 'agent',
      input: userInput("what's the weather in sf"),
      context: { delay_ms: 300 },
    });
    assert.equal(run.status, 'pending');
    assert.equal(run.thread_id, thread.thread_id);
    const joined = await c.runs.join(thread.thread_id, run.run_id);
    const values = joined.values as { messages: { type: string; content: unknown }[] };
    assert.equal(values.messages.at(-1)!.type, 'ai');
    assert.equal((await c.runs.get(thread.thread_id, run.run_id)).status, 'success');
    const listed = await c.runs.list(thread.thread_id);
    assert.deepEqual(listed.items.map((r) => r.run_id), [run.run_id]);
    const state = await c.threads.getState(thread.thread_id);
    const last = (state.values as { messages: { content: unknown }[] }).messages.at(-1)!;
    assert.equal(last.content, "The weather in sf is: It's 60 degrees and foggy in sf.");
  });

  it('answers with content blocks when asked', async () => {
    const c = client();
    const thread = await c.threads.create();
    const result = await c.runs.wait(thread.thread_id, { assistant_id: 'agent', input: userInput('weather in paris with blocks') });
    const messages = (result.values as { messages: { type: string; content: unknown }[] }).messages;
    assert.deepEqual(messages.at(-1)!.content, [{ type: 'text', text: "The weather in paris is: It's 60 degrees and foggy in paris." }]);
    const toolUse = (messages[1]!.content as { type: string }[]).map((b) => b.type);
    assert.deepEqual(toolUse, ['text', 'tool_use']);
  });

  it('turns the join of a failed run into the server\'s error message; the run reads "error"', async () => {
    const c = client();
    const thread = await c.threads.create();
    const run = await c.runs.create(thread.thread_id, { assistant_id: 'fail', input: userInput('please fail now') });
    await assert.rejects(
      c.runs.join(thread.thread_id, run.run_id),
      isApiError((e) => {
        assert.equal(e.kind, 'run-failed');
        assert.equal(e.message, 'Deliberate failure requested by input: "please fail now"');
      }),
    );
    assert.equal((await c.runs.get(thread.thread_id, run.run_id)).status, 'error');
    assert.equal((await c.threads.get(thread.thread_id)).status, 'error');
  });

  it('turns a failed wait into the same error', async () => {
    const c = client();
    const thread = await c.threads.create();
    await assert.rejects(
      c.runs.wait(thread.thread_id, { assistant_id: 'agent', input: userInput('x'), context: { fail: true } }),
      isApiError((e) => assert.match(e.message, /^Deliberate failure requested by input: "x"$/)),
    );
  });

  it('reports "Run not found" for a join of a run that does not exist (the server answers 200)', async () => {
    const c = client();
    const thread = await c.threads.create();
    await assert.rejects(
      c.runs.join(thread.thread_id, '1ef6a5f8-bd86-6763-bbd6-bff042db7b1b'),
      isApiError((e) => {
        assert.equal(e.kind, 'run-failed');
        assert.equal(e.message, 'Run not found');
      }),
    );
    // The run itself: 404 on both (JS says "Run not found", Python "Not Found").
    await assert.rejects(
      c.runs.get(thread.thread_id, '1ef6a5f8-bd86-6763-bbd6-bff042db7b1b'),
      isApiError((e) => assert.match(e.message, /^404 Not Found: (Run not found|Not Found)$/)),
    );
  });

  it('stops at interrupt(): the thread is interrupted with its question, and a resume finishes it', async () => {
    const c = client();
    const thread = await c.threads.create();
    const run = await c.runs.create(thread.thread_id, { assistant_id: 'hitl', input: userInput('book me a flight') });
    const joined = await c.runs.join(thread.thread_id, run.run_id);
    assert.deepEqual(joined.interrupts?.map((i) => i.value), [{ question: 'Do you approve the plan?', options: ['yes', 'no'] }]);
    assert.equal((await c.runs.get(thread.thread_id, run.run_id)).status, 'success');
    const after = await c.threads.get(thread.thread_id);
    assert.equal(after.status, 'interrupted');
    const interrupts = Object.values(after.interrupts ?? {}).flat();
    assert.equal((interrupts[0]?.value as { question: string }).question, 'Do you approve the plan?');
    const state = await c.threads.getState(thread.thread_id);
    assert.equal(state.tasks[0]?.interrupts?.length, 1);
    const resumed = await c.runs.wait(thread.thread_id, { assistant_id: 'hitl', command: { resume: 'yes' } });
    const messages = (resumed.values as { messages: { content: string }[] }).messages;
    assert.match(messages.at(-1)!.content, /Approved: yes/);
    assert.equal((await c.threads.get(thread.thread_id)).status, 'idle');
  });

  it('streams a real run over SSE: metadata first, values with the whole conversation', async () => {
    const c = client();
    const thread = await c.threads.create();
    const events: StreamEvent[] = [];
    for await (const event of c.runs.stream(thread.thread_id, {
      assistant_id: 'agent',
      input: userInput("what's the weather in sf"),
      stream_mode: ['values', 'updates'],
    })) {
      events.push(event);
    }
    assert.equal(events[0]!.event, 'metadata');
    assert.equal(typeof (events[0]!.data as { run_id: unknown }).run_id, 'string');
    const values = events.filter((e) => e.event === 'values');
    const last = values.at(-1)!.data as { messages: { type: string }[] };
    assert.deepEqual(last.messages.map((m) => m.type), ['human', 'ai', 'tool', 'ai']);
    assert.ok(events.some((e) => e.event === 'updates'));
  });

  it('streams an error event from a failing run', async () => {
    const c = client();
    const thread = await c.threads.create();
    const events: StreamEvent[] = [];
    for await (const event of c.runs.stream(thread.thread_id, { assistant_id: 'fail', input: userInput('fail in stream') })) events.push(event);
    const error = events.find((e) => e.event === 'error');
    assert.match((error?.data as { message: string }).message, /Deliberate failure requested by input: "fail in stream"/);
  });

  it('joins the stream of a running resumable run from its first event', async () => {
    const c = client();
    const thread = await c.threads.create();
    const run = await c.runs.create(thread.thread_id, {
      assistant_id: 'agent',
      input: userInput('weather in oslo'),
      context: { delay_ms: 1_500 },
      stream_resumable: true,
      stream_mode: ['values'],
    });
    const events: StreamEvent[] = [];
    for await (const event of c.runs.joinStream(thread.thread_id, run.run_id, { lastEventId: '-1' })) events.push(event);
    const values = events.filter((e) => e.event === 'values');
    assert.ok(values.length >= 2, `got ${events.map((e) => e.event).join(', ')}`);
    const last = values.at(-1)!.data as { messages: { type: string }[] };
    assert.deepEqual(last.messages.map((m) => m.type), ['human', 'ai', 'tool', 'ai']);
  });

  it('cancels a running run and a pending one: both read "cancelled" (JS: the running one ends "error", Python "interrupted")', async function () {
    this.timeout(60_000);
    const c = client();
    const thread = await c.threads.create();
    const running = await c.runs.create(thread.thread_id, { assistant_id: 'slow', input: userInput('x'), context: { delay_ms: 20_000 } });
    await until(() => c.runs.get(thread.thread_id, running.run_id), (r) => r.status === 'running', { everyMs: 200 });
    const queued = await c.runs.create(thread.thread_id, {
      assistant_id: 'slow',
      input: userInput('y'),
      context: { delay_ms: 20_000 },
      multitask_strategy: 'enqueue',
    });
    await c.runs.cancel(thread.thread_id, queued.run_id);
    await c.runs.cancel(thread.thread_id, running.run_id);
    const r1 = await until(() => c.runs.get(thread.thread_id, running.run_id), (r) => r.status !== 'running', { everyMs: 200 });
    const r2 = await until(() => c.runs.get(thread.thread_id, queued.run_id), (r) => r.status !== 'pending', { everyMs: 200 });
    // The raw statuses differ: JS ends a cancelled running run "error", Python "interrupted" (its
    // thread too); a pending one is "interrupted" on both.
    assert.equal(r1.status, agentServer().server === 'python' ? 'interrupted' : 'error');
    assert.equal(r2.status, 'interrupted');
    // What a person reads is the same on both.
    for (const r of [r1, r2]) assert.equal(RUN_WORDS[outcomeOf({ runStatus: r.status, cancelRequested: true }).outcome].word, 'cancelled');
    assert.equal(RUN_WORDS[outcomeOf({ runStatus: r2.status }).outcome].word, 'cancelled');
  });

  it('refuses a second run on a busy thread with the server\'s words (JS 422, Python 409) when asked to ("reject"); deletes a finished run', async function () {
    this.timeout(60_000);
    const c = client();
    const thread = await c.threads.create();
    const first = await c.runs.create(thread.thread_id, { assistant_id: 'slow', input: userInput('x'), context: { delay_ms: 3_000 } });
    // "reject" said, as the extension sends it (run files, resume): the servers' defaults differ
    // (JS "reject", Python "enqueue", which would queue this run without a word).
    await assert.rejects(
      c.runs.create(thread.thread_id, { assistant_id: 'agent', input: userInput('y'), multitask_strategy: 'reject' }),
      isApiError((e) => {
        // The same words; JS answers 422, Python 409.
        assert.equal(e.status, agentServer().server === 'python' ? 409 : 422);
        assert.match(e.message, /^(422 Unprocessable Entity|409 Conflict): Thread is already running a task/);
      }),
    );
    await c.runs.join(thread.thread_id, first.run_id);
    await c.runs.delete(thread.thread_id, first.run_id);
    await assert.rejects(c.runs.get(thread.thread_id, first.run_id), isApiError((e) => assert.equal(e.status, 404)));
  });

  it('names the field when the server refuses a run body, in its words (JS 400 zod issues, Python 422 jsonschema text)', async () => {
    const c = client();
    const thread = await c.threads.create();
    await assert.rejects(
      c.runs.create(thread.thread_id, { input: {} } as never),
      isApiError((e) => {
        assert.deepEqual(e.issues.map((i) => i.path), ['assistant_id']);
        // JS "400 Bad Request: assistant_id: Required"; Python "422 Unprocessable Entity: assistant_id: is a required property".
        assert.match(e.message, /^4\d\d [A-Za-z ]+: assistant_id: (Required|is a required property)$/);
      }),
    );
    await assert.rejects(
      c.runs.create(thread.thread_id, { assistant_id: 'agent', input: {}, config: { recursion_limit: 'x' as never } }),
      isApiError((e) => {
        assert.deepEqual(e.issues.map((i) => i.path), ['config.recursion_limit']);
        assert.match(e.message, /^4\d\d [A-Za-z ]+: config\.recursion_limit: /);
      }),
    );
    // An unknown assistant is named: JS 404 `No assistant found for "nope"`, Python 422 `Invalid assistant: 'nope'`.
    await assert.rejects(
      c.runs.create(thread.thread_id, { assistant_id: 'nope', input: {} }),
      isApiError((e) => {
        assert.ok(e.status === 404 || e.status === 422, `status ${e.status}`);
        assert.match(e.message, /(No assistant found for "nope"|Invalid assistant: 'nope')/);
      }),
    );
  });
});
