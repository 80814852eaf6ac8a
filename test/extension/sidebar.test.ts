import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { AgentServerClient } from '../../src/api';
import { DeploymentNode } from '../../src/ui/tree/deploymentNode';
import type { TreeNode } from '../../src/ui/tree/node';
import { api, rootNamed, rows, serverClient, serverUrl, setDeployments, type Row } from './helpers';
import { userInput } from '../harness/messages';
import { RecordingProxy } from '../harness/proxy';
import { until } from '../harness/until';

const iconOf = (row: Row): string => (row.item.iconPath as vscode.ThemeIcon).id;

describe('extension: sidebar for real workloads', () => {
  let client: AgentServerClient;

  before(async () => {
    client = serverClient();
    await setDeployments([{ name: 'Test server', url: serverUrl() }]);
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('langgraph.clearThreadFilter');
  });

  after(async () => {
    await client.close();
    await vscode.workspace.getConfiguration('langgraph').update('deployments', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('langgraph').update('threads.pageSize', undefined, vscode.ConfigurationTarget.Global);
  });

  it('pages 125 threads with "Load more…": no duplicate, no gap, and the item goes away at the end', async function () {
    this.timeout(120_000);
    const tag = randomUUID();
    const created = new Set<string>();
    for (let i = 0; i < 125; i += 25) {
      const batch = await Promise.all(Array.from({ length: 25 }, () => client.threads.create({ metadata: { tag } })));
      batch.forEach((t) => created.add(t.thread_id));
    }
    await vscode.workspace.getConfiguration('langgraph').update('threads.pageSize', 50, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('langgraph.filterThreads', { metadata: { tag } });
    const deployment = (await rootNamed('Test server')).node;

    const threadIds = (list: Row[]) => list.filter((r) => r.item.contextValue?.startsWith('thread')).map((r) => r.item.id!.split('|').pop()!);
    let children = await rows(deployment);
    assert.equal(threadIds(children).length, 50);
    assert.equal(children.at(-1)!.label, 'Load more…');
    for (let page = 2; page <= 3; page++) {
      await vscode.commands.executeCommand('langgraph.loadMore', children.at(-1)!.item.command!.arguments![0]);
      children = await rows(deployment);
    }
    const ids = threadIds(children);
    assert.equal(ids.length, 125);
    assert.equal(new Set(ids).size, 125, 'no duplicates');
    assert.deepEqual(new Set(ids), created, 'no gaps');
    assert.ok(!children.some((r) => r.label === 'Load more…'), '"Load more…" is gone at the end');
  });

  it('shows status icons for a succeeded, failed, interrupted and running thread and their runs; filters by status', async function () {
    this.timeout(120_000);
    const tag = randomUUID();
    const make = async (title: string) => client.threads.create({ metadata: { tag, title } });
    const ok = await make('ok');
    await client.runs.wait(ok.thread_id, { assistant_id: 'agent', input: userInput('weather in sf') });
    const failed = await make('failed');
    await client.runs.wait(failed.thread_id, { assistant_id: 'fail', input: userInput('boom') }).catch(() => undefined);
    const asking = await make('asking');
    await client.runs.wait(asking.thread_id, { assistant_id: 'hitl', input: userInput('book') });
    const busy = await make('busy');
    const slow = await client.runs.create(busy.thread_id, { assistant_id: 'slow', input: userInput('x'), context: { delay_ms: 60_000 } });
    await until(() => client.runs.get(busy.thread_id, slow.run_id), (r) => r.status === 'running', { everyMs: 200 });

    await vscode.commands.executeCommand('langgraph.filterThreads', { metadata: { tag } });
    const deployment = (await rootNamed('Test server')).node;
    const byTitle = new Map((await rows(deployment)).map((r) => [r.label, r]));
    assert.deepEqual(
      ['ok', 'failed', 'asking', 'busy'].map((t) => [t, iconOf(byTitle.get(t)!), byTitle.get(t)!.item.contextValue]),
      [
        ['ok', 'comment-discussion', 'thread.idle'],
        ['failed', 'error', 'thread.error'],
        ['asking', 'debug-pause', 'thread.interrupted'],
        ['busy', 'sync~spin', 'thread.busy'],
      ],
    );
    const runOf = async (title: string) => (await rows(byTitle.get(title)!.node))[0]!;
    // A run row: its graph, then how it stands in the words of notifications and the panel.
    const runRow = async (title: string) => {
      const row = await runOf(title);
      return [iconOf(row), row.label, String(row.item.description).split(' · ')[0]];
    };
    assert.deepEqual(await runRow('ok'), ['pass', 'agent', 'succeeded']);
    assert.deepEqual(await runRow('failed'), ['error', 'fail', 'failed']);
    assert.deepEqual(await runRow('asking'), ['debug-pause', 'hitl', 'waiting for input']);
    const running = await runOf('busy');
    assert.deepEqual([iconOf(running), running.item.contextValue], ['sync~spin', 'run.active']);

    // Hovering the failed run reads its error for the tooltip.
    const { tree } = await api();
    const failedRun = await runOf('failed');
    const resolved = await tree.resolveTreeItem(failedRun.item, failedRun.node, new vscode.CancellationTokenSource().token);
    const tooltip = (resolved.tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ');
    assert.match(tooltip, /Error: Deliberate failure requested by input: "boom"/);

    await vscode.commands.executeCommand('langgraph.filterThreads', { status: 'busy', metadata: { tag } });
    assert.deepEqual((await rows(deployment)).map((r) => r.label), ['Assistants', 'busy']);
    await vscode.commands.executeCommand('langgraph.filterThreads', { status: 'idle', metadata: { tag, title: 'nothing like this' } });
    assert.deepEqual((await rows(deployment)).map((r) => r.label), ['Assistants', 'No threads match the filter']);

    // When the slow run ends, the slow refresh of active threads repaints it; until then the
    // page loaded while it was busy is what shows.
    await vscode.commands.executeCommand('langgraph.filterThreads', { metadata: { tag } });
    assert.equal((await rows(deployment)).find((r) => r.label === 'busy')!.item.contextValue, 'thread.busy');
    await client.runs.cancel(busy.thread_id, slow.run_id);
    await until(() => client.threads.get(busy.thread_id), (t) => t.status !== 'busy', { everyMs: 200 });
    assert.equal((await rows(deployment)).find((r) => r.label === 'busy')!.item.contextValue, 'thread.busy', 'no request without a tick');
    await (deployment as DeploymentNode).refreshActiveThreads();
    const after = (await rows(deployment)).find((r) => r.label === 'busy')!;
    assert.notEqual(after.item.contextValue, 'thread.busy');
  });

  it('deletes a thread (when confirmed) on the server and from the tree', async () => {
    const tag = randomUUID();
    const doomed = await client.threads.create({ metadata: { tag, title: 'doomed' } });
    await client.threads.create({ metadata: { tag, title: 'kept' } });
    await vscode.commands.executeCommand('langgraph.filterThreads', { metadata: { tag } });
    const deployment = (await rootNamed('Test server')).node;
    const row = (await rows(deployment)).find((r) => r.label === 'doomed')!;
    await vscode.commands.executeCommand('langgraph.deleteThread', row.node, { confirmed: true });
    await assert.rejects(client.threads.get(doomed.thread_id), /404/);
    assert.deepEqual((await rows(deployment)).map((r) => r.label), ['Assistants', 'kept']);
  });

  it('sends a stored API key only to its own deployment', async () => {
    const a = new RecordingProxy(serverUrl());
    const b = new RecordingProxy(serverUrl());
    const [urlA, urlB] = [await a.start(), await b.start()];
    try {
      await setDeployments([
        { name: 'A', url: urlA },
        { name: 'B', url: urlB },
      ]);
      const { keys, tree } = await api();
      const nodeA = (await rootNamed('A')).node as DeploymentNode;
      await keys.set(nodeA.deployment, 'key-for-a-only');
      tree.refresh();
      await rows((await rootNamed('A')).node);
      await rows((await rootNamed('B')).node);
      assert.ok(a.seen.length > 0 && b.seen.length > 0, 'both deployments were asked');
      assert.ok(a.seen.every((r) => r.apiKey === 'key-for-a-only'), 'A always got its key');
      assert.deepEqual(b.seen.filter((r) => r.apiKey !== undefined), [], 'B never saw a key');
      await keys.set(nodeA.deployment, undefined);
    } finally {
      await setDeployments([{ name: 'Test server', url: serverUrl() }]);
      await a.stop();
      await b.stop();
    }
  });

  it('shows an error item in a thread, not another thread, when a search by its id answers with other threads', async () => {
    const mine = await client.threads.create({ metadata: { title: 'mine' } });
    const other = await client.threads.create({ metadata: { title: 'not mine' } });
    let searches = 0;
    // The first search is the tree's page of threads (forwarded); later ones, by ids, get `other`.
    const proxy = new RecordingProxy(serverUrl(), (req) =>
      req.method === 'POST' && req.url === '/threads/search' && searches++ > 0 ? { status: 200, body: [other] } : undefined,
    );
    const url = await proxy.start();
    try {
      await setDeployments([{ name: 'Ignores ids', url }]);
      const listed = await rows((await rootNamed('Ignores ids')).node);
      const row = listed.find((r) => (r.node as { threadId?: string }).threadId === mine.thread_id)!;
      assert.equal(row.label, 'mine');
      const node = row.node as TreeNode & { threadId: string; reload(): Promise<void> };
      await node.reload();
      assert.ok(searches >= 2, 'the node searched by its id');
      assert.equal(node.threadId, mine.thread_id, 'the node is still its own thread');
      const { tree } = await api();
      assert.equal((tree.getTreeItem(node) as vscode.TreeItem).label, 'mine');
      const children = await rows(node);
      assert.match(children[0]!.label, new RegExp(`answered with other threads, not ${mine.thread_id}`));
    } finally {
      await setDeployments([{ name: 'Test server', url: serverUrl() }]);
      await proxy.stop();
    }
  });

  it('renames a deployment, keeping its URL', async () => {
    const node = (await rootNamed('Test server')).node as TreeNode;
    await vscode.commands.executeCommand('langgraph.renameDeployment', node, 'Renamed server');
    const renamed = await rootNamed('Renamed server');
    assert.equal(renamed.item.id, `deployment|${serverUrl()}`);
    await setDeployments([{ name: 'Test server', url: serverUrl() }]);
  });
});
