import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConsoleMessage, Frame, Request } from 'playwright-core';
import { userInput } from '../harness/messages';
import { waitFor } from '../harness/until';
import { runCommand, screenshot, SELECTORS } from '../runner/browser';
import { HOSTILE_TITLE, hostileInput } from '../extension/hostileThread';
import { closeWorkbench, useWorkbench, type Workbench } from './setup';
import { openThreadFromPalette, panelFrame, useTheme } from './workbench';

const SHOTS = 'e2e';

describe('e2e: the thread result panel in a real browser', function () {
  this.timeout(180_000);
  // One workbench page for these checks, in order: the reload check reuses the first panel.
  let wb: Workbench;

  const opened = useWorkbench(SHOTS);
  before(async () => {
    wb = opened();
  });

  after(async () => {
    // The theme is a user setting of the shared code-server: put the default back for the other checks.
    if (themeChanged) await useTheme(wb.page, 'light').catch(() => undefined);
    await closeWorkbench(wb, { closeEditors: false });
  });
  let themeChanged = false;

  async function closeEditors(): Promise<void> {
    await wb.page.keyboard.press('Escape');
    await runCommand(wb.page, 'View: Close All Editors');
    await wb.page.locator('iframe.webview').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
  }

  it('shows the last assistant message of a seed-like run, readable in dark, light and high contrast themes', async () => {
    const title = `e2e weather ${randomUUID().slice(0, 6)}`;
    const thread = await wb.client.threads.create({ metadata: { title } });
    await wb.client.runs.wait(thread.thread_id, { assistant_id: 'agent', input: userInput("what's the weather in sf") });
    await openThreadFromPalette(wb.page, { title, id: thread.thread_id });

    const frame = await panelFrame(wb.page);
    const last = (await frame.locator('.last .msg-body').textContent())?.trim();
    assert.equal(last, "The weather in sf is: It's 60 degrees and foggy in sf.");
    assert.match((await frame.locator('.top').textContent()) ?? '', /idle.*Run [0-9a-f]{8} succeeded/s);
    // The tool call is folded; opening it shows the arguments.
    const call = frame.locator('.conversation .tool-call').first();
    assert.equal(await call.evaluate((d) => (d as HTMLDetailsElement).open), false);
    await call.locator('summary').click();
    assert.match((await call.textContent()) ?? '', /"city": "sf"/);
    // The theme reaches the webview: its colours are the editor's, in every theme.
    themeChanged = true;
    const dark = await useTheme(wb.page, 'dark');
    const darkColour = await dark.evaluate(() => getComputedStyle(document.body).color);
    await screenshot(wb.page, SHOTS, 'thread-panel-dark');

    const light = await useTheme(wb.page, 'light');
    const lightColour = await light.evaluate(() => getComputedStyle(document.body).color);
    assert.notEqual(lightColour, darkColour, 'the panel follows the theme');
    await screenshot(wb.page, SHOTS, 'thread-panel-light');

    await useTheme(wb.page, 'highContrast');
    await screenshot(wb.page, SHOTS, 'thread-panel-high-contrast');
    await useTheme(wb.page, 'dark');
    await screenshot(wb.page, SHOTS, 'thread-panel-dark');
  });

  it('comes back after a window reload (WebviewPanelSerializer), showing the same thread', async () => {
    const frameBefore = await panelFrame(wb.page);
    const threadId = (await frameBefore.locator('.top code.id').first().textContent())?.trim();
    assert.ok(threadId);
    // As a person would: Developer: Reload Window (the workbench saves its editors, then reloads).
    await runCommand(wb.page, 'Developer: Reload Window');
    await wb.page.waitForEvent('load', { timeout: 60_000 });
    await wb.page.locator(SELECTORS.workbench).waitFor({ state: 'visible', timeout: 60_000 });
    const frame = await panelFrame(wb.page, 60_000);
    await frame.locator('.last .msg-body').waitFor({ timeout: 30_000 });
    assert.equal((await frame.locator('.top code.id').first().textContent())?.trim(), threadId);
    assert.equal((await frame.locator('.last .msg-body').textContent())?.trim(), "The weather in sf is: It's 60 degrees and foggy in sf.");
  });

  it('resumes an interrupted thread from the box, with the JSON checked inline', async () => {
    await closeEditors();
    const title = `e2e hitl ${randomUUID().slice(0, 6)}`;
    const thread = await wb.client.threads.create({ metadata: { title } });
    await wb.client.runs.wait(thread.thread_id, { assistant_id: 'hitl', input: userInput('book me a flight') });
    await openThreadFromPalette(wb.page, { title, id: thread.thread_id });
    const frame = await panelFrame(wb.page);
    await frame.locator('.interrupt .question').first().waitFor();
    assert.match((await frame.locator('.interrupt').textContent()) ?? '', /Do you approve the plan\?/);
    const box = frame.locator('textarea.resume-input');
    await box.fill('yes');
    await frame.locator('.interrupt button.primary').click();
    await frame.locator('.resume-status.error-text').waitFor();
    assert.match((await frame.locator('.resume-status').textContent()) ?? '', /Not valid JSON.*double quotes/);
    assert.equal(await box.getAttribute('aria-invalid'), 'true');
    assert.equal((await wb.client.runs.list(thread.thread_id)).items.length, 1, 'nothing sent');
    await screenshot(wb.page, SHOTS, 'thread-panel-interrupt');

    await frame.locator('.interrupt .options button', { hasText: 'yes' }).click();
    assert.equal(await box.inputValue(), '"yes"');
    await frame.locator('.interrupt button.primary').click();
    await waitFor('the resume run', async () => (await wb.client.runs.list(thread.thread_id)).items.length >= 2, { timeoutMs: 20_000, everyMs: 200 });
    const resumed = (await wb.client.runs.list(thread.thread_id)).items[0]!;
    await wb.client.runs.join(thread.thread_id, resumed.run_id);
    // Refresh by hand (the tracker refreshes it when it follows the run).
    const again = await panelFrame(wb.page);
    await again.locator('.top button', { hasText: 'Refresh' }).click();
    await again.locator('.last .msg-body', { hasText: 'Approved: yes' }).waitFor({ timeout: 30_000 });
  });

  it('renders a hostile thread as inert text: no script runs, no request leaves the webview', async () => {
    await closeEditors();
    const canary = await startCanary();
    const requests: Request[] = [];
    const consoleErrors: string[] = [];
    const onRequest = (r: Request) => requests.push(r);
    const onConsole = (m: ConsoleMessage) => {
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) consoleErrors.push(m.text());
    };
    wb.context.on('request', onRequest);
    wb.page.on('console', onConsole);
    try {
      const thread = await wb.client.threads.create({ metadata: { title: HOSTILE_TITLE } });
      await wb.client.runs.wait(thread.thread_id, { assistant_id: 'fail', input: hostileInput(canary.url) }).catch(() => undefined);
      await openThreadFromPalette(wb.page, { id: thread.thread_id });
      const frame = await panelFrame(wb.page);
      await frame.locator('.last .msg-body').waitFor();
      // Let anything that could fire (onerror, onload, lazy images) have its chance.
      await frame.locator('.conversation details.fold').evaluateAll((all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
      await frame.locator('.last .msg-body').hover();
      await wb.page.waitForTimeout(1500);
      await screenshot(wb.page, SHOTS, 'thread-panel-hostile');

      const pwned = await everyFrame(wb.page.frames(), () => (window as unknown as { __pwned?: unknown }).__pwned);
      assert.deepEqual(pwned.filter((v) => v !== undefined && v !== null), [], 'no payload ran in any frame');
      const dom = await frame.evaluate(() => ({
        // VS Code's webview host adds its own script (acquireVsCodeApi) next to ours.
        scripts: Array.from(document.querySelectorAll('script'))
          .filter((sc) => !/\/dist\/webview\.js(\?|$)/.test(sc.src) && !(sc.parentElement === document.head && !sc.src))
          .map((sc) => sc.outerHTML.slice(0, 200)),
        inert: document.querySelectorAll('#app img, #app iframe, #app svg, #app style, #app object, #app embed, #app [onerror], #app [onload], #app [onclick], #app [onmouseover]').length,
        links: Array.from(document.querySelectorAll('#app a')).map((a) => a.getAttribute('href') ?? a.getAttribute('data-href') ?? ''),
        hrefs: document.querySelectorAll('#app [href], #app [src], #app [srcset]').length,
        lastText: document.querySelector('.last .msg-body')?.textContent ?? '',
        title: document.querySelector('.top h1')?.textContent ?? '',
      }));
      assert.deepEqual(dom.scripts, [], 'no script element but the panel\u2019s own and VS Code\u2019s');
      assert.equal(dom.inert, 0, 'no element from the content');
      assert.equal(dom.hrefs, 0, 'no href or src the browser would follow: links open only through the extension');
      assert.ok(dom.links.every((href) => /^https?:\/\//.test(href)), `only http(s) links: ${dom.links.join(' ')}`);
      assert.match(dom.lastText, /<script>window\.__pwned = 'ai-script'<\/script>/);
      assert.match(dom.lastText, /y{10000}/, 'the 10,000-character line is there in full');
      assert.ok(HOSTILE_TITLE.startsWith(dom.title.replace(/…$/, '')) && dom.title.length > 40, `the title is text: ${dom.title}`);

      // A safe link opens through the extension, which asks VS Code to open it (VS Code asks the user first).
      await frame.locator('.last a', { hasText: 'a safe link' }).click();
      const dialog = wb.page.locator('.monaco-dialog-box');
      await dialog.waitFor({ timeout: 15_000 });
      assert.match((await dialog.textContent()) ?? '', /example\.com\/safe/);
      await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();

      assert.deepEqual(canary.hits, [], 'nothing reached the canary server');
      const fromWebview = requests.filter((r) => isWebviewRequest(r)).map((r) => r.url());
      const foreign = fromWebview.filter((u) => !/\/(dist\/webview\.js|media\/thread\.css)(\?|$)/.test(u) && !isVsCodeWebviewHost(u));
      assert.deepEqual(foreign, [], 'the webview loaded only its own script and stylesheet');
      assert.ok(fromWebview.some((u) => /dist\/webview\.js/.test(u)), `the panel's script was loaded by the webview: ${fromWebview.join(' ')}`);
      const offMachine = requests
        .filter((r) => /^https?:/.test(r.url()) && !/^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(r.url()) && !/vscode-cdn\.net|vscode-resource/.test(r.url()))
        .map((r) => `${r.url()} (${r.resourceType()} from ${frameOf(r)})`);
      assert.deepEqual(offMachine, [], 'no request left the machine');
      const csp = consoleErrors.filter((t) => /Content Security Policy|Refused to/i.test(t));
      assert.deepEqual(csp, [], 'nothing in the content even tried to load or run');
    } finally {
      wb.context.off('request', onRequest);
      wb.page.off('console', onConsole);
      await canary.stop();
    }
  });
});

function frameOf(request: Request): string {
  try {
    return request.frame().url();
  } catch {
    return 'a service worker';
  }
}

/** Requests made by a webview document (VS Code's webview frames or the panel's own). */
function isWebviewRequest(request: Request): boolean {
  let frameUrl = '';
  try {
    frameUrl = request.frame().url();
  } catch {
    frameUrl = request.url(); // a service worker's own fetch
  }
  return /\/webview\/|vscode-cdn\.net|vscode-resource|fake\.html/.test(frameUrl);
}

/** VS Code's own webview host files (index.html, fake.html, service worker), not content. */
function isVsCodeWebviewHost(url: string): boolean {
  return /\/out\/vs\/workbench\/contrib\/webview\/browser\/pre\//.test(url);
}

async function everyFrame(frames: Frame[], fn: () => unknown): Promise<unknown[]> {
  return Promise.all(frames.map((f) => f.evaluate(fn).catch(() => undefined)));
}

interface Canary {
  url: string;
  hits: string[];
  stop(): Promise<void>;
}

/** A loopback server the hostile content points at: any hit means something loaded. */
async function startCanary(): Promise<Canary> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.end('pwned');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, hits, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}
