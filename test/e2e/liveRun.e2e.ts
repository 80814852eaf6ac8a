import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import type { AgentServerClient } from '../../src/api';
import { LIVE_RUN_OPTIONS } from '../../src/core/live/liveRun';
import { userInput } from '../harness/messages';
import { until, waitFor } from '../harness/until';
import { ARTIFACTS_DIR, runCommand, screenshot, SELECTORS } from '../runner/browser';
import { closeWorkbench, e2e, useWorkbench, type Workbench } from './setup';
import { openThreadFromPalette, panelFrame, THEMES, useWorkbenchTheme, workbenchTheme, type ThemeName } from './workbench';
import { shortId } from '../../src/core/threadLabels';

const SHOTS = 'e2e';
/** 300 chunks at 30 a second: the answer streams for about 10 s. */
const TOKENS = 300;
const RATE = 30;
/** The reload check's run: 400 chunks at 25 a second, about 16 s, long enough to outlast a reload. */
const RELOAD_TOKENS = 400;
const RELOAD_RATE = 25;

/** What the panel shows, read in one go so that the assertions see one moment. */
interface Seen {
  threadId: string;
  bodyDark: boolean;
  top: string;
  live: boolean;
  liveStatus: string;
  liveNodes: string;
  liveElapsed: string;
  liveMd: string;
  liveMdHeading: string;
  stepsDone: number;
  stepsRunning: number;
  stepsFailed: number;
  timeline: boolean;
  timelineSteps: string[];
  subgraphs: { summary: string; open: boolean }[];
  timelineAfterLast: boolean;
  last: string;
  lastHeading: string;
  lastItems: number;
}

function readPanel(frame: Frame): Promise<Seen> {
  return frame.evaluate((darkClass) => {
    const text = (selector: string, root: ParentNode = document) => root.querySelector(selector)?.textContent ?? '';
    const live = document.querySelector('section.live');
    const timeline = document.querySelector('.live-timeline');
    const last = document.querySelector('.last');
    return {
      threadId: text('.top code.id').trim(),
      bodyDark: document.body.classList.contains(darkClass),
      top: text('.top'),
      live: Boolean(live),
      liveStatus: live ? text('.live-head .status', live) : '',
      liveNodes: live ? text('.live-head .live-nodes', live) : '',
      liveElapsed: live ? text('.live-head .live-elapsed', live) : '',
      liveMd: live ? Array.from(live.querySelectorAll('.live-md')).map((m) => m.textContent ?? '').join('') : '',
      liveMdHeading: live ? text('.live-md h2', live) : '',
      stepsDone: document.querySelectorAll('.live-timeline li.live-step.done').length,
      stepsRunning: document.querySelectorAll('.live-timeline li.live-step.running').length,
      stepsFailed: document.querySelectorAll('.live-timeline li.live-step.failed').length,
      timeline: Boolean(timeline),
      timelineSteps: Array.from(document.querySelectorAll('.live-timeline li.live-step .step-node')).map((n) => n.textContent ?? ''),
      subgraphs: Array.from(document.querySelectorAll<HTMLDetailsElement>('.live-timeline details.live-subgraph')).map((d) => ({
        summary: d.querySelector('summary')?.textContent ?? '',
        open: d.open,
      })),
      timelineAfterLast: Boolean(timeline && last && last.compareDocumentPosition(timeline) & Node.DOCUMENT_POSITION_FOLLOWING),
      last: text('.last .msg-body'),
      lastHeading: text('.last .msg-body h2'),
      lastItems: document.querySelectorAll('.last .msg-body li').length,
    };
  }, THEMES.dark.bodyClass);
}

/** The colour theme saved in the shared code-server's user settings (undefined: the default). */
function savedTheme(): string | undefined {
  const settings = readFileSync(join(e2e().codeServer.userDataDir, 'User', 'settings.json'), 'utf8');
  return /"workbench\.colorTheme"\s*:\s*"([^"]*)"/.exec(settings)?.[1];
}

/** A run of the stream graph made as the extension makes its runs (LIVE_RUN_OPTIONS): streamed from its start. */
const streamRun = (client: AgentServerClient, threadId: string, tokens: number, rate: number) =>
  client.runs.create(threadId, { ...LIVE_RUN_OPTIONS, assistant_id: 'stream', input: userInput('tell me about streams'), context: { tokens, tokens_per_second: rate } });

const words = (text: string) => text.match(/[A-Za-z]+/g) ?? [];
/** The letters of a text only: rendered markdown spaces words its own way (`**item**tokens` reads `itemtokens`). */
const letters = (text: string) => text.replace(/[^A-Za-z]/g, '');

/** A screenshot of this run only: an older file of the same name is removed first. */
async function freshShot(page: Page, name: string): Promise<string> {
  rmSync(join(ARTIFACTS_DIR, SHOTS, `${name}.png`), { force: true });
  return screenshot(page, SHOTS, name);
}

function assertPng(path: string): void {
  assert.ok(existsSync(path), `the screenshot was written: ${path}`);
  const bytes = readFileSync(path);
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', `${path} is a PNG`);
  assert.ok(bytes.length > 20_000, `${path} holds a real picture of the workbench (${bytes.length} bytes)`);
}

describe('e2e: a live run in the thread panel, in a real browser', function () {
  this.timeout(180_000);
  let wb: Workbench;
  let themeBefore: ThemeName | undefined;
  let savedBefore: string | undefined;
  let themeChanged = false;

  async function closeEditors(): Promise<void> {
    await wb.page.keyboard.press('Escape');
    await runCommand(wb.page, 'View: Close All Editors');
    await wb.page.locator('iframe.webview').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
  }

  const opened = useWorkbench(SHOTS);
  before(async () => {
    wb = opened();
    themeBefore = await workbenchTheme(wb.page);
    savedBefore = savedTheme();
  });

  after(async () => {
    if (!wb) return;
    // Leave no panel for the window to restore, and the shared code-server's theme as it was
    // (the default, Light 2026, when it was none of THEMES).
    await closeEditors().catch(() => undefined);
    if (themeChanged && themeBefore !== 'dark') {
      const back = themeBefore ?? 'light';
      await useWorkbenchTheme(wb.page, back).catch(() => undefined);
      // The workbench wears it at once, but saves it a little later: closing the page before that
      // would leave the next page on this code-server in the dark theme.
      const saved = () => [savedBefore, THEMES[back].name].includes(savedTheme());
      await waitFor('the theme to be saved in the user settings', saved, { timeoutMs: 10_000, everyMs: 200 }).catch(() => undefined);
    }
    await closeWorkbench(wb, { closeEditors: false });
  });

  it('streams a run in the dark theme (answer growing, finished steps, running nodes), then shows the final result with the timeline kept', async () => {
    await closeEditors();
    themeChanged = true;
    await useWorkbenchTheme(wb.page, 'dark');

    const title = `e2e live ${randomUUID().slice(0, 6)}`;
    const thread = await wb.client.threads.create({ metadata: { title } });
    const run = await streamRun(wb.client, thread.thread_id, TOKENS, RATE);
    const started = Date.now();
    await openThreadFromPalette(wb.page, { title, id: thread.thread_id });
    const frame = await panelFrame(wb.page);

    // Mid-stream: a few words of the answer and two finished steps, with the run still going.
    const mid = await until(
      () => readPanel(frame),
      (s) => s.live && words(s.liveMd).length >= 5 && s.stepsDone >= 2,
      { timeoutMs: 30_000, everyMs: 100 },
    );
    const midAt = Date.now() - started;
    assert.equal(mid.threadId, thread.thread_id, 'the panel shows the thread the run is on');
    assert.ok(mid.live, `the live view is on screen (${midAt} ms after the run was created; top: ${mid.top})`);
    assert.ok(mid.stepsDone >= 2, `two finished steps at least: ${mid.stepsDone} (${mid.timelineSteps.join(', ')})`);
    assert.ok(mid.bodyDark, 'the panel wears the dark theme');
    assert.equal(mid.liveStatus.trim(), 'running', 'the live header says the run is running');
    assert.match(mid.liveNodes, /running .*\bmodel\b/, 'the live header names the node running now');
    assert.match(mid.liveElapsed.trim(), /^\d+(\.\d)? (ms|s)$/, 'the live header shows the time elapsed');
    assert.equal(mid.liveMdHeading, 'Answer', 'the answer so far is rendered as markdown');
    assert.match(mid.liveMd, /^Answer\s*tokens arrive\b/, `the answer so far: ${mid.liveMd.slice(0, 200)}`);
    assert.ok(mid.subgraphs.length >= 1 && mid.subgraphs.every((g) => !g.open), `the subgraph's steps are folded: ${JSON.stringify(mid.subgraphs)}`);
    const midShot = await freshShot(wb.page, 'live-mid-stream-dark');
    const afterShot = await readPanel(frame);
    assert.ok(afterShot.live, 'the live view was still on screen when the screenshot was taken');
    assert.ok(afterShot.liveMd.length >= mid.liveMd.length, 'the answer only grows');

    // The end: the final view, with the timeline kept under the last message.
    const end = await until(
      () => readPanel(frame),
      (s) => !s.live && /succeeded/.test(s.top) && s.timeline,
      { timeoutMs: 60_000, everyMs: 200 },
    );
    const endAt = Date.now() - started;
    assert.equal(end.live, false, `the live view is gone when the run ends (${endAt} ms after it was created)`);
    assert.match(end.top, new RegExp(`Run ${shortId(run.run_id)} succeeded`), `the header says the run succeeded: ${end.top}`);
    assert.ok(end.timeline, 'the run timeline stays');
    assert.ok(end.timelineAfterLast, 'the timeline is under the last message');
    assert.equal(end.stepsRunning, 0, 'no step is left running');
    assert.equal(end.stepsFailed, 0, 'no step failed');
    for (const node of ['research', 'model', 'tools', 'gather']) assert.ok(end.timelineSteps.includes(node), `the timeline shows ${node}: ${end.timelineSteps.join(', ')}`);
    assert.equal(end.timelineSteps.filter((n) => n === 'model').length, 2, 'the model ran twice (tool call, then answer)');
    assert.ok(end.subgraphs.some((g) => /research/.test(g.summary) && !g.open), `the research subgraph is folded: ${JSON.stringify(end.subgraphs)}`);

    const state = await wb.client.threads.getState(thread.thread_id);
    const messages = (state.values as { messages: { type: string; content: unknown }[] }).messages;
    const final = messages.at(-1);
    assert.equal(final?.type, 'ai');
    const finalText = String(final?.content ?? '');
    assert.ok(words(finalText).length > 200, 'the server holds the whole answer');
    // Rendered, `**item**tokens` reads `itemtokens`: compare with the markup's asterisks taken out.
    assert.deepEqual(words(end.last), words(finalText.replace(/\*\*/g, '')), 'the last message shown is the run\u2019s final message');
    assert.equal(end.lastHeading, 'Answer', 'the last message is rendered as markdown');
    assert.equal(end.lastItems, finalText.split('\n- ').length - 1, 'the last message has every list item of the answer');
    assert.ok(mid.liveMd.length < end.last.length, `the mid-stream screenshot shows part of the answer (${mid.liveMd.length} of ${end.last.length} characters)`);
    assert.equal((await wb.client.runs.get(thread.thread_id, run.run_id)).status, 'success');
    const endShot = await freshShot(wb.page, 'live-ended-dark');
    // The timeline is below the answer, out of the webview's view: scroll to it for a picture of it.
    await frame.locator('.live-timeline').scrollIntoViewIfNeeded();
    await frame.locator('.live-timeline details.live-subgraph').first().waitFor({ state: 'visible' });
    const timelineShot = await freshShot(wb.page, 'live-ended-timeline-dark');

    for (const shot of [midShot, endShot, timelineShot]) assertPng(shot);
    assert.ok(!readFileSync(midShot).equals(readFileSync(endShot)), 'the mid-stream and ended screenshots show different moments');
    assert.ok(!readFileSync(endShot).equals(readFileSync(timelineShot)), 'the timeline screenshot shows another part of the panel');
  });

  it('a window reload mid-run: the panel comes back and streams the run from its start, then shows the final result', async () => {
    await closeEditors();
    themeChanged = true;
    if ((await workbenchTheme(wb.page)) !== 'dark') await useWorkbenchTheme(wb.page, 'dark');

    const title = `e2e live reload ${randomUUID().slice(0, 6)}`;
    const thread = await wb.client.threads.create({ metadata: { title } });
    const run = await streamRun(wb.client, thread.thread_id, RELOAD_TOKENS, RELOAD_RATE);
    const started = Date.now();
    await openThreadFromPalette(wb.page, { title, id: thread.thread_id });
    const frameBefore = await panelFrame(wb.page);

    // Before the reload: the live view with some of the answer and a finished step.
    const before = await until(
      () => readPanel(frameBefore),
      (s) => s.live && words(s.liveMd).length >= 5 && s.stepsDone >= 1,
      { timeoutMs: 30_000, everyMs: 100 },
    );
    assert.equal(before.threadId, thread.thread_id, 'the panel shows the thread the run is on');
    assert.ok(before.live, `the live view is on screen before the reload (top: ${before.top})`);
    assert.ok(words(before.liveMd).length >= 5, `some of the answer is shown before the reload: ${before.liveMd.slice(0, 200)}`);
    assert.ok(before.stepsDone >= 1, `a finished step before the reload: ${before.stepsDone} (${before.timelineSteps.join(', ')})`);
    const lengthBefore = before.liveMd.length;
    const statusAtReload = (await wb.client.runs.get(thread.thread_id, run.run_id)).status;
    assert.equal(statusAtReload, 'running', 'the run is still running when the window reloads');

    // As a person would: Developer: Reload Window. The workbench saves its editors, reloads, and
    // the extension's WebviewPanelSerializer brings the panel back.
    const reloadAt = Date.now();
    const loaded = wb.page.waitForEvent('load', { timeout: 60_000 });
    await runCommand(wb.page, 'Developer: Reload Window');
    await loaded;
    await wb.page.locator(SELECTORS.workbench).waitFor({ state: 'visible', timeout: 60_000 });
    const frame = await panelFrame(wb.page, 60_000);
    assert.notEqual(frame, frameBefore, 'the restored panel is a new webview document');

    // After it: the live view again, from the run's first step, with at least the text seen before.
    const after = await until(
      () => readPanel(frame),
      (s) => s.live && s.liveMd.length >= lengthBefore && s.timelineSteps.length > 0,
      { timeoutMs: 30_000, everyMs: 100 },
    );
    const liveAgainMs = Date.now() - reloadAt;
    assert.equal(after.threadId, thread.thread_id, 'the restored panel shows the same thread');
    assert.ok(after.live, `the restored panel shows the live view (${liveAgainMs} ms after the reload; top: ${after.top})`);
    assert.ok(after.liveMd.length >= lengthBefore, `the restored live view has at least the text shown before the reload (${after.liveMd.length} vs ${lengthBefore} characters)`);
    assert.match(after.liveMd, /^Answer\s*tokens arrive\b/, `the answer streams again from its start: ${after.liveMd.slice(0, 200)}`);
    assert.ok(
      letters(after.liveMd).startsWith(letters(before.liveMd)),
      `the replayed answer carries all the text shown before the reload: before ${JSON.stringify(before.liveMd.slice(-80))}, after ${JSON.stringify(after.liveMd.slice(0, lengthBefore + 20).slice(-100))}`,
    );
    assert.equal(after.timelineSteps[0], 'research', `the timeline starts at the run's first step: ${after.timelineSteps.join(', ')}`);
    assert.equal(after.liveStatus.trim(), 'running', 'the restored live view says the run is running');
    assert.ok(after.bodyDark, 'the restored panel wears the dark theme');
    const reloadShot = await freshShot(wb.page, 'live-after-reload-dark');
    const afterShot = await readPanel(frame);
    assert.ok(afterShot.live, 'the live view was still on screen when the screenshot was taken');
    assert.equal((await wb.client.runs.get(thread.thread_id, run.run_id)).status, 'running', 'the run was still running after the reload, so the panel streamed it live');
    // And it keeps streaming: the answer grows in the restored panel while the run goes on.
    const grown = await until(
      () => readPanel(frame),
      (s) => !s.live || s.liveMd.length > afterShot.liveMd.length,
      { timeoutMs: 10_000, everyMs: 100 },
    );
    assert.ok(grown.live, 'the restored live view was still on screen while the answer grew');
    assert.ok(grown.liveMd.length > afterShot.liveMd.length, `the answer grows in the restored panel (${afterShot.liveMd.length} → ${grown.liveMd.length} characters)`);

    // The end: the final view, the last message the server's final message.
    const end = await until(
      () => readPanel(frame),
      (s) => !s.live && /succeeded/.test(s.top) && s.timeline,
      { timeoutMs: 60_000, everyMs: 200 },
    );
    const endAt = Date.now() - started;
    assert.equal(end.live, false, `the live view is gone when the run ends (${endAt} ms after it was created)`);
    assert.match(end.top, new RegExp(`Run ${shortId(run.run_id)} succeeded`), `the header says the run succeeded: ${end.top}`);
    assert.ok(end.timeline, 'the run timeline stays');
    assert.equal(end.timelineSteps[0], 'research', `the kept timeline starts at the run's first step: ${end.timelineSteps.join(', ')}`);
    assert.equal(end.stepsRunning, 0, 'no step is left running');
    assert.equal(end.stepsFailed, 0, 'no step failed');
    const state = await wb.client.threads.getState(thread.thread_id);
    const messages = (state.values as { messages: { type: string; content: unknown }[] }).messages;
    const final = messages.at(-1);
    assert.equal(final?.type, 'ai');
    const finalText = String(final?.content ?? '');
    assert.ok(words(finalText).length > 300, `the server holds the whole answer (${words(finalText).length} words)`);
    assert.equal(letters(end.last), letters(finalText), 'the last message shown is the run\u2019s final message');
    assert.ok(lengthBefore < end.last.length, `the reload came mid-stream (${lengthBefore} of ${end.last.length} characters shown before it)`);

    assertPng(reloadShot);
  });
});
