import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { api, EXTENSION_ID } from './helpers';

/** The command ids DESIGN.md fixes (docs, tests and users rely on them). */
const DESIGN_COMMANDS = [
  'langgraph.refresh',
  'langgraph.addDeployment',
  'langgraph.removeDeployment',
  'langgraph.setApiKey',
  'langgraph.createThread',
  'langgraph.createRunFromFile',
  'langgraph.openThread',
  'langgraph.joinRun',
  'langgraph.cancelRun',
  'langgraph.deleteThread',
  'langgraph.copyId',
  'langgraph.showTrackedRuns',
];

describe('extension: activation', () => {
  it('runs in VS Code 1.139 and activates', async () => {
    assert.match(vscode.version, /^1\.139\./);
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, 'the extension is installed');
    const exported = await api();
    assert.equal(extension.isActive, true);
    assert.ok(exported.tree, 'the tree is exported for tests');
  });

  it('registers every command id DESIGN.md names, and the manifest contributes each one', async () => {
    await api();
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = DESIGN_COMMANDS.filter((id) => !registered.has(id));
    assert.deepEqual(missing, []);
    const contributed = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands as { command: string; category: string }[]);
    for (const id of DESIGN_COMMANDS) {
      const entry = contributed.find((c) => c.command === id);
      assert.ok(entry, `${id} is contributed`);
      assert.equal(entry.category, 'LangGraph');
    }
  });

  it('contributes the view, its container and the settings with their defaults', () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes;
    assert.equal(manifest.viewsContainers.activitybar[0].id, 'langgraph');
    assert.equal(manifest.views.langgraph[0].id, 'langgraph.deployments');
    const inspected = vscode.workspace.getConfiguration('langgraph').inspect('deployments');
    assert.deepEqual(inspected?.defaultValue, [{ name: 'Local dev server', url: 'http://127.0.0.1:2024' }]);
    assert.equal(vscode.workspace.getConfiguration('langgraph').inspect('defaultAssistant')?.defaultValue, 'agent');
    assert.equal(vscode.workspace.getConfiguration('langgraph').inspect('threads.pageSize')?.defaultValue, 50);
  });
});
