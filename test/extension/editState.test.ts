import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { AgentServerClient, ThreadState } from '../../src/api';
import type { ThreadRef } from '../../src/core/refs';
import { asNodeChoices } from '../../src/ui/editState/asNode';
import type { SaveReport } from '../../src/ui/editState/editDocuments';
import type { EditStateOutcome } from '../../src/ui/editState/register';
import { userInput } from '../harness/messages';
import { waitFor } from '../harness/until';
import { api, EXTENSION_ID, serverClient, serverUrl, setDeployments } from './helpers';
import { shortId } from '../../src/core/threadLabels';

type Message = { type: string; content: unknown; id?: string; tool_calls?: { args: { city: string } }[] };
const messagesOf = (state: ThreadState) => (state.values as { messages: Message[] }).messages;

describe('extension: Edit State and fork', function () {
  this.timeout(180_000);
  let client: AgentServerClient;

  before(async () => {
    client = serverClient();
    await setDeployments([{ name: 'Edit server', url: serverUrl() }]);
    // The JS server analyses the graph's types on the first /schemas call (8–9 s): warm it.
    const assistant = await client.assistants.resolve('agent');
    await client.assistants.schemas(assistant!.assistant_id);
  });

  afterEach(async () => {
    // Dirty edit documents are reverted first, so closing them asks nothing.
    for (const document of vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'langgraph-edit' && d.isDirty)) {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    for (const panel of (await api()).threadPanels.all()) panel.dispose();
    await client.close();
    await vscode.workspace.getConfiguration('langgraph').update('deployments', undefined, vscode.ConfigurationTarget.Global);
  });

  async function agentThread(): Promise<ThreadRef> {
    const t = await client.threads.create({ metadata: { title: `edit ${randomUUID().slice(0, 8)}` } });
    await client.runs.wait(t.thread_id, { assistant_id: 'agent', input: userInput("what's the weather in sf") });
    return { deploymentUrl: serverUrl(), threadId: t.thread_id };
  }

  async function open(ref: ThreadRef, checkpointId?: string, preset: object = { asNode: 'agent' }) {
    const outcome = await vscode.commands.executeCommand<EditStateOutcome>('langgraph.editState', ref, checkpointId, preset);
    assert.ok(outcome?.ok, JSON.stringify(outcome));
    assert.equal(outcome.document.languageId, 'json');
    return outcome;
  }

  async function replaceText(document: vscode.TextDocument, text: string): Promise<void> {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
    assert.ok(await vscode.workspace.applyEdit(edit));
  }

  /** Saves and waits for what the save did. */
  async function save(outcome: EditStateOutcome & { ok: true }): Promise<{ saved: boolean; report: SaveReport }> {
    assert.ok(outcome.saves, 'the tests get the saves');
    const report = new Promise<SaveReport>((resolve) => {
      const listener = outcome.saves!((r) => {
        if (r.uri.toString() !== outcome.uri.toString()) return;
        listener.dispose();
        resolve(r);
      });
    });
    const saved = await outcome.document.save();
    return { saved, report: await report };
  }

  const checkpointCount = async (threadId: string) => (await client.threads.history(threadId, { limit: 200 })).length;

  it('contributes the command, in the palette', async () => {
    await api();
    assert.ok((await vscode.commands.getCommands(true)).includes('langgraph.editState'));
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes;
    const command = (manifest.commands as { command: string; category: string; title: string }[]).find((c) => c.command === 'langgraph.editState');
    assert.equal(command?.category, 'LangGraph');
    assert.equal(command?.title, 'Edit State\u2026');
    assert.equal((manifest.menus.commandPalette as { command: string }[]).some((m) => m.command === 'langgraph.editState'), false, 'not hidden from the palette');
  });

  it('forks on save: a new checkpoint whose parent is the edited one, with the values as edited, as the node given; Run from Here ends with the edit in the answer', async () => {
    const ref = await agentThread();
    const history = await client.threads.history(ref.threadId, { limit: 50 });
    const atTools = history.find((s) => s.next.includes('tools'))!;
    const checkpointId = atTools.checkpoint!.checkpoint_id!;
    const outcome = await open(ref, checkpointId, { asNode: 'agent', runAfter: true });
    assert.deepEqual(JSON.parse(outcome.document.getText()), atTools.values, 'the document holds the checkpoint\'s values');
    assert.equal(new URLSearchParams(outcome.uri.query).get('checkpoint'), checkpointId);
    assert.doesNotMatch(outcome.uri.toString(), /key/i);

    const edited = structuredClone(atTools.values) as { messages: Message[] };
    edited.messages[1]!.tool_calls![0]!.args.city = 'paris';
    await replaceText(outcome.document, `${JSON.stringify(edited, null, 2)}\n`);
    const { saved, report } = await save(outcome);
    assert.equal(report.kind, 'forked', JSON.stringify(report));
    assert.ok(saved);
    if (report.kind !== 'forked') return;
    assert.equal(report.asNode, 'agent');
    assert.deepEqual(Object.keys(report.sent), ['messages'], 'the changed key is sent');

    const fork = await client.threads.getStateAt(ref.threadId, report.checkpointId);
    assert.equal(fork.parent_checkpoint?.checkpoint_id, checkpointId, 'the fork\'s parent is the edited checkpoint');
    assert.equal((fork.metadata as { source?: string }).source, 'update');
    assert.deepEqual(messagesOf(fork).map((m) => m.id), edited.messages.map((m) => m.id));
    assert.equal(messagesOf(fork)[1]!.tool_calls![0]!.args.city, 'paris', 'the values as edited');
    assert.deepEqual(fork.next, ['tools'], 'written as the agent node: the tools run next');

    // The document now edits the new checkpoint.
    assert.equal(new URLSearchParams(report.reopened!.query).get('checkpoint'), report.checkpointId);
    // (The thread's panel opens after it, in the active group, so the document's tab is not the active one.)
    const tabOf = (uri: vscode.Uri) => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString());
    assert.ok(tabOf(report.reopened!), 'the document on the new checkpoint has a tab');
    const reopened = vscode.workspace.textDocuments.find((d) => d.uri.toString() === report.reopened!.toString());
    assert.equal(reopened?.isDirty, false);
    assert.deepEqual(JSON.parse(reopened.getText()), (await client.threads.getStateAt(ref.threadId, report.checkpointId)).values, 'it holds the fork\'s values');
    assert.equal(tabOf(outcome.uri), undefined, 'the old tab is closed');

    // Run from Here (the preset's runAfter) follows the run to its end.
    const run = report.run;
    assert.ok(run?.ok, JSON.stringify(run));
    const { runs, threadPanels } = await api();
    const panel = threadPanels.get(ref);
    assert.ok(panel, 'the thread\'s panel is open');
    await panel.whenHistory((r) => r.selected === report.checkpointId, 30_000);
    await waitFor('the run from the fork to end', () => runs.tracker.ended(run.run), { timeoutMs: 60_000 });
    assert.equal(runs.tracker.ended(run.run)?.outcome, 'succeeded');
    const after = await client.threads.getState(ref.threadId);
    const last = messagesOf(after).at(-1)!;
    assert.equal(last.content, "The weather in sf is: It's 60 degrees and foggy in paris.");
    assert.ok(messagesOf(after).some((m) => m.type === 'tool' && m.content === "It's 60 degrees and foggy in paris."));
  });

  it('offers the node that wrote the checkpoint first, then the one that runs next, then the graph\'s others', async () => {
    const ref = await agentThread();
    const history = await client.threads.history(ref.threadId, { limit: 50 });
    const atTools = history.find((s) => s.next.includes('tools'))!;
    assert.deepEqual(await asNodeChoices(client, ref.threadId, atTools), [
      { node: 'agent', why: 'wrote it' },
      { node: 'tools', why: 'runs next' },
    ]);
    const last = history[0]!;
    assert.deepEqual(await asNodeChoices(client, ref.threadId, last), [
      { node: 'agent', why: 'wrote it' },
      { node: 'tools', why: 'in the graph' },
    ]);
  });

  it('marks invalid JSON at its line, sends nothing, and keeps the document dirty', async () => {
    const ref = await agentThread();
    const outcome = await open(ref);
    const before = await checkpointCount(ref.threadId);
    await replaceText(outcome.document, '{\n  "messages": [\n    {"type": "human", "content": "hi"},,\n  ]\n}\n');
    const { saved, report } = await save(outcome);
    assert.equal(saved, false);
    assert.equal(report.kind, 'invalid', JSON.stringify(report));
    assert.match(report.kind === 'invalid' ? report.message : '', /^Nothing sent: line 3, column \d+: invalid JSON/);
    // Ours (VS Code's JSON language service marks it too, in its words).
    const diagnostics = vscode.languages.getDiagnostics(outcome.uri).filter((d) => d.source === 'LangGraph state');
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    assert.equal(diagnostics[0]!.range.start.line, 2);
    assert.match(diagnostics[0]!.message, /^invalid JSON: expected a value ","/);
    assert.equal(outcome.document.isDirty, true);
    assert.equal(await checkpointCount(ref.threadId), before, 'no checkpoint was made');
  });

  it('marks a key the state schema does not have, sends nothing, and keeps the document dirty', async () => {
    const ref = await agentThread();
    const outcome = await open(ref);
    const before = await checkpointCount(ref.threadId);
    const values = JSON.parse(outcome.document.getText()) as Record<string, unknown>;
    await replaceText(outcome.document, `${JSON.stringify({ ...values, mesages: [] }, null, 2)}\n`);
    // Checked as the user types, before any save.
    const typed = await waitFor('the schema diagnostic', () => vscode.languages.getDiagnostics(outcome.uri).find((d) => /mesages/.test(d.message)), { timeoutMs: 30_000 });
    assert.match(typed.message, /did you mean "messages"/);
    const { saved, report } = await save(outcome);
    assert.equal(saved, false);
    assert.equal(report.kind, 'invalid', JSON.stringify(report));
    assert.match(report.kind === 'invalid' ? report.message : '', /^Nothing sent: line \d+, column \d+: mesages: not a field of the graph's state/);
    const line = outcome.document.getText().split('\n').findIndex((l) => l.includes('"mesages"'));
    assert.equal(vscode.languages.getDiagnostics(outcome.uri).find((d) => /mesages/.test(d.message))?.range.start.line, line);
    assert.equal(outcome.document.isDirty, true);
    assert.equal(await checkpointCount(ref.threadId), before, 'no checkpoint was made');
  });

  it('shows a refusal in the server\'s words (the thread deleted under the document) and keeps the document dirty', async () => {
    const ref = await agentThread();
    const outcome = await open(ref);
    const values = JSON.parse(outcome.document.getText()) as { messages: Message[] };
    values.messages.at(-1)!.content = 'edited answer';
    await replaceText(outcome.document, `${JSON.stringify(values, null, 2)}\n`);
    await client.threads.delete(ref.threadId);
    const { saved, report } = await save(outcome);
    assert.equal(saved, false);
    assert.equal(report.kind, 'refused', JSON.stringify(report));
    assert.match(report.kind === 'refused' ? report.message : '', new RegExp(`^Could not fork thread ${shortId(ref.threadId)} from checkpoint [0-9a-f]{8}: (404 Not Found: )?Thread with ID ${ref.threadId} not found`));
    assert.equal(outcome.document.isDirty, true);
  });

  it('sends nothing when no value differs from the checkpoint\'s, and saves the document', async () => {
    const ref = await agentThread();
    const outcome = await open(ref);
    const before = await checkpointCount(ref.threadId);
    const values = JSON.parse(outcome.document.getText()) as unknown;
    await replaceText(outcome.document, JSON.stringify(values));
    assert.equal(outcome.document.isDirty, true);
    const { saved, report } = await save(outcome);
    assert.equal(report.kind, 'unchanged', JSON.stringify(report));
    assert.ok(saved);
    assert.equal(outcome.document.isDirty, false);
    assert.equal(await checkpointCount(ref.threadId), before, 'no checkpoint was made');
  });

  it('completes the state schema\'s keys at the top level', async () => {
    const ref = await agentThread();
    const outcome = await open(ref);
    await replaceText(outcome.document, '{\n  \n}\n');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', outcome.uri, new vscode.Position(1, 2));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('messages'), labels.join(', '));
  });
});
