import { strict as assert } from 'node:assert';
import { describeErrorBody } from '../../src/api/errorBody';
import { runErrorOf, taskErrorMessage, taskErrorOf } from '../../src/api/runError';

describe('describeErrorBody', () => {
  it('reads the zod union error of a run without assistant_id as the missing field', () => {
    // Captured from the JS server (49b_run_create_invalid_body).
    const body = '{"success":false,"error":{"issues":[{"code":"invalid_union","unionErrors":[{"issues":[{"code":"invalid_type","expected":"string","received":"undefined","path":["assistant_id"],"message":"Required"}],"name":"ZodError"},{"issues":[{"code":"invalid_type","expected":"string","received":"undefined","path":["assistant_id"],"message":"Required"}],"name":"ZodError"}],"path":["assistant_id"],"message":"Invalid input"}],"name":"ZodError"}}';
    const { message, issues } = describeErrorBody(body, 'application/json');
    assert.equal(message, 'assistant_id: Required');
    assert.deepEqual(issues, [{ path: 'assistant_id', message: 'Required' }]);
  });

  it('reads FastAPI validation details with their location', () => {
    const body = JSON.stringify({ detail: [{ loc: ['body', 'limit'], msg: 'ensure this value is less than 1000' }] });
    assert.equal(describeErrorBody(body, 'application/json').message, 'limit: ensure this value is less than 1000');
    const pydantic = JSON.stringify({ detail: [{ loc: ['body', 'config', 'tags', 0], msg: 'Input should be a valid string', type: 'string_type' }, { loc: ['query', 'limit'], msg: 'Field required', type: 'missing' }] });
    const read = describeErrorBody(pydantic, 'application/json');
    assert.deepEqual(read.issues, [{ path: 'config.tags.0', message: 'Input should be a valid string' }, { path: 'limit', message: 'Field required' }]);
    assert.equal(read.message, 'config.tags.0: Input should be a valid string; limit: Field required');
  });

  it('reads the Python server\'s jsonschema text (422) as the field and its message, without the schema dump', () => {
    // Captured from langgraph-api 0.16.7: POST /threads/{id}/runs without assistant_id, and with a bad recursion_limit.
    const missing = '{"detail":"\\"assistant_id\\" is a required property\\n\\nFailed validating \\"required\\" in schema\\n\\nOn instance:\\n    {\\"input\\":{}}"}';
    assert.deepEqual(describeErrorBody(missing, 'application/json'), { message: 'assistant_id: is a required property', issues: [{ path: 'assistant_id', message: 'is a required property' }] });
    const nested = JSON.stringify({
      detail: '"x" is not of type "integer"\n\nFailed validating "type" in schema["properties"]["config"]["properties"]["recursion_limit"]\n\nOn instance["config"]["recursion_limit"]:\n    "x"',
    });
    assert.deepEqual(describeErrorBody(nested, 'application/json'), {
      message: 'config.recursion_limit: "x" is not of type "integer"',
      issues: [{ path: 'config.recursion_limit', message: '"x" is not of type "integer"' }],
    });
    // python-jsonschema's own layout: single quotes, the schema printed, a list index.
    const classic = JSON.stringify({ detail: "5 is not of type 'string'\n\nFailed validating 'type' in schema['properties']['tags']['items']:\n    {'type': 'string'}\n\nOn instance['tags'][1]:\n    5" });
    assert.equal(describeErrorBody(classic, 'application/json').message, "tags.1: 5 is not of type 'string'");
    // Other details stay as they are.
    assert.deepEqual(describeErrorBody('{"detail":"Invalid thread ID: must be a UUID"}', 'application/json'), { message: 'Invalid thread ID: must be a UUID', issues: [] });
  });

  it('keeps plain text, clips very long bodies to one line, and says nothing for an empty body', () => {
    assert.equal(describeErrorBody('Run not found', 'text/plain').message, 'Run not found');
    const long = describeErrorBody(`line one\n${'x'.repeat(5000)}`, 'text/plain').message;
    assert.ok(long.length <= 600 && long.endsWith('…') && !long.includes('\n'));
    assert.equal(describeErrorBody('  ', undefined).message, '');
  });

  it('recognises HTML without a content type', () => {
    assert.match(describeErrorBody('<html><body><h1>Access denied</h1></body></html>', undefined).message, /HTML page \("Access denied"\)/);
  });
});

describe('runErrorOf', () => {
  it('decodes the message encoded twice and keeps a specific error type', () => {
    const body = { __error__: { error: 'Error', message: JSON.stringify({ error: 'GraphRecursionError', message: 'Recursion limit of 25 reached' }) } };
    assert.deepEqual(runErrorOf(body), { errorType: 'GraphRecursionError', message: 'Recursion limit of 25 reached' });
  });

  it('handles plain messages, missing messages and bodies without __error__', () => {
    assert.deepEqual(runErrorOf({ __error__: { error: 'TimeoutError', message: 'took too long' } }), { errorType: 'TimeoutError', message: 'took too long' });
    assert.equal(runErrorOf({ __error__: {} })?.message, 'The run failed without a message.');
    assert.equal(runErrorOf({ messages: [] }), undefined);
    assert.equal(runErrorOf(null), undefined);
  });
});

describe('taskErrorMessage', () => {
  it('reads the JS server\'s JSON task error and keeps plain text as it is', () => {
    assert.equal(taskErrorMessage('{"message":"Deliberate failure requested by input: \\"x\\"","name":"Error"}'), 'Deliberate failure requested by input: "x"');
    assert.equal(taskErrorMessage('{"message":"too deep","name":"GraphRecursionError"}'), 'GraphRecursionError: too deep');
    assert.equal(taskErrorMessage('ValueError: bad'), 'ValueError: bad');
    assert.equal(taskErrorMessage('{"message":"boom","error":"ValueError"}'), 'ValueError: boom');
    assert.equal(taskErrorMessage('"quoted"'), 'quoted');
  });

  it('reads the Python server\'s repr of the exception: its class and its message, in either quote', () => {
    // Captured from langgraph-api 0.16.7 (GET /threads/{id}/state of the fixture's failed run, input `it's "x"`).
    assert.deepEqual(taskErrorOf(`Error('Deliberate failure requested by input: "it\\'s "x""')`), {
      errorType: 'Error',
      message: 'Deliberate failure requested by input: "it\'s "x""',
    });
    assert.deepEqual(taskErrorOf(`ValueError("it's")`), { errorType: 'ValueError', message: "it's" });
    assert.deepEqual(taskErrorOf(String.raw`GraphRecursionError('Recursion limit of 25 reached.\nFor troubleshooting, visit: \u2192 docs')`), {
      errorType: 'GraphRecursionError',
      message: 'Recursion limit of 25 reached.\nFor troubleshooting, visit: \u2192 docs',
    });
    assert.equal(taskErrorMessage(`Error('Deliberate failure requested by input: "x"')`), 'Deliberate failure requested by input: "x"');
    assert.equal(taskErrorMessage(`KeyError('messages')`), 'KeyError: messages');
    assert.equal(taskErrorMessage(`langgraph.errors.GraphInterrupt('stop')`), 'GraphInterrupt: stop');
    // Not one string: kept as written; no arguments: the class alone.
    assert.equal(taskErrorMessage(`ValueError('a', 1)`), `ValueError: 'a', 1`);
    assert.equal(taskErrorMessage('TimeoutError()'), 'TimeoutError');
    // Plain text that only looks like a call stays as it is.
    assert.deepEqual(taskErrorOf('connect(ECONNREFUSED)'), { errorType: undefined, message: 'connect(ECONNREFUSED)' });
  });
});
