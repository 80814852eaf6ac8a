import { strict as assert } from 'node:assert';
import { AgentServerClient } from '../../src/api';
import { freePort } from '../harness/ports';
import { FakeServer, dieMidBody, hang, json, rejection, reply, text, threadJson } from './fakeServer';

const noWait = async (): Promise<void> => undefined;

describe('Transport against a scripted server', () => {
  let server: FakeServer;
  let url: string;

  beforeEach(async () => {
    server = new FakeServer();
    url = await server.start();
  });
  afterEach(() => server.stop());

  const client = (options: Partial<ConstructorParameters<typeof AgentServerClient>[0]> = {}) =>
    new AgentServerClient({ url, sleep: noWait, ...options });

  it('sends X-Api-Key when the deployment has a key, and no key otherwise', async () => {
    server.then(json(200, threadJson('t1')), json(200, threadJson('t1')));
    await client({ apiKey: () => 'secret-key-123' }).threads.get('t1');
    await client().threads.get('t1');
    assert.equal(server.received[0]!.headers['x-api-key'], 'secret-key-123');
    assert.equal(server.received[1]!.headers['x-api-key'], undefined);
  });

  it('keeps a deployment URL path prefix and encodes ids into one path segment', async () => {
    server.then(json(200, threadJson('a/b?c')));
    await new AgentServerClient({ url: `${url}/gateway/`, sleep: noWait }).threads.get('a/b?c');
    assert.equal(server.received[0]!.url, '/gateway/threads/a%2Fb%3Fc');
  });

  it('turns a plain-text 404 into an ApiError with the server\'s words, method and path', async () => {
    server.then(text(404, 'Thread with ID 00000000-0000-4000-8000-000000000000 not found'));
    const error = await rejection(client().threads.get('00000000-0000-4000-8000-000000000000'));
    assert.equal(error.kind, 'http');
    assert.equal(error.status, 404);
    assert.equal(error.message, '404 Not Found: Thread with ID 00000000-0000-4000-8000-000000000000 not found');
    assert.equal(error.request, 'GET /threads/00000000-0000-4000-8000-000000000000');
    assert.equal(server.received.length, 1, 'a 404 is not retried');
  });

  it('reads zod issues from a 400 and names the field', async () => {
    server.then(
      json(400, {
        success: false,
        error: { issues: [{ validation: 'uuid', code: 'invalid_string', message: 'Invalid uuid', path: ['thread_id'] }], name: 'ZodError' },
      }),
    );
    const error = await rejection(client().threads.get('not-a-uuid'));
    assert.equal(error.status, 400);
    assert.deepEqual(error.issues, [{ path: 'thread_id', message: 'Invalid uuid' }]);
    assert.equal(error.message, '400 Bad Request: thread_id: Invalid uuid');
  });

  it('reports a 422 busy thread as the server says it, without retrying the POST', async () => {
    server.then(text(422, 'Thread is already running a task. Wait for it to finish or choose a different multitask strategy.'));
    const error = await rejection(client().runs.create('t1', { assistant_id: 'agent', input: {} }));
    assert.equal(error.status, 422);
    assert.match(error.message, /^422 Unprocessable Entity: Thread is already running a task/);
    assert.equal(server.received.length, 1);
    assert.deepEqual(JSON.parse(server.received[0]!.body), { assistant_id: 'agent', input: {} });
  });

  it('reads a platform {"detail": …} error', async () => {
    server.then(json(404, { detail: 'Assistant not found' }));
    const error = await rejection(client().assistants.get('nope'));
    assert.equal(error.message, '404 Not Found: Assistant not found');
  });

  it('says an HTML page from a proxy is in the way, with its title, on an error and on a 200', async () => {
    server.then(
      text(502, '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>', 'text/html'),
      text(200, '<html><head><title>Sign in &amp; continue</title></head></html>', 'text/html'),
    );
    const bad = await rejection(client({ retries: 0 }).threads.get('t1'));
    assert.equal(bad.status, 502);
    assert.match(bad.message, /HTML page \("502 Bad Gateway"\).*proxy/);
    const login = await rejection(client().threads.get('t1'));
    assert.equal(login.kind, 'invalid-response');
    assert.match(login.message, /HTML page \("Sign in & continue"\)/);
  });

  it('names the field when a 200 answer has the wrong shape, and accepts extra fields', async () => {
    server.then(json(200, { ...threadJson('t1'), thread_id: 42 }), json(200, { ...threadJson('t2'), brand_new_field: [1, 2] }));
    const error = await rejection(client().threads.get('t1'));
    assert.equal(error.kind, 'invalid-response');
    assert.deepEqual(error.issues.map((i) => i.path), ['thread_id']);
    assert.match(error.message, /thread_id: .*expected string/i);
    const thread = await client().threads.get('t2');
    assert.equal(thread.thread_id, 't2');
    assert.deepEqual(thread.brand_new_field, [1, 2]);
  });

  it('retries an idempotent call on 503 and 429 (honouring Retry-After), then succeeds', async () => {
    const waits: number[] = [];
    server.then(text(503, 'busy'), json(429, { detail: 'slow down' }, { 'retry-after': '2' }), json(200, threadJson('t1')));
    const thread = await client({ sleep: async (ms) => void waits.push(ms) }).threads.get('t1');
    assert.equal(thread.thread_id, 't1');
    assert.equal(server.received.length, 3);
    assert.equal(waits[1], 2000, 'Retry-After: 2 waits 2 s');
    assert.ok(waits[0]! >= 250 && waits[0]! <= 500, `first backoff in [base/2, base], got ${waits[0]}`);
  });

  it('gives up after the retries with the last error', async () => {
    server.otherwise(text(500, 'kaboom'));
    const error = await rejection(client({ retries: 2 }).threads.get('t1'));
    assert.equal(error.status, 500);
    assert.equal(error.message, '500 Internal Server Error: kaboom');
    assert.equal(server.received.length, 3);
  });

  it('withRetries(0) gives the same deployment without retries, over the same pool', async () => {
    server.otherwise(text(503, 'busy'));
    const base = client();
    const once = base.withRetries(0);
    await rejection(once.threads.get('t1'));
    assert.equal(server.received.length, 1, 'no retry');
    await once.close(); // the derived client does not own the pool
    await rejection(base.threads.get('t1'));
    assert.equal(server.received.length, 5, 'the base client still works, with its 3 retries');
  });

  it('never retries a non-idempotent POST on 5xx', async () => {
    server.otherwise(text(503, 'busy'));
    await rejection(client().threads.create());
    assert.equal(server.received.length, 1);
  });

  it('treats read-only POSTs (search) as idempotent', async () => {
    // The JS server's X-Pagination-Total is offset + all matches: not to be believed.
    server.then(text(503, 'busy'), json(200, [threadJson('t1')], { 'x-pagination-total': '7', 'x-pagination-next': '7' }));
    const page = await client().threads.search({ limit: 10 });
    assert.equal(page.items.length, 1);
    assert.equal(page.hasMore, false, 'a short page is the last one');
  });

  it('explains a refused connection, after retrying it', async () => {
    const port = await freePort();
    let tries = 0;
    const refused = new AgentServerClient({ url: `http://127.0.0.1:${port}`, sleep: async () => void tries++ });
    const error = await rejection(refused.threads.get('t1'));
    assert.equal(error.kind, 'network');
    assert.equal(error.code, 'ECONNREFUSED');
    assert.equal(error.message, `Cannot connect to http://127.0.0.1:${port}: connection refused. Is the server running?`);
    assert.equal(tries, 3);
  });

  it('explains a connection that dies in the middle of an answer', async () => {
    server.otherwise(dieMidBody);
    const error = await rejection(client().runs.join('t1', 'r1'));
    assert.equal(error.kind, 'network');
    assert.match(error.message, /connection to http:\/\/127\.0\.0\.1:\d+ was lost before the answer was complete/);
  });

  it('stops a short call at its deadline', async () => {
    server.otherwise(hang);
    const error = await rejection(client({ timeoutMs: 150 }).threads.get('t1'));
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /No answer from http:\/\/127\.0\.0\.1:\d+ within 0\.15 s\./);
  });

  it('gives join no deadline: it outlives the short-call deadline', async () => {
    server.then((_req, res) => setTimeout(() => reply(res, 200, 'application/json', '{"messages":[]}'), 300));
    const result = await client({ timeoutMs: 100 }).runs.join('t1', 'r1');
    assert.deepEqual(result.values, { messages: [] });
  });

  it('cancels a long call through its AbortSignal', async () => {
    server.otherwise(hang);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await rejection(client().runs.join('t1', 'r1', { signal: controller.signal }));
    assert.equal(error.kind, 'aborted');
    assert.equal(error.message, 'Cancelled.');
  });

  it('turns a join __error__ into a run-failed error, decoding the message once more', async () => {
    server.then(json(200, { __error__: { error: 'Error', message: JSON.stringify({ error: 'Error', message: 'Deliberate failure requested by input: "fail"' }) } }));
    const error = await rejection(client().runs.join('t1', 'r1'));
    assert.equal(error.kind, 'run-failed');
    assert.equal(error.message, 'Deliberate failure requested by input: "fail"');
    assert.equal(error.status, undefined);
  });

  it('reads "Run not found" from a join of an unknown run (which answers 200)', async () => {
    server.then(json(200, { __error__: { error: 'Error', message: '"Run not found"' } }));
    const error = await rejection(client().runs.join('t1', 'r1'));
    assert.equal(error.message, 'Run not found');
  });

  it('returns the interrupts of a join that stopped at interrupt()', async () => {
    server.then(json(200, { __interrupt__: [{ id: 'i1', value: { question: 'ok?' } }] }));
    const result = await client().runs.join('t1', 'r1');
    assert.deepEqual(result.interrupts, [{ id: 'i1', value: { question: 'ok?' } }]);
  });

  it('reads a wait answer that starts with keep-alive newlines, and fails it when the server goes silent', async () => {
    server.then(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('\n');
        setTimeout(() => res.end('\n{"messages":[{"type":"ai","content":"hi"}]}'), 50);
      },
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('\n');
      },
    );
    const result = await client().runs.wait('t1', { assistant_id: 'agent' }, { idleTimeoutMs: 1000 });
    assert.deepEqual(result.values, { messages: [{ type: 'ai', content: 'hi' }] });
    const error = await rejection(client().runs.wait('t1', { assistant_id: 'agent' }, { idleTimeoutMs: 150 }));
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /went silent: nothing received for 0\.15 s/);
  });

  it('does not follow a redirect, so the key cannot go to another origin', async () => {
    const other = new FakeServer();
    const otherUrl = await other.start();
    try {
      server.then((_req, res) => reply(res, 307, 'text/plain', '', { location: `${otherUrl}/threads/t1` }));
      const error = await rejection(client({ apiKey: () => 'secret-key-123' }).threads.get('t1'));
      assert.equal(error.status, 307);
      assert.match(error.message, /redirects are not followed/);
      assert.equal(other.received.length, 0, 'nothing reached the other origin');
    } finally {
      await other.stop();
    }
  });

  it('never puts the API key in an error message, whatever failed', async () => {
    const key = 'sk-very-secret-0123456789';
    server.then(text(401, 'Missing bearer token or x-api-key'), dieMidBody, text(403, 'Invalid token'));
    const errors = [
      await rejection(client({ apiKey: () => key }).threads.get('t1')),
      await rejection(client({ apiKey: () => key, retries: 0 }).threads.get('t1')),
      await rejection(client({ apiKey: () => key }).threads.get('t1')),
    ];
    for (const error of errors) {
      assert.ok(!JSON.stringify({ m: error.message, d: error.detailed(), s: error.stack }).includes(key));
    }
    assert.equal(errors[0]!.message, '401 Unauthorized: Missing bearer token or x-api-key');
  });

  it('rejects deployment URLs that are not http(s) or that hold credentials', () => {
    assert.throws(() => new AgentServerClient({ url: 'ftp://x' }), /not an http\(s\) URL/);
    assert.throws(() => new AgentServerClient({ url: 'nonsense' }), /is not a URL/);
    assert.throws(() => new AgentServerClient({ url: 'https://user:pw@host' }), /not in the deployment URL/);
  });
});
