import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { AgentServerClient } from '../../src/api';
import { collapse, normalizeGraph, type GraphModel } from '../../src/core/graph/graphModel';
import type { ShowGraphOutcome } from '../../src/ui/graphPanel/showGraph';
import type { GraphPanel } from '../../src/ui/graphPanel/graphPanel';
import { GRAPH_VIEW_TYPE } from '../../src/webview-graph/protocol';
import { PANEL_COMMANDS } from '../../src/webview/protocol';
import { userInput } from '../harness/messages';
import { waitFor } from '../harness/until';
import { serverClient, serverKind, serverUrl, setDeployments } from './helpers';

const ASSISTANTS = ['agent', 'slow', 'fail', 'hitl', 'stream'];

const edgeKey = (e: { source: string; target: string; conditional?: boolean | null }) => `${e.source} -> ${e.target}${e.conditional === true ? ' (conditional)' : ''}`;
const sorted = (xs: string[]) => [...xs].sort();

function graphTabs(): number {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(GRAPH_VIEW_TYPE)).length;
}

/** What the page should draw at first: the model with every subgraph the server expanded collapsed. */
function collapsedAll(model: GraphModel): GraphModel {
  return collapse(model, model.subgraphs.filter((s) => s.expandable).map((s) => s.id));
}

describe('extension: Show Graph (the graph panel)', function () {
  this.timeout(120_000);
  let client: AgentServerClient;

  before(async () => {
    client = serverClient();
    await setDeployments([{ name: 'Graph server', url: serverUrl() }]);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await client.close();
    await vscode.workspace.getConfiguration('langgraph').update('deployments', undefined, vscode.ConfigurationTarget.Global);
  });

  async function showGraph(arg: unknown): Promise<GraphPanel> {
    const outcome = await vscode.commands.executeCommand<ShowGraphOutcome>('langgraph.showGraph', arg);
    assert.ok(outcome?.ok, `Show Graph opened a panel: ${JSON.stringify(outcome)}`);
    return outcome.panel;
  }

  for (const graphId of ASSISTANTS) {
    it(`draws the ${graphId} graph with the server's nodes and edges`, async () => {
      const assistant = (await client.assistants.resolve(graphId))!;
      const raw = await client.assistants.graph(assistant.assistant_id, { xray: true });
      const panel = await showGraph({ deploymentUrl: serverUrl(), assistantId: graphId });
      assert.equal(panel.assistant.assistant_id, assistant.assistant_id);
      const r = await panel.whenRendered((x) => x.nodes.length > 0);
      assert.equal(r.error, '');
      assert.equal(r.assistantId, assistant.assistant_id);
      const expected = collapsedAll(normalizeGraph(raw));
      assert.deepEqual(sorted(r.nodes), sorted(expected.nodes.map((n) => n.id)));
      assert.deepEqual(sorted(r.edges.map(edgeKey)), sorted(expected.edges.map(edgeKey)));
      assert.ok(r.nodes.includes('__start__') && r.nodes.includes('__end__'), r.nodes.join(', '));
      if (graphId !== 'stream') {
        // No subgraph: exactly what the server sent.
        assert.deepEqual(sorted(r.nodes), sorted(raw.nodes.map((n) => n.id)));
        assert.deepEqual(sorted(r.edges.map(edgeKey)), sorted([...new Set(raw.edges.map(edgeKey))]));
        assert.deepEqual([r.opaque, r.expanded, r.collapsed], [[], [], []]);
      }
      if (graphId === 'agent') {
        assert.ok(r.edges.some((e) => e.source === 'agent' && e.target === 'tools' && e.conditional), 'the model → tools edge is conditional');
        assert.ok(r.edges.some((e) => e.source === 'tools' && e.target === 'agent' && !e.conditional));
      }
      assert.ok(r.renderMs >= 0 && r.renderMs < 5_000, `renderMs ${r.renderMs}`);
      panel.dispose();
    });
  }

  it(`stream's research subgraph: ${serverKind() === 'python' ? 'expands in place on Python (xray) and collapses again' : 'one node on JS (the server sends none of its nodes)'}`, async () => {
    const assistant = (await client.assistants.resolve('stream'))!;
    const raw = await client.assistants.graph(assistant.assistant_id, { xray: true });
    const panel = await showGraph({ deploymentUrl: serverUrl(), assistantId: 'stream' });
    const first = await panel.whenRendered((x) => x.nodes.length > 0);
    assert.ok(first.nodes.includes('research'), first.nodes.join(', '));
    if (serverKind() === 'js') {
      // @langchain/langgraph 1.7 does not expand a subgraph of one node, even with xray.
      assert.ok(raw.nodes.some((n) => n.id === 'research'));
      assert.deepEqual(first.opaque, ['research']);
      assert.deepEqual(first.collapsed, []);
      assert.deepEqual(sorted(first.nodes), sorted(raw.nodes.map((n) => n.id)));
      return panel.dispose();
    }
    assert.ok(raw.nodes.some((n) => n.id === 'research:gather'), raw.nodes.map((n) => n.id).join(', '));
    assert.deepEqual(first.collapsed, ['research']);
    assert.ok(!first.nodes.includes('research:gather'));
    assert.ok(first.edges.some((e) => e.source === '__start__' && e.target === 'research'), 'edges into the subgraph lead to its node');
    panel.toggleSubgraph('research', true);
    const open = await panel.whenRendered((x) => x.expanded.includes('research'));
    assert.deepEqual(sorted(open.nodes), sorted(raw.nodes.map((n) => n.id)), 'expanded: every node the server sent');
    assert.deepEqual(sorted(open.edges.map(edgeKey)), sorted(raw.edges.map(edgeKey)));
    assert.deepEqual(open.collapsed, []);
    panel.toggleSubgraph('research', false);
    const shut = await panel.whenRendered((x) => x.expanded.length === 0);
    assert.deepEqual(sorted(shut.nodes), sorted(first.nodes));
    panel.dispose();
  });

  it("from a thread (the tree, a thread panel's Graph button): the thread's assistant; one panel per deployment and assistant", async () => {
    assert.equal(PANEL_COMMANDS.showGraph, 'langgraph.showGraph', 'the thread panel header offers it');
    const t = await client.threads.create({ metadata: { title: `graph ${randomUUID().slice(0, 8)}` } });
    await client.runs.wait(t.thread_id, { assistant_id: 'hitl', input: userInput('plan a trip') });
    const panel = await showGraph({ deploymentUrl: serverUrl(), threadId: t.thread_id });
    assert.equal(panel.assistant.graph_id, 'hitl');
    const r = await panel.whenRendered((x) => x.nodes.length > 0);
    assert.ok(r.nodes.includes('approve'), r.nodes.join(', '));
    const again = await showGraph({ deploymentUrl: serverUrl(), assistantId: 'hitl' });
    assert.equal(again, panel, 'the open panel is revealed, not a second one');
    assert.equal(graphTabs(), 1);
    panel.dispose();
    await waitFor('the graph tab to close', () => graphTabs() === 0, { timeoutMs: 10_000, everyMs: 50 });
  });

  it('a deployment that is not configured, or an assistant the deployment does not have, is said so and opens nothing', async () => {
    const before = graphTabs();
    const unknown = await vscode.commands.executeCommand<ShowGraphOutcome>('langgraph.showGraph', { deploymentUrl: serverUrl(), assistantId: 'no-such-graph' });
    assert.ok(unknown && !unknown.ok);
    assert.equal(unknown.message, 'Could not show the graph: Graph server has no assistant or graph "no-such-graph".');
    const elsewhere = await vscode.commands.executeCommand<ShowGraphOutcome>('langgraph.showGraph', { deploymentUrl: 'http://127.0.0.1:9', assistantId: 'agent' });
    assert.ok(elsewhere && !elsewhere.ok);
    assert.equal(elsewhere.message, 'Could not show the graph: http://127.0.0.1:9 is not a configured deployment.');
    const noThread = await vscode.commands.executeCommand<ShowGraphOutcome>('langgraph.showGraph', { deploymentUrl: 'http://127.0.0.1:9', threadId: randomUUID() });
    assert.ok(noThread && !noThread.ok);
    assert.match(noThread.message, /is not a configured deployment/);
    assert.equal(graphTabs(), before);
  });
});

