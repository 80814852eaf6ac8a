import { strict as assert } from 'node:assert';
import { parseDeployments, type Deployment } from '../../src/core/deployments';
import { DeploymentRegistry, type DeploymentSnapshot } from '../../src/core/registry';
import { FakeServer, json } from './fakeServer';

/** A key source that says when keys were read, and which. */
function keySource(keys: Record<string, string>) {
  const loaded: string[] = [];
  return {
    loaded,
    async load(d: Deployment) {
      await new Promise((r) => setTimeout(r, 5));
      loaded.push(d.url);
    },
    get: (d: Deployment) => (loaded.includes(d.url) ? keys[d.url] : undefined),
  };
}

describe('DeploymentRegistry', () => {
  let server: FakeServer;
  let url: string;
  let list: unknown[];
  const read = (): DeploymentSnapshot => ({ ...parseDeployments(list), ignoredUntrusted: false });

  beforeEach(async () => {
    server = new FakeServer();
    url = await server.start();
    list = [{ name: 'Local', url: `${url}/` }];
    server.otherwise(json(200, { ok: true }));
  });
  afterEach(async () => server.stop());

  it('finds deployments by any spelling of their URL and names them', async () => {
    const registry = new DeploymentRegistry({ read, keys: keySource({}) });
    assert.equal(registry.find(`${url}/`)?.id, url);
    assert.equal(registry.find(url)?.name, 'Local');
    assert.equal(registry.name('http://127.0.0.1:9'), 'http://127.0.0.1:9');
    assert.equal(registry.find('not a url'), undefined);
    await registry.dispose();
  });

  it('hands out a client only after its key was read, and the first request carries it', async () => {
    const keys = keySource({ [url]: 'k-1' });
    const registry = new DeploymentRegistry({ read, keys });
    const client = await registry.client(url);
    assert.deepEqual(keys.loaded, [url]);
    await client.info();
    assert.equal(server.received[0]!.headers['x-api-key'], 'k-1');
    assert.equal(await registry.client(url), client, 'one client (one pool) per deployment');
    await registry.dispose();
  });

  it('refuses deployments that are not configured, and closes and refuses removed ones', async () => {
    const registry = new DeploymentRegistry({ read, keys: keySource({ [url]: 'k-1' }) });
    await assert.rejects(registry.client('http://127.0.0.1:9'), /not in the langgraph\.deployments setting/);
    const before = await registry.client(url);
    let changes = 0;
    registry.onDidChange(() => changes++);
    list = [];
    registry.reload();
    assert.equal(changes, 1);
    await assert.rejects(registry.client(url), /not in the langgraph\.deployments setting/);
    await assert.rejects(before.info(), 'the removed deployment\'s client is closed');
    assert.equal(server.received.length, 0, 'nothing was sent to the removed deployment');
    registry.reload();
    assert.equal(changes, 1, 'no change, no event');
    await registry.dispose();
  });
  it('holds transient deployments beside the configured ones: listed, found, given clients, removed', async () => {
    const other = new FakeServer();
    const otherUrl = await other.start();
    other.otherwise(json(200, { ok: true }));
    const registry = new DeploymentRegistry({ read, keys: keySource({}) });
    let changes = 0;
    registry.onDidChange(() => changes++);
    const dev: Deployment = { id: otherUrl, name: 'proj (dev server)', url: otherUrl };
    registry.setTransient([dev, { id: url, name: 'shadowed', url }]);
    assert.equal(changes, 1);
    assert.deepEqual(registry.list().map((d) => d.name), ['Local', 'proj (dev server)'], 'a configured URL wins');
    assert.equal(registry.find(`${otherUrl}/`)?.name, 'proj (dev server)');
    assert.deepEqual(registry.snapshot().deployments.map((d) => d.name), ['Local'], 'the settings snapshot does not hold it');
    const client = await registry.client(otherUrl);
    await client.info();
    assert.equal(other.received.length, 1);
    list = [...list, { name: 'Other', url: 'http://127.0.0.1:9' }];
    registry.reload();
    assert.ok(registry.find(otherUrl), 'a settings reload keeps the transient ones');
    assert.equal(changes, 2);
    registry.setTransient([dev, { id: url, name: 'shadowed', url }]);
    assert.equal(changes, 2, 'the same list again is no change');
    registry.setTransient([]);
    assert.equal(changes, 3);
    assert.equal(registry.find(otherUrl), undefined);
    await assert.rejects(registry.client(otherUrl), /not in the langgraph\.deployments setting/);
    await assert.rejects(client.info(), 'its client is closed');
    await registry.dispose();
    await other.stop();
  });
});
