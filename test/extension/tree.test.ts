import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { AgentServerClient } from '../../src/api';
import type { ShowGraphOutcome } from '../../src/ui/graphPanel/showGraph';
import type { RunFileOutcome } from '../../src/ui/runFile/options';
import { userInput } from '../harness/messages';
import { freePort } from '../harness/ports';
import { api, authServerUrl, EXTENSION_ID, rootNamed, rows, serverClient, serverUrl, setDeployments } from './helpers';

describe('extension: the Deployments tree against the real server', () => {
  let client: AgentServerClient;
  let deadUrl: string;

  before(async () => {
    client = serverClient();
    deadUrl = `http://127.0.0.1:${await freePort()}`;
    await setDeployments([
      { name: 'Test server', url: serverUrl() },
      { name: 'Down', url: deadUrl },
      { name: 'With auth', url: authServerUrl() },
    ]);
  });

  after(async () => {
    await client.close();
    await vscode.workspace.getConfiguration('langgraph').update('deployments', undefined, vscode.ConfigurationTarget.Global);
  });

  it('lists the configured deployments as roots with stable ids', async () => {
    const roots = await rows();
    assert.deepEqual(roots.map((r) => r.label), ['Test server', 'Down', 'With auth']);
    assert.equal(roots[0]!.item.id, `deployment|${serverUrl()}`);
    assert.equal(roots[0]!.item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
  });

  it('lists the threads the test created, newest first, with status and a readable label', async () => {
    const title = `tree test ${randomUUID().slice(0, 8)}`;
    const older = await client.threads.create({ metadata: { title: `${title} older` } });
    const newer = await client.threads.create({ metadata: { title } });
    const { tree } = await api();
    const deployment = await rootNamed('Test server');
    tree.refresh(deployment.node);
    const threads = await rows(deployment.node);
    const labels = threads.map((r) => r.label);
    const iNewer = labels.indexOf(title);
    const iOlder = labels.indexOf(`${title} older`);
    assert.ok(iNewer >= 0 && iOlder > iNewer, `newer before older in ${labels.slice(0, 10).join(' | ')}`);
    const row = threads[iNewer]!;
    assert.equal(row.item.id, `${serverUrl()}|thread|${newer.thread_id}`);
    assert.match(String(row.item.description), /^idle · just now$/);
    assert.equal(row.item.contextValue, 'thread.idle');
    assert.equal(row.item.command?.command, 'langgraph.openThread');
    assert.ok(older.thread_id);
    // Once its children are read, the deployment's tooltip names the server's version and family.
    const info = await client.info();
    const tip = ((await rootNamed('Test server')).item.tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1'); // appendText escapes
    assert.ok(tip.includes(`Agent Server ${info.version} (${info.langgraph_js_version ? 'JS' : 'Python'})`), tip);
  });

  it('lists the assistants above the threads, as the server has them; an assistant\'s Show Graph and Create Run from JSON File… use it', async function () {
    this.timeout(60_000);
    const server = (await client.assistants.search({ limit: 100 })).items;
    assert.ok(server.length > 0 && server.length < 100, `the fixture's assistants fit one page: ${server.length}`);
    const { tree } = await api();
    const deployment = await rootNamed('Test server');
    tree.refresh(deployment.node);
    const [group, ...rest] = await rows(deployment.node);
    assert.equal(group!.label, 'Assistants');
    assert.equal(group!.item.description, String(server.length));
    assert.equal(group!.item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.ok(!rest.some((r) => r.label === 'Assistants'), 'one Assistants item');
    const listed = await rows(group!.node);
    assert.deepEqual(listed.map((r) => r.item.tooltip?.toString().split('\n')[0]).sort(), server.map((a) => a.assistant_id).sort());
    const agent = server.find((a) => a.graph_id === 'agent' && a.metadata?.created_by === 'system')!;
    const row = listed.find((r) => r.item.id?.endsWith(agent.assistant_id))!;
    assert.equal(row.item.contextValue, 'assistant');
    assert.equal(row.item.description, `agent · v${agent.version}`);

    // The menu's commands get the item itself.
    const menus = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.menus['view/item/context'] as { command: string; when: string }[];
    const offered = menus.filter((m) => /viewItem =~ \/\^assistant\$\//.test(m.when)).map((m) => m.command);
    assert.deepEqual(offered.sort(), ['langgraph.createRunFromFile', 'langgraph.showGraph']);
    const shown = await vscode.commands.executeCommand<ShowGraphOutcome>('langgraph.showGraph', row.node);
    assert.ok(shown?.ok, JSON.stringify(shown));
    assert.equal(shown.panel.assistant.assistant_id, agent.assistant_id);
    assert.ok((await shown.panel.whenRendered((r) => r.nodes.length > 0)).nodes.includes('tools'));
    shown.panel.panel.dispose();

    // A file that names another assistant runs with the one chosen, and says so.
    const root = vscode.workspace.workspaceFolders![0]!.uri;
    const file = vscode.Uri.joinPath(root, `assistant-run-${randomUUID().slice(0, 8)}.json`);
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(JSON.stringify({ assistant_id: 'hitl', input: userInput('weather in sf') })));
    try {
      const [outcome] = await vscode.commands.executeCommand<RunFileOutcome[]>('langgraph.createRunFromFile', row.node, undefined, { files: [file], thread: 'new' });
      assert.equal(outcome?.status, 'started', outcome?.message);
      const run = await client.runs.get(outcome.run!.threadId, outcome.run!.runId);
      assert.equal(run.assistant_id, agent.assistant_id);
      assert.ok(outcome.notes.some((n) => n.includes(`names assistant_id hitl; it ran on the assistant you chose, ${agent.assistant_id}`)), outcome.notes.join(' | '));
      await client.runs.join(run.thread_id, run.run_id);
    } finally {
      await vscode.workspace.fs.delete(file);
    }
  });

  it('shows a thread\'s runs with their status', async () => {
    const thread = await client.threads.create({ metadata: { title: `runs ${randomUUID().slice(0, 8)}` } });
    await client.runs.wait(thread.thread_id, { assistant_id: 'agent', input: userInput('weather in sf') });
    const { tree } = await api();
    const deployment = await rootNamed('Test server');
    tree.refresh(deployment.node);
    const threadRow = (await rows(deployment.node)).find((r) => r.item.id?.endsWith(thread.thread_id));
    assert.ok(threadRow, 'the thread is listed');
    const runs = await rows(threadRow.node);
    assert.equal(runs.length, 1);
    assert.equal(runs[0]!.label, 'agent');
    assert.match(String(runs[0]!.item.description), /^succeeded · just now$/);
    assert.equal(runs[0]!.item.contextValue, 'run.done');
  });

  it('shows an error item, not a rejection, for a deployment that is down, and offers the fixes', async () => {
    const down = await rootNamed('Down');
    const children = await rows(down.node);
    assert.match(children[0]!.label, new RegExp(`^Cannot connect to ${deadUrl.replace(/[.:/]/g, '\\$&')}: connection refused`));
    assert.equal(children[0]!.item.contextValue, 'error');
    assert.deepEqual(children.slice(1).map((r) => r.label), ['Edit URL…', 'Retry']);
    // The deployment item itself now says it is unreachable.
    const again = await rootNamed('Down');
    assert.equal(again.item.description, 'unreachable');
  });

  it('asks for an API key on a deployment with custom auth, and lists its threads once the key is set', async () => {
    const auth = await rootNamed('With auth');
    const before = await rows(auth.node);
    assert.match(before[0]!.label, /^401 Unauthorized: /);
    assert.equal(before[1]!.label, 'Set API Key…');
    assert.equal((await rootNamed('With auth')).item.description, 'needs API key');

    const alice = serverClient(authServerUrl(), 'alice-key');
    const mine = await alice.threads.create({ metadata: { title: `alice ${randomUUID().slice(0, 8)}` } });
    await alice.close();
    const { keys, tree } = await api();
    const node = (await rootNamed('With auth')).node as unknown as { deployment: Parameters<typeof keys.set>[0] };
    await keys.set(node.deployment, 'alice-key');
    tree.refresh(auth.node);
    const after = await rows((await rootNamed('With auth')).node);
    assert.ok(after.some((r) => r.item.id?.endsWith(mine.thread_id)), `alice's thread is listed: ${after.map((r) => r.label).join(', ')}`);
    assert.equal((await rootNamed('With auth')).item.description, authServerUrl());
    await keys.set(node.deployment, undefined);
  });
});
