import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AgentServerClient } from '../../src/api';
import { END, START } from '../../src/core/graph/graphModel';
import type { GoToDefinitionOutcome } from '../../src/ui/graphPanel/goToDefinition';
import type { ShowGraphOutcome } from '../../src/ui/graphPanel/showGraph';
import { FIXTURE_DIR, PY_FIXTURE_DIR } from '../harness/agentServer';
import { api, serverClient, serverKind, serverUrl, setDeployments } from './helpers';

const GRAPHS = ['agent', 'slow', 'fail', 'hitl', 'stream'];

describe('extension: Go to Definition of a graph node', function () {
  this.timeout(60_000);
  const python = serverKind() === 'python';
  const fixture = python ? PY_FIXTURE_DIR : FIXTURE_DIR;
  const ext = python ? 'py' : 'ts';
  const call = python ? 'add_node' : 'addNode';
  const source = (graph: string) => path.join(fixture, 'src', `${graph}.${ext}`);
  let dir: string;
  let client: AgentServerClient;

  const go = (args: object) => vscode.commands.executeCommand<GoToDefinitionOutcome>('langgraph.goToNodeDefinition', { deploymentUrl: serverUrl(), ...args });

  /** The zero-based line of `addNode("<node>"` / `add_node("<node>"` in the fixture's file, after `after`. */
  function lineOf(graph: string, node: string, after = ''): number {
    const text = fs.readFileSync(source(graph), 'utf8');
    const offset = text.indexOf(`${call}("${node}"`, after ? text.indexOf(after) : 0);
    assert.ok(offset >= 0, `${graph}.${ext} adds ${node}`);
    return text.slice(0, offset).split('\n').length - 1;
  }

  before(async () => {
    client = serverClient();
    await setDeployments([{ name: 'Source server', url: serverUrl() }]);
    // The deployment's langgraph.json in the workspace: the fixture's graphs, by absolute paths.
    dir = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, `godef-${randomUUID().slice(0, 8)}`);
    fs.mkdirSync(dir, { recursive: true });
    const graphs = Object.fromEntries(GRAPHS.map((g) => [g, `${source(g)}:graph`]));
    fs.writeFileSync(path.join(dir, 'langgraph.json'), JSON.stringify(python ? { python_version: '3.11', graphs } : { node_version: '20', graphs }));
    await (await api()).devServers.projects.rescan();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await client.close();
    fs.rmSync(dir, { recursive: true, force: true });
    await (await api()).devServers.projects.rescan();
    await vscode.workspace.getConfiguration('langgraph').update('deployments', undefined, vscode.ConfigurationTarget.Global);
  });

  it('opens the line that adds each node of the agent graph the server draws', async () => {
    const graph = await client.assistants.graph('agent');
    const nodes = graph.nodes.map((n) => n.id).filter((id) => id !== START && id !== END);
    assert.deepEqual(nodes.sort(), ['agent', 'tools']);
    for (const node of nodes) {
      const outcome = await go({ assistantId: 'agent', node });
      assert.ok(outcome?.ok, JSON.stringify(outcome));
      const editor = vscode.window.activeTextEditor;
      assert.equal(editor?.document.uri.fsPath, source('agent'));
      assert.equal(editor.selection.start.line, lineOf('agent', node), node);
      assert.equal(editor.document.getText(editor.selection), `"${node}"`);
      assert.deepEqual(outcome.others, []);
    }
  });

  it('finds the stream graph\'s own tools (not another graph\'s) and a node inside its research subgraph', async () => {
    const assistant = (await client.assistants.resolve('stream'))!;
    const tools = await go({ assistantId: assistant.assistant_id, node: 'tools' });
    assert.ok(tools?.ok, JSON.stringify(tools));
    assert.equal(tools.location.line, lineOf('stream', 'tools'));
    const gather = await go({ graphId: 'stream', node: 'research:gather' });
    assert.ok(gather?.ok, JSON.stringify(gather));
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, source('stream'));
    assert.equal(gather.location.line, lineOf('stream', 'gather'));
  });

  it('the graph panel\'s goToDefinition message (double-click, F12) opens the node\'s line', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const shown = await vscode.commands.executeCommand<ShowGraphOutcome>('langgraph.showGraph', { deploymentUrl: serverUrl(), assistantId: 'agent' });
    assert.ok(shown?.ok, JSON.stringify(shown));
    await shown.panel.whenRendered((r) => r.nodes.includes('tools'));
    // What the page posts; the panel checks it (parseFromGraphPage) and runs the command.
    await (shown.panel as unknown as { handle(raw: unknown): Promise<void> }).handle({ type: 'goToDefinition', node: 'tools' });
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, source('agent'));
    assert.equal(editor.selection.start.line, lineOf('agent', 'tools'));
    shown.panel.dispose();
  });

  it('says what it searched when the node, the graph or the deployment is not there', async () => {
    const ghost = await go({ graphId: 'agent', node: 'ghost' });
    assert.ok(ghost && !ghost.ok);
    assert.equal(ghost.message, `Go to Definition (${path.basename(dir)}/langgraph.json, graph "agent"): No ${call}("ghost") found for node "ghost": searched ${path.relative(dir, source('agent'))} (graph).`);
    const noGraph = await go({ graphId: 'no-such-graph', node: 'agent' });
    assert.ok(noGraph && !noGraph.ok);
    assert.match(noGraph.message, new RegExp(`searched \\d+ langgraph\\.json files? of the workspace \\(.*${path.basename(dir)}.*\\) for a dev server at ${serverUrl().replace(/[.:/]/g, '\\$&')}, or a langgraph\\.json with graph "no-such-graph"`));
    const nowhere = await vscode.commands.executeCommand<GoToDefinitionOutcome>('langgraph.goToNodeDefinition', { deploymentUrl: 'http://127.0.0.1:9', graphId: 'agent', node: 'agent' });
    assert.deepEqual(nowhere, { ok: false, message: 'Go to Definition: http://127.0.0.1:9 is not a configured deployment.' });
    const bad = await vscode.commands.executeCommand<GoToDefinitionOutcome>('langgraph.goToNodeDefinition', { deploymentUrl: serverUrl(), graphId: 'agent' });
    assert.deepEqual(bad, { ok: false, message: 'Go to Definition needs a node.' });
  });
});
