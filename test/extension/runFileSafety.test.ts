import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { AgentServerClient } from '../../src/api';
import type { RunFileOutcome } from '../../src/ui/runFile/options';
import { serverClient, serverKind, serverUrl, setDeployments } from './helpers';

const CMD = 'langgraph.createRunFromFile';
const INPUT = { messages: [{ role: 'user', content: 'hi' }] };

describe('extension: run files that reach beyond the run (webhook, interrupt/rollback)', function () {
  this.timeout(120_000);
  let client: AgentServerClient;
  let folder: vscode.Uri;

  before(async () => {
    client = serverClient();
    await setDeployments([{ name: 'Run server', url: serverUrl() }]);
    folder = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, `risky-${randomUUID().slice(0, 8)}`);
    await vscode.workspace.fs.createDirectory(folder);
  });

  after(async () => {
    await vscode.workspace.fs.delete(folder, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    await client.close();
    await vscode.workspace.getConfiguration('langgraph').update('deployments', undefined, vscode.ConfigurationTarget.Global);
  });

  async function runFile(name: string, content: object, options: object): Promise<RunFileOutcome> {
    const uri = vscode.Uri.joinPath(folder, name);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(content, null, 2)));
    const outcomes = await vscode.commands.executeCommand<RunFileOutcome[]>(CMD, uri, undefined, { thread: 'new', ...options });
    assert.equal(outcomes.length, 1);
    return outcomes[0]!;
  }

  for (const [name, extra] of [
    ['webhook', { webhook: 'http://127.0.0.1:9/collect' }],
    ['rollback', { multitask_strategy: 'rollback' }],
  ] as const) {
    it(`a file with ${name} is not sent when the user declines, and is when they accept`, async () => {
      const before = await client.threads.count();
      const declined = await runFile(`${name}.run.json`, { assistant_id: 'agent', input: INPUT, ...extra }, { confirmRisky: false });
      assert.equal(declined.status, 'cancelled');
      assert.match(declined.message ?? '', /was not sent/);
      assert.equal(await client.threads.count(), before, 'nothing was sent: no thread made');
      const accepted = await runFile(`${name}.run.json`, { assistant_id: 'agent', input: INPUT, ...extra }, { confirmRisky: true });
      if (name === 'webhook' && serverKind() === 'python') {
        // The Python server refuses webhooks to loopback addresses (422 "Webhook host blocked"),
        // and the tests send nothing off this machine: what the user sees is that refusal.
        assert.equal(accepted.status, 'refused', accepted.message);
        assert.match(accepted.message ?? '', /Webhook host blocked/);
        await assert.rejects(client.threads.get(accepted.thread!.threadId), { status: 404 }, 'the thread made for it is gone again');
        return;
      }
      assert.equal(accepted.status, 'started', accepted.message);
      const run = await client.runs.get(accepted.run!.threadId, accepted.run!.runId);
      assert.equal(run.run_id, accepted.run!.runId);
      if ('multitask_strategy' in extra) assert.equal(run.multitask_strategy, extra.multitask_strategy);
    });
  }
});
