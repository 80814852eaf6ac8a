/**
 * Breakpoints end to end: set in the graph panel (what a click on a node's margin does), kept in
 * the workspace, given to the next run from a run file, the stop shown in the graph panel and the
 * thread panel, and Continue / Step from there, against the real server.
 */
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { AgentServerClient } from '../../src/api';
import { breakpointSupport } from '../../src/core/graph/breakpoints';
import type { ContinueOutcome } from '../../src/ui/graphPanel/continueRun';
import type { GraphPanel } from '../../src/ui/graphPanel/graphPanel';
import type { ShowGraphOutcome } from '../../src/ui/graphPanel/showGraph';
import type { RunFileOutcome } from '../../src/ui/runFile/options';
import { userInput } from '../harness/messages';
import { until, waitFor } from '../harness/until';
import { api, serverClient, serverKind, serverUrl, setDeployments } from './helpers';

const SUBGRAPH_WORDS = (breakpointSupport('research:gather') as { message: string }).message;

describe('extension: breakpoints (graph panel, run files, Continue and Step)', function () {
  this.timeout(180_000);
  let client: AgentServerClient;
  let folder: vscode.Uri;

  before(async () => {
    client = serverClient();
    await setDeployments([{ name: 'Breakpoint server', url: serverUrl() }]);
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(root, 'the test host opens a workspace folder');
    folder = vscode.Uri.joinPath(root, `breakpoints-${randomUUID().slice(0, 8)}`);
    await vscode.workspace.fs.createDirectory(folder);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const internals = await api();
    for (const panel of internals.threadPanels.all()) panel.dispose();
    await vscode.workspace.fs.delete(folder, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    await client.close();
    await vscode.workspace.getConfiguration('langgraph').update('deployments', undefined, vscode.ConfigurationTarget.Global);
  });

  /** Show Graph of an assistant (by id or graph id), or of a thread's assistant. */
  async function showGraph(of: string | { threadId: string }): Promise<GraphPanel> {
    const arg = typeof of === 'string' ? { deploymentUrl: serverUrl(), assistantId: of } : { deploymentUrl: serverUrl(), threadId: of.threadId };
    const outcome = await vscode.commands.executeCommand<ShowGraphOutcome>('langgraph.showGraph', arg);
    assert.ok(outcome?.ok, `Show Graph opened a panel: ${JSON.stringify(outcome)}`);
    await outcome.panel.whenRendered((r) => r.nodes.length > 0);
    return outcome.panel;
  }

  /** A panel with no breakpoints set (the workspace keeps them from earlier runs of the suite). */
  async function freshGraph(assistantId: string): Promise<GraphPanel> {
    const panel = await showGraph(assistantId);
    await panel.clearBreakpoints();
    await panel.whenRendered((r) => r.breakpoints.length === 0 && r.marks.length === 0);
    return panel;
  }

  async function runFile(name: string, content: object): Promise<RunFileOutcome> {
    const uri = vscode.Uri.joinPath(folder, name);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(content, null, 2)));
    const outcomes = await vscode.commands.executeCommand<RunFileOutcome[]>('langgraph.createRunFromFile', uri, [uri], { deployment: serverUrl(), thread: 'new' });
    assert.equal(outcomes?.length, 1);
    return outcomes[0]!;
  }

  /** The panel shows the thread stopped with `next`, after the step of `after` (none: before the first node); the server agrees. */
  async function stoppedAt(panel: GraphPanel, threadId: string, next: string[], after: string[]): Promise<void> {
    await waitFor(`the graph panel to show thread ${threadId} stopped before ${next.join(', ')}`, () => panel.paused?.threadId === threadId && panel.paused.next.join() === next.join(), { timeoutMs: 60_000 });
    const r = await panel.whenRendered((x) => x.paused.includes(`before ${next.join(', ')}`));
    assert.match(r.paused, new RegExp(`^Paused: thread [0-9a-f]{8} ${after.length ? `after ${after.join(', ')}, ` : ''}before ${next.join(', ')}$`));
    const [thread, state] = [await client.threads.get(threadId), await client.threads.getState(threadId)];
    assert.equal(thread.status, 'interrupted');
    assert.deepEqual(state.next, next);
  }

  async function finished(threadId: string, runId: string): Promise<void> {
    const run = await until(() => client.runs.get(threadId, runId), (r) => r.status !== 'pending' && r.status !== 'running', { timeoutMs: 60_000 });
    assert.equal(run.status, 'success');
    assert.equal((await client.threads.get(threadId)).status, 'idle');
  }

  it('a breakpoint set in the panel is marked, listed and kept; the next run from a file stops there; Continue finishes it', async () => {
    const panel = await freshGraph('agent');
    const set = await panel.toggleBreakpoint('tools', 'before');
    assert.deepEqual(set, { ok: true, on: true });
    const marked = await panel.whenRendered((r) => r.marks.includes('before tools'));
    assert.deepEqual(marked.breakpoints, ['before tools'], 'listed in the panel');
    assert.deepEqual(marked.marks, ['before tools'], 'one mark, on its node');

    const outcome = await runFile('weather.run.json', { assistant_id: 'agent', input: userInput("what's the weather in sf") });
    assert.equal(outcome.status, 'started', outcome.message);
    assert.deepEqual(outcome.breakpoints, { applied: ['before tools'], skipped: [] });
    assert.match(outcome.message!, /^Run [0-9a-f]{8} started on a new thread of Breakpoint server\. Breakpoints: pauses before tools\.$/);
    const { threadId, runId } = outcome.run!;
    await stoppedAt(panel, threadId, ['tools'], ['agent']);
    const run = await client.runs.get(threadId, runId);
    assert.equal(run.status, 'success', 'a breakpoint ends the run as a success, the thread interrupted');

    // The thread panel shows the stop too, with the same two buttons.
    const threadPanel = (await api()).threadPanels.open({ deploymentUrl: serverUrl(), threadId });
    const shown = await threadPanel.whenRendered((r) => r.interrupt.includes('Paused at a breakpoint'));
    assert.equal(shown.interrupt, 'Paused at a breakpoint\nAfter agent \u00b7 Next: tools');

    const cont = await panel.continueRun(false);
    assert.ok(cont.ok, JSON.stringify(cont));
    assert.deepEqual(cont.breakpoints, ['before tools'], 'Continue takes the breakpoints again (tools runs once: no second stop)');
    await finished(threadId, cont.run.runId);
    await waitFor('the stop mark to go', () => panel.paused === null);
    await threadPanel.whenRendered((r) => r.interrupt === '' && /idle/i.test(r.header), 60_000);
    threadPanel.dispose();

    // Kept in the workspace: a new panel for the same assistant shows the same marks.
    panel.dispose();
    const again = await showGraph('agent');
    assert.notEqual(again, panel);
    const r = await again.whenRendered((x) => x.marks.length > 0);
    assert.deepEqual([r.breakpoints, r.marks], [['before tools'], ['before tools']]);
    assert.deepEqual((await api()).breakpoints.list(again.scope), [{ node: 'tools', when: 'before' }]);
    again.dispose();
  });

  it('Continue stops at the next breakpoint: paused before agent, the run stops again before its second agent step (after tools), then ends', async () => {
    const panel = await freshGraph('agent');
    await panel.toggleBreakpoint('agent', 'before');
    const outcome = await runFile('again.run.json', { assistant_id: 'agent', input: userInput("what's the weather in sf") });
    assert.equal(outcome.status, 'started', outcome.message);
    const { threadId } = outcome.run!;
    await stoppedAt(panel, threadId, ['agent'], []);
    const first = await panel.continueRun(false);
    assert.ok(first.ok, JSON.stringify(first));
    assert.deepEqual(first.breakpoints, ['before agent']);
    const sent = await until(() => client.runs.get(threadId, first.run.runId), (r) => r.status !== 'pending' && r.status !== 'running', { timeoutMs: 60_000 });
    assert.deepEqual(sent.kwargs?.interrupt_before, ['agent'], 'the breakpoint went with the run');
    await stoppedAt(panel, threadId, ['agent'], ['tools']);
    const second = await panel.continueRun(false);
    assert.ok(second.ok, JSON.stringify(second));
    await finished(threadId, second.run.runId);
    const state = await client.threads.getState(threadId);
    const last = (state.values as { messages: { content: unknown }[] }).messages.at(-1);
    assert.match(String(last?.content), /weather in sf/i, 'the run went on to its answer');
    panel.dispose();
  });

  it("a run file's own interrupt_before wins: the panel's breakpoint before is skipped and said so", async () => {
    const panel = await freshGraph('agent');
    await panel.toggleBreakpoint('tools', 'before');
    await panel.toggleBreakpoint('agent', 'after');
    const outcome = await runFile('own-keys.run.json', { assistant_id: 'agent', input: userInput('weather in paris'), interrupt_before: [] });
    assert.equal(outcome.status, 'started', outcome.message);
    assert.deepEqual(outcome.breakpoints, { applied: ['after agent'], skipped: ['before tools (the file sets interrupt_before itself)'] });
    assert.match(outcome.message!, / Breakpoints: pauses after agent; not applied: before tools \(the file sets interrupt_before itself\)\.$/);
    const { threadId } = outcome.run!;
    await stoppedAt(panel, threadId, ['tools'], ['agent']);
    const server = await client.runs.get(threadId, outcome.run!.runId);
    assert.deepEqual(server.kwargs?.interrupt_before, [], "the file's own value went as it was");
    await panel.clearBreakpoints();
    const done = await vscode.commands.executeCommand<ContinueOutcome>('langgraph.continueRun', { deploymentUrl: serverUrl(), threadId });
    assert.ok(done.ok, JSON.stringify(done));
    assert.deepEqual(done.breakpoints, [], 'no breakpoints left to take');
    await finished(threadId, done.run.runId);
    panel.dispose();
  });

  it('Step Over Next Node pauses after the next node; a graph opened from the stopped thread shows the stop; Continue from a thread not stopped is refused', async () => {
    const first = await freshGraph('agent');
    await first.toggleBreakpoint('agent', 'before');
    const outcome = await runFile('step.run.json', { assistant_id: 'agent', input: userInput("what's the weather in sf") });
    const { threadId } = outcome.run!;
    await stoppedAt(first, threadId, ['agent'], []);
    // Closed, then opened from the thread (the thread panel's Graph button): the stop is read from the thread.
    first.dispose();
    const panel = await showGraph({ threadId });
    assert.notEqual(panel, first);
    await stoppedAt(panel, threadId, ['agent'], []);
    // The breakpoint goes: Step alone pauses the run again, after agent, before tools.
    await panel.clearBreakpoints();
    const step = await vscode.commands.executeCommand<ContinueOutcome>('langgraph.stepRun', { deploymentUrl: serverUrl(), threadId });
    assert.ok(step.ok, JSON.stringify(step));
    assert.deepEqual(step.next, ['agent']);
    const stepped = await until(() => client.runs.get(threadId, step.run.runId), (r) => r.status === 'success', { timeoutMs: 60_000 });
    assert.deepEqual(stepped.kwargs?.interrupt_after, ['agent']);
    await stoppedAt(panel, threadId, ['tools'], ['agent']);
    const cont = await panel.continueRun(false);
    assert.ok(cont.ok, JSON.stringify(cont));
    await finished(threadId, cont.run.runId);
    const refused = await vscode.commands.executeCommand<ContinueOutcome>('langgraph.continueRun', { deploymentUrl: serverUrl(), threadId });
    assert.ok(!refused.ok);
    assert.match(refused.message, /^Could not continue thread [0-9a-f]{8}: it is not paused at a breakpoint \(status idle, nothing next\)\.$/);
    panel.dispose();
  });

  it(`a node inside a subgraph takes no breakpoint and says why (${serverKind() === 'python' ? "Python: research's own nodes" : 'JS: research is one opaque node, which takes one'}); start and end neither`, async () => {
    const panel = await freshGraph('stream');
    const first = panel.rendered!;
    const words = (node: string) => first.noBreakpoint.find((n) => n.node === node)?.why;
    assert.match(words('__start__') ?? '', /start and end of a graph are not nodes a run can pause at/);
    assert.match(words('__end__') ?? '', /start and end/);
    if (serverKind() === 'python') {
      panel.toggleSubgraph('research', true);
      const open = await panel.whenRendered((r) => r.expanded.includes('research'));
      const inner = open.nodes.filter((n) => n.startsWith('research:') && !n.endsWith(':__start__') && !n.endsWith(':__end__'));
      assert.ok(inner.length > 0, open.nodes.join(', '));
      for (const node of inner) assert.deepEqual(open.noBreakpoint.find((n) => n.node === node), { node, why: SUBGRAPH_WORDS });
      const refused = await panel.toggleBreakpoint(inner[0]!, 'before');
      assert.deepEqual(refused, { ok: false, message: `No breakpoint on ${inner[0]}: ${SUBGRAPH_WORDS}` });
    } else {
      assert.deepEqual(first.opaque, ['research']);
      assert.ok(!first.nodes.some((n) => n.includes(':')), 'JS sends none of its nodes');
      assert.equal(words('research'), undefined, 'the subgraph\u2019s own node is a node of the top graph');
      const refused = await panel.toggleBreakpoint('research:gather', 'before');
      assert.deepEqual(refused, { ok: false, message: `No breakpoint on research:gather: ${SUBGRAPH_WORDS}` });
    }
    assert.match(SUBGRAPH_WORDS, /^A node inside a subgraph cannot take a breakpoint/);
    // Before the subgraph's own node: accepted on both.
    assert.deepEqual(await panel.toggleBreakpoint('research', 'before'), { ok: true, on: true });
    const marked = await panel.whenRendered((r) => r.breakpoints.includes('before research'));
    assert.deepEqual(marked.breakpoints, ['before research']);
    await panel.clearBreakpoints();
    await panel.whenRendered((r) => r.breakpoints.length === 0);
    panel.dispose();
  });
});
