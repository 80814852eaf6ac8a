import { strict as assert } from 'node:assert';
import { describeErrorBody } from '../../src/api/errorBody';
import { runErrorOf, taskErrorMessage } from '../../src/api/runError';

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
});
