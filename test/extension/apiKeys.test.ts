import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { ApiKeys } from '../../src/ui/apiKeys';
import type { Deployment } from '../../src/core/deployments';

/** SecretStorage as VS Code has it, in memory (the real one is shared with the running extension). */
function memorySecrets(): vscode.SecretStorage {
  const values = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
  return {
    get: async (key) => values.get(key),
    store: async (key, value) => {
      values.set(key, value);
      changed.fire({ key });
    },
    delete: async (key) => {
      values.delete(key);
      changed.fire({ key });
    },
    onDidChange: changed.event,
  };
}

const local: Deployment = { id: 'http://127.0.0.1:2024', name: 'Local', url: 'http://127.0.0.1:2024' };
const lookalike: Deployment = { id: 'http://127.anything.example', name: 'Look-alike', url: 'http://127.anything.example' };

describe('extension: API keys (SecretStorage, the environment\'s key)', () => {
  it('never sends the environment\'s key to a host that only looks like loopback', async () => {
    const keys = new ApiKeys(memorySecrets(), { LANGSMITH_API_KEY: 'env-key' });
    await keys.load(local);
    await keys.load(lookalike);
    assert.equal(keys.get(local), 'env-key');
    assert.equal(keys.get(lookalike), undefined);
    assert.equal(keys.source(lookalike), undefined);
    keys.dispose();
  });

  it('after a stored key is cleared, the environment\'s key is used only when the user takes it', async () => {
    const secrets = memorySecrets();
    const keys = new ApiKeys(secrets, { LANGSMITH_API_KEY: 'env-key' });
    await keys.load(local);
    await keys.set(local, 'stored-key');
    assert.equal(keys.get(local), 'stored-key');
    await keys.set(local, undefined);
    await keys.useEnvKey(local, false); // "No Key" (or the question dismissed)
    assert.equal(keys.get(local), undefined, 'declined: no key at all');
    assert.equal(keys.envKeyFor(local)?.name, 'LANGSMITH_API_KEY', 'still offered');
    // The choice is kept for the next window (a new ApiKeys over the same storage).
    const next = new ApiKeys(secrets, { LANGSMITH_API_KEY: 'env-key' });
    await next.load(local);
    assert.equal(next.get(local), undefined);
    await next.useEnvKey(local, true);
    assert.equal(next.get(local), 'env-key');
    keys.dispose();
    next.dispose();
  });
});
