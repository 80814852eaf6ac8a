import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { AgentServerClient, ApiError } from '../../src/api';
import type { ThreadRef } from '../../src/core/refs';
import type { CopyOutcome } from '../../src/ui/commands/copyThread';
import type { StateDocumentOutcome } from '../../src/ui/stateDocument';
import { api, EXTENSION_ID, rootNamed, rows, serverClient, serverUrl, setDeployments } from './helpers';
import { userInput } from '../harness/messages';
import { waitFor } from '../harness/until';
import { shortId } from '../../src/core/threadLabels';

describe('extension: copy thread and open state as JSON', function () {
  this.timeout(90_000);
  let client: AgentServerClient;

  before(async () => {
    client = serverClient();
    await setDeployments([{ name: 'Copy server', url: serverUrl() }]);
  });

  after(async () => {
    for (const panel of (await api()).threadPanels.all()) panel.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await client.close();
    await vscode.workspace.getConfiguration('langgraph').update('deployments', undefined, vscode.ConfigurationTarget.Global);
  });

  /** A thread that ran the seed-like agent once, and its row in the view. */
  async function ranThread(title: string): Promise<{ ref: ThreadRef; node: unknown; title: string }> {
    const unique = `${title} ${randomUUID().slice(0, 8)}`;
    const t = await client.threads.create({ metadata: { title: unique } });
    await client.runs.wait(t.thread_id, { assistant_id: 'agent', input: userInput(`weather in ${unique}`) });
    const { tree } = await api();
    const deployment = await rootNamed('Copy server');
    tree.refresh(deployment.node);
    const row = (await rows(deployment.node)).find((r) => r.item.id?.endsWith(t.thread_id));
    assert.ok(row, 'the thread is in the tree');
    assert.match(String(row.item.contextValue), /^thread/);
    return { ref: { deploymentUrl: serverUrl(), threadId: t.thread_id }, node: row.node, title: unique };
  }

  it('contributes both commands, in the palette and on thread items', async () => {
    await api();
    const registered = new Set(await vscode.commands.getCommands(true));
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes;
    for (const id of ['langgraph.copyThread', 'langgraph.openStateJson']) {
      assert.ok(registered.has(id), `${id} is registered`);
      assert.equal((manifest.commands as { command: string; category: string }[]).find((c) => c.command === id)?.category, 'LangGraph');
      const menu = (manifest.menus['view/item/context'] as { command: string; when: string }[]).find((m) => m.command === id);
      assert.match(menu?.when ?? '', /viewItem =~ \/\^thread\//, `${id} is on thread items`);
      assert.equal((manifest.menus.commandPalette as { command: string }[]).some((m) => m.command === id), false, `${id} is not hidden from the palette`);
    }
  });

  it('copies a thread from its item: a new thread with the same values, the original untouched, the tree refreshed and the copy\'s panel open', async () => {
    const original = await ranThread('copy me');
    const before = await client.threads.getState(original.ref.threadId);
    const deployment = await rootNamed('Copy server');
    assert.equal((await rows(deployment.node)).some((r) => r.item.id?.endsWith(original.ref.threadId)), true);

    const outcome = await vscode.commands.executeCommand<CopyOutcome>('langgraph.copyThread', original.node);
    assert.ok(outcome?.ok, `copied: ${JSON.stringify(outcome)}`);
    const copyId = outcome.ref.threadId;
    assert.notEqual(copyId, original.ref.threadId);

    const copied = await client.threads.getState(copyId);
    assert.deepEqual(copied.values, before.values);
    assert.equal((copied.values as { messages: unknown[] }).messages.length, 4);
    assert.equal((await client.threads.get(copyId)).metadata?.title, original.title);
    const after = await client.threads.getState(original.ref.threadId);
    assert.deepEqual(after.values, before.values);
    assert.equal(after.checkpoint?.checkpoint_id, before.checkpoint?.checkpoint_id, 'the original has no new checkpoint');

    // The view was refreshed by the command: the copy is listed without a refresh of ours.
    const listed = (await rows(deployment.node)).map((r) => r.item.id ?? '');
    assert.ok(listed.some((id) => id.endsWith(copyId)), `the copy is in the tree: ${listed.join(', ')}`);

    const panel = (await api()).threadPanels.get({ deploymentUrl: serverUrl(), threadId: copyId });
    assert.ok(panel, 'the copy\'s panel is open');
    const r = await panel.whenRendered();
    assert.equal(r.threadId, copyId);
    assert.match(r.lastMessage, /It's 60 degrees and foggy/);
  });

  it("copies from the thread panel's Copy Thread button, and the panel runs no command it does not list", async () => {
    const original = await ranThread('copy from panel');
    const { threadPanels } = await api();
    const panel = threadPanels.open(original.ref);
    await panel.whenRendered((r) => r.threadId === original.ref.threadId);
    const before = new Set(threadPanels.all().map((p) => p.ref.threadId));
    // The header's button posts this; the extension speaks for the webview here.
    assert.equal(await panel.handle({ type: 'command', name: 'copyThread' }), 'sent');
    const copyPanel = await waitFor('the copy panel', () => threadPanels.all().find((p) => !before.has(p.ref.threadId)));
    const copied = await client.threads.getState(copyPanel.ref.threadId);
    assert.deepEqual(copied.values, (await client.threads.getState(original.ref.threadId)).values);
    assert.equal(await panel.handle({ type: 'command', name: 'deleteThread' }), 'ignored');
    assert.ok(await client.threads.get(original.ref.threadId), 'the original is still there');
  });

  it('copying a thread that no longer exists shows the server\'s refusal and makes nothing', async () => {
    const gone = await client.threads.create({ metadata: { title: `copy gone ${randomUUID().slice(0, 8)}` } });
    await client.threads.delete(gone.thread_id);
    const count = await client.threads.count();
    const outcome = await vscode.commands.executeCommand<CopyOutcome>('langgraph.copyThread', { deploymentUrl: serverUrl(), threadId: gone.thread_id });
    assert.ok(outcome && !outcome.ok, `refused: ${JSON.stringify(outcome)}`);
    // In the server's words: what it answers our own client (JS: not found; Python: 409 Conflict).
    const refusal = await client.threads.copy(gone.thread_id).then(
      () => assert.fail('the server copied a deleted thread'),
      (e: ApiError) => e,
    );
    assert.equal(refusal.status, 409);
    assert.equal(outcome.message, `Could not copy thread ${shortId(gone.thread_id)} on Copy server: ${refusal.message}`);
    assert.equal(await client.threads.count(), count, 'no thread was made');
    assert.equal((await api()).threadPanels.get({ deploymentUrl: serverUrl(), threadId: gone.thread_id }), undefined);
  });

  it('refuses a thread of a deployment that is not configured, asking nothing', async () => {
    const count = await client.threads.count();
    const t = await client.threads.create();
    const outcome = await vscode.commands.executeCommand<CopyOutcome>('langgraph.copyThread', { deploymentUrl: 'http://127.0.0.1:9', threadId: t.thread_id });
    assert.ok(outcome && !outcome.ok);
    assert.match(outcome.message, /http:\/\/127\.0\.0\.1:9 is not a configured deployment/);
    const state = await vscode.commands.executeCommand<StateDocumentOutcome>('langgraph.openStateJson', { deploymentUrl: 'http://127.0.0.1:9', threadId: t.thread_id });
    assert.ok(state && !state.ok);
    assert.match(state.message, /is not a configured deployment/);
    assert.equal(await client.threads.count(), count + 1);
  });

  it('opens the state as a read-only JSON document, the current one and an earlier checkpoint\'s', async () => {
    const thread = await ranThread('state json');
    const server = await client.threads.getState(thread.ref.threadId);
    const outcome = await vscode.commands.executeCommand<StateDocumentOutcome>('langgraph.openStateJson', thread.node);
    assert.ok(outcome?.ok, `opened: ${JSON.stringify(outcome)}`);
    const doc = outcome.document;
    assert.equal(doc.languageId, 'json');
    assert.equal(doc.uri.scheme, 'langgraph-state');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), doc.uri.toString(), 'shown in an editor');
    assert.doesNotMatch(doc.uri.toString(true), /key/i);
    const parsed = JSON.parse(doc.getText()) as Record<string, unknown>;
    assert.deepEqual(parsed.values, server.values);
    assert.deepEqual(parsed.next, server.next);
    assert.deepEqual(parsed.checkpoint, server.checkpoint);
    assert.deepEqual(parsed.metadata, server.metadata);
    assert.deepEqual(Object.keys(parsed).slice(0, 2), ['values', 'next']);
    assert.match(doc.getText(), /^\{\n {2}"values": \{\n {4}"messages": \[/, 'pretty-printed');

    // Read-only: no file system behind the scheme, so nothing is written anywhere; an edit made
    // through the API changes the buffer only, and it cannot be saved.
    assert.notEqual(vscode.workspace.fs.isWritableFileSystem('langgraph-state'), true);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(doc.uri, new TextEncoder().encode('{}'))));
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(0, 0), 'x');
    const applied = await vscode.workspace.applyEdit(edit).then((ok) => ok, () => false);
    const saved = await Promise.resolve(doc.save()).then((ok) => ok, (e: unknown) => `threw ${String(e)}`);
    assert.notEqual(saved, true, `the document cannot be saved (edit applied: ${applied})`);
    assert.deepEqual((await client.threads.getState(thread.ref.threadId)).values, server.values, 'the server state is untouched');
    // Opening it again shows the server's state, not the edited buffer.
    const reopened = await vscode.commands.executeCommand<StateDocumentOutcome>('langgraph.openStateJson', thread.node);
    assert.ok(reopened?.ok);
    assert.equal(reopened.document.uri.toString(), doc.uri.toString());
    assert.deepEqual(JSON.parse(reopened.document.getText()), parsed);

    // An earlier checkpoint: the one before the last AI message.
    const history = await client.threads.history(thread.ref.threadId, { limit: 10 });
    const earlier = history.find((s) => (s.values as { messages?: unknown[] })?.messages?.length === 2);
    assert.ok(earlier?.checkpoint?.checkpoint_id, `an earlier checkpoint with two messages: ${history.map((s) => (s.values as { messages?: unknown[] })?.messages?.length).join(', ')}`);
    const at = await vscode.commands.executeCommand<StateDocumentOutcome>('langgraph.openStateJson', thread.ref, earlier.checkpoint.checkpoint_id);
    assert.ok(at?.ok, `opened: ${JSON.stringify(at)}`);
    assert.notEqual(at.document.uri.toString(), doc.uri.toString());
    const atParsed = JSON.parse(at.document.getText()) as { values: { messages: unknown[] }; checkpoint: { checkpoint_id: string } };
    assert.deepEqual(atParsed.values, earlier.values);
    assert.equal(atParsed.values.messages.length, 2);
    assert.equal(atParsed.checkpoint.checkpoint_id, earlier.checkpoint.checkpoint_id);
  });

  it('reads the current state afresh when opened again, and refuses an unknown checkpoint, a deleted thread and a state over the cap', async () => {
    const thread = await ranThread('state again');
    const first = await vscode.commands.executeCommand<StateDocumentOutcome>('langgraph.openStateJson', thread.ref);
    assert.ok(first?.ok);
    const firstValues = (JSON.parse(first.document.getText()) as { values: unknown }).values;
    await client.runs.wait(thread.ref.threadId, { assistant_id: 'agent', input: userInput('weather in oslo') });
    const again = await vscode.commands.executeCommand<StateDocumentOutcome>('langgraph.openStateJson', thread.ref);
    assert.ok(again?.ok);
    assert.equal(again.document.uri.toString(), first.document.uri.toString(), 'one document per state');
    const fresh = await client.threads.getState(thread.ref.threadId);
    assert.notDeepEqual(fresh.values, firstValues, 'the second run changed the state');
    assert.deepEqual((JSON.parse(again.document.getText()) as { values: unknown }).values, fresh.values);

    const unknown = await vscode.commands.executeCommand<StateDocumentOutcome>('langgraph.openStateJson', thread.ref, randomUUID());
    assert.ok(unknown && !unknown.ok);
    assert.match(unknown.message, /Checkpoint .* not found/);

    const capped = await vscode.commands.executeCommand<StateDocumentOutcome>('langgraph.openStateJson', thread.ref, undefined, { maxBytes: 1000 });
    assert.ok(capped && !capped.ok);
    assert.match(capped.message, /its JSON is \d+ KB, more than the 1 KB a state document holds/);

    await client.threads.delete(thread.ref.threadId);
    const deleted = await vscode.commands.executeCommand<StateDocumentOutcome>('langgraph.openStateJson', thread.ref);
    assert.ok(deleted && !deleted.ok);
    assert.match(deleted.message, /not found/i);
  });
});
