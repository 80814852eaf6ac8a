import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { AgentServerClient } from '../../src/api';
import type { RunEnded, RunRef } from '../../src/core/refs';
import type { Shown } from '../../src/ui/runs/notices';
import type { RunItem } from '../../src/ui/runs/trackedRunsPick';
import { RunTracking } from '../../src/ui/runs/runTracking';
import { setTestMode } from '../../src/ui/testMode';
import type { RunFileOutcome } from '../../src/ui/runFile/options';
import { userInput } from '../harness/messages';
import { waitFor } from '../harness/until';
import { api, rootNamed, rows, serverClient, serverUrl, setDeployments } from './helpers';
import { shortId } from '../../src/core/threadLabels';

describe('extension: background runs (tracker, status bar, notifications)', function () {
  this.timeout(120_000);
  let client: AgentServerClient;
  let folder: vscode.Uri;
  const endedEvents: RunEnded[] = [];
  let subscription: vscode.Disposable;

  before(async () => {
    client = serverClient();
    await setDeployments([{ name: 'Tracker server', url: serverUrl() }]);
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(root, 'the test host opens a workspace folder');
    folder = vscode.Uri.joinPath(root, `tracker-${randomUUID().slice(0, 8)}`);
    await vscode.workspace.fs.createDirectory(folder);
    subscription = (await api()).runEnded.event((e) => endedEvents.push(e));
    // Runs other suites started in the background would end into these tests' notifications.
    const { runs } = await api();
    for (const run of runs.tracker.list()) runs.tracker.stopFollowing(run);
  });

  after(async () => {
    subscription.dispose();
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const panel of (await api()).threadPanels.all()) panel.dispose();
    await vscode.workspace.fs.delete(folder, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    await client.close();
    await vscode.workspace.getConfiguration('langgraph').update('deployments', undefined, vscode.ConfigurationTarget.Global);
  });

  // Ends that come within 1.5 s make one notification: the last test's ends are shown first
  // (at once, not by waiting out the window, which a busy machine could outlast).
  beforeEach(async () => (await api()).runs.notices.flush());

  async function startRun(assistant: string, context: Record<string, unknown> = {}, content = 'x'): Promise<RunRef> {
    const thread = await client.threads.create({ metadata: { title: `tracker ${assistant} ${randomUUID().slice(0, 8)}` } });
    const run = await client.runs.create(thread.thread_id, { assistant_id: assistant, input: userInput(content), context });
    return { deploymentUrl: serverUrl(), threadId: thread.thread_id, runId: run.run_id };
  }

  /** The notifications shown after `from` (an index into the log). */
  async function shownSince(from: number): Promise<Shown[]> {
    return (await api()).runs.notices.shown.slice(from);
  }

  it('a background run started by command shows in the status bar; its end notifies once, fires runEnded and repaints its thread in the tree', async () => {
    const { runs } = await api();
    const file = vscode.Uri.joinPath(folder, 'slow.run.json');
    await vscode.workspace.fs.writeFile(
      file,
      new TextEncoder().encode(JSON.stringify({ assistant_id: 'slow', input: userInput('x'), context: { delay_ms: 4_000 } })),
    );
    const noticesBefore = runs.notices.shown.length;
    const outcomes = await vscode.commands.executeCommand<RunFileOutcome[]>('langgraph.createRunFromFile', file, undefined, {
      deployment: serverUrl(),
      thread: 'new',
      mode: 'background',
    });
    assert.equal(outcomes[0]?.status, 'started', outcomes[0]?.message);
    const ref = outcomes[0]!.run!;

    const tracked = await waitFor('the run in the tracker', () => runs.tracker.get(ref));
    const name = tracked.label ? `${tracked.label} · ${shortId(ref.runId)}` : shortId(ref.runId);
    await waitFor('the status bar', () => runs.statusBar.visible);
    assert.match(runs.statusBar.item.text, /^\$\(sync~spin\) \d+$/);
    assert.equal(runs.statusBar.item.command, 'langgraph.showTrackedRuns');
    const tooltip = (runs.statusBar.item.tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ');
    assert.match(tooltip, new RegExp(shortId(ref.runId)));
    assert.match(tooltip, /Tracker server/);

    // The thread, loaded in the tree, shows the run as running.
    const deployment = await rootNamed('Tracker server');
    const threadRow = await waitFor('the thread in the tree', async () => {
      (await api()).tree.refresh(deployment.node);
      return (await rows(deployment.node)).find((r) => r.item.id?.endsWith(ref.threadId));
    });
    assert.match(String((await rows(threadRow.node))[0]!.item.description), /^(pending|running) · /);

    await waitFor('the end', () => endedEvents.find((e) => e.runId === ref.runId));
    const event = endedEvents.find((e) => e.runId === ref.runId)!;
    assert.deepEqual([event.status, event.deploymentUrl, event.threadId], ['success', serverUrl(), ref.threadId]);
    const shown = await waitFor('the notification', async () => (await shownSince(noticesBefore)).find((s) => s.message.includes(shortId(ref.runId))));
    assert.deepEqual(shown, { severity: 'info', message: `Run ${name} succeeded.`, actions: ['Open Result'] });
    await waitFor('the tree to show the run ended', async () => {
      const runRows = await rows(threadRow.node);
      return String(runRows[0]?.item.description).startsWith('succeeded · ');
    });
    assert.equal(runs.tracker.get(ref), undefined);
    runs.notices.flush(); // a second end waiting for its batch would be shown now
    assert.equal((await shownSince(noticesBefore)).filter((s) => s.message.includes(shortId(ref.runId))).length, 1, 'one notification');
    assert.equal(endedEvents.filter((e) => e.runId === ref.runId).length, 1, 'one runEnded');
  });

  it('joins a run from its tree item, and says how a failing run failed, with the server\'s message', async () => {
    const { runs } = await api();
    const ref = await startRun('fail', {}, 'please fail now');
    const deployment = await rootNamed('Tracker server');
    (await api()).tree.refresh(deployment.node);
    const threadRow = (await rows(deployment.node)).find((r) => r.item.id?.endsWith(ref.threadId));
    assert.ok(threadRow);
    const before = runs.notices.shown.length;
    const runRow = (await rows(threadRow.node))[0]!;
    const kind = await vscode.commands.executeCommand('langgraph.joinRun', runRow.node);
    assert.ok(['following', 'already-ended'].includes(String(kind)), String(kind));
    if (kind === 'following') {
      const shown = await waitFor('the failure notification', async () => (await shownSince(before)).find((s) => s.message.includes(shortId(ref.runId))));
      assert.equal(shown.severity, 'error');
      assert.equal(shown.message, `Run fail · ${shortId(ref.runId)} failed: Deliberate failure requested by input: "please fail now"`);
    }
    assert.equal(runs.tracker.recent().find((r) => r.runId === ref.runId)?.outcome, 'failed');
  });

  it('joinRun with a RunRef is silent and quick; with nonsense it does nothing and throws nothing', async () => {
    const { runs } = await api();
    const ref = await startRun('hitl', {}, 'book a flight');
    assert.equal(await vscode.commands.executeCommand('langgraph.joinRun', ref), 'following');
    assert.equal(await vscode.commands.executeCommand('langgraph.joinRun', ref), 'already-following', 'never two trackers for one run');
    assert.equal(await vscode.commands.executeCommand('langgraph.joinRun', { runId: 42 }), undefined);
    assert.equal(await vscode.commands.executeCommand('langgraph.joinRun'), undefined);
    await waitFor('the interrupt', () => runs.tracker.recent().find((r) => r.runId === ref.runId));
    const report = runs.tracker.recent().find((r) => r.runId === ref.runId)!;
    assert.deepEqual([report.outcome, report.question], ['needs-input', 'Do you approve the plan?']);
  });

  it('cancels a running run from a command and reports what the server did: cancelled', async () => {
    const { runs } = await api();
    const ref = await startRun('slow', { delay_ms: 60_000 });
    await vscode.commands.executeCommand('langgraph.joinRun', ref);
    await waitFor('the run to be running', async () => (await client.runs.get(ref.threadId, ref.runId)).status === 'running');
    const before = runs.notices.shown.length;
    const kind = await vscode.commands.executeCommand('langgraph.cancelRun', ref);
    assert.ok(kind === 'ended' || kind === 'requested', String(kind));
    const shown = await waitFor('the notification', async () => (await shownSince(before)).find((s) => s.message.includes(shortId(ref.runId))));
    assert.equal(shown.message, `Run ${shortId(ref.runId)} was cancelled.`);
    // The server's own word differs: JS ends a cancelled running run "error", Python "interrupted".
    const stopped = (await client.serverFamily()) === 'python' ? 'interrupted' : 'error';
    assert.equal((await client.runs.get(ref.threadId, ref.runId)).status, stopped, 'the server stopped it');
  });

  it('many runs ending together make one summary, not a storm; the list shows them with their outcome', async () => {
    const { runs } = await api();
    const refs = await Promise.all([0, 1, 2, 3, 4].map(() => startRun('slow', { delay_ms: 1_500 })));
    const before = runs.notices.shown.length;
    // They end about together; held, their ends make one batch however far apart a busy machine
    // spreads them (the 1.5 s window itself is unit-tested on a fake clock).
    const release = runs.notices.holdEnds();
    try {
      for (const ref of refs) await vscode.commands.executeCommand('langgraph.joinRun', ref);
      await waitFor('five ends', () => refs.every((ref) => runs.tracker.recent().some((r) => r.runId === ref.runId)));
    } finally {
      release();
    }
    const shown = (await shownSince(before)).filter((s) => /runs finished|succeeded/.test(s.message));
    assert.deepEqual(shown, [{ severity: 'info', message: '5 runs finished: 5 succeeded.', actions: ['Show'] }]);

    const pick = await vscode.commands.executeCommand<vscode.QuickPick<RunItem>>('langgraph.showTrackedRuns');
    try {
      assert.equal(pick.title, 'LangGraph: Background Runs');
      const recent = pick.items.filter((i) => i.run && refs.some((r) => r.runId === i.run!.runId));
      assert.equal(recent.length, 5);
      assert.match(recent[0]!.label, /^\$\(pass\) /);
      assert.match(recent[0]!.detail ?? '', /succeeded\.$/);
      assert.ok(pick.items.some((i) => i.kind === vscode.QuickPickItemKind.Separator && i.label === 'Recently finished'));
    } finally {
      pick.hide();
    }
  });

  it('persists followed runs in workspaceState; a new tracker built from it (as after a reload) resumes and reports the run', async () => {
    const { runs, registry, threadPanels } = await api();
    const ref = await startRun('slow', { delay_ms: 5_000 });
    await vscode.commands.executeCommand('langgraph.joinRun', { ...ref, label: 'slow' });
    const saved = await waitFor('the run saved', () => {
      const value = runs.storage.load() as { runs?: RunRef[] } | undefined;
      return value?.runs?.find((r) => r.runId === ref.runId);
    });
    assert.equal(saved.threadId, ref.threadId);

    // What the next window's activate() does: a RunTracking over the same workspaceState (a copy:
    // this window's tracker still uses the real one), then resume.
    const copy = JSON.parse(JSON.stringify(runs.storage.load())) as unknown;
    const memento = { get: () => copy, update: async () => undefined, keys: () => [] } as unknown as vscode.Memento;
    // This RunTracking is the tests' own copy of the module (out/, not the extension's bundle): its
    // notices keep what they show only when its own copy of testMode is on.
    setTestMode(true);
    const next = new RunTracking(memento, registry, (run) => threadPanels.open(run, run.runId));
    try {
      assert.ok(next.tracker.resume() >= 1);
      const resumed = next.tracker.get(ref);
      assert.ok(resumed, 'the new tracker follows the run');
      assert.equal(resumed.label, 'slow');
      await waitFor('the new status bar item', () => next.statusBar.visible);
      await waitFor('the resumed run to end', () => next.tracker.recent().find((r) => r.runId === ref.runId), { timeoutMs: 60_000 });
      assert.equal(next.tracker.recent().find((r) => r.runId === ref.runId)!.outcome, 'succeeded');
      await waitFor('its notification', () => next.notices.shown.find((s) => s.message === `Run slow · ${shortId(ref.runId)} succeeded.`));
      assert.equal(next.statusBar.visible, false, 'nothing left to follow: the item hides');
    } finally {
      next.dispose();
    }
    await waitFor('this window to see the end too', () => runs.tracker.recent().find((r) => r.runId === ref.runId), { timeoutMs: 30_000 });
    const after = runs.storage.load() as { runs: RunRef[]; recent: RunRef[] };
    assert.equal(after.runs.some((r) => r.runId === ref.runId), false);
    assert.equal(after.recent.some((r) => r.runId === ref.runId), true);
  });

  it('a run on a deployment no longer configured is given up with a clear message, not followed forever', async () => {
    const { runs } = await api();
    const before = runs.notices.shown.length;
    const ref: RunRef = { deploymentUrl: 'http://127.0.0.1:9', threadId: randomUUID(), runId: randomUUID() };
    assert.equal(await vscode.commands.executeCommand('langgraph.joinRun', ref), 'following');
    const shown = await waitFor('the notice', async () => (await shownSince(before)).find((s) => s.message.includes(shortId(ref.runId))));
    assert.equal(shown.message, `Stopped following run ${shortId(ref.runId)}: http://127.0.0.1:9 is no longer in the langgraph.deployments setting.`);
    assert.equal(runs.tracker.get(ref), undefined);
  });
});
