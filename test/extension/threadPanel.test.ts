import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { AgentServerClient } from '../../src/api';
import type { ThreadRef } from '../../src/core/refs';
import { isSafeExternalUrl } from '../../src/core/safeLinks';
import type { ThreadPanel } from '../../src/ui/threadPanel/threadPanel';
import { api, rootNamed, rows, serverClient, serverUrl, setDeployments } from './helpers';
import { userInput } from '../harness/messages';
import { waitFor } from '../harness/until';
import { hostileInput, HOSTILE_TITLE } from './hostileThread';
import { shortId } from '../../src/core/threadLabels';


describe('extension: the thread result panel', function () {
  this.timeout(90_000);
  let client: AgentServerClient;

  before(async () => {
    client = serverClient();
    await setDeployments([{ name: 'Panel server', url: serverUrl() }]);
  });

  after(async () => {
    for (const panel of (await api()).threadPanels.all()) panel.dispose();
    await client.close();
    await vscode.workspace.getConfiguration('langgraph').update('deployments', undefined, vscode.ConfigurationTarget.Global);
  });

  async function thread(title: string): Promise<ThreadRef> {
    const t = await client.threads.create({ metadata: { title: `${title} ${randomUUID().slice(0, 8)}` } });
    return { deploymentUrl: serverUrl(), threadId: t.thread_id };
  }

  async function open(arg: unknown, ref: ThreadRef): Promise<ThreadPanel> {
    await vscode.commands.executeCommand('langgraph.openThread', arg);
    const panel = (await api()).threadPanels.get(ref);
    assert.ok(panel, 'a panel is open for the thread');
    return panel;
  }

  it('shows a seed-like agent thread: the last assistant message, the conversation with its tool call, the state', async () => {
    const ref = await thread('panel agent');
    await client.runs.wait(ref.threadId, { assistant_id: 'agent', input: userInput("what's the weather in sf") });
    const panel = await open(ref, ref);
    const r = await panel.whenRendered();
    assert.equal(r.threadId, ref.threadId);
    assert.equal(r.lastMessage.trim(), "The weather in sf is: It's 60 degrees and foggy in sf.");
    assert.match(r.header, /panel agent/);
    assert.match(r.header, /idle/);
    assert.match(r.header, /Run [0-9a-f]{8} succeeded/);
    assert.equal(r.messageCount, 4);
    assert.equal(r.messagesShown, 4);
    assert.match(r.conversation, /Human.*what's the weather in sf/s);
    assert.match(r.conversation, /Tool call\s*get_weather\(\{ "city": "sf" \}\)/);
    assert.match(r.conversation, /Tool\s*get_weather.*It's 60 degrees and foggy in sf\./s);
    assert.doesNotMatch(r.conversation + r.lastMessage + r.header, /\[object Object\]/);
    assert.deepEqual(r.valuesKeys, ['messages']);
    assert.match(r.details, /Next\s*nothing: the graph has finished/);
    assert.match(r.details, /Checkpoint\s*[0-9a-f-]{36}/);
    assert.equal(r.interrupt, '');
    assert.equal(panel.panel.title, `Thread: ${panel.current?.title}`);
  });

  it('keeps one panel per thread: opening it again, or from its tree item, reveals the same panel', async () => {
    const ref = await thread('panel once');
    await client.runs.wait(ref.threadId, { assistant_id: 'agent', input: userInput('weather in oslo') });
    const first = await open(ref, ref);
    await first.whenRendered();
    const { tree, threadPanels } = await api();
    const deployment = await rootNamed('Panel server');
    tree.refresh(deployment.node);
    const item = (await rows(deployment.node)).find((r) => r.item.id?.endsWith(ref.threadId));
    assert.ok(item, 'the thread is in the tree');
    assert.equal(item.item.command?.command, 'langgraph.openThread');
    await vscode.commands.executeCommand(item.item.command.command, ...(item.item.command.arguments ?? []));
    await open({ ...ref, deploymentUrl: `${ref.deploymentUrl}/` }, ref);
    assert.equal(threadPanels.all().filter((p) => p.ref.threadId === ref.threadId).length, 1);
    assert.equal(threadPanels.get(ref), first);
  });

  it('opens from a run item with that run\'s outcome', async () => {
    const ref = await thread('panel run item');
    await client.runs.wait(ref.threadId, { assistant_id: 'agent', input: userInput('weather in rome') });
    const { tree } = await api();
    const deployment = await rootNamed('Panel server');
    tree.refresh(deployment.node);
    const threadRow = (await rows(deployment.node)).find((r) => r.item.id?.endsWith(ref.threadId))!;
    const runRow = (await rows(threadRow.node))[0]!;
    assert.equal(runRow.item.command?.command, 'langgraph.openThread');
    const panel = await open(runRow.node, ref);
    const r = await panel.whenRendered();
    const runId = (runRow.node as unknown as { runId: string }).runId;
    assert.equal(panel.current?.run?.runId, runId);
    assert.match(r.header, new RegExp(`Run ${shortId(runId)} succeeded`));
    assert.equal(r.lastMessage.trim(), "The weather in rome is: It's 60 degrees and foggy in rome.");
  });

  it('joins text blocks and shows tool_use blocks as calls, not JSON', async () => {
    const ref = await thread('panel blocks');
    await client.runs.wait(ref.threadId, { assistant_id: 'agent', input: userInput('weather in lima with blocks') });
    const panel = await open(ref, ref);
    const r = await panel.whenRendered();
    assert.equal(r.lastMessage.trim(), "The weather in lima is: It's 60 degrees and foggy in lima.");
    assert.match(r.conversation, /Let me look up the weather in lima\./);
    assert.match(r.conversation, /Tool call\s*get_weather\(\{ "city": "lima" \}\)/);
    assert.doesNotMatch(r.conversation, /"type": "tool_use"/);
  });

  it('puts a failed run\'s error at the top and says there is no assistant message', async () => {
    const ref = await thread('panel failed');
    await client.runs.wait(ref.threadId, { assistant_id: 'fail', input: userInput('please fail now') }).catch(() => undefined);
    const panel = await open(ref, ref);
    const r = await panel.whenRendered();
    assert.match(r.header, /error/);
    assert.match(r.header, /Run [0-9a-f]{8} failed/);
    assert.match(r.header, /Deliberate failure requested by input: "please fail now"/);
    assert.equal(r.lastMessage, '');
    assert.equal(panel.current?.run?.status, 'error');
  });

  it('shows an interrupt, refuses a bad resume value, resumes with a good one and refreshes when the run ends', async () => {
    const ref = await thread('panel hitl');
    await client.runs.wait(ref.threadId, { assistant_id: 'hitl', input: userInput('book me a flight') });
    const panel = await open(ref, ref);
    const r = await panel.whenRendered();
    assert.equal(r.lastMessage.trim(), 'I plan to book a flight to SF. Approve?');
    assert.match(r.header, /interrupted/);
    assert.match(r.interrupt, /Waiting for your input/);
    assert.match(r.interrupt, /Do you approve the plan\?/);
    assert.match(r.interrupt, /"options": \[\s*"yes",\s*"no"\s*\]/);
    assert.match(r.details, /Next\s*approve/);

    // What the webview would send; the extension checks it again.
    assert.equal(await panel.handle({ type: 'resume', json: 'yes' }), 'rejected');
    assert.equal(await panel.handle({ type: 'resume', json: '' }), 'rejected');
    assert.equal(await panel.handle({ type: 'resume', json: 42 }), 'ignored');
    assert.equal((await client.runs.list(ref.threadId)).items.length, 1, 'nothing was sent for bad values');

    assert.equal(await panel.handle({ type: 'resume', json: '"yes"' }), 'resumed');
    const runs = (await client.runs.list(ref.threadId)).items;
    assert.equal(runs.length, 2);
    const resumed = runs.find((run) => (run.kwargs as { command?: { resume?: unknown } } | null)?.command?.resume === 'yes');
    assert.ok(resumed, `a run with command.resume "yes": ${JSON.stringify(runs.map((x) => x.kwargs))}`);
    assert.equal(resumed.multitask_strategy, 'reject', 'said, not left to the server (Python: enqueue)');
    await client.runs.join(ref.threadId, resumed.run_id);
    // The tracker fires runEnded when a followed run ends; the open panel refreshes itself.
    (await api()).runEnded.fire({ ...ref, runId: resumed.run_id, status: 'success', threadStatus: 'idle', outcome: 'succeeded' });
    const after = await panel.whenRendered((x) => x.lastMessage.includes('Approved'));
    assert.equal(after.lastMessage.trim(), 'Approved: yes');
    assert.equal(after.interrupt, '');
    assert.match(after.header, new RegExp(`Run ${shortId(resumed.run_id)} succeeded`));
  });

  it('refuses to resume a thread that is not waiting for input', async () => {
    const ref = await thread('panel not interrupted');
    await client.runs.wait(ref.threadId, { assistant_id: 'agent', input: userInput('weather in nice') });
    const panel = await open(ref, ref);
    await panel.whenRendered();
    assert.equal(await panel.handle({ type: 'resume', json: '"yes"' }), 'rejected');
    assert.equal((await client.runs.list(ref.threadId)).items.length, 1);
  });

  it('renders a hostile thread as text: markup, scripts and javascript: links stay inert', async () => {
    const hostile = await client.threads.create({ metadata: { title: HOSTILE_TITLE } });
    const href = { deploymentUrl: serverUrl(), threadId: hostile.thread_id };
    await client.runs.wait(hostile.thread_id, { assistant_id: 'fail', input: hostileInput('http://127.0.0.1:9') }).catch(() => undefined);
    const panel = await open(href, href);
    const r = await panel.whenRendered();
    assert.match(r.lastMessage, /<script>window\.__pwned = 'ai-script'<\/script>/, 'raw HTML shows as text');
    assert.match(r.lastMessage, /\[a javascript link\]\(javascript:window\.__pwned='md-link'\)/, 'the javascript: link stays text');
    assert.match(r.header, /<img src=x onerror=/, 'the title is text');
    assert.match(r.header, /Deliberate failure requested by input/);
    assert.ok(r.links.length > 0 && r.links.every((l) => isSafeExternalUrl(l)), `only http(s) links: ${r.links.join(' ')}`);
    assert.ok(r.links.includes('https://example.com/safe') && r.links.includes('https://example.com/auto'));
    assert.ok(!r.links.some((l) => /javascript|data:|vbscript/i.test(l)));
    assert.equal(await panel.handle({ type: 'openLink', url: "javascript:window.__pwned='open'" }), 'refused');
    assert.equal(await panel.handle({ type: 'openLink', url: 'command:workbench.action.quit' }), 'refused');
    assert.equal(await panel.handle({ type: 'openLink', url: 'file:///etc/passwd' }), 'refused');
    assert.equal(await panel.handle({ type: 'nonsense' }), 'ignored');
    assert.equal(await panel.handle('not even an object'), 'ignored');
  });

  it('shows a thread that does not exist as an error in the panel, and a deployment no longer configured too', async () => {
    const missing = { deploymentUrl: serverUrl(), threadId: randomUUID() };
    const panel = await open(missing, missing);
    // Wait for the webview too: closing a panel the workbench is still opening logs a VS Code error.
    await waitFor('a load error', () => panel.current === undefined && lastSent(panel)?.type === 'loadError' && webviewReady(panel), { timeoutMs: 15_000, everyMs: 50 });
    assert.match(String((lastSent(panel) as { message?: string }).message), /Could not load the thread: 404 .*not found/i);
    panel.dispose();

    const elsewhere = { deploymentUrl: 'http://127.0.0.1:1', threadId: 'x' };
    const other = await open(elsewhere, elsewhere);
    await waitFor('a load error', () => lastSent(other)?.type === 'loadError' && webviewReady(other), { timeoutMs: 15_000, everyMs: 50 });
    assert.match(String((lastSent(other) as { message?: string }).message), /not in langgraph\.deployments/);
    other.dispose();
  });
});

function webviewReady(panel: ThreadPanel): boolean {
  return (panel as unknown as { ready: boolean }).ready;
}

function lastSent(panel: ThreadPanel): { type: string } | undefined {
  return (panel as unknown as { last?: { type: string } }).last;
}
