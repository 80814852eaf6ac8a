import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { AgentServerClient } from '../../src/api';
import type { ThreadRef } from '../../src/core/refs';
import type { RunFileOptions, RunFileOutcome } from '../../src/ui/runFile/options';
import type { ThreadPanel } from '../../src/ui/threadPanel/threadPanel';
import type { LiveReport } from '../../src/webview/protocol';
import { userInput } from '../harness/messages';
import { RecordingProxy } from '../harness/proxy';
import { waitFor } from '../harness/until';
import { api, serverClient, serverUrl, setDeployments } from './helpers';

/** The `stream` fixture graph's answer: `tokens` chunks at `rate` per second. */
const streamBody = (threadId: string, tokens: number, rate: number, extra: object = {}) => ({
  assistant_id: 'stream',
  thread_id: threadId,
  input: userInput('tell me about streams'),
  context: { tokens, tokens_per_second: rate },
  ...extra,
});

/** The letters of a text: markdown and its rendering agree on them (not on spaces: `**item**one` shows as "itemone"). */
const words = (text: string) => text.replace(/[^A-Za-z]/g, '');

const lastContent = async (client: AgentServerClient, threadId: string): Promise<string> => {
  const state = await client.threads.getState(threadId);
  const messages = (state.values as { messages: { content: unknown }[] }).messages;
  return String(messages.at(-1)?.content ?? '');
};

describe('extension: live runs in the thread panel', function () {
  this.timeout(120_000);
  let client: AgentServerClient;
  let folder: vscode.Uri;

  before(async () => {
    client = serverClient();
    await setDeployments([{ name: 'Live server', url: serverUrl() }]);
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(root, 'the test host opens a workspace folder');
    folder = vscode.Uri.joinPath(root, `live-${randomUUID().slice(0, 8)}`);
    await vscode.workspace.fs.createDirectory(folder);
  });

  afterEach(async () => {
    for (const panel of (await api()).threadPanels.all()) panel.dispose();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(folder, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    await client.close();
    await vscode.workspace.getConfiguration('langgraph').update('deployments', undefined, vscode.ConfigurationTarget.Global);
  });

  async function thread(url = serverUrl()): Promise<ThreadRef> {
    const t = await client.threads.create({ metadata: { title: `live ${randomUUID().slice(0, 8)}` } });
    return { deploymentUrl: url, threadId: t.thread_id };
  }

  async function open(ref: ThreadRef): Promise<ThreadPanel> {
    await vscode.commands.executeCommand('langgraph.openThread', ref);
    const panel = (await api()).threadPanels.get(ref);
    assert.ok(panel, 'a panel is open for the thread');
    await panel.whenRendered((r) => r.threadId === ref.threadId);
    return panel;
  }

  async function runFile(body: object, options: RunFileOptions = {}): Promise<RunFileOutcome> {
    const uri = vscode.Uri.joinPath(folder, `${randomUUID().slice(0, 8)}.run.json`);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(body, null, 2)));
    const [outcome] = (await vscode.commands.executeCommand<RunFileOutcome[]>('langgraph.createRunFromFile', uri, undefined, options)) ?? [];
    assert.equal(outcome?.status, 'started', outcome?.message);
    return outcome!;
  }

  const partial = (r: LiveReport) => r.answerChars > 0 && r.stepsDone >= 2 && !r.ended;

  it('streams a run started from a file on the open thread: partial text and two finished steps while it runs, then the final result; the tracker holds no join meanwhile', async () => {
    const ref = await thread();
    const panel = await open(ref);
    const { runs } = await api();
    const outcome = await runFile(streamBody(ref.threadId, 150, 50));
    const runRef = outcome.run!;
    const mid = await panel.whenLive((r) => r.runId === runRef.runId && partial(r), 60_000);
    assert.equal((await client.runs.get(ref.threadId, runRef.runId)).status, 'running', 'the report came before the run ended');
    assert.match(mid.answer, /Answer/);
    assert.match(mid.timeline, /research/);
    assert.equal(mid.toolCalls.length, 1);
    assert.match(mid.toolCalls[0]!, /^lookup\(\{"query": ?"tell me about streams"\}\)$/);
    // One connection per run: the panel's stream; the tracker's join is closed.
    await waitFor('the tracker hands the run to the panel', () => runs.tracker.get(runRef)?.state === 'streaming');
    assert.equal(runs.tracker.openJoins(serverUrl()), 0);
    // The node it is in, where followed runs are listed: the status bar's tooltip and the run's tree row.
    await waitFor('the tracker knows the node', () => runs.tracker.get(runRef)?.nodes?.includes('model'));
    const tooltip = (runs.statusBar.item.tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ');
    assert.match(tooltip, /running in model/);
    const { tree } = await api();
    assert.deepEqual(tree.nodesOf(runRef), ['model']);

    const final = await panel.whenRendered((r) => !r.streaming && /succeeded/.test(r.header), 60_000);
    const content = await lastContent(client, ref.threadId);
    assert.equal(words(final.lastMessage), words(content));
    assert.match(final.timeline, /research/, 'the timeline stays under the final answer');
    assert.match(final.timeline, /model.*wrote messages/s);
    const ended = await panel.whenLive((r) => r.runId === runRef.runId && r.ended !== '');
    assert.equal(ended.answerChars, content.length, 'every token, none twice');
    assert.ok(ended.stepsDone >= 4, `steps done: ${ended.stepsDone}`);
    assert.equal(ended.customCount, 4);
    assert.equal(ended.ended, 'succeeded');
    await waitFor('the tracker learns the end from the panel', () => runs.tracker.ended(runRef)?.outcome === 'succeeded');
    const server = await client.runs.get(ref.threadId, runRef.runId);
    assert.equal((server.kwargs as { resumable?: boolean }).resumable, true, 'runs from files ask for stream_resumable');
  });

  it('streams a run already running when the panel opens; a run made without stream_resumable says earlier events are not there', async () => {
    const ref = await thread();
    const run = await client.runs.create(ref.threadId, { assistant_id: 'stream', input: userInput('hello'), context: { tokens: 120, tokens_per_second: 40 }, stream_mode: ['messages-tuple', 'tasks'] });
    const panel = await open(ref);
    const live = await panel.whenLive((r) => r.runId === run.run_id && r.notes.length > 0, 30_000);
    assert.match(live.notes.join('\n'), /not created with stream_resumable.*earlier events are not available/);
    const final = await panel.whenRendered((r) => !r.streaming && /succeeded/.test(r.header), 60_000);
    assert.ok(final.lastMessage.length > 100);
    assert.ok((await panel.whenLive((r) => r.ended !== '')).answerChars > 0, 'tokens streamed from the moment it was joined');
  });

  it('a panel closed mid-run hands the run back to the tracker; opened again it streams the run from its start', async () => {
    const ref = await thread();
    const { runs } = await api();
    let panel = await open(ref);
    const runRef = (await runFile(streamBody(ref.threadId, 150, 40))).run!;
    await panel.whenLive((r) => r.runId === runRef.runId && partial(r), 60_000);
    panel.dispose();
    await waitFor('the tracker joins the run again', () => runs.tracker.get(runRef)?.state === 'joining');
    panel = await open(ref);
    const again = await panel.whenLive((r) => r.runId === runRef.runId && r.stepsDone >= 2, 30_000);
    assert.match(again.timeline, /research/, 'the replay starts at the first step');
    await panel.whenRendered((r) => !r.streaming && /succeeded/.test(r.header), 60_000);
    const ended = await panel.whenLive((r) => r.runId === runRef.runId && r.ended !== '');
    assert.equal(ended.answerChars, (await lastContent(client, ref.threadId)).length);
  });

  it('reconnects when a loopback proxy cuts the stream: a line says so, and no token is shown twice or missed', async () => {
    const proxy = new RecordingProxy(serverUrl());
    const url = await proxy.start();
    try {
      await setDeployments([{ name: 'Live server', url: serverUrl() }, { name: 'Cut proxy', url }]);
      const ref = await thread(url);
      const panel = await open(ref);
      proxy.cutAfter(30_001, (req) => /\/runs\/[^/]+\/stream/.test(req.url ?? ''));
      await runFile(streamBody(ref.threadId, 150, 60), { deployment: url });
      const final = await panel.whenRendered((r) => !r.streaming && /succeeded/.test(r.header), 90_000);
      assert.equal(proxy.cutsDone, 1);
      const live = await panel.whenLive((r) => r.ended !== '');
      assert.match(live.notes.join('\n'), /Connection lost.*reconnecting/);
      const content = await lastContent(client, ref.threadId);
      assert.equal(live.answerChars, content.length, `streamed: ${JSON.stringify(live.answer)}\nfinal: ${JSON.stringify(content)}\nnotes: ${live.notes.join(' | ')}`);
      assert.ok(final.lastMessage.length > 100);
    } finally {
      await setDeployments([{ name: 'Live server', url: serverUrl() }]);
      await proxy.stop();
    }
  });

  it('costs no more requests per run than the tracker alone: one stream and one run read, no join', async () => {
    const proxy = new RecordingProxy(serverUrl());
    const url = await proxy.start();
    try {
      await setDeployments([{ name: 'Live server', url: serverUrl() }, { name: 'Counting proxy', url }]);
      const ref = await thread(url);
      const panel = await open(ref);
      proxy.reset();
      const runRef = (await runFile(streamBody(ref.threadId, 60, 60), { deployment: url })).run!;
      await panel.whenRendered((r) => !r.streaming && /succeeded/.test(r.header), 60_000);
      await waitFor('the tracker learns the end', async () => (await api()).runs.tracker.ended(runRef));
      const onRun = proxy.seen.filter((r) => r.url.includes(runRef.runId)).map((r) => `${r.method} ${r.url.replace(/\?.*$/, '').split(runRef.runId)[1] || '/'}`);
      // The tracker alone: a join and a run read. Streamed: the stream and the read at its close
      // (the panel's final load reads the run too, as it does today when the tracker refreshes it).
      assert.deepEqual(onRun.filter((r) => r !== 'GET /').sort(), ['GET /stream']);
      assert.ok(onRun.filter((r) => r === 'GET /').length <= 2, onRun.join(', '));
      assert.equal(onRun.filter((r) => r.endsWith('/join')).length, 0, 'no join while the panel streams');
    } finally {
      await setDeployments([{ name: 'Live server', url: serverUrl() }]);
      await proxy.stop();
    }
  });

  it('a run cancelled while it streams ends as cancelled in the panel', async () => {
    const ref = await thread();
    const panel = await open(ref);
    const { runs } = await api();
    const runRef = (await runFile(streamBody(ref.threadId, 400, 40))).run!;
    await panel.whenLive((r) => r.runId === runRef.runId && partial(r), 60_000);
    const result = await runs.tracker.cancel(runRef);
    assert.notEqual(result.kind, 'failed', JSON.stringify(result));
    const final = await panel.whenRendered((r) => !r.streaming && /cancelled/.test(r.header), 60_000);
    assert.match(final.header, /Run [0-9a-f]{8} was cancelled/);
    assert.ok((await panel.whenLive((r) => r.ended !== '')).answerChars > 0);
  });

  it("shows a failing node's error at the node in the timeline, and the run's error on top", async () => {
    const ref = await thread();
    const panel = await open(ref);
    await runFile({ assistant_id: 'fail', thread_id: ref.threadId, input: userInput('please fail now') });
    const final = await panel.whenRendered((r) => !r.streaming && /failed/.test(r.header), 60_000);
    assert.match(final.header, /Deliberate failure requested by input: "please fail now"/);
    const live = await panel.whenLive((r) => r.ended !== '');
    // At the node: the fail step's row holds the error in the server's words.
    assert.match(live.timeline, /fail[^]*Deliberate failure requested by input: \\?"please fail now\\?"/);
    assert.match(final.timeline, /Deliberate failure requested by input/, 'the timeline stays in the final view');
  });

  it('shows what it cannot read (an unknown event type, non-JSON data, an error event) as lines, as they came', async () => {
    const ref = await thread();
    const panel = await open(ref);
    // The events as LiveRun folds them (unit-tested on the raw events): here, what the page makes of them.
    const header = { runId: 'r-odd', status: 'running', startedAt: Date.now(), nodes: ['model'] };
    const at = Date.now();
    await panel.panel.webview.postMessage({
      type: 'live',
      header,
      ops: [
        { op: 'other', event: 'tasks/whatever', data: '{"a": 1}', at },
        { op: 'other', event: 'custom', data: 'not json {', at },
        { op: 'error', text: 'ValueError: boom <script>x</script>', at },
      ],
    });
    const live = await panel.whenLive((r) => r.runId === 'r-odd' && r.errors.length === 1, 10_000);
    assert.match(live.timeline, /tasks\/whatever.*"a": 1/s);
    assert.match(live.timeline, /not json \{/);
    assert.deepEqual(live.errors, ['ValueError: boom <script>x</script>'], 'shown as text');
    assert.deepEqual(live.nodes, ['model']);
  });
});
