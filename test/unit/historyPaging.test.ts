/**
 * Thread history pages by `before`, which the two Agent Servers want in different forms (JS: the
 * checkpoint id string; Python: `{"configurable": {"checkpoint_id"}}`): the form is picked from
 * `/info`, asked once per deployment, and only when `before` is given.
 */
import { strict as assert } from 'node:assert';
import { AgentServerClient } from '../../src/api';
import { FakeServer, json, text } from './fakeServer';

const JS_INFO = { version: '2.0.0', langgraph_js_version: '1.7.3', context: 'js', flags: {} };
const PY_INFO = { version: '0.16.7', langgraph_py_version: '1.2.24', flags: {} };
const state = { values: {}, next: [], tasks: [], checkpoint: { thread_id: 't1', checkpoint_id: 'c0' } };

describe('unit: history paging by before, per server', () => {
  let server: FakeServer;
  let url: string;
  const clients: AgentServerClient[] = [];
  const client = () => {
    const c = new AgentServerClient({ url, retries: 0 });
    clients.push(c);
    return c;
  };
  const bodies = () => server.received.filter((r) => r.url.endsWith('/history')).map((r) => JSON.parse(r.body));
  const infoCalls = () => server.received.filter((r) => r.url === '/info').length;

  beforeEach(async () => {
    server = new FakeServer();
    url = await server.start();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server.stop();
  });

  it('sends the id string to the JS server, /info asked once', async () => {
    server.then(json(200, JS_INFO), json(200, [state]), json(200, [state]));
    const c = client();
    await c.threads.history('t1', { limit: 2, before: 'c1' });
    await c.withRetries(0).threads.history('t1', { limit: 2, before: 'c2' });
    assert.deepEqual(bodies(), [{ limit: 2, before: 'c1' }, { limit: 2, before: 'c2' }]);
    assert.equal(infoCalls(), 1, 'derived clients share what /info said');
  });

  it('sends a checkpoint config to the Python server', async () => {
    server.then(json(200, PY_INFO), json(200, [state]));
    const c = client();
    await c.threads.history('t1', { limit: 2, before: 'c1', metadata: { run_id: 'r' } });
    assert.deepEqual(bodies(), [{ limit: 2, before: { configurable: { checkpoint_id: 'c1' } }, metadata: { run_id: 'r' } }]);
    assert.equal(await c.serverFamily(), 'python');
    assert.equal(infoCalls(), 1);
  });

  it('asks nothing more when there is no before', async () => {
    server.then(json(200, [state]));
    await client().threads.history('t1', { limit: 1, metadata: { run_id: 'r' } });
    assert.equal(infoCalls(), 0);
    assert.deepEqual(bodies(), [{ limit: 1, metadata: { run_id: 'r' } }]);
  });

  it('reads a failed /info as Python and asks again next time', async () => {
    server.then(text(404, 'Not Found'), json(200, [state]), json(200, JS_INFO), json(200, [state]));
    const c = client();
    await c.threads.history('t1', { before: 'c1' });
    await c.threads.history('t1', { before: 'c1' });
    assert.deepEqual(bodies().map((b) => b.before), [{ configurable: { checkpoint_id: 'c1' } }, 'c1']);
    assert.equal(infoCalls(), 2);
  });
});
