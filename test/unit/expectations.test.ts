import { strict as assert } from 'node:assert';
import { parseRunFile } from '../../src/core/runFile';
import { evaluateExpectations, expectedStatus, firstFailure, type ExpectationResult, type RunEnd } from '../../src/core/runFile/expectations';
import { expectSchema, parseStatePath, type Expectations } from '../../src/core/runFile/expectationsSchema';
import { aiMessage, humanMessage, toolMessage } from '../harness/messages';

const CALL = { id: 'call_1', name: 'get_weather', args: { city: 'sf', units: 'F' } };
/** The seed's thread: human → ai tool call → tool → ai answer. */
const VALUES = {
  messages: [
    humanMessage("what's the weather in sf"),
    aiMessage('', { tool_calls: [CALL] }),
    toolMessage(CALL, "It's 60 degrees and foggy in sf."),
    aiMessage("The weather in sf is: It's 60 degrees and foggy in sf."),
  ],
  user: { name: 'Ada', tags: ['a', 'b'] },
  count: 3,
};

function end(overrides: Partial<RunEnd> = {}): RunEnd {
  return { outcome: 'succeeded', values: VALUES, interrupts: [], elapsedMs: 1_200, ...overrides };
}

/** The results of `expect` (checked by the schema first, as a file's would be). */
function check(expect: unknown, runEnd: RunEnd = end()): ExpectationResult[] {
  return evaluateExpectations(expectSchema.parse(expect) as Expectations, runEnd);
}

function only(results: ExpectationResult[], name: string): ExpectationResult {
  const found = results.filter((r) => r.name === name);
  assert.equal(found.length, 1, `one result named ${name} in ${JSON.stringify(results.map((r) => r.name))}`);
  return found[0]!;
}

function assertPass(result: ExpectationResult, message: string): void {
  assert.deepEqual(result, { name: result.name, pass: true, message });
}

function assertFail(result: ExpectationResult, message: string, expected: string, actual: string): void {
  assert.deepEqual(result, { name: result.name, pass: false, message, expected, actual });
}

describe('run files as tests: expectations', () => {
  describe('no expect: a smoke test', () => {
    it('passes when the run succeeds', () => {
      assert.deepEqual(evaluateExpectations(undefined, end()), [{ name: 'status', pass: true, message: 'status is success' }]);
    });
    it('fails when it fails, with the error, and when it stops for input', () => {
      const [failed] = evaluateExpectations(undefined, end({ outcome: 'failed', error: 'Deliberate failure requested by input: "x"' }));
      assertFail(failed!, 'expected status success, but the run failed: Deliberate failure requested by input: "x"', 'success', 'error');
      const [waiting] = evaluateExpectations(undefined, end({ outcome: 'needs-input' }));
      assertFail(waiting!, 'expected status success, but the run is waiting for input', 'success', 'interrupted');
    });
  });

  describe('status', () => {
    it('each expected status, pass and fail; outcomes outside the three read in the outcome words', () => {
      assertPass(only(check({ status: 'interrupted' }, end({ outcome: 'needs-input' })), 'status'), 'status is interrupted');
      assertPass(only(check({ status: 'error' }, end({ outcome: 'failed', error: 'boom' })), 'status'), 'status is error');
      assertFail(only(check({ status: 'error' }), 'status'), 'expected status error, but the run succeeded', 'error', 'success');
      assertFail(only(check({ status: 'success' }, end({ outcome: 'cancelled' })), 'status'), 'expected status success, but the run was cancelled', 'success', 'cancelled');
    });
    it('defaults: interrupted with `interrupt`, error with `error`, else success', () => {
      assert.equal(expectedStatus(undefined), 'success');
      assert.equal(expectedStatus({ interrupt: { exists: true } }), 'interrupted');
      assert.equal(expectedStatus({ error: { contains: 'x' } }), 'error');
      assert.equal(expectedStatus({ error: { contains: 'x' }, status: 'success' }), 'success');
    });
  });

  describe('lastMessage', () => {
    const answer = "The weather in sf is: It's 60 degrees and foggy in sf.";
    it('contains', () => {
      assertPass(only(check({ lastMessage: { contains: '60 degrees' } }), 'lastMessage.contains'), 'lastMessage contains "60 degrees"');
      assertFail(
        only(check({ lastMessage: { contains: '70 degrees' } }), 'lastMessage.contains'),
        `lastMessage does not contain "70 degrees": ${JSON.stringify(answer)}`,
        '70 degrees',
        answer,
      );
    });
    it('matches, with /flags/', () => {
      assertPass(only(check({ lastMessage: { matches: '/FOGGY in SF\\.$/i' } }), 'lastMessage.matches'), 'lastMessage matches /FOGGY in SF\\.$/i');
      assertFail(
        only(check({ lastMessage: { matches: '^sunny' } }), 'lastMessage.matches'),
        `lastMessage does not match ^sunny: ${JSON.stringify(answer)}`,
        'matching ^sunny',
        answer,
      );
    });
    it('equals', () => {
      assertPass(only(check({ lastMessage: { equals: answer } }), 'lastMessage.equals'), `lastMessage is ${JSON.stringify(answer)}`);
      assertFail(only(check({ lastMessage: { equals: 'hi' } }), 'lastMessage.equals'), `lastMessage is not "hi": ${JSON.stringify(answer)}`, 'hi', answer);
    });
    it('no assistant message: fails with words', () => {
      const results = check({ lastMessage: { contains: 'x' } }, end({ values: { messages: [humanMessage('hi')] } }));
      assertFail(only(results, 'lastMessage'), 'the state has no assistant message (1 message)', 'contains "x"', '(no assistant message)');
    });
    it('reads content blocks as the panel does (normalizeMessages)', () => {
      const values = { messages: [aiMessage('', { content: [{ type: 'text', text: 'Let me see.' }, { type: 'text', text: '60 degrees' }] })] };
      assert.equal(only(check({ lastMessage: { contains: '60 degrees' } }, end({ values })), 'lastMessage.contains').pass, true);
    });
  });

  describe('values at JSON paths of the final state', () => {
    it('equals (deep), pass and fail with pretty JSON to diff', () => {
      assertPass(only(check({ values: { user: { equals: { name: 'Ada', tags: ['a', 'b'] } } } }), 'values["user"].equals'), 'values["user"] equals {"name":"Ada","tags":["a","b"]}');
      assertFail(
        only(check({ values: { 'user.name': { equals: 'Bob' } } }), 'values["user.name"].equals'),
        'values["user.name"] is not equal to "Bob": "Ada"',
        '"Bob"',
        '"Ada"',
      );
      assertFail(only(check({ values: { count: { equals: 4 } } }), 'values["count"].equals'), 'values["count"] is not equal to 4: 3', '4', '3');
    });
    it('contains: a text, an item of a list, keys of an object', () => {
      assert.equal(only(check({ values: { 'user.name': { contains: 'Ad' } } }), 'values["user.name"].contains').pass, true);
      assert.equal(only(check({ values: { 'user.tags': { contains: 'b' } } }), 'values["user.tags"].contains').pass, true);
      assert.equal(only(check({ values: { messages: { contains: { type: 'tool', name: 'get_weather' } } } }), 'values["messages"].contains').pass, true);
      assert.equal(only(check({ values: { user: { contains: { name: 'Ada' } } } }), 'values["user"].contains').pass, true);
      assertFail(
        only(check({ values: { 'user.tags': { contains: 'c' } } }), 'values["user.tags"].contains'),
        'values["user.tags"] does not contain "c": ["a","b"]',
        '"c"',
        '[\n  "a",\n  "b"\n]',
      );
    });
    it('matches a text value', () => {
      assertPass(only(check({ values: { 'messages[0].content': { matches: 'weather' } } }), 'values["messages[0].content"].matches'), 'values["messages[0].content"] matches weather');
      assertFail(
        only(check({ values: { 'user.name': { matches: '^B' } } }), 'values["user.name"].matches'),
        'values["user.name"] does not match ^B: "Ada"',
        'matching ^B',
        'Ada',
      );
    });
    it('exists, true and false', () => {
      assertPass(only(check({ values: { 'messages[1].tool_calls': { exists: true } } }), 'values["messages[1].tool_calls"].exists'), 'values["messages[1].tool_calls"] is there');
      assertPass(only(check({ values: { 'user.email': { exists: false } } }), 'values["user.email"].exists'), 'values["user.email"] is not there');
      assertFail(only(check({ values: { 'user.email': { exists: true } } }), 'values["user.email"].exists'), 'no user.email: user has name, tags', '(a value)', '(nothing)');
      assertFail(only(check({ values: { 'user.name': { exists: false } } }), 'values["user.name"].exists'), 'values["user.name"] is there, but should not be', '(nothing)', '"Ada"');
    });
    it('length, minLength, maxLength of lists, texts and objects', () => {
      assertPass(only(check({ values: { messages: { length: 4 } } }), 'values["messages"].length'), 'values["messages"] has 4 items');
      assertFail(only(check({ values: { messages: { length: 2 } } }), 'values["messages"].length'), 'values["messages"] has 4 items, expected exactly 2', 'length 2', 'length 4');
      assertPass(only(check({ values: { 'user.name': { minLength: 3 } } }), 'values["user.name"].minLength'), 'values["user.name"] has 3 characters');
      assertFail(only(check({ values: { user: { maxLength: 1 } } }), 'values["user"].maxLength'), 'values["user"] has 2 keys, expected at most 1', 'maxLength 1', 'maxLength 2');
      assertFail(only(check({ values: { count: { length: 1 } } }), 'values["count"].length'), 'values["count"] has no length: it is a number', 'length 1', '3');
    });
    it('a path that is not there fails with words, never throws: missing key, index past the end, through a non-object', () => {
      assertFail(only(check({ values: { 'messages[9].content': { equals: 'x' } } }), 'values["messages[9].content"]'), 'no messages[9].content: messages has 4 items', 'equals "x"', '(nothing)');
      assertFail(only(check({ values: { 'count.x': { equals: 1 } } }), 'values["count.x"]'), 'no count.x: count is a number, not an object', 'equals 1', '(nothing)');
      assertFail(only(check({ values: { 'user[0]': { length: 1 } } }), 'values["user[0]"]'), 'no user[0]: user is an object, not a list', 'length 1', '(nothing)');
      assertFail(only(check({ values: { nope: { equals: 1 } } }, end({ values: null })), 'values["nope"]'), 'no nope: the state is null, not an object', 'equals 1', '(nothing)');
    });
    it('paths: keys, [n], [-1], ["quoted keys"], a leading $', () => {
      assert.deepEqual(parseStatePath('messages[-1].content'), ['messages', -1, 'content']);
      assert.deepEqual(parseStatePath('$.a["b c"][0]'), ['a', 'b c', 0]);
      assert.deepEqual(parseStatePath(''), []);
      assert.ok(!Array.isArray(parseStatePath('a..b')));
      assert.equal(only(check({ values: { 'messages[-1].type': { equals: 'ai' } } }), 'values["messages[-1].type"].equals').pass, true);
    });
  });

  describe('toolCalls', () => {
    it('by name, and with arguments (these keys with these values)', () => {
      assertPass(only(check({ toolCalls: [{ name: 'get_weather' }] }), 'toolCalls["get_weather"]'), 'get_weather was called');
      assertPass(only(check({ toolCalls: [{ name: 'get_weather', args: { city: 'sf' } }] }), 'toolCalls["get_weather"]'), 'get_weather was called with {"city":"sf"}');
    });
    it('fails: not called, and called with other arguments; the calls made are the actual side', () => {
      assertFail(
        only(check({ toolCalls: [{ name: 'search' }] }), 'toolCalls["search"]'),
        'no call of search: the calls made: get_weather',
        'search(…)',
        'get_weather({"city":"sf","units":"F"})',
      );
      assertFail(
        only(check({ toolCalls: [{ name: 'get_weather', args: { city: 'paris' } }] }), 'toolCalls["get_weather"]'),
        'get_weather was called, but not with {"city":"paris"}: {"city":"sf","units":"F"}',
        'get_weather({"city":"paris"})',
        'get_weather({"city":"sf","units":"F"})',
      );
      assertFail(
        only(check({ toolCalls: [{ name: 'get_weather' }] }, end({ values: { messages: [aiMessage('hi')] } })), 'toolCalls["get_weather"]'),
        'no call of get_weather: no tool calls were made',
        'get_weather(…)',
        '(no tool calls)',
      );
    });
    it('finds calls in tool_use blocks too (normalizeMessages)', () => {
      const values = { messages: [aiMessage('', { content: [{ type: 'tool_use', id: 'c1', name: 'lookup', input: { q: 'x' } }] })] };
      assert.equal(only(check({ toolCalls: [{ name: 'lookup', args: { q: 'x' } }] }, end({ values })), 'toolCalls["lookup"]').pass, true);
    });
  });

  describe('interrupt', () => {
    const question = { question: 'Do you approve the plan?', options: ['yes', 'no'] };
    const waiting = end({ outcome: 'needs-input', interrupts: [question] });
    it("checks the interrupt's value", () => {
      assertPass(only(check({ interrupt: { contains: { question: 'Do you approve the plan?' } } }, waiting), 'interrupt.contains'), 'interrupt contains {"question":"Do you approve the plan?"}');
      assertPass(only(check({ interrupt: { exists: true } }, waiting), 'interrupt.exists'), 'interrupt is there');
      assertFail(
        only(check({ interrupt: { equals: 'yes?' } }, waiting), 'interrupt.equals'),
        'interrupt is not equal to "yes?": {"question":"Do you approve the plan?","options":["yes","no"]}',
        '"yes?"',
        JSON.stringify(question, null, 2),
      );
    });
    it('a run that did not stop: status and the interrupt fail', () => {
      const results = check({ interrupt: { contains: { question: 'x' } } });
      assertFail(only(results, 'status'), 'expected status interrupted, but the run succeeded', 'interrupted', 'success');
      assertFail(only(results, 'interrupt'), 'the run did not stop at an interrupt', 'contains {"question":"x"}', '(nothing)');
    });
  });

  describe('error', () => {
    const failed = end({ outcome: 'failed', error: 'Deliberate failure requested by input: "x"' });
    it('the message: contains, matches, equals', () => {
      assertPass(only(check({ error: { contains: 'Deliberate' } }, failed), 'error.contains'), 'error contains "Deliberate"');
      assertPass(only(check({ error: { matches: 'input: "x"$' } }, failed), 'error.matches'), 'error matches input: "x"$');
      assertFail(
        only(check({ error: { equals: 'boom' } }, failed), 'error.equals'),
        'error is not "boom": "Deliberate failure requested by input: \\"x\\""',
        'boom',
        'Deliberate failure requested by input: "x"',
      );
    });
    it('a run that did not fail', () => {
      const results = check({ error: { contains: 'Deliberate' } });
      assertFail(only(results, 'error'), 'the run did not fail (it succeeded)', 'contains "Deliberate"', '(no error)');
    });
  });

  describe('timeoutSeconds', () => {
    it('in time, too slow, and never ended (nothing else is checked then)', () => {
      assertPass(only(check({ timeoutSeconds: 5 }), 'timeoutSeconds'), 'the run took 1.2 s (limit 5 s)');
      assertFail(only(check({ timeoutSeconds: 1 }), 'timeoutSeconds'), 'the run took 1.2 s, more than 1 s', 'at most 1 s', '1.2 s');
      const results = check({ timeoutSeconds: 2, lastMessage: { contains: 'x' } }, end({ outcome: 'timed-out', timedOut: true, elapsedMs: 2_004, values: undefined }));
      assert.equal(results.length, 1);
      assertFail(results[0]!, 'the run had not ended after 2 s (waited 2.0 s)', 'at most 2 s', 'more than 2.0 s');
    });
  });

  it('firstFailure: the first that failed, in the order status, lastMessage, values, toolCalls, interrupt, error', () => {
    const results = check({ lastMessage: { contains: 'nope' }, values: { count: { equals: 9 } } });
    assert.deepEqual(
      results.map((r) => [r.name, r.pass]),
      [
        ['status', true],
        ['lastMessage.contains', false],
        ['values["count"].equals', false],
      ],
    );
    assert.equal(firstFailure(results)?.name, 'lastMessage.contains');
    assert.equal(firstFailure(check({})), undefined);
  });
});

describe('run files as tests: `expect` in the file', () => {
  const request = (expect: unknown) => JSON.stringify({ assistant_id: 'agent', input: { messages: [] }, expect }, null, 2);

  it('is never part of the body sent, in a run request or a bare input', () => {
    const parsed = parseRunFile(request({ lastMessage: { contains: '60 degrees' } }));
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.file.body, { input: { messages: [] } });
    assert.deepEqual(parsed.file.expect, { lastMessage: { contains: '60 degrees' } });
    const bare = parseRunFile(JSON.stringify({ messages: [], expect: { status: 'success' } }));
    assert.ok(bare.ok);
    assert.deepEqual(bare.file.body, { input: { messages: [] } });
    assert.deepEqual(bare.file.expect, { status: 'success' });
    const none = parseRunFile(JSON.stringify({ messages: [] }));
    assert.ok(none.ok);
    assert.equal(none.file.expect, undefined);
  });

  it('an unknown key gets "did you mean", at its place, at every level', () => {
    const cases: [unknown, string][] = [
      [{ lastMesage: { contains: 'x' } }, 'unknown key "lastMesage" in expect: did you mean "lastMessage"?'],
      [{ lastMessage: { contans: 'x' } }, 'unknown key "contans" in expect.lastMessage: did you mean "contains"?'],
      [{ values: { a: { lenght: 1 } } }, 'unknown key "lenght" in expect.values.a: did you mean "length"?'],
      [{ toolCalls: [{ name: 'x', arg: {} }] }, 'unknown key "arg" in expect.toolCalls[0]: did you mean "args"?'],
      [{ interrupt: { zzzzzz: 1 } }, 'unknown key "zzzzzz" in expect.interrupt: expect.interrupt holds "equals", "contains", "matches", "exists", "length", "minLength", "maxLength"'],
    ];
    for (const [expect, message] of cases) {
      const parsed = parseRunFile(request(expect));
      assert.ok(!parsed.ok, message);
      assert.equal(parsed.problems[0]!.message, message);
      assert.equal(parsed.problems[0]!.severity, 'error');
    }
    const bare = parseRunFile('{"messages": [],\n "expect": {"stauts": "success"}}');
    assert.ok(!bare.ok);
    assert.deepEqual([bare.problems[0]!.line, bare.problems[0]!.column, bare.problems[0]!.message], [2, 13, 'unknown key "stauts" in expect: did you mean "status"?']);
  });

  it('an invalid regular expression is a problem where it is', () => {
    const text = request({ lastMessage: { matches: 'foggy (in' } });
    const parsed = parseRunFile(text);
    assert.ok(!parsed.ok);
    const [problem] = parsed.problems;
    assert.match(problem!.message, /^expect\.lastMessage\.matches: not a valid regular expression: Invalid regular expression: \/foggy \(in\/.*Unterminated group/);
    assert.equal(text.split('\n')[problem!.line - 1]!.slice(problem!.column - 1).startsWith('"matches"'), true);
    assert.deepEqual(problem!.path, ['expect', 'lastMessage', 'matches']);
  });

  it('a path that is not a path, a wrong status, a negative length: problems with their places', () => {
    const wrong = (expect: unknown) => {
      const parsed = parseRunFile(request(expect));
      assert.ok(!parsed.ok);
      return parsed.problems[0]!.message;
    };
    assert.match(wrong({ values: { 'a..b': { exists: true } } }), /^expect\.values\["a\.\.b"\]: "a\.\.b" is not a path/);
    assert.equal(wrong({ status: 'done' }), 'expect.status: expected "success" or "interrupted" or "error", got the string "done"');
    assert.match(wrong({ values: { a: { length: -1 } } }), /^expect\.values\.a\.length: /);
    assert.match(wrong({ timeoutSeconds: 0 }), /^expect\.timeoutSeconds: /);
  });
});
