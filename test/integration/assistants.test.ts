import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { agentServer, client } from './setup';

describe('integration: server and assistants', () => {
  it('answers /ok and /info with its version', async () => {
    const c = client();
    assert.equal(await c.ok(), true);
    const info = await c.info();
    assert.match(info.version ?? '', /^\d+\.\d+\.\d+/);
    assert.equal(c.url, agentServer().url.replace(/\/$/, ''));
  });

  it('lists the fixture graphs as assistants and resolves a graph id to its default assistant', async () => {
    const c = client();
    const page = await c.assistants.search({ limit: 50 });
    const graphs = page.items.map((a) => a.graph_id).sort();
    assert.deepEqual(graphs, ['agent', 'fail', 'hitl', 'slow', 'stream']);
    const agent = await c.assistants.resolve('agent');
    assert.equal(agent?.graph_id, 'agent');
    assert.equal(agent?.metadata.created_by, 'system');
    assert.equal((await c.assistants.resolve(agent!.assistant_id))?.assistant_id, agent!.assistant_id);
    assert.equal((await c.assistants.get(agent!.assistant_id)).assistant_id, agent!.assistant_id);
    const filtered = await c.assistants.search({ graphId: 'hitl' });
    assert.deepEqual(filtered.items.map((a) => a.graph_id), ['hitl']);
  });

  it('resolves a graph to the assistant the server made for it, not a newer one of the same graph', async () => {
    const c = client();
    const system = await c.assistants.resolve('slow');
    const mine = await createAssistant('slow');
    try {
      assert.notEqual(mine, system?.assistant_id);
      assert.equal((await c.assistants.resolve('slow'))?.assistant_id, system?.assistant_id);
      assert.equal((await c.assistants.resolve(mine))?.assistant_id, mine);
    } finally {
      await deleteAssistant(mine);
    }
  });

  it('reads the input schema of a graph by its assistant (slow the first time)', async function () {
    this.timeout(90_000);
    const c = client();
    const agent = await c.assistants.resolve('agent');
    const schemas = await c.assistants.schemas(agent!.assistant_id);
    assert.equal(schemas.graph_id, 'agent');
    const input = schemas.input_schema as { properties?: Record<string, unknown> } | undefined;
    assert.ok(input?.properties && 'messages' in input.properties, 'the agent input has messages');
  });

  it('knows no assistant for a name or an id the server does not have', async () => {
    const c = client();
    assert.equal(await c.assistants.resolve('nope'), undefined);
    assert.equal(await c.assistants.resolve(randomUUID()), undefined);
    // By an unknown id, the server's own words: JS "Assistant not found", Python "Not Found".
    await assert.rejects(c.assistants.get(randomUUID()), (error: Error & { status?: number }) => {
      assert.equal(error.status, 404);
      assert.match(error.message, /^404 Not Found: (Assistant not found|Not Found)$/);
      return true;
    });
  });
});

/** POST /assistants (the client has no call for it: the extension never makes assistants). */
async function createAssistant(graphId: string): Promise<string> {
  const res = await fetch(`${agentServer().url}/assistants`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ graph_id: graphId, name: `test ${randomUUID().slice(0, 8)}` }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return ((await res.json()) as { assistant_id: string }).assistant_id;
}

async function deleteAssistant(id: string): Promise<void> {
  await fetch(`${agentServer().url}/assistants/${id}`, { method: 'DELETE' });
}
