/**
 * The graph page's node menu (VS Code's webview context menu): what package.json contributes to
 * it, the context each drawn node carries (data-vscode-context, read from the page's report), and
 * the commands run with that context as VS Code passes it (the context plus `webview`), against
 * the real server. The native menu itself is VS Code's: the e2e suite right-clicks a node.
 */
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { breakpointSupport } from '../../src/core/graph/breakpoints';
import type { GoToDefinitionOutcome } from '../../src/ui/graphPanel/goToDefinition';
import type { GraphPanel, ToggleOutcome } from '../../src/ui/graphPanel/graphPanel';
import type { ShowGraphOutcome } from '../../src/ui/graphPanel/showGraph';
import { GRAPH_VIEW_TYPE, type GraphReport } from '../../src/webview-graph/protocol';
import { FIXTURE_DIR, PY_FIXTURE_DIR } from '../harness/agentServer';
import { api, EXTENSION_ID, serverKind, serverUrl, setDeployments } from './helpers';

const ON_NODE = `webviewId == '${GRAPH_VIEW_TYPE}' && webviewSection == 'node'`;
const SUBGRAPH_WORDS = (breakpointSupport('research:gather') as { message: string }).message;

describe('extension: graph node context menu (Go to Definition, Pause Before / After This Node)', function () {
  this.timeout(120_000);
  const python = serverKind() === 'python';
  let dir: string;

  before(async () => {
    await setDeployments([{ name: 'Menu server', url: serverUrl() }]);
    // The deployment's langgraph.json in the workspace (the fixture's graphs), for Go to Definition.
    const source = (graph: string) => path.join(python ? PY_FIXTURE_DIR : FIXTURE_DIR, 'src', `${graph}.${python ? 'py' : 'ts'}`);
    dir = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, `menu-${randomUUID().slice(0, 8)}`);
    fs.mkdirSync(dir, { recursive: true });
    const graphs = Object.fromEntries(['agent', 'slow', 'fail', 'hitl', 'stream'].map((g) => [g, `${source(g)}:graph`]));
    fs.writeFileSync(path.join(dir, 'langgraph.json'), JSON.stringify(python ? { python_version: '3.11', graphs } : { node_version: '20', graphs }));
    await (await api()).devServers.projects.rescan();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir, { recursive: true, force: true });
    await (await api()).devServers.projects.rescan();
    await vscode.workspace.getConfiguration('langgraph').update('deployments', undefined, vscode.ConfigurationTarget.Global);
  });

  /** A panel of the assistant with no breakpoints set (the workspace keeps them across runs of the suite). */
  async function freshGraph(assistantId: string): Promise<GraphPanel> {
    const outcome = await vscode.commands.executeCommand<ShowGraphOutcome>('langgraph.showGraph', { deploymentUrl: serverUrl(), assistantId });
    assert.ok(outcome?.ok, `Show Graph opened a panel: ${JSON.stringify(outcome)}`);
    const panel = outcome.panel;
    await panel.whenRendered((r) => r.nodes.length > 0);
    await panel.clearBreakpoints();
    await panel.whenRendered((r) => r.breakpoints.length === 0 && r.marks.length === 0);
    return panel;
  }

  /** What VS Code hands the command a menu item runs: the node's context and the webview's id. */
  function menuArg(report: GraphReport, node: string): Record<string, unknown> {
    const context = report.menus.find((m) => m.node === node);
    assert.ok(context, `node ${node} carries a menu context: ${JSON.stringify(report.menus)}`);
    return { ...context, webview: GRAPH_VIEW_TYPE };
  }

  const toggle = (when: 'Before' | 'After', arg: unknown) => vscode.commands.executeCommand<ToggleOutcome>(`langgraph.toggleBreakpoint${when}`, arg);

  it('contributes the three node menu items, the pauses only on a node that can take one, none of them in the palette', () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes as {
      commands: { command: string; title: string; category: string }[];
      menus: Record<string, { command: string; when?: string; group?: string }[]>;
    };
    assert.deepEqual(manifest.menus['webview/context'], [
      { command: 'langgraph.goToNodeDefinition', when: ON_NODE, group: '1_go@1' },
      { command: 'langgraph.toggleBreakpointBefore', when: `${ON_NODE} && canPause`, group: '2_breakpoints@1' },
      { command: 'langgraph.toggleBreakpointAfter', when: `${ON_NODE} && canPause`, group: '2_breakpoints@2' },
    ]);
    const titles = Object.fromEntries(manifest.commands.map((c) => [c.command, `${c.category}: ${c.title}`]));
    assert.equal(titles['langgraph.toggleBreakpointBefore'], 'LangGraph: Pause Before This Node');
    assert.equal(titles['langgraph.toggleBreakpointAfter'], 'LangGraph: Pause After This Node');
    const hidden = manifest.menus.commandPalette!.filter((m) => m.when === 'false').map((m) => m.command);
    for (const id of ['langgraph.goToNodeDefinition', 'langgraph.toggleBreakpointBefore', 'langgraph.toggleBreakpointAfter']) assert.ok(hidden.includes(id), `${id} is hidden from the palette`);
  });

  it("each node drawn carries its context; Pause Before / After with it as VS Code passes it toggles the panel's breakpoint; Go to Definition takes it too", async () => {
    const panel = await freshGraph('agent');
    const drawn = panel.rendered!;
    // Every node of kind "node" has one, the start and end none.
    assert.deepEqual(drawn.menus.map((m) => m.node), drawn.nodes.filter((n) => n !== '__start__' && n !== '__end__'));
    assert.deepEqual(menuArg(drawn, 'tools'), {
      webviewSection: 'node',
      node: 'tools',
      deploymentUrl: panel.deployment.id,
      assistantId: panel.assistant.assistant_id,
      canPause: true,
      preventDefaultContextMenuItems: true,
      webview: GRAPH_VIEW_TYPE,
    });
    const { breakpoints } = await api();

    assert.deepEqual(await toggle('Before', menuArg(drawn, 'tools')), { ok: true, on: true });
    assert.deepEqual(breakpoints.list(panel.scope), [{ node: 'tools', when: 'before' }]);
    const marked = await panel.whenRendered((r) => r.marks.includes('before tools'));
    assert.deepEqual([marked.breakpoints, marked.marks], [['before tools'], ['before tools']]);

    assert.deepEqual(await toggle('After', menuArg(drawn, 'agent')), { ok: true, on: true });
    const both = await panel.whenRendered((r) => r.marks.length === 2);
    assert.deepEqual(both.breakpoints, ['after agent', 'before tools']);

    // Again: off, on the panel too.
    assert.deepEqual(await toggle('Before', menuArg(drawn, 'tools')), { ok: true, on: false });
    assert.deepEqual(breakpoints.list(panel.scope), [{ node: 'agent', when: 'after' }]);
    const off = await panel.whenRendered((r) => r.marks.length === 1);
    assert.deepEqual([off.breakpoints, off.marks], [['after agent'], ['after agent']]);
    await toggle('After', menuArg(drawn, 'agent'));
    await panel.whenRendered((r) => r.marks.length === 0);
    assert.deepEqual(breakpoints.list(panel.scope), []);

    const source = await vscode.commands.executeCommand<GoToDefinitionOutcome>('langgraph.goToNodeDefinition', menuArg(drawn, 'tools'));
    assert.ok(source.ok, JSON.stringify(source));
    assert.equal(path.basename(source.location.file), `agent.${python ? 'py' : 'ts'}`);
    panel.dispose();
  });

  it('refuses a start node, a node inside a subgraph, a deployment not configured and a bad argument, and changes nothing', async () => {
    const panel = await freshGraph('stream');
    const { breakpoints } = await api();
    // The subgraph's own node takes one (drawn collapsed, as the panel opens).
    const good = menuArg(panel.rendered!, 'research');
    assert.equal(good.canPause, true);
    await toggle('After', good);
    const before = breakpoints.list(panel.scope);
    assert.deepEqual(before, [{ node: 'research', when: 'after' }]);
    await panel.whenRendered((r) => r.marks.length === 1);

    const refusals: [unknown, RegExp | string][] = [
      [{ ...good, node: '__start__', canPause: false }, /^No breakpoint on __start__: The start and end of a graph are not nodes a run can pause at\.$/],
      [{ ...good, node: 'research:gather', canPause: true }, `No breakpoint on research:gather: ${SUBGRAPH_WORDS}`],
      [{ ...good, node: 'research|gather' }, /^No breakpoint on research\|gather: Not a node name the server knows\.$/],
      [{ ...good, deploymentUrl: 'http://127.0.0.1:9' }, /^Pause Before This Node: http:\/\/127\.0\.0\.1:9 is not a configured deployment\.$/],
      [undefined, /^Pause Before This Node needs a deployment URL\.$/],
      ['research', /^Pause Before This Node needs a deployment URL\.$/],
      [{ ...good, assistantId: 'x'.repeat(600) }, /^Pause Before This Node needs an assistant id\.$/],
      [{ ...good, node: 42 }, /^Pause Before This Node needs a node\.$/],
      [{ ...good, node: 'n'.repeat(600) }, /: Not a node name the server knows\.$/],
    ];
    for (const [arg, words] of refusals) {
      const outcome = await toggle('Before', arg);
      assert.ok(!outcome.ok, `refused: ${JSON.stringify(arg)?.slice(0, 200)}`);
      if (typeof words === 'string') assert.equal(outcome.message, words);
      else assert.match(outcome.message, words);
    }
    assert.deepEqual(breakpoints.list(panel.scope), before, 'nothing changed in the store');
    assert.deepEqual(panel.rendered!.marks, ['after research'], 'nor on the panel');
    if (python) {
      // The nodes inside it, drawn when it expands (the JS server sends none), say they cannot take one.
      panel.toggleSubgraph('research', true);
      const open = await panel.whenRendered((r) => r.expanded.includes('research'));
      const inner = open.menus.filter((m) => String(m.node).startsWith('research:'));
      assert.ok(inner.length > 0, JSON.stringify(open.menus));
      for (const m of inner) assert.equal(m.canPause, false, `${String(m.node)} cannot take a breakpoint`);
      const refused = await toggle('After', menuArg(open, String(inner[0]!.node)));
      assert.deepEqual(refused, { ok: false, message: `No breakpoint on ${String(inner[0]!.node)}: ${SUBGRAPH_WORDS}` });
      assert.deepEqual(breakpoints.list(panel.scope), before);
    }
    await panel.clearBreakpoints();
    panel.dispose();
  });
});
