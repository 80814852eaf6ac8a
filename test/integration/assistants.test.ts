import { strict as assert } from 'node:assert';
import { agentServer, client } from './setup';

describe('integration: server and assistants', () => {
  it('answers /ok and /info with its version', async () => {
    const c = client();
    assert.equal(await c.ok(), true);
    const info = await c.info();
    assert.match(info.version ?? '', /^\d+\.\d+\.\d+/);
    assert.equal(c.url, agentServer().url.replace(/\/$/, ''));
  });

  it('lists the fixture graphs as assistants and gets one by graph id', async () => {
    const page = await client().assistants.search({ limit: 50 });
    const graphs = page.items.map((a) => a.graph_id).sort();
    assert.deepEqual(graphs, ['agent', 'fail', 'hitl', 'slow']);
    const agent = await client().assistants.get('agent');
    assert.equal(agent.graph_id, 'agent');
    const byId = await client().assistants.get(agent.assistant_id);
    assert.equal(byId.assistant_id, agent.assistant_id);
    const filtered = await client().assistants.search({ graphId: 'hitl' });
    assert.deepEqual(filtered.items.map((a) => a.graph_id), ['hitl']);
  });

  it('reads the input schema of a graph (slow the first time)', async function () {
    this.timeout(90_000);
    const schemas = await client().assistants.schemas('agent');
    assert.equal(schemas.graph_id, 'agent');
    const input = schemas.input_schema as { properties?: Record<string, unknown> } | undefined;
    assert.ok(input?.properties && 'messages' in input.properties, 'the agent input has messages');
  });

  it('says which assistant is unknown, in the server\'s words', async () => {
    await assert.rejects(client().assistants.get('nope'), (error: Error & { status?: number }) => {
      assert.equal(error.status, 404);
      assert.equal(error.message, '404 Not Found: Assistant not found');
      return true;
    });
  });
});
