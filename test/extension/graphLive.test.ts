/**
 * The graph panel's live highlight (issue 13 item 2): a run of the agent fixture followed while
 * its graph is open shows the running node, then the finished nodes with their steps and the
 * path, read from the thread panel's stream when one is open and from the thread's state (then
 * its history) when only the tracker follows; a graph opened from a finished thread shows the
 * path of its last run. The agent fixture sleeps `delay_ms` before its final answer (the second
 * agent step), so the run is caught in it.
 */
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { AgentServerClient, Run } from '../../src/api';
import type { ThreadRef } from '../../src/core/refs';
import type { RunFileOutcome } from '../../src/ui/runFile/options';
import type { GraphPanel } from '../../src/ui/graphPanel/graphPanel';
import type { ShowGraphOutcome } from '../../src/ui/graphPanel/showGraph';
import type { GraphReport } from '../../src/webview-graph/protocol';
import { shortId } from '../../src/core/threadLabels';
import { userInput } from '../harness/messages';
import { api, serverClient, serverUrl, setDeployments } from './helpers';

const AGENT_PATH = ['__start__ -> agent', 'agent -> __end__', 'agent -> tools', 'tools -> agent'];
/** In the slow final step: agent and tools done once, agent running again. */
const inFinalStep = (r: GraphReport) => r.running.includes('agent') && r.done.agent === 1 && r.done.tools === 1;
const finished = (r: GraphReport) => r.running.length === 0 && r.done.agent === 2 && r.path.includes('agent -> __end__');

describe('extension: the graph panel\'s live highlight', function () {
  this.timeout(120_000);
  let client: AgentServerClient;
  let folder: vscode.Uri;

  before(async () => {
    client = serverClient();
    await setDeployments([{ name: 'Live graph server', url: serverUrl() }]);
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(root, 'the test host opens a workspace folder');
    folder = vscode.Uri.joinPath(root, `graph-live-${randomUUID().slice(0, 8)}`);
    await vscode.workspace.fs.createDirectory(folder);
  });

  afterEach(async () => {
    for (const panel of (await api()).threadPanels.all()) panel.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await vscode.workspace.fs.delete(folder, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    await client.close();
    await vscode.workspace.getConfiguration('langgraph').update('deployments', undefined, vscode.ConfigurationTarget.Global);
  });

  async function showGraph(arg: unknown): Promise<GraphPanel> {
    const outcome = await vscode.commands.executeCommand<ShowGraphOutcome>('langgraph.showGraph', arg);
    assert.ok(outcome?.ok, `Show Graph opened a panel: ${JSON.stringify(outcome)}`);
    await outcome.panel.whenRendered((r) => r.nodes.includes('agent'));
    return outcome.panel;
  }

  async function thread(): Promise<ThreadRef> {
    const t = await client.threads.create({ metadata: { title: `graph live ${randomUUID().slice(0, 8)}` } });
    return { deploymentUrl: serverUrl(), threadId: t.thread_id };
  }

  /** A run from a run file on a new thread whose panel is open (so the panel streams it), with the agent's graph open. */
  async function streamedRun(bodyFor: (threadId: string) => object): Promise<{ ref: ThreadRef; panel: GraphPanel; outcome: RunFileOutcome & { run: NonNullable<RunFileOutcome['run']> } }> {
    const ref = await thread();
    await vscode.commands.executeCommand('langgraph.openThread', ref);
    const threadPanel = (await api()).threadPanels.get(ref)!;
    await threadPanel.whenRendered((r) => r.threadId === ref.threadId);
    const panel = await showGraph({ deploymentUrl: serverUrl(), assistantId: 'agent' });
    const uri = vscode.Uri.joinPath(folder, `${randomUUID().slice(0, 8)}.run.json`);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(bodyFor(ref.threadId))));
    const [outcome] = (await vscode.commands.executeCommand<RunFileOutcome[]>('langgraph.createRunFromFile', uri)) ?? [];
    assert.equal(outcome?.status, 'started', outcome?.message);
    assert.ok(outcome.run, 'the outcome names the run');
    return { ref, panel, outcome: { ...outcome, run: outcome.run } };
  }

  const body = (threadId: string, delayMs: number) => ({ assistant_id: 'agent', thread_id: threadId, input: userInput("what's the weather in sf"), context: { delay_ms: delayMs } });

  it('a run only the tracker follows: the running node from the polled state mid-run, then the steps and the path from the history', async () => {
    const panel = await showGraph({ deploymentUrl: serverUrl(), assistantId: 'agent' });
    const ref = await thread();
    const { runs } = await api();
    const run: Run = await client.runs.create(ref.threadId, body(ref.threadId, 5_000));
    runs.follow({ ...ref, runId: run.run_id }, run);
    const mid = await panel.whenRendered(inFinalStep, 60_000);
    assert.equal((await client.runs.get(ref.threadId, run.run_id)).status, 'running', 'the highlight came while the run ran');
    assert.deepEqual(mid.running, ['agent']);
    assert.equal(mid.runLine, `Run ${shortId(run.run_id)} on thread ${shortId(ref.threadId)}: running agent`);
    assert.equal(panel.shownRunPath?.from, 'state');
    assert.equal(panel.shownRunPath?.live, true);
    const end = await panel.whenRendered(finished, 60_000);
    assert.deepEqual(end.done, { agent: 2, tools: 1 });
    assert.deepEqual([...end.path].sort(), AGENT_PATH);
    assert.equal(panel.shownRunPath?.runId, run.run_id);
    assert.equal(panel.shownRunPath?.live, false, 'the path stays after the end');
    assert.equal(end.runLine, `Run ${shortId(run.run_id)} on thread ${shortId(ref.threadId)}: finished`);
  });

  it('a run streamed in its thread panel: the running node and the steps from the stream, no request of the graph\'s own, the path kept after the end', async () => {
    const { ref, panel, outcome } = await streamedRun((threadId) => body(threadId, 4_000));
    const mid = await panel.whenRendered(inFinalStep, 60_000);
    assert.equal((await client.runs.get(ref.threadId, outcome.run.runId)).status, 'running', 'the highlight came while the run ran');
    assert.deepEqual(mid.running, ['agent']);
    assert.deepEqual([...mid.path].sort(), ['__start__ -> agent', 'agent -> tools', 'tools -> agent']);
    assert.equal(panel.shownRunPath?.from, 'stream');
    const end = await panel.whenRendered(finished, 60_000);
    assert.deepEqual(end.done, { agent: 2, tools: 1 });
    assert.deepEqual([...end.path].sort(), AGENT_PATH);
    assert.equal(panel.shownRunPath?.from, 'stream', 'the end from the tracker\'s word, not a read of its own');
  });

  it('opened from a finished thread: the path of its last run, from its history', async () => {
    const ref = await thread();
    await client.runs.wait(ref.threadId, body(ref.threadId, 0));
    // A second run on the thread: the graph shows its steps, not the thread's four agent steps.
    await client.runs.wait(ref.threadId, { ...body(ref.threadId, 0), input: userInput('and the weather in paris') });
    const panel = await showGraph(ref);
    const r = await panel.whenRendered((x) => x.path.length > 0, 30_000);
    assert.deepEqual(r.running, []);
    assert.deepEqual(r.done, { agent: 2, tools: 1 }, 'the last run\'s steps, not the thread\'s');
    assert.deepEqual([...r.path].sort(), AGENT_PATH);
    assert.equal(panel.shownRunPath?.from, 'history');
    assert.equal(panel.shownRunPath?.threadId, ref.threadId);
    assert.deepEqual(r.failed, {}, 'nothing failed');
  });

  const failing = (threadId: string) => ({ ...body(threadId, 0), context: { fail: true } });
  const failedAtAgent = (r: GraphReport) => r.running.length === 0 && /Deliberate failure/.test(r.failed.agent ?? '');

  it("a run that fails, followed by the tracker: its node is marked failed in the server's words, and again when the graph is opened from the thread", async () => {
    const panel = await showGraph({ deploymentUrl: serverUrl(), assistantId: 'agent' });
    const ref = await thread();
    const { runs } = await api();
    const run: Run = await client.runs.create(ref.threadId, failing(ref.threadId));
    runs.follow({ ...ref, runId: run.run_id }, run);
    const end = await panel.whenRendered(failedAtAgent, 60_000);
    assert.equal((await client.runs.get(ref.threadId, run.run_id)).status, 'error');
    assert.deepEqual(Object.keys(end.failed), ['agent']);
    assert.deepEqual(end.done, {}, 'a failed step is not a step done');
    assert.deepEqual(end.path, ['__start__ -> agent']);
    assert.match(end.runLine, new RegExp(`^Run ${shortId(run.run_id)} on thread ${shortId(ref.threadId)}: failed at agent: Deliberate failure`));
    panel.dispose();
    const again = await showGraph(ref);
    const r = await again.whenRendered(failedAtAgent, 30_000);
    assert.equal(r.failed.agent, end.failed.agent, 'the same words from the history');
    assert.equal(again.shownRunPath?.from, 'history');
  });

  it('a run that fails, streamed in its thread panel: its node is marked failed from the stream', async () => {
    const { panel } = await streamedRun(failing);
    const end = await panel.whenRendered(failedAtAgent, 60_000);
    assert.deepEqual(Object.keys(end.failed), ['agent']);
    assert.deepEqual(end.done, {});
    assert.equal(panel.shownRunPath?.from, 'stream');
  });
});
