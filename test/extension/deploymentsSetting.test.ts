import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { rows, serverUrl } from './helpers';

describe('extension: editing langgraph.deployments keeps what it cannot read', function () {
  this.timeout(60_000);

  after(async () => {
    await vscode.workspace.getConfiguration('langgraph').update('deployments', undefined, vscode.ConfigurationTarget.Global);
  });

  it('Remove and Rename change one entry and leave the others, even unreadable ones, as they were', async () => {
    const broken = { name: 'Typo', ulr: 'http://127.0.0.1:1' };
    const list = [
      { name: 'Keep', url: serverUrl() },
      broken,
      { name: 'Drop me', url: 'http://127.0.0.1:9/' },
    ];
    await vscode.workspace.getConfiguration('langgraph').update('deployments', list, vscode.ConfigurationTarget.Global);
    const drop = (await rows()).find((r) => r.label === 'Drop me');
    assert.ok(drop, 'the entry is shown');
    await vscode.commands.executeCommand('langgraph.removeDeployment', drop.node);
    const keep = (await rows()).find((r) => r.label === 'Keep');
    assert.ok(keep);
    await vscode.commands.executeCommand('langgraph.renameDeployment', keep.node, 'Kept');
    const written = vscode.workspace.getConfiguration('langgraph').inspect('deployments')?.globalValue;
    assert.deepEqual(written, [{ name: 'Kept', url: serverUrl() }, broken]);
    // The unreadable entry is still reported where the user looks, not dropped.
    assert.ok((await rows()).some((r) => r.label.startsWith('langgraph.deployments[1]')), (await rows()).map((r) => r.label).join(' | '));
  });
});
