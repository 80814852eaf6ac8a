import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunCreate } from '../../src/api';
import { inputChecker, parseRunFile, SchemaCheckWorker, type InputChecker } from '../../src/core/runFile';
import { userInput } from '../harness/messages';
import { client } from './setup';

const EXAMPLES = join(__dirname, '../../../examples');

function example(name: string): RunCreate & { thread: string } {
  const parsed = parseRunFile(readFileSync(join(EXAMPLES, name), 'utf8'));
  assert.ok(parsed.ok, name);
  return { ...parsed.file.body, assistant_id: parsed.file.assistantId ?? 'agent', thread: parsed.file.threadId ?? 'new' } as RunCreate & { thread: string };
}

describe('integration: run files against the real server', () => {
  it('the example run files are bodies the server accepts and runs', async function () {
    this.timeout(60_000);
    const c = client();
    for (const name of ['weather.run.json', 'weather-input.json', 'slow-with-context.run.json']) {
      const { thread: _thread, ...body } = example(name);
      const threadId = randomUUID();
      const result = await c.runs.wait(threadId, { ...body, if_not_exists: 'create' });
      const messages = (result.values as { messages: { type: string; content: unknown }[] }).messages;
      assert.equal(messages.at(-1)?.type, 'ai', name);
    }
  });

  it('the hitl examples: a plan that waits for approval, then the resume command', async function () {
    this.timeout(60_000);
    const c = client();
    const { thread: _t, ...plan } = example('approve-plan.run.json');
    const threadId = randomUUID();
    const first = await c.runs.wait(threadId, { ...plan, if_not_exists: 'create' });
    assert.ok(first.interrupts?.length, 'the plan stops at the interrupt');
    const { thread: _t2, ...resume } = example('resume-yes.run.json');
    const second = await c.runs.wait(threadId, resume);
    const messages = (second.values as { messages: { content: unknown }[] }).messages;
    assert.equal(messages.at(-1)?.content, 'Approved: yes');
  });

  it('a run that creates its thread (if_not_exists) lacks graph_id in its metadata, so run files create the thread first', async () => {
    const c = client();
    const made = await c.runs.create(randomUUID(), { assistant_id: 'agent', input: userInput('hi'), if_not_exists: 'create' });
    assert.equal(made.metadata.graph_id, undefined);
    const thread = await c.threads.create();
    const normal = await c.runs.create(thread.thread_id, { assistant_id: 'agent', input: userInput('hi') });
    assert.equal(normal.metadata.graph_id, 'agent');
  });

  it('the agent\'s published input schema passes the seed\'s input and catches a misspelt field', async function () {
    this.timeout(90_000);
    const agent = await client().assistants.resolve('agent');
    const schemas = await client().assistants.schemas(agent!.assistant_id);
    const checks = new SchemaCheckWorker({ script: join(__dirname, '../../../dist/schemaCheck.worker.js'), budgetMs: Infinity });
    try {
      const check = inputChecker(schemas.input_schema, checks);
      assert.ok(check, 'the agent publishes an input schema worth checking');
      const found = (input: unknown) => whats(check, input);
      assert.deepEqual(await found(userInput("what's the weather in sf")), []);
      assert.deepEqual(await found({ messages: [{ type: 'human', content: 'hi' }] }), []);
      assert.deepEqual(await found({ mesages: [] }), ['not a field of the graph\'s input (did you mean "messages"?)']);
    } finally {
      checks.dispose();
    }
  });
});

/** What the check found, in words; fails when the check was skipped. */
async function whats(check: InputChecker, input: unknown): Promise<string[]> {
  const result = await check(input);
  assert.equal(result.status, 'checked', result.status === 'skipped' ? result.detail : '');
  return result.status === 'checked' ? result.mismatches.map((m) => m.what) : [];
}
