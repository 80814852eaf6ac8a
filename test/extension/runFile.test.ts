import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { AgentServerClient, Run } from '../../src/api';
import type { RunFileOptions, RunFileOutcome } from '../../src/ui/runFile/options';
import { until } from '../harness/until';
import { BAD_RUN_FILES } from '../runFileCorpus';
import { api, rootNamed, rows, serverClient, serverUrl, setDeployments } from './helpers';
import { RecordingProxy } from '../harness/proxy';

const SEED_INPUT = { messages: [{ role: 'user', content: "what's the weather in sf" }] };
/** Backtracks exponentially on "aaa…a!": 35 letters take minutes. */
const CATASTROPHIC_SCHEMA = { type: 'object', properties: { messages: {}, q: { type: 'string', pattern: '^(\\w+\\s?)*$' } } };
const CMD = 'langgraph.createRunFromFile';

describe('extension: runs from JSON files against the real server', function () {
  this.timeout(120_000);
  let client: AgentServerClient;
  let folder: vscode.Uri;
  let agentId: string;
  let hitlId: string;

  before(async () => {
    client = serverClient();
    await setDeployments([{ name: 'Run server', url: serverUrl() }]);
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(root, 'the test host opens a workspace folder');
    folder = vscode.Uri.joinPath(root, `run-files-${randomUUID().slice(0, 8)}`);
    await vscode.workspace.fs.createDirectory(folder);
    agentId = (await client.assistants.resolve('agent'))!.assistant_id;
    hitlId = (await client.assistants.resolve('hitl'))!.assistant_id;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const panel of (await api()).threadPanels.all()) panel.dispose();
    await vscode.workspace.fs.delete(folder, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    await client.close();
    await vscode.workspace.getConfiguration('langgraph').update('deployments', undefined, vscode.ConfigurationTarget.Global);
  });

  async function write(name: string, content: string | Uint8Array | object): Promise<vscode.Uri> {
    const uri = vscode.Uri.joinPath(folder, name);
    const bytes = content instanceof Uint8Array ? content : new TextEncoder().encode(typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    await vscode.workspace.fs.writeFile(uri, bytes);
    return uri;
  }

  async function run(...args: unknown[]): Promise<RunFileOutcome[]> {
    const outcomes = await vscode.commands.executeCommand<RunFileOutcome[]>(CMD, ...args);
    assert.ok(Array.isArray(outcomes), 'the command returns one outcome per file');
    return outcomes;
  }

  /** The run the outcome names, as the server has it. */
  async function serverRun(outcome: RunFileOutcome | undefined): Promise<Run> {
    assert.equal(outcome?.status, 'started', outcome?.message);
    const ref = outcome.run!;
    assert.equal(ref.deploymentUrl, serverUrl());
    return client.runs.get(ref.threadId, ref.runId);
  }

  const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'LangGraph run file');

  it('palette: runs the active JSON editor, its unsaved text, as a background run on a new thread', async () => {
    const uri = await write('palette.json', { messages: [{ role: 'user', content: 'saved text, not sent' }] });
    const editor = await vscode.window.showTextDocument(uri);
    await editor.edit((e) => e.replace(new vscode.Range(0, 0, editor.document.lineCount, 0), JSON.stringify(SEED_INPUT)));
    assert.equal(editor.document.isDirty, true);
    const options: RunFileOptions = { assistant: 'agent', thread: 'new' };
    const [outcome] = await run(undefined, undefined, options);
    const server = await serverRun(outcome);
    assert.deepEqual(server.kwargs?.input, SEED_INPUT);
    assert.equal(server.assistant_id, agentId);
    assert.equal(server.metadata.graph_id, 'agent', 'lists can name the graph');
    assert.equal(server.thread_id, outcome!.thread!.threadId);
    assert.match(outcome!.message!, /^Run [0-9a-f]{8} started on a new thread of Run server\.$/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('explorer context menu with two files selected: one run each, each on a new thread', async () => {
    const a = await write('first.json', { messages: [{ role: 'user', content: 'weather in paris' }] });
    const b = await write('second.run.json', { assistant_id: 'hitl', input: { messages: [{ role: 'user', content: 'plan a trip' }] } });
    const outcomes = await run(a, [a, b], { assistant: 'agent', deployment: serverUrl() });
    assert.deepEqual(outcomes.map((o) => o.file), [a.toString(), b.toString()]);
    const [first, second] = [await serverRun(outcomes[0]), await serverRun(outcomes[1])];
    assert.notEqual(first.thread_id, second.thread_id);
    assert.deepEqual(first.kwargs?.input, { messages: [{ role: 'user', content: 'weather in paris' }] });
    assert.equal(first.assistant_id, agentId, 'the file without assistant_id gets the chosen one');
    assert.deepEqual(second.kwargs?.input, { messages: [{ role: 'user', content: 'plan a trip' }] });
    assert.equal(second.assistant_id, hitlId, "the file's own assistant_id wins");
  });

  it('editor title menu: runs the file it is called with (VS Code passes the uri and the editor group)', async () => {
    const thread = await client.threads.create({ metadata: { title: `title menu ${randomUUID().slice(0, 8)}` } });
    const uri = await write('title.run.json', { assistant_id: 'agent', thread_id: thread.thread_id, input: SEED_INPUT, metadata: { from: 'title' } });
    await vscode.window.showTextDocument(uri);
    const [outcome] = await run(uri, { groupId: 1 });
    const server = await serverRun(outcome);
    assert.equal(server.thread_id, thread.thread_id);
    assert.deepEqual(server.kwargs?.input, SEED_INPUT);
    assert.equal(server.metadata.from, 'title');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('thread item: runs the chosen file on that thread, and the clicked thread wins over the file\'s thread_id', async () => {
    const thread = await client.threads.create({ metadata: { title: `item ${randomUUID().slice(0, 8)}` } });
    const other = randomUUID();
    const uri = await write('on-thread.run.json', { assistant_id: 'agent', thread_id: other, input: SEED_INPUT });
    const { tree } = await api();
    const deployment = await rootNamed('Run server');
    tree.refresh(deployment.node);
    const row = (await rows(deployment.node)).find((r) => r.item.id?.endsWith(thread.thread_id));
    assert.ok(row, 'the thread is in the tree');
    const [outcome] = await run(row.node, undefined, { files: [uri] });
    const server = await serverRun(outcome);
    assert.equal(server.thread_id, thread.thread_id);
    assert.deepEqual(server.kwargs?.input, SEED_INPUT);
    assert.match(outcome!.notes.join(' '), new RegExp(`names thread_id ${other}; it ran on the thread you chose, ${thread.thread_id}`));
    const runs = await client.runs.list(thread.thread_id);
    assert.deepEqual(runs.items.map((r) => r.run_id), [server.run_id]);
    // The tree shows the new run under the thread once it refreshes (no full reload needed).
    const shown = await until(async () => (await rows(row.node)).map((r) => r.item.id ?? ''), (ids) => ids.some((id) => id.endsWith(server.run_id)), { everyMs: 200 });
    assert.ok(shown.some((id) => id.endsWith(server.run_id)), `the run is under the thread item: ${shown.join(', ')}`);
  });

  it('CodeLens on *.run.json: "Run" waits for the result, "Run in background" starts one', async () => {
    const uri = await write('lens.run.json', { assistant_id: 'agent', thread_id: 'new', input: SEED_INPUT });
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const ourLenses = lenses.filter((l) => l.command?.command === CMD);
    assert.deepEqual(ourLenses.map((l) => l.command!.title), ['$(play) Run', 'Run in background']);
    assert.equal(ourLenses[0]!.range.start.line, 0);
    const [outcome] = await run(...ourLenses[0]!.command!.arguments!);
    assert.equal(outcome?.status, 'finished', outcome?.message);
    const state = await client.threads.getState(outcome.thread!.threadId);
    const messages = (state.values as { messages: { type: string; content: unknown }[] }).messages;
    assert.equal(messages.at(-1)?.content, "The weather in sf is: It's 60 degrees and foggy in sf.");
    const [background] = await run(...ourLenses[1]!.command!.arguments!);
    await serverRun(background);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a busy thread: "cancel" sends nothing, "enqueue" queues the run behind the current one', async () => {
    const thread = await client.threads.create();
    await client.runs.create(thread.thread_id, { assistant_id: 'slow', input: {}, context: { delay_ms: 20_000 } });
    const uri = await write('busy.run.json', { assistant_id: 'agent', thread_id: thread.thread_id, input: SEED_INPUT });
    const [declined] = await run(uri, undefined, { onBusy: 'cancel' });
    assert.equal(declined?.status, 'cancelled');
    // A file that names no strategy goes as "reject" on both servers (Python's own default is "enqueue"); JS refuses with 422, Python 409.
    assert.match(declined!.message!, /is busy; nothing was sent\. Run server said: (422 Unprocessable Entity|409 Conflict): Thread is already running a task/);
    assert.equal((await client.runs.list(thread.thread_id)).items.length, 1);
    const [queued] = await run(uri, undefined, { onBusy: 'enqueue' });
    const server = await serverRun(queued);
    assert.equal(server.multitask_strategy, 'enqueue');
    assert.equal((await client.runs.list(thread.thread_id)).items.length, 2);
    for (const r of (await client.runs.list(thread.thread_id)).items) await client.runs.cancel(thread.thread_id, r.run_id).catch(() => undefined);
  });

  it('checks the input against the assistant\'s input schema: a mismatch is shown and, unless sent anyway, nothing goes', async () => {
    // No race with the clock: the server has the schema ready first (the JS server analyses the
    // graph's types on the first /schemas call, which takes seconds and longer under load), and
    // the command waits for it and for the check as long as they take.
    await client.assistants.schemas(agentId, { timeoutMs: 100_000 });
    const noClock: RunFileOptions = { inputSchemaWaitMs: Infinity, inputSchemaBudgetMs: Infinity };
    const uri = await write('mismatch.run.json', '{\n  "assistant_id": "agent",\n  "thread_id": "new",\n  "input": {\n    "mesages": []\n  }\n}');
    const before = await client.threads.count();
    const [held] = await run(uri, undefined, { ...noClock, onSchemaMismatch: 'cancel' });
    assert.equal(held?.status, 'cancelled', `${held?.message} ${held?.notes.join(' ')}`);
    assert.match(held!.message!, /does not fit the input schema of "agent"; nothing was sent\. line 5: input\.mesages: not a field of the graph's input \(did you mean "messages"\?\)/);
    const warning = ours(uri)[0];
    assert.equal(warning?.severity, vscode.DiagnosticSeverity.Warning);
    assert.deepEqual([warning!.range.start.line, warning!.range.start.character], [4, 4]);
    assert.equal(await client.threads.count(), before, 'no thread was created');
    const [sent] = await run(uri, undefined, { ...noClock, onSchemaMismatch: 'send' });
    const server = await serverRun(sent);
    assert.deepEqual(server.kwargs?.input, { mesages: [] });
    assert.match(sent!.notes.join(' '), /Sent although the input does not fit/);
  });

  it('an input schema whose check would take minutes (a catastrophic pattern) is skipped after 2 s, the extension host goes on, and so does the run', async () => {
    // A deployment whose /schemas answer is hostile; everything else is the real server.
    const hostile = new RecordingProxy(serverUrl(), (req) =>
      req.method === 'GET' && /^\/assistants\/[^/]+\/schemas$/.test(req.url ?? '') ? { status: 200, body: { graph_id: 'agent', input_schema: CATASTROPHIC_SCHEMA } } : undefined,
    );
    const url = await hostile.start();
    try {
      await setDeployments([{ name: 'Run server', url: serverUrl() }, { name: 'Hostile schema', url }]);
      const input = { messages: SEED_INPUT.messages, q: `${'a'.repeat(35)}!` };
      const uri = await write('catastrophic.run.json', { assistant_id: 'agent', thread_id: 'new', input });
      let turns = 0;
      const spin = setInterval(() => turns++, 10);
      const [outcome] = await run(uri, undefined, { deployment: url, inputSchemaWaitMs: Infinity }).finally(() => clearInterval(spin));
      assert.equal(outcome?.status, 'started', `${outcome?.message} ${outcome?.notes.join(' ')}`);
      const server = await client.runs.get(outcome.run!.threadId, outcome.run!.runId); // the proxy's server is the real one
      assert.deepEqual(server.kwargs?.input, input);
      assert.ok(
        outcome.notes.includes('The input was not checked against the input schema of "agent" on Hostile schema: it took longer than 2 s.'),
        outcome.notes.join(' '),
      );
      assert.ok(turns > 0, 'the extension host ran its timers while the schema was checked');
      (await api()).runs.tracker.stopFollowing(outcome.run!);
    } finally {
      await setDeployments([{ name: 'Run server', url: serverUrl() }]);
      await hostile.stop();
    }
  });

  describe('bad files: each gets its own message and a diagnostic, and the server receives nothing', () => {
    let sentinel: string;
    let threadsBefore: number;

    before(async () => {
      sentinel = (await client.threads.create({ metadata: { title: 'sentinel: no run may land here' } })).thread_id;
      threadsBefore = await client.threads.count();
    });

    after(async () => {
      assert.equal(await client.threads.count(), threadsBefore, 'no thread was created by any bad file');
      assert.deepEqual((await client.runs.list(sentinel)).items, [], 'no run was created by any bad file');
    });

    // Files without assistant or thread would go to the sentinel thread, so anything sent would show there.
    const options = () => ({ deployment: serverUrl(), assistant: 'agent', thread: sentinel }) satisfies RunFileOptions;

    for (const bad of BAD_RUN_FILES) {
      it(bad.name, async () => {
        const uri = await write(bad.file, bad.bytes());
        const [outcome] = await run(uri, undefined, options());
        assert.equal(outcome?.status, 'invalid', outcome?.message);
        assert.match(outcome!.message!, bad.expect);
        assert.match(outcome!.message!, new RegExp(`^${bad.file.replace('.', '\\.')}, line ${bad.at[0]}, column ${bad.at[1]}: .* Nothing was sent\\.$`));
        const diagnostic = ours(uri)[0];
        assert.ok(diagnostic, 'a diagnostic on the file');
        assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
        assert.deepEqual([diagnostic.range.start.line + 1, diagnostic.range.start.character + 1], bad.at);
      });
    }

    it('a thread_id that does not exist', async () => {
      const missing = randomUUID();
      const uri = await write('missing-thread.run.json', { assistant_id: 'agent', thread_id: missing, input: SEED_INPUT });
      const [outcome] = await run(uri, undefined, options());
      assert.equal(outcome?.status, 'refused');
      assert.match(outcome!.message!, new RegExp(`^Run server has no thread ${missing} \\(404 Not Found: .*\\)\\. Use "thread_id": "new" for a new thread, or add "if_not_exists": "create"\\. Nothing was sent\\.$`));
    });

    it('an unknown assistant', async () => {
      const uri = await write('unknown-assistant.run.json', { assistant_id: 'no-such-graph', thread_id: 'new', input: SEED_INPUT });
      const [outcome] = await run(uri, undefined, options());
      assert.equal(outcome?.status, 'refused');
      // The same words on both servers (JS answers 404 to GET /assistants/no-such-graph, Python 422).
      assert.equal(outcome!.message!, 'Run server has no assistant or graph "no-such-graph". Nothing was sent.');
    });

    it('a body the server refuses: its words with the field named, and the new thread made for it is gone again', async () => {
      // Each server refuses one of the two: JS (400 zod issues) the checkpoint id that is no UUID,
      // Python (422 jsonschema text) the thread_id that is no string.
      const checkpoint = { checkpoint_id: 'not-a-uuid', thread_id: 5 };
      const uri = await write('server-refuses.run.json', { assistant_id: 'agent', thread_id: 'new', input: SEED_INPUT, checkpoint });
      const [outcome] = await run(uri, undefined, options());
      assert.equal(outcome?.status, 'refused');
      assert.match(outcome!.message!, /^Run server refused the run: (400 Bad Request: checkpoint\.checkpoint_id: Invalid uuid|422 Unprocessable Entity: checkpoint\.thread_id: 5 is not of type "string")$/);
      await assert.rejects(client.threads.get(outcome!.thread!.threadId), { status: 404 });
    });

    it('several bad files at once: one outcome each, all invalid', async () => {
      const a = await write('multi-a.run.json', '{"input": ');
      const b = await write('multi-b.run.json', '[]');
      const outcomes = await run(a, [a, b], options());
      assert.deepEqual(outcomes.map((o) => o.status), ['invalid', 'invalid']);
    });
  });

  it('diagnostics follow the fix: editing the file checks it again and clears them when it is valid', async () => {
    const uri = await write('fix-me.run.json', '{"assistant_id": "agent", "inptu": {}}');
    const editor = await vscode.window.showTextDocument(uri);
    const [outcome] = await run(uri, undefined, { deployment: serverUrl(), thread: 'new' });
    assert.equal(outcome?.status, 'invalid');
    assert.match(ours(uri)[0]!.message, /unknown key "inptu": did you mean "input"\?/);
    await editor.edit((e) => e.replace(editor.document.positionAt(editor.document.getText().indexOf('inptu')), 'x'));
    const renamed = await until(async () => ours(uri), (d) => d[0]?.message.includes('"xinptu"') ?? false, { everyMs: 200 });
    assert.match(renamed[0]?.message ?? '', /unknown key "xinptu"/);
    await editor.edit((e) => e.replace(new vscode.Range(0, 0, 1, 0), '{"assistant_id": "agent", "input": {}}'));
    assert.deepEqual(await until(async () => ours(uri), (d) => d.length === 0, { everyMs: 200 }), []);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('the editor checks *.run.json files with the contributed JSON Schema', async () => {
    const uri = await write('schema-check.run.json', '{\n  "assistant_id": "agent",\n  "inptu": {}\n}');
    await vscode.window.showTextDocument(uri);
    const found = await until(
      async () => vscode.languages.getDiagnostics(uri).find((d) => d.source !== 'LangGraph run file' && /inptu/.test(d.message)),
      (d) => d !== undefined,
      { everyMs: 200 },
    );
    assert.equal(found?.message, 'Property inptu is not allowed.');
    assert.equal(found!.range.start.line, 2);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
