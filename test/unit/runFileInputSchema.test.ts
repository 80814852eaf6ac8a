import { strict as assert } from 'node:assert';
import { InputSchemaCache, inputChecker, mismatchProblems, parseRunFile, within } from '../../src/core/runFile';

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
  it('lets every shape of message list through (the servers\' message schemas are wrong)', () => {
    const check = inputChecker(JS_SERVER_SCHEMA)!;
    assert.deepEqual(check({ messages: [{ role: 'user', content: 'hi' }] }), []);
    assert.deepEqual(check({ messages: [{ type: 'human', content: 'hi' }] }), []);
    assert.deepEqual(check({ messages: 'hi' }), []);
  });

  it('names a field the graph does not have, with the closest one', () => {
    const check = inputChecker(JS_SERVER_SCHEMA)!;
    assert.deepEqual(check({ mesages: [] }), [{ path: ['mesages'], what: 'not a field of the graph\'s input (did you mean "messages"?)' }]);
    assert.deepEqual(check('hello'), [{ path: [], what: 'expected an object, got the string "hello"' }]);
  });

  it('reports typed, required and enum fields at their path (2020-12 with $defs)', () => {
    const check = inputChecker(PY_SCHEMA)!;
    assert.deepEqual(check({ docs: [{ text: 1 }, {}], mode: 'slow' }), [
      { path: [], what: 'missing the field "query"' },
      { path: ['docs', 0, 'text'], what: 'expected a string, got the number 1' },
      { path: ['docs', 1], what: 'missing the field "text"' },
      { path: ['mode'], what: 'the string "slow" is not an allowed value' },
    ]);
    assert.deepEqual(check({ query: 'q' }), []);
  });

  it('does not check against an empty or unusable schema', () => {
    assert.equal(inputChecker(undefined), undefined);
    assert.equal(inputChecker({}), undefined);
    assert.equal(inputChecker({ type: 'object', $schema: 'http://json-schema.org/draft-07/schema#' }), undefined);
    assert.deepEqual(inputChecker({ type: 'object', properties: { a: { $ref: '#/nowhere' } } })!({ a: 1 }), []);
  });

  it('does not change the schema it was given (it is cached and shared)', () => {
    const schema = structuredClone(JS_SERVER_SCHEMA);
    inputChecker(schema)!({ x: 1 });
    assert.deepEqual(schema, JS_SERVER_SCHEMA);
  });

  it('places mismatches in the file: under "input" in a request, at the top in a bare input', () => {
    const request = parseRunFile('{\n  "assistant_id": "agent",\n  "input": {\n    "mesages": []\n  }\n}');
    const bare = parseRunFile('{\n  "mesages": []\n}');
    assert.ok(request.ok && bare.ok);
    const mismatches = inputChecker(JS_SERVER_SCHEMA)!(request.file.body.input);
    const [inRequest] = mismatchProblems(mismatches, request.file.inputPath, request.file.place);
    const [inBare] = mismatchProblems(mismatches, bare.file.inputPath, bare.file.place);
    assert.deepEqual([inRequest!.line, inRequest!.column, inRequest!.severity], [4, 5, 'warning']);
    assert.match(inRequest!.message, /^input\.mesages: not a field/);
    assert.deepEqual([inBare!.line, inBare!.column], [2, 3]);
    assert.match(inBare!.message, /^mesages: not a field/);
  });
});

describe('run files: the input-schema cache', () => {
  it('fetches once per key while fresh, again after it expires, and forgets failures', async () => {
    let now = 0;
    let fetches = 0;
    const cache = new InputSchemaCache(() => now);
    const fetch = async () => {
      fetches++;
      return JS_SERVER_SCHEMA;
    };
    assert.ok(await cache.checker('a', fetch));
    assert.ok(await cache.checker('a', fetch));
    assert.equal(fetches, 1);
    now += 6 * 60_000;
    await cache.checker('a', fetch);
    assert.equal(fetches, 2);
    assert.equal(await cache.checker('b', () => Promise.reject(new Error('down'))), undefined);
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
});
