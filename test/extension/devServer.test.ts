import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { groupPids } from '../../src/core/devServer/processGroup';
import { shortId } from '../../src/core/threadLabels';
import { inspectorTargets } from '../../src/core/devServer/debug';
import type { DebugOutcome } from '../../src/ui/devServer/debugSession';
import type { DevServerReload, StartOutcome } from '../../src/ui/devServer/devServers';
import { RUN_ANYWAY } from '../../src/ui/devServer/reloads';
import type { ShowGraphOutcome } from '../../src/ui/graphPanel/showGraph';
import type { ThreadPanel } from '../../src/ui/threadPanel/threadPanel';
import { revealLog } from '../../src/ui/devServer/devServerTask';
import type { RunFileOutcome } from '../../src/ui/runFile/options';
import { FIXTURE_DIR, PY_FIXTURE_DIR, pythonVenv } from '../harness/agentServer';
import { waitFor } from '../harness/until';
import { api, EXTENSION_ID, rows, serverClient, type Row } from './helpers';

const GRAPHS = ['agent', 'slow', 'fail', 'hitl', 'stream'];

/** True once no process of the group is left (a zombie waiting for its reaper counts as gone). */
function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** One Debug Adapter Protocol request over TCP (Content-Length framing); the first response to it. */
function dapRequest(port: number, command: string, args: object): Promise<{ type: string; command: string; success: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let buffer = Buffer.alloc(0);
    const timer = setTimeout(() => (socket.destroy(), reject(new Error(`no DAP answer to ${command} on port ${port}`))), 20_000);
    socket.on('error', (e) => (clearTimeout(timer), reject(e)));
    socket.on('connect', () => {
      const body = JSON.stringify({ seq: 1, type: 'request', command, arguments: args });
      socket.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, end).toString())?.[1]);
        if (end < 0 || !(buffer.length >= end + 4 + length)) return;
        const message = JSON.parse(buffer.subarray(end + 4, end + 4 + length).toString()) as { type: string; command: string; success: boolean; request_seq?: number };
        buffer = buffer.subarray(end + 4 + length);
        if (message.type === 'response' && message.request_seq === 1) {
          clearTimeout(timer);
          socket.destroy();
          resolve(message);
          return;
        }
      }
    });
  });
}

describe('extension: the workspace dev server (find, start, stop, failures)', function () {
  this.timeout(300_000);
  const id = randomUUID().slice(0, 8);
  let root: string;
  const dirs: string[] = [];
  const name = (kind: string) => `dev-${kind}-${id}`;
  const config = (kind: string) => path.join(root, name(kind), 'langgraph.json');

  function project(kind: string, langgraphJson: object | string, files: Record<string, string> = {}, links: Record<string, string> = {}): void {
    const dir = path.join(root, name(kind));
    dirs.push(dir);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'langgraph.json'), typeof langgraphJson === 'string' ? langgraphJson : JSON.stringify(langgraphJson, null, 2));
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    for (const [link, target] of Object.entries(links)) fs.symlinkSync(target, path.join(dir, link));
  }

  /** The fixture's graphs, by paths relative to the project folder (the JS CLI joins them to it). */
  function fixtureGraphs(fixture: string, ext: string, dir: string, absolute = false): Record<string, string> {
    const spec = (g: string) => {
      const file = path.join(fixture, 'src', `${g}.${ext}`);
      return `${absolute ? file : path.relative(dir, file)}:graph`;
    };
    return Object.fromEntries(GRAPHS.map((g) => [g, spec(g)]));
  }

  const start = (kind: string, options?: object) => vscode.commands.executeCommand<StartOutcome>('langgraph.startDevServer', vscode.Uri.file(config(kind)), options);
  const debug = (kind: string, options?: object) => vscode.commands.executeCommand<DebugOutcome>('langgraph.debugDevServer', vscode.Uri.file(config(kind)), options);
  const stop = (kind: string) => vscode.commands.executeCommand<{ status: string; message: string }>('langgraph.stopDevServer', vscode.Uri.file(config(kind)));

  async function projectRow(kind: string): Promise<Row> {
    return waitFor(`the project ${name(kind)} in the view`, async () => (await rows()).find((r) => r.label === name(kind)), { timeoutMs: 20_000 });
  }

  before(async () => {
    root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const jsDir = path.join(root, name('js'));
    project('js', { node_version: '20', dependencies: [path.relative(jsDir, FIXTURE_DIR)], graphs: fixtureGraphs(FIXTURE_DIR, 'ts', jsDir) }, {}, {
      node_modules: path.join(FIXTURE_DIR, 'node_modules'),
    });
    project('bad', '{\n  "python_version": "3.11",\n  "graphs": {\n    "agent": "./src/missing.py:graph"\n  }\n}\n');
    project('nocli', { graphs: { agent: './src/agent.py:graph' } }, { 'src/agent.py': 'graph = None\n' });
    await (await api()).devServers.projects.rescan();
  });

  after(async () => {
    const { devServers } = await api();
    for (const p of await devServers.projects.list()) if (dirs.includes(p.folder)) await devServers.stop(p);
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true }); // symlinks are removed, not followed
    await devServers.projects.rescan();
  });

  it('finds the projects: items with their language, state and graphs; an invalid langgraph.json gets its diagnostic', async () => {
    const js = await projectRow('js');
    assert.equal(js.item.description, 'JS · stopped');
    assert.equal(js.item.contextValue, 'langgraphProject.stopped');
    const all = (await rows()).map((r) => r.label);
    assert.ok(all.indexOf(name('js')) < all.findIndex((l) => !l.startsWith('dev-')), `projects come above the deployments: ${all.join(', ')}`);
    assert.deepEqual((await rows(js.node)).map((r) => r.label), GRAPHS);
    assert.equal((await projectRow('nocli')).item.description, 'Python · stopped');
    const bad = await projectRow('bad');
    assert.equal(bad.item.description, 'invalid langgraph.json');
    assert.equal(bad.item.contextValue, 'langgraphProject.invalid');
    const diagnostics = vscode.languages.getDiagnostics(vscode.Uri.file(config('bad'))).filter((d) => d.source === 'LangGraph project');
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]!.range.start.line, 3);
    assert.match(diagnostics[0]!.message, /Graph "agent": src\/missing\.py does not exist/);
  });

  it('langgraph.json gets the JSON Schema: a wrong type, an unknown key and a graph without ":<export>" are marked at their lines', async () => {
    project('schema', '{\n  "node_version": 20,\n  "graphs": { "agent": "./src/agent.ts" },\n  "grpahs": {}\n}\n', { 'src/agent.ts': 'export const graph = 1;\n' });
    const uri = vscode.Uri.file(config('schema'));
    await vscode.window.showTextDocument(uri);
    const fromSchema = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source !== 'LangGraph project');
    const found = await waitFor('the JSON Schema\'s diagnostics', () => fromSchema().length >= 3 && fromSchema(), { timeoutMs: 30_000 });
    const at = (line: number) => found.filter((d) => d.range.start.line === line).map((d) => d.message);
    assert.deepEqual(at(1), ['Incorrect type. Expected "string".']);
    assert.deepEqual(at(2), ['A graph is "<file>:<export>", for example "./src/agent.py:graph".']);
    assert.deepEqual(at(3), ['Property grpahs is not allowed.']);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('an invalid langgraph.json: its problem at its line, nothing spawned', async () => {
    const before = (await api()).registry.list().length;
    const outcome = await start('bad');
    assert.equal(outcome.status, 'invalid');
    assert.equal(outcome.pid, undefined, 'nothing spawned');
    assert.match(outcome.message, /langgraph\.json line 4: Graph "agent": src\/missing\.py does not exist/);
    assert.equal((await api()).registry.list().length, before);
  });

  it('a missing CLI (a Python project without .venv, a PATH without langgraph): the install command', async () => {
    const outcome = await start('nocli', { pathVariable: path.join(root, 'no-such-bin') });
    assert.equal(outcome.status, 'no-cli');
    assert.equal(outcome.pid, undefined);
    assert.match(outcome.message, /Install it in the project with: pip install -U "langgraph-cli\[inmem\]"$/);
  });

  it('JS: Start connects it as a deployment, a run file runs on it, Stop removes it and no process of its group is left', async () => {
    const { registry } = await api();
    const outcome = await start('js');
    assert.equal(outcome.status, 'running', outcome.message);
    const url = outcome.url!;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(registry.find(url)?.name, `${name('js')} (dev server)`);
    const port = new URL(url).port;
    assert.equal((await projectRow('js')).item.description, `JS · running on port ${port}`);
    const listed = (await rows()).find((r) => r.label === `${name('js')} (dev server)`);
    assert.ok(listed, 'listed as a deployment');
    // Its row is a deployment's (threads, runs, run files) but not one of the settings': the menus
    // offer no rename, remove or key on it, and still offer New Thread.
    const menus = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.menus['view/item/context'] as { command: string; when: string }[];
    const offered = (command: string) =>
      menus.filter((m) => m.command === command).some((m) => new RegExp(/viewItem =~ \/(.+)\/$/.exec(m.when)![1]!).test(String(listed.item.contextValue)));
    assert.deepEqual(['langgraph.removeDeployment', 'langgraph.renameDeployment', 'langgraph.setApiKey', 'langgraph.createThread'].map(offered), [false, false, false, true]);
    const pids = groupPids(outcome.pid!);
    assert.ok(pids.length >= 2, `the CLI and its server run in one group: ${pids.join(', ')}`);

    const runFile = path.join(root, name('js'), 'seed.run.json');
    fs.writeFileSync(runFile, JSON.stringify({ input: { messages: [{ role: 'user', content: "what's the weather in sf" }] } }));
    const [run] = await vscode.commands.executeCommand<RunFileOutcome[]>('langgraph.createRunFromFile', vscode.Uri.file(runFile), undefined, {
      deployment: url,
      assistant: 'agent',
      thread: 'new',
    });
    assert.equal(run?.status, 'started', run?.message);
    assert.equal(run.run!.deploymentUrl, url);
    const client = serverClient(url);
    try {
      await waitFor('the run to succeed', async () => (await client.runs.get(run.run!.threadId, run.run!.runId)).status === 'success' || undefined, { timeoutMs: 60_000 });
    } finally {
      await client.close();
    }

    const stopped = await stop('js');
    assert.equal(stopped.status, 'stopped', stopped.message);
    assert.equal(registry.find(url), undefined, 'removed from the registry');
    assert.ok(!(await rows()).some((r) => r.label === `${name('js')} (dev server)`));
    assert.equal((await projectRow('js')).item.description, 'JS · stopped');
    assert.deepEqual(pids.filter((pid) => !gone(pid)), [], 'no process of its group is left');
  });

  it('a busy port: the server crashes at start, the message has its last lines, nothing is left', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const outcome = await start('js', { port });
      assert.equal(outcome.status, 'crashed', outcome.message);
      assert.match(outcome.message, new RegExp(`did not start: port ${port} is taken\\. Its last lines:\\n`));
      assert.match(outcome.message, /EADDRINUSE/);
      assert.ok(outcome.pid);
      assert.ok(gone(outcome.pid), 'its group was stopped');
      assert.deepEqual(groupPids(outcome.pid), []);
      assert.equal((await projectRow('js')).item.description, 'JS · stopped');
    } finally {
      blocker.close();
    }
  });

  /** A Python project whose `.venv/bin/langgraph` is this shell script (a CLI that misbehaves on purpose). */
  function fakeCli(kind: string, script: string): void {
    project(kind, { graphs: { agent: './agent.py:graph' } }, { 'agent.py': 'graph = None\n', '.venv/bin/langgraph': `#!/bin/sh\n${script}\n` });
    fs.chmodSync(path.join(root, name(kind), '.venv/bin/langgraph'), 0o755);
  }

  it('a server that never answers /ok: a timeout with its last lines, its group (a child too) stopped', async () => {
    fakeCli('hang', 'echo "fake langgraph $*"\nsleep 600 &\necho "child $!"\nwait');
    await (await api()).devServers.projects.rescan();
    const outcome = await start('hang', { timeoutMs: 3_000 });
    assert.equal(outcome.status, 'timeout', outcome.message);
    assert.match(outcome.message, /did not answer http:\/\/127\.0\.0\.1:\d+\/ok within 3 s and was stopped\. Its last lines:\n/);
    assert.match(outcome.message, /fake langgraph dev --host 127\.0\.0\.1 --port \d+ --no-browser/);
    const child = Number(/child (\d+)/.exec(outcome.message)?.[1]);
    assert.ok(child > 0, outcome.message);
    assert.ok(gone(child), 'the CLI\'s child was stopped with it');
    assert.deepEqual(groupPids(outcome.pid!), []);
  });

  it('Stop while it starts: the start ends as cancelled, nothing is left', async () => {
    const starting = start('hang', { timeoutMs: 120_000 });
    const row = await waitFor('the project to be starting', async () => {
      const r = await projectRow('hang');
      return r.item.contextValue === 'langgraphProject.starting' && r;
    });
    assert.equal(row.item.description, 'Python · starting…');
    assert.equal((await stop('hang')).status, 'stopped');
    const outcome = await starting;
    assert.equal(outcome.status, 'cancelled', outcome.message);
    assert.equal(outcome.message, `The dev server of ${name('hang')} was stopped before it answered.`);
    assert.deepEqual(groupPids(outcome.pid!), []);
  });

  it('a CLI that exits at start: its exit code and last lines', async () => {
    fakeCli('exit', 'echo "Traceback (most recent call last):"\necho "ImportError: boom at start" >&2\nexit 3');
    await (await api()).devServers.projects.rescan();
    const outcome = await start('exit');
    assert.equal(outcome.status, 'crashed', outcome.message);
    assert.match(outcome.message, /did not start: it ended \(exit code 3\)\. Its last lines:\n/);
    assert.match(outcome.message, /ImportError: boom at start/);
    // Show Log reveals this terminal (the task's, kept after the end with its output).
    await waitFor('the task\'s terminal, which keeps the log', () => vscode.window.terminals.some((t) => t.name.includes(`langgraph dev: ${name('exit')}`)), { timeoutMs: 20_000 });
    revealLog((await (await api()).devServers.projects.get(config('exit')))!);
    await waitFor('Show Log to make it the active terminal', () => vscode.window.activeTerminal?.name.includes(`langgraph dev: ${name('exit')}`), { timeoutMs: 10_000 });
    assert.equal((await api()).registry.list().some((d) => d.name.startsWith(name('exit'))), false);
  });

  it('ending its task stops the group and removes the deployment; a server that dies is removed too', async () => {
    const { registry } = await api();
    const first = await start('js');
    assert.equal(first.status, 'running', first.message);
    const pids = groupPids(first.pid!);
    const execution = vscode.tasks.taskExecutions.find((e) => e.task.definition.config === config('js'));
    assert.ok(execution, 'it runs as a task');
    execution.terminate();
    await waitFor('the deployment to be removed', () => registry.find(first.url!) === undefined, { timeoutMs: 20_000 });
    await waitFor('the group to be gone', () => pids.every(gone), { timeoutMs: 20_000 });

    const second = await start('js');
    assert.equal(second.status, 'running', second.message);
    process.kill(-second.pid!, 'SIGKILL'); // as if it crashed
    await waitFor('the dead server to be removed', () => registry.find(second.url!) === undefined, { timeoutMs: 20_000 });
    assert.equal((await projectRow('js')).item.description, 'JS · stopped');
  });

  /** A one-graph JS project of its own (its graph file is edited): `topic` typed `type`, the nodes given. */
  const echoGraph = (type: string, nodes: string[]) => [
    "import { Annotation, END, START, StateGraph } from '@langchain/langgraph';",
    `const State = Annotation.Root({ topic: Annotation<${type}> });`,
    `export const graph = new StateGraph(State)${nodes.map((n) => `.addNode('${n}', () => ({}))`).join('')}`,
    `  .addEdge(START, '${nodes[0]}')${nodes.slice(1).map((n, i) => `.addEdge('${nodes[i]}', '${n}')`).join('')}.addEdge('${nodes.at(-1)}', END)`,
    '  .compile();',
    '',
  ].join('\n');

  /** Made by the first test that needs it (each may run alone under a grep). */
  async function reloadProject(): Promise<void> {
    if (fs.existsSync(config('reload'))) return;
    project('reload', { node_version: '20', graphs: { echo: './src/echo.ts:graph' } }, { 'src/echo.ts': echoGraph('string', ['first']) }, {
      node_modules: path.join(FIXTURE_DIR, 'node_modules'),
    });
    await (await api()).devServers.projects.rescan();
  }

  async function pyProject(): Promise<void> {
    if (fs.existsSync(config('py'))) return;
    project('py', { python_version: '3.11', dependencies: [path.join(PY_FIXTURE_DIR, 'src')], graphs: fixtureGraphs(PY_FIXTURE_DIR, 'py', path.join(root, name('py')), true) }, {}, {
      '.venv': pythonVenv(),
    });
    await (await api()).devServers.projects.rescan();
  }

  it('JS: a code change reloads it: the event, the graph and input schema read again, and a re-run from an older checkpoint warns', async () => {
    await reloadProject();
    const { devServers } = await api();
    const outcome = await start('reload');
    assert.equal(outcome.status, 'running', outcome.message);
    const url = outcome.url!;
    const runFile = path.join(root, name('reload'), 'topic.run.json');
    fs.writeFileSync(runFile, JSON.stringify({ input: { topic: 7 } }));
    const runTopic = async () =>
      (await vscode.commands.executeCommand<RunFileOutcome[]>('langgraph.createRunFromFile', vscode.Uri.file(runFile), undefined, {
        deployment: url,
        assistant: 'echo',
        thread: 'new',
        onSchemaMismatch: 'cancel',
        inputSchemaWaitMs: 90_000,
      }))[0]!;
    const before = await runTopic();
    assert.equal(before.status, 'cancelled', `a number does not fit topic: string: ${before.message}`);
    assert.match(before.message ?? '', /does not fit the input schema of "echo"/);

    const client = serverClient(url);
    try {
      const thread = await client.threads.create();
      await client.runs.wait(thread.thread_id, { assistant_id: 'echo', input: { topic: 'old' } });
      const oldCheckpoint = (await client.threads.history(thread.thread_id, { limit: 10 }))[0]!.checkpoint!.checkpoint_id!;
      const shown = await vscode.commands.executeCommand<ShowGraphOutcome>('langgraph.showGraph', { deploymentUrl: url, assistantId: 'echo' });
      assert.ok(shown?.ok, 'the graph panel opened');
      await shown.panel.whenRendered((r) => r.nodes.includes('first'), 60_000);

      const reloads: DevServerReload[] = [];
      const sub = devServers.onDidReload((e) => reloads.push(e));
      try {
        fs.writeFileSync(path.join(root, name('reload'), 'src/echo.ts'), echoGraph('number', ['first', 'second']));
        await waitFor('the reload event', () => reloads.length > 0, { timeoutMs: 90_000 });
      } finally {
        sub.dispose();
      }
      assert.equal(reloads[0]!.deploymentUrl, url);
      assert.match(reloads[0]!.files, /src\/echo\.ts/);
      assert.equal(devServers.reloads.at(url), reloads[0]!.at);
      const report = await shown.panel.whenRendered((r) => r.nodes.includes('second'), 60_000);
      assert.deepEqual(report.nodes.filter((n) => !n.startsWith('__')), ['first', 'second'], 'the panel read the new graph');
      const after = await runTopic();
      assert.equal(after.status, 'started', `topic: number now, the schema read again: ${after.message}`);

      // The old checkpoint was made by the old code: the re-run asks first (cancel, then Run Anyway).
      const panel = await vscode.commands.executeCommand<ThreadPanel | undefined>('langgraph.showHistory', { deploymentUrl: url, threadId: thread.thread_id });
      assert.ok(panel);
      await panel.whenHistory((x) => x.shown.includes(oldCheckpoint));
      const asked = devServers.reloads.asked.length;
      devServers.reloads.testAnswer = undefined;
      assert.equal(await panel.handle({ type: 'historyAction', id: oldCheckpoint, ns: '', action: 'rerun' }), 'rejected');
      assert.equal(devServers.reloads.asked.length, asked + 1);
      assert.match(devServers.reloads.asked.at(-1)!, new RegExp(`^The code of ${name('reload')} \\(dev server\\) changed since checkpoint ${shortId(oldCheckpoint)} was made: its dev server reloaded at `));
      await panel.whenHistory((x) => /^Not re-run from checkpoint .*: the code changed since it was made\.$/.test(x.note));
      devServers.reloads.testAnswer = RUN_ANYWAY;
      assert.equal(await panel.handle({ type: 'historyAction', id: oldCheckpoint, ns: '', action: 'rerun' }), 'resumed');
      panel.dispose();
      shown.panel.dispose();
    } finally {
      devServers.reloads.testAnswer = undefined;
      await client.close();
      await stop('reload');
    }
  });

  it('JS: Debug Dev Server opens the server process\'s Node inspector, js-debug attaches, and the inspector is back after a reload', async () => {
    await reloadProject();
    const { devServers } = await api();
    const sessions: vscode.DebugSession[] = [];
    const started = vscode.debug.onDidStartDebugSession((s) => sessions.push(s));
    const outcome = await debug('reload');
    assert.equal(outcome.status, 'running', outcome.message);
    const port = outcome.debugPort!;
    assert.ok(port > 0 && port !== Number(new URL(outcome.url!).port));
    try {
      const targets = await waitFor('the inspector\'s one target', async () => {
        const t = await inspectorTargets(port);
        return t.length === 1 && t;
      });
      assert.match(targets[0]!.title, /langgraph-api\/dist\/cli\/entrypoint\.mjs$/, 'the server process, not the CLI or tsx');
      assert.deepEqual(outcome.configuration, {
        type: 'node',
        request: 'attach',
        name: `Attach to the dev server of ${name('reload')}`,
        websocketAddress: targets[0]!.webSocketDebuggerUrl,
        skipFiles: ['<node_internals>/**'],
      });
      assert.equal(outcome.attached, true, outcome.message);
      const ours = (ws: string) => sessions.find((s) => s.configuration.websocketAddress === ws || s.parentSession?.configuration.websocketAddress === ws);
      const session = await waitFor('the attach session', () => ours(targets[0]!.webSocketDebuggerUrl), { timeoutMs: 20_000 });
      assert.equal(devServers.debugPort((await devServers.projects.get(config('reload')))!), port);

      const reloaded = new Promise<DevServerReload>((resolve) => {
        const sub = devServers.onDidReload((e) => (sub.dispose(), resolve(e)));
      });
      fs.writeFileSync(path.join(root, name('reload'), 'src/echo.ts'), echoGraph('number', ['first', 'second', 'third']));
      await reloaded;
      const after = await waitFor('the new server process\'s inspector', async () => {
        const t = await inspectorTargets(port);
        return t.length === 1 && t[0]!.id !== targets[0]!.id && t;
      }, { timeoutMs: 30_000 });
      assert.match(after[0]!.title, /entrypoint\.mjs$/);
      // The reload ended the session (its process was replaced): it is attached again.
      const again = await waitFor('a new attach session', () => ours(after[0]!.webSocketDebuggerUrl), { timeoutMs: 20_000 });
      assert.notEqual(again.id, session.id);
    } finally {
      started.dispose();
      await vscode.debug.stopDebugging();
      assert.equal((await stop('reload')).status, 'stopped');
    }
  });

  it("JS: a breakpoint in a node's source stops a run in VS Code's debugger at that line, mid-run; Continue lets the run finish", async () => {
    // A graph of its own whose node body has a line to stop at.
    const source = [
      "import { Annotation, END, START, StateGraph } from '@langchain/langgraph';",
      'const State = Annotation.Root({ topic: Annotation<string>, seen: Annotation<string> });',
      'function look(state: typeof State.State) {',
      '  const seen = `looked at ${state.topic}`;',
      '  return { seen };',
      '}',
      "export const graph = new StateGraph(State).addNode('look', look).addEdge(START, 'look').addEdge('look', END).compile();",
      '',
    ].join('\n');
    project('dbg', { node_version: '20', graphs: { look: './src/look.ts:graph' } }, { 'src/look.ts': source }, { node_modules: path.join(FIXTURE_DIR, 'node_modules') });
    await (await api()).devServers.projects.rescan();
    const file = vscode.Uri.file(path.join(root, name('dbg'), 'src/look.ts'));
    const line = 3; // 0-based: `const seen = …`
    const breakpoint = new vscode.SourceBreakpoint(new vscode.Location(file, new vscode.Position(line, 0)));
    const outcome = await debug('dbg');
    assert.equal(outcome.status, 'running', outcome.message);
    assert.equal(outcome.attached, true, outcome.message);
    const client = serverClient(outcome.url!);
    // The adapter's answers, read through a tracker: the breakpoint is bound before the run starts.
    let bound = false;
    let stoppedAt: vscode.DebugStackFrame | undefined;
    const stops = vscode.debug.onDidChangeActiveStackItem((item) => {
      if (item instanceof vscode.DebugStackFrame) stoppedAt ??= item;
    });
    const tracker = vscode.debug.registerDebugAdapterTrackerFactory('*', {
      createDebugAdapterTracker: () => ({
        onDidSendMessage: (m: { type?: string; command?: string; body?: { breakpoints?: { verified?: boolean }[] } }) => {
          if (m.type === 'response' && m.command === 'setBreakpoints' && m.body?.breakpoints?.some((b) => b.verified)) bound = true;
        },
      }),
    });
    try {
      vscode.debug.addBreakpoints([breakpoint]);
      await waitFor('the breakpoint bound in the server process', () => bound);
      const thread = await client.threads.create({});
      const run = await client.runs.create(thread.thread_id, { assistant_id: 'look', input: { topic: 'the sky' } });
      const frame = await waitFor('the debugger to stop at the breakpoint', () => stoppedAt, { timeoutMs: 60_000 });
      const trace = (await frame.session.customRequest('stackTrace', { threadId: frame.threadId, levels: 1 })) as { stackFrames: { name: string; line: number; source?: { path?: string } }[] };
      const top = trace.stackFrames[0]!;
      // A remote host (code-server) names it by its vscode-remote URI.
      const where = top.source?.path ?? '';
      assert.equal(where.includes('://') ? vscode.Uri.parse(where).fsPath : where, file.fsPath, 'stopped in the graph\'s own .ts file (source maps)');
      assert.equal(top.line, line + 1);
      assert.match(top.name, /look/);
      // The JS server is one thread: paused, it answers nothing until Continue (no request here).
      vscode.debug.removeBreakpoints([breakpoint]);
      await frame.session.customRequest('continue', { threadId: frame.threadId });
      await client.runs.join(thread.thread_id, run.run_id);
      assert.equal((await client.runs.get(thread.thread_id, run.run_id)).status, 'success');
      assert.deepEqual((await client.threads.getState(thread.thread_id)).values, { topic: 'the sky', seen: 'looked at the sky' });
    } finally {
      stops.dispose();
      tracker.dispose();
      vscode.debug.removeBreakpoints([breakpoint]);
      await client.close();
      await vscode.debug.stopDebugging();
      assert.equal((await stop('dbg')).status, 'stopped');
    }
  });

  it('Debug Dev Server on a Python environment without debugpy: the install command, nothing spawned', async () => {
    fakeCli('nodebug', 'echo "fake langgraph $*"');
    await (await api()).devServers.projects.rescan();
    const outcome = await debug('nodebug');
    assert.equal(outcome.status, 'no-debugger', outcome.message);
    assert.equal(outcome.pid, undefined);
    const python = path.join(root, name('nodebug'), '.venv/bin/python');
    assert.equal(outcome.message, `Cannot debug the dev server of ${name('nodebug')}: debugpy is not installed in its Python environment (${python}). Install it with: ${python} -m pip install debugpy`);
  });

  it('Python: a code change reloads it (watchfiles): the event, and the open graph panel reads the new graph', async function () {
    if (!fs.existsSync(path.join(pythonVenv(), '.setup-complete'))) this.skip();
    const graph = (nodes: string[]) =>
      [
        'from typing import TypedDict',
        'from langgraph.graph import END, START, StateGraph',
        'class State(TypedDict):',
        '    topic: str',
        'builder = StateGraph(State)',
        ...nodes.map((n) => `builder.add_node("${n}", lambda state: {})`),
        `builder.add_edge(START, "${nodes[0]}")`,
        ...nodes.slice(1).map((n, i) => `builder.add_edge("${nodes[i]}", "${n}")`),
        `builder.add_edge("${nodes.at(-1)}", END)`,
        'graph = builder.compile()',
        '',
      ].join('\n');
    project('pyreload', { python_version: '3.11', dependencies: ['./src'], graphs: { echo: './src/echo.py:graph' } }, { 'src/echo.py': graph(['first']) }, { '.venv': pythonVenv() });
    const { devServers } = await api();
    await devServers.projects.rescan();
    const outcome = await start('pyreload');
    assert.equal(outcome.status, 'running', outcome.message);
    try {
      const shown = await vscode.commands.executeCommand<ShowGraphOutcome>('langgraph.showGraph', { deploymentUrl: outcome.url, assistantId: 'echo' });
      assert.ok(shown?.ok, 'the graph panel opened');
      await shown.panel.whenRendered((r) => r.nodes.includes('first'), 60_000);
      const reloaded = new Promise<DevServerReload>((resolve) => {
        const sub = devServers.onDidReload((e) => (sub.dispose(), resolve(e)));
      });
      fs.writeFileSync(path.join(root, name('pyreload'), 'src/echo.py'), graph(['first', 'second']));
      const e = await reloaded;
      assert.equal(e.deploymentUrl, outcome.url);
      assert.match(e.files, /src\/echo\.py/);
      const report = await shown.panel.whenRendered((r) => r.nodes.includes('second'), 60_000);
      assert.deepEqual(report.nodes.filter((n) => !n.startsWith('__')), ['first', 'second']);
      shown.panel.dispose();
    } finally {
      assert.equal((await stop('pyreload')).status, 'stopped');
    }
  });

  it('Python: Start with the project’s .venv, a run file runs on it, Stop leaves nothing', async function () {
    if (!fs.existsSync(path.join(pythonVenv(), '.setup-complete'))) this.skip();
    const pyDir = path.join(root, name('py'));
    await pyProject();
    assert.equal((await projectRow('py')).item.description, 'Python · stopped');
    const outcome = await start('py');
    assert.equal(outcome.status, 'running', outcome.message);
    const pids = groupPids(outcome.pid!);
    const runFile = path.join(pyDir, 'seed.run.json');
    fs.writeFileSync(runFile, JSON.stringify({ input: { messages: [{ role: 'user', content: "what's the weather in sf" }] } }));
    const [run] = await vscode.commands.executeCommand<RunFileOutcome[]>('langgraph.createRunFromFile', vscode.Uri.file(runFile), undefined, {
      deployment: outcome.url,
      assistant: 'agent',
      thread: 'new',
    });
    assert.equal(run?.status, 'started', run?.message);
    const client = serverClient(outcome.url);
    try {
      await waitFor('the run to succeed', async () => (await client.runs.get(run.run!.threadId, run.run!.runId)).status === 'success' || undefined, { timeoutMs: 60_000 });
    } finally {
      await client.close();
    }
    assert.equal((await stop('py')).status, 'stopped');
    assert.equal((await api()).registry.find(outcome.url!), undefined);
    assert.deepEqual(pids.filter((pid) => !gone(pid)), []);
  });
  it('Python: Debug Dev Server runs it with --debug-port; the attach configuration, and debugpy answers a DAP client', async function () {
    if (!fs.existsSync(path.join(pythonVenv(), '.setup-complete'))) this.skip();
    await pyProject();
    const outcome = await debug('py');
    assert.equal(outcome.status, 'running', outcome.message);
    const port = outcome.debugPort!;
    try {
      assert.deepEqual(outcome.configuration, {
        type: 'debugpy',
        request: 'attach',
        name: `Attach to the dev server of ${name('py')}`,
        connect: { host: '127.0.0.1', port },
        justMyCode: false,
      });
      // No Python Debugger extension in the test host: the message says what to install.
      assert.equal(outcome.attached, false);
      assert.match(outcome.message, new RegExp(`waits for a debugger on 127\\.0\\.0\\.1:${port}\\. Install the Python Debugger extension \\(ms-python\\.debugpy\\)`));
      const answer = await dapRequest(port, 'initialize', { clientID: 'langgraph-test', adapterID: 'debugpy', linesStartAt1: true, columnsStartAt1: true });
      assert.equal(answer.type, 'response');
      assert.equal(answer.command, 'initialize');
      assert.equal(answer.success, true, JSON.stringify(answer));
    } finally {
      assert.equal((await stop('py')).status, 'stopped');
    }
  });
});
