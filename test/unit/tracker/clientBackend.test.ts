import { strict as assert } from 'node:assert';
import { AgentServerClient } from '../../../src/api';
import { clientBackend } from '../../../src/core/tracker/backend';
import { FakeServer, json } from '../fakeServer';

const run = { run_id: 'r1', thread_id: 't1', assistant_id: 'a', created_at: 'x', updated_at: 'y', status: 'success', metadata: {} };

describe('tracker: clientBackend', () => {
  it('asks for the current client on every call, so a closed and remade client is never used', async () => {
    const server = new FakeServer();
    const url = await server.start();
    server.otherwise(json(200, run));
    try {
      let client = new AgentServerClient({ url });
      const backend = clientBackend(() => client);
      const signal = new AbortController().signal;
      assert.equal((await backend.getRun('t1', 'r1', signal)).status, 'success');
      // What DeploymentClients.retain() does when the deployments setting changes and back.
      await client.close();
      client = new AgentServerClient({ url });
      assert.equal((await backend.getRun('t1', 'r1', signal)).status, 'success');
      assert.equal(server.received.length, 2);
      await client.close();
    } finally {
      await server.stop();
    }
  });

  it('reads a join of an unknown run as not found on both servers (it answers 200 with __error__)', async () => {
    const server = new FakeServer();
    const url = await server.start();
    const client = new AgentServerClient({ url, retries: 0 });
    const backend = clientBackend(client);
    const signal = new AbortController().signal;
    try {
      server.then(json(200, { __error__: { error: 'Error', message: '"Run not found"' } })); // JS
      assert.deepEqual(await backend.join('t1', 'r1', signal), { kind: 'not-found' });
      server.then(json(200, { __error__: { error: 'HTTPException', message: '404: Run not found' } })); // Python
      assert.deepEqual(await backend.join('t1', 'r1', signal), { kind: 'not-found' });
      server.then(json(200, { __error__: { error: 'ValueError', message: 'bad input' } })); // Python, a failed run
      assert.deepEqual(await backend.join('t1', 'r1', signal), { kind: 'error', message: 'ValueError: bad input' });
    } finally {
      await client.close();
      await server.stop();
    }
  });
});
