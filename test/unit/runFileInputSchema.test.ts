import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { InputSchemaCache, inputChecker, mismatchProblems, parseRunFile, SchemaCheckWorker, within, type InputCheck, type InputMismatch, type SchemaCheckRunner } from '../../src/core/runFile';

/** The worker as the extension ships it (esbuild.mjs builds it with the tests). */
const WORKER_SCRIPT = join(__dirname, '../../../dist/schemaCheck.worker.js');
/** Backtracks exponentially on "aaa…a!": 35 letters take minutes, each letter doubling it. */
const CATASTROPHIC = { type: 'object', properties: { q: { type: 'string', pattern: '^(\\w+\\s?)*$' } } };
const CATASTROPHIC_INPUT = { q: `${'a'.repeat(35)}!` };

/** The shape the JS Agent Server publishes for a MessagesAnnotation graph: its message schema accepts almost nothing. */
const JS_SERVER_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: { messages: { type: 'array', items: { $ref: '#/definitions/BaseMessage<X,Y>' } } },
  definitions: {
    'BaseMessage<X,Y>': { oneOf: [{ $ref: '#/definitions/RemoveMessage' }] },
    RemoveMessage: { type: 'object', properties: { type: { type: 'string', const: 'remove' }, content: { type: 'string' } } },
  },
};

/** A Python-style (2020-12, $defs) schema with required and typed fields. */
const PY_SCHEMA = {
  type: 'object',
  $defs: { Doc: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } },
  properties: { query: { type: 'string' }, docs: { type: 'array', items: { $ref: '#/$defs/Doc' } }, mode: { enum: ['fast', 'deep'] } },
  required: ['query'],
};

describe('run files: checking the input against the assistant\'s input schema', () => {
  // No budget here: what these checks find must not depend on how busy the machine is.
  const checks = new SchemaCheckWorker({ script: WORKER_SCRIPT, budgetMs: Infinity });
  after(() => checks.dispose());

  /** What the check found; fails the test when it was skipped. */
  async function mismatches(schema: unknown, input: unknown): Promise<InputMismatch[]> {
    const check = inputChecker(schema, checks);
    assert.ok(check, 'a schema worth checking');
    const result = await check(input);
    assert.equal(result.status, 'checked', result.status === 'skipped' ? result.detail : '');
    return result.status === 'checked' ? result.mismatches : [];
  }

  it('lets every shape of message list through (the servers\' message schemas are wrong)', async () => {
    assert.deepEqual(await mismatches(JS_SERVER_SCHEMA, { messages: [{ role: 'user', content: 'hi' }] }), []);
    assert.deepEqual(await mismatches(JS_SERVER_SCHEMA, { messages: [{ type: 'human', content: 'hi' }] }), []);
    assert.deepEqual(await mismatches(JS_SERVER_SCHEMA, { messages: 'hi' }), []);
  });

  it('names a field the graph does not have, with the closest one', async () => {
    assert.deepEqual(await mismatches(JS_SERVER_SCHEMA, { mesages: [] }), [{ path: ['mesages'], what: 'not a field of the graph\'s input (did you mean "messages"?)' }]);
    assert.deepEqual(await mismatches(JS_SERVER_SCHEMA, 'hello'), [{ path: [], what: 'expected an object, got the string "hello"' }]);
  });

  it('does not ask for "messages" the Python server lists as required (MessagesState): both servers read alike', async () => {
    // The shape langgraph-api 0.16.7 publishes for MessagesState (message classes cut short).
    const pyMessagesState = {
      $defs: { HumanMessage: { type: 'object', properties: { content: { type: 'string' } }, required: ['content'] } },
      type: 'object',
      title: 'MessagesState',
      properties: { messages: { type: 'array', items: { anyOf: [{ $ref: '#/$defs/HumanMessage' }] }, title: 'Messages' } },
      required: ['messages'],
    };
    assert.deepEqual(await mismatches(pyMessagesState, { mesages: [] }), [{ path: ['mesages'], what: 'not a field of the graph\'s input (did you mean "messages"?)' }]);
    assert.deepEqual(await mismatches(pyMessagesState, {}), []);
    assert.deepEqual(await mismatches(pyMessagesState, { messages: [{ role: 'user', content: 'hi' }] }), []);
  });

  it('reports typed, required and enum fields at their path (2020-12 with $defs)', async () => {
    assert.deepEqual(await mismatches(PY_SCHEMA, { docs: [{ text: 1 }, {}], mode: 'slow' }), [
      { path: [], what: 'missing the field "query"' },
      { path: ['docs', 0, 'text'], what: 'expected a string, got the number 1' },
      { path: ['docs', 1], what: 'missing the field "text"' },
      { path: ['mode'], what: 'the string "slow" is not an allowed value' },
    ]);
    assert.deepEqual(await mismatches(PY_SCHEMA, { query: 'q' }), []);
  });

  it('does not check against an empty or unusable schema', async () => {
    assert.equal(inputChecker(undefined, checks), undefined);
    assert.equal(inputChecker({}, checks), undefined);
    assert.equal(inputChecker({ type: 'object', $schema: 'http://json-schema.org/draft-07/schema#' }, checks), undefined);
    assert.deepEqual(await mismatches({ type: 'object', properties: { a: { $ref: '#/nowhere' } } }, { a: 1 }), []);
  });

  it('does not change the schema it was given (it is cached and shared)', async () => {
    const schema = structuredClone(JS_SERVER_SCHEMA);
    await mismatches(schema, { x: 1 });
    assert.deepEqual(schema, JS_SERVER_SCHEMA);
  });

  it('places mismatches in the file: under "input" in a request, at the top in a bare input', async () => {
    const request = parseRunFile('{\n  "assistant_id": "agent",\n  "input": {\n    "mesages": []\n  }\n}');
    const bare = parseRunFile('{\n  "mesages": []\n}');
    assert.ok(request.ok && bare.ok);
    const found = await mismatches(JS_SERVER_SCHEMA, request.file.body.input);
    const [inRequest] = mismatchProblems(found, request.file.inputPath, request.file.place);
    const [inBare] = mismatchProblems(found, bare.file.inputPath, bare.file.place);
    assert.deepEqual([inRequest!.line, inRequest!.column, inRequest!.severity], [4, 5, 'warning']);
    assert.match(inRequest!.message, /^input\.mesages: not a field/);
    assert.deepEqual([inBare!.line, inBare!.column], [2, 3]);
    assert.match(inBare!.message, /^mesages: not a field/);
  });
});

describe('run files: the input-schema check runs in a worker thread, within a time budget', () => {
  it('skips a catastrophic pattern as "too slow" and the thread it was asked from goes on meanwhile', async () => {
    const checks = new SchemaCheckWorker({ script: WORKER_SCRIPT });
    try {
      let turns = 0;
      const spin = setInterval(() => turns++, 1);
      const result = await inputChecker(CATASTROPHIC, checks)!(CATASTROPHIC_INPUT);
      clearInterval(spin);
      assert.deepEqual(result, { status: 'skipped', reason: 'too slow', detail: 'it took longer than 2 s' } satisfies InputCheck);
      assert.ok(turns > 0, 'the event loop was not blocked while the worker checked');
    } finally {
      checks.dispose();
    }
  });

  it('keeps one warm worker for check after check, and a new one after a check that ran past its budget', async () => {
    const checks = new SchemaCheckWorker({ script: WORKER_SCRIPT });
    try {
      // The normal checks bring an endless budget of their own: only the slow one may time out.
      const check = inputChecker(PY_SCHEMA, checks)!;
      const normal = (input: unknown) => check(input, Infinity);
      const slow = inputChecker(CATASTROPHIC, checks)!;
      const expected: InputCheck = { status: 'checked', mismatches: [{ path: [], what: 'missing the field "query"' }] };
      assert.deepEqual(await normal({}), expected);
      assert.deepEqual(await normal({}), expected);
      assert.equal(checks.started, 1, 'the worker is reused');
      // Asked at once: the checks go one at a time, each with its own budget.
      const [before, timedOut, after, again] = await Promise.all([normal({}), slow(CATASTROPHIC_INPUT), normal({}), normal({ query: 'q' })]);
      assert.deepEqual(before, expected);
      assert.deepEqual(timedOut, { status: 'skipped', reason: 'too slow', detail: 'it took longer than 2 s' });
      assert.deepEqual(after, expected, 'the check after the timeout runs in a new worker');
      assert.deepEqual(again, { status: 'checked', mismatches: [] });
      assert.equal(checks.started, 2, 'one new worker after the timeout, then reused');
      assert.deepEqual(await slow(CATASTROPHIC_INPUT, 100), { status: 'skipped', reason: 'too slow', detail: 'it took longer than 0.1 s' });
      assert.deepEqual(await normal({}), expected);
      assert.equal(checks.started, 3);
    } finally {
      checks.dispose();
    }
  });

  it('never rejects: a worker that cannot start, or a closed checker, skips the check and says why', async () => {
    const missing = new SchemaCheckWorker({ script: join(__dirname, 'no-such-worker.js') });
    const result = await inputChecker(PY_SCHEMA, missing)!({});
    assert.equal(result.status === 'skipped' && result.reason, 'failed');
    assert.match(result.status === 'skipped' ? result.detail : '', /^the checker (failed|stopped)/);
    missing.dispose();
    assert.deepEqual(await inputChecker(PY_SCHEMA, missing)!({}), { status: 'skipped', reason: 'failed', detail: 'the checker was closed' });
  });
});

describe('run files: the input-schema cache', () => {
  it('fetches once per key while fresh, again after it expires, and forgets failures', async () => {
    let now = 0;
    let fetches = 0;
    let warmed = 0;
    const runner: SchemaCheckRunner = { check: async () => ({ status: 'checked', mismatches: [] }), warm: () => void warmed++ };
    const cache = new InputSchemaCache(runner, () => now);
    const fetch = async () => {
      fetches++;
      return JS_SERVER_SCHEMA;
    };
    assert.ok(await cache.checker('a', fetch));
    assert.ok(await cache.checker('a', fetch));
    assert.equal(fetches, 1);
    assert.equal(warmed, 1, 'the worker is started while the schema loads');
    now += 6 * 60_000;
    await cache.checker('a', fetch);
    assert.equal(fetches, 2);
    assert.deepEqual(await cache.checker('b', () => Promise.reject(new Error('down'))), { unavailable: 'down' });
    assert.ok(await cache.checker('b', fetch), 'a failure is not cached');
  });

  it('gives up waiting after the time allowed, or when cancelled, without rejecting', async () => {
    const never = new Promise<string>(() => {});
    assert.equal(await within(never, 5), undefined);
    const controller = new AbortController();
    const waiting = within(never, 60_000, controller.signal);
    controller.abort();
    assert.equal(await waiting, undefined);
    assert.equal(await within(Promise.resolve('ok'), 60_000), 'ok');
    assert.equal(await within(Promise.reject(new Error('x')), 60_000), undefined);
  });

  it('waits with no clock at all when given Infinity (what the extension tests ask for)', async () => {
    let settle!: (value: string) => void;
    const late = new Promise<string>((resolve) => (settle = resolve));
    const waiting = within(late, Infinity);
    await new Promise((resolve) => setTimeout(resolve, 20)); // past any timer Infinity could have become
    settle('there');
    assert.equal(await waiting, 'there');
  });
});
