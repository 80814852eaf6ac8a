import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { AgentServerClient } from '../../src/api';
import { canonicalUrl } from '../../src/core/deployments';
import type { RunRef } from '../../src/core/refs';
import { MAX_OPEN_JOINS } from '../../src/core/tracker';
import type { DeploymentRegistry } from '../../src/core/registry';
import { CONTROLLER_ID, OPEN_THREAD_COMMAND, RunFileTests, THREAD_MESSAGE, type ItemReport } from '../../src/ui/testing/runFileTests';
import { waitFor } from '../harness/until';
import { api, authServerUrl, serverClient, serverKind, serverUrl, setDeployments } from './helpers';

const WEATHER = { messages: [{ role: 'user', content: "what's the weather in sf" }] };
/** More slow files than the runner's short-request lane (4): every run is on the server at once all the same. */
const SLOW = Array.from({ length: 6 }, (_, i) => i + 1);
const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
/** The 1-based line of the first line of `text` that contains `needle`. */
const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('extension: the Testing view runs run files as tests', function () {
  this.timeout(120_000);
  let client: AgentServerClient;
  let testing: RunFileTests;
  let folder: vscode.Uri;
  let deploymentId: string;
  const texts = {
    pass: json({ assistant_id: 'agent', input: WEATHER, expect: { lastMessage: { contains: '60 degrees' } } }),
    fail: json({ assistant_id: 'agent', input: WEATHER, expect: { status: 'success', lastMessage: { contains: 'sunny' } } }),
    bad: '{\n  "assistant_id": "agent",\n  "input": { "messages": [ }\n}\n',
    slow: json({ assistant_id: 'slow', input: { messages: [{ role: 'user', content: 'take 60000 ms' }] } }),
  };

  before(async () => {
    client = serverClient();
    await setDeployments([{ name: 'Testing server', url: serverUrl() }]);
    deploymentId = canonicalUrl(serverUrl());
    testing = (await api()).testing;
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(root, 'the test host opens a workspace folder');
    folder = vscode.Uri.joinPath(root, `testing-${randomUUID().slice(0, 8)}`);
    await vscode.workspace.fs.createDirectory(folder);
    for (const name of ['pass', 'fail', 'bad'] as const) await write(`${name}.run.json`, texts[name]);
    for (const n of SLOW) await write(`slow/slow-${n}.run.json`, texts.slow);
    // Only this deployment's profile (an earlier suite's deployments may still be there a moment).
    await waitFor('the deployment profile alone', () => testing.profiles.length === 1 && testing.profiles[0]!.deploymentId === deploymentId);
  });

  after(async () => {
    for (const panel of (await api()).threadPanels.all()) panel.dispose();
    await vscode.workspace.fs.delete(folder, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    await client.close();
    await vscode.workspace.getConfiguration('langgraph').update('deployments', undefined, vscode.ConfigurationTarget.Global);
  });

  async function write(name: string, text: string): Promise<vscode.Uri> {
    const uri = vscode.Uri.joinPath(folder, name);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    return uri;
  }

  const uriOf = (name: string): vscode.Uri => vscode.Uri.joinPath(folder, name);
  const folderItem = (dir = folder): vscode.TestItem | undefined => testing.controller.items.get(dir.toString());
  const fileItem = (name: string): vscode.TestItem | undefined => {
    const uri = uriOf(name);
    return folderItem(vscode.Uri.joinPath(uri, '..'))?.children.get(uri.toString());
  };
  const childIds = (item: vscode.TestItem | undefined): string[] => {
    const ids: string[] = [];
    item?.children.forEach((c) => ids.push(c.id));
    return ids.sort();
  };
  const profile = (): vscode.TestRunProfile => testing.profiles.find((p) => p.deploymentId === deploymentId)!.profile;
  const run = (include: vscode.TestItem[], token = new vscode.CancellationTokenSource().token): Promise<Map<string, ItemReport>> =>
    testing.runItems(new vscode.TestRunRequest(include, undefined, profile()), token, deploymentId);

  it('lists the run files by folder, at their expect key, and follows creates and deletes', async () => {
    assert.equal(testing.controller.id, CONTROLLER_ID);
    assert.equal(profile().label, 'Testing server');
    assert.equal(profile().isDefault, true, 'the first deployment is the default profile');
    await testing.controller.resolveHandler!(undefined);
    assert.deepEqual(childIds(folderItem()), ['bad', 'fail', 'pass'].map((n) => uriOf(`${n}.run.json`).toString()).sort());
    assert.match(folderItem()!.label, /^testing-/);
    assert.deepEqual(childIds(folderItem(uriOf('slow'))), SLOW.map((n) => uriOf(`slow/slow-${n}.run.json`).toString()).sort());
    assert.equal(fileItem('pass.run.json')!.label, 'pass.run.json');
    assert.equal(fileItem('pass.run.json')!.range?.start.line, lineOf(texts.pass, '"expect"') - 1);
    assert.equal(fileItem('bad.run.json')!.description, 'does not parse');

    const extra = await write('extra.run.json', texts.pass);
    await waitFor('the new file in the view', () => fileItem('extra.run.json'));
    await vscode.workspace.fs.delete(extra);
    await waitFor('the deleted file gone', () => !fileItem('extra.run.json'));
    // Files under node_modules are not tests.
    await write('node_modules/dep.run.json', texts.pass);
    await testing.discover(true);
    assert.equal(folderItem(uriOf('node_modules')), undefined);
  });

  it('has a run profile per deployment, the first the default, updated when the setting changes', async () => {
    await setDeployments([
      { name: 'Testing server', url: serverUrl() },
      { name: 'Second server', url: authServerUrl() },
    ]);
    await waitFor('two profiles', () => testing.profiles.length === 2);
    const shown = testing.profiles.map((p) => [p.profile.label, p.profile.isDefault, p.deploymentId]);
    assert.deepEqual(shown, [
      ['Testing server', true, deploymentId],
      ['Second server', false, canonicalUrl(authServerUrl())],
    ]);
    await setDeployments([{ name: 'Testing server', url: serverUrl() }]);
    await waitFor('one profile', () => testing.profiles.length === 1);
  });

  it('runs a folder: pass with its duration, fail with a diff at the expectation, errored at the bad line', async () => {
    const { runs } = await api();
    const reports = await run([folderItem()!]);
    assert.deepEqual([...reports.keys()].sort(), childIds(folderItem()), 'every file of the folder, and only those');

    const passed = reports.get(uriOf('pass.run.json').toString())!;
    assert.equal(passed.state, 'passed', passed.messages.map((m) => String(m.message)).join('\n'));
    assert.ok((passed.durationMs ?? 0) > 0);
    assert.equal((await client.runs.get(passed.run!.threadId, passed.run!.runId)).status, 'success');
    assert.ok(runs.tracker.get(passed.run!) ?? runs.tracker.recent().find((r) => r.runId === passed.run!.runId), 'the tracker followed the run');

    const failed = reports.get(uriOf('fail.run.json').toString())!;
    assert.equal(failed.state, 'failed');
    assert.equal(failed.messages.length, 1, 'one message per failing expectation (status passed)');
    const [message] = failed.messages;
    assert.match(String(message!.message), /^lastMessage\.contains: lastMessage does not contain "sunny"/);
    assert.equal(message!.expectedOutput, 'sunny');
    assert.match(message!.actualOutput ?? '', /60 degrees/);
    assert.equal(message!.location?.uri.toString(), uriOf('fail.run.json').toString());
    assert.equal(message!.location?.range.start.line, lineOf(texts.fail, '"lastMessage"') - 1);
    assert.equal(message!.contextValue, THREAD_MESSAGE);

    const errored = reports.get(uriOf('bad.run.json').toString())!;
    assert.equal(errored.state, 'errored');
    assert.equal(errored.run, undefined, 'nothing was sent');
    assert.match(String(errored.messages[0]!.message), /^line 3: /);
    assert.equal(errored.messages[0]!.location?.range.start.line, 2);

    // The message menu's Open Thread opens the failing run's thread.
    const item = fileItem('fail.run.json')!;
    assert.deepEqual(testing.threadOf(item.id), { deploymentUrl: deploymentId, threadId: failed.run!.threadId });
    await vscode.commands.executeCommand(OPEN_THREAD_COMMAND, { test: item, message });
    await waitFor('the thread panel', async () => (await api()).threadPanels.all().find((p) => p.ref.threadId === failed.run!.threadId));
  });

  it('runs one item (what Rerun Failed asks for) on a new thread', async () => {
    const before = testing.threadOf(fileItem('fail.run.json')!.id);
    const reports = await run([fileItem('fail.run.json')!]);
    assert.deepEqual([...reports.keys()], [uriOf('fail.run.json').toString()]);
    const report = reports.get(uriOf('fail.run.json').toString())!;
    assert.equal(report.state, 'failed');
    assert.notEqual(report.run!.threadId, before?.threadId, 'a new thread for each run');
  });

  it('sends every run at once, follows them with at most the tracker\'s joins; cancel stops them all on the server and marks every item skipped', async () => {
    const { runs } = await api();
    const source = new vscode.CancellationTokenSource();
    const followed: RunRef[] = [];
    const subscription = runs.onDidFollow((f) => {
      if (f.deploymentUrl === deploymentId) followed.push(f);
    });
    try {
      const running = run([folderItem(uriOf('slow'))!], source.token);
      // Each run takes 60 s: all of them on the server together means none waits for another's end.
      await waitFor(`${SLOW.length} runs made`, () => followed.length >= SLOW.length);
      for (const ref of followed) await waitFor('the run to be running', async () => (await client.runs.get(ref.threadId, ref.runId)).status === 'running');
      assert.equal(followed.length, SLOW.length);
      assert.ok(runs.tracker.openJoins(deploymentId) <= MAX_OPEN_JOINS, `${runs.tracker.openJoins(deploymentId)} joins open`);
      source.cancel();
      const reports = await running;
      assert.deepEqual([...reports.keys()].sort(), childIds(folderItem(uriOf('slow'))));
      assert.deepEqual([...reports.values()].map((r) => r.state), SLOW.map(() => 'skipped'));
      assert.equal(followed.length, SLOW.length, 'nothing more was sent after the cancel');
      assert.deepEqual([...reports.values()].flatMap((r) => (r.run ? [r.run.runId] : [])).sort(), followed.map((f) => f.runId).sort());
      // JS: a cancelled run ends "error" ("interrupt"); Python: "interrupted" (CONTRIBUTING, Python server).
      for (const ref of followed) {
        await waitFor('the run cancelled on the server', async () => (await client.runs.get(ref.threadId, ref.runId)).status === (serverKind() === 'python' ? 'interrupted' : 'error'));
      }
    } finally {
      subscription.dispose();
      source.dispose();
    }
  });

  // The test host always trusts its workspace (code-server runs with trust off), so the view's trust
  // seam (`isTrusted`, else vscode.workspace.isTrusted) is given false here; test/e2e/trust.e2e.ts
  // covers a really untrusted window (its settings).
  it('sends nothing in an untrusted workspace: no client, no run, every item skipped', async () => {
    const { registry, runs } = await api();
    let clients = 0;
    const counting = new Proxy(registry, {
      get(target, key, receiver) {
        if (key === 'client') return (...args: Parameters<DeploymentRegistry['client']>) => (clients++, target.client(...args));
        const value: unknown = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const untrusted = new RunFileTests({ registry: counting, runs, openThread: () => undefined, isTrusted: () => false, controllerId: `${CONTROLLER_ID}.untrustedTest` });
    const followed: RunRef[] = [];
    const subscription = runs.onDidFollow((f) => followed.push(f));
    try {
      await untrusted.discover();
      const mine = untrusted.controller.items.get(folder.toString());
      assert.ok(mine, 'the untrusted view still lists the files');
      const onDeployment = untrusted.profiles.find((p) => p.deploymentId === deploymentId)!.profile;
      const reports = await untrusted.runItems(new vscode.TestRunRequest([mine], undefined, onDeployment), new vscode.CancellationTokenSource().token, deploymentId);
      assert.deepEqual([...reports.keys()].sort(), childIds(mine));
      assert.deepEqual([...reports.values()].map((r) => [r.state, r.run]), childIds(mine).map(() => ['skipped', undefined]));
      assert.equal(clients, 0, 'no client was asked for');
      assert.deepEqual(followed, [], 'no run was made');
      assert.equal(untrusted.threadOf(uriOf('pass.run.json').toString()), undefined, 'no thread to open');
    } finally {
      subscription.dispose();
      untrusted.dispose();
    }
  });
});
