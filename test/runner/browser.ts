// Debian's Chromium driven by playwright-core, locked to loopback (the machine is offline and the
// tests must not depend on the network), plus the workbench URL and selectors for VS Code 1.139.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT } from './codeServer';

export const CHROMIUM = process.env.LANGGRAPH_CHROMIUM || '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

export function launchBrowser(opts: { headless?: boolean } = {}): Promise<Browser> {
  // Never `npx playwright install`: it downloads a browser. Use the Debian package.
  return chromium.launch({ executablePath: CHROMIUM, headless: opts.headless ?? true, args: CHROMIUM_ARGS });
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** A fresh context and page whose requests to anything but loopback are aborted. */
export async function newPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.route(
    (u) => /^(https?|wss?):$/.test(u.protocol) && !LOOPBACK.has(u.hostname),
    (route) => route.abort('blockedbyclient'),
  );
  return { context, page: await context.newPage() };
}

export interface WorkbenchOptions {
  folder: string;
  extensionDevelopmentPath: string;
  /** Only for running a mocha suite; leave out to drive the UI. */
  extensionTestsPath?: string;
}

/** The workbench URL; code-server honours the payload only with `enable-smoke-test-driver`. */
export function workbenchUrl(codeServerUrl: string, opts: WorkbenchOptions): string {
  const base = new URL(codeServerUrl);
  const remote = (p: string) => `vscode-remote://${base.host}${resolve(p)}`;
  const payload: [string, string][] = [['extensionDevelopmentPath', remote(opts.extensionDevelopmentPath)]];
  if (opts.extensionTestsPath) payload.push(['extensionTestsPath', remote(opts.extensionTestsPath)]);
  return `${base.origin}/?folder=${encodeURIComponent(resolve(opts.folder))}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** Selectors that worked on VS Code 1.139.1. */
export const SELECTORS = {
  workbench: '.monaco-workbench',
  activityBarItem: (title: string) => `.activitybar [aria-label^="${title}"]`,
  sidebarRows: '[id="workbench.parts.sidebar"] .monaco-list-row',
  statusBar: '.statusbar',
  quickInput: '.quick-input-widget input',
  quickInputRows: '.quick-input-list .monaco-list-row',
  webviewFrame: (page: Page) => page.frameLocator('iframe.webview.ready').frameLocator('#active-frame'),
};

/** Goes to a workbench URL and waits until the workbench is on screen. */
export async function openWorkbench(page: Page, url: string, timeoutMs = 60_000): Promise<void> {
  await page.goto(url);
  await page.locator(SELECTORS.workbench).waitFor({ state: 'visible', timeout: timeoutMs });
}

/**
 * Runs a command through the palette (F1), by the label it shows there. The palette lists the
 * commands known when it opens, and a development extension's arrive a little after the workbench
 * shows: so reopen it until the command is there.
 */
export async function runCommand(page: Page, label: string, timeoutMs = 30_000): Promise<void> {
  const input = page.locator(SELECTORS.quickInput);
  const row = page.locator(SELECTORS.quickInputRows, { hasText: label }).first();
  for (const end = Date.now() + timeoutMs; ; ) {
    await page.keyboard.press('F1');
    try {
      // Short waits, tried again: a palette that closes as it opens (a menu or a webview taking
      // focus back) leaves its input inert or hidden, and a fill would wait out the whole time.
      await input.waitFor({ state: 'visible', timeout: 5000 });
      await input.fill(`>${label}`, { timeout: 5000 });
      await row.waitFor({ state: 'visible', timeout: 2000 });
      return await row.click();
    } catch (err) {
      if (Date.now() > end) throw err;
      await page.keyboard.press('Escape');
    }
  }
}

export const ARTIFACTS_DIR = join(REPO_ROOT, 'test-artifacts');

/** Saves a full-page PNG under test-artifacts/<sub>/<name>.png and returns its path. */
export async function screenshot(page: Page, sub: string, name: string): Promise<string> {
  const dir = join(ARTIFACTS_DIR, sub);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path, fullPage: true, timeout: 10_000 });
  return path;
}
