/**
 * Root hooks of the end-to-end suite: the UI driven in a real browser. One real Agent Server, one
 * code-server (VS Code 1.139) whose workspace lists that server as its deployment, and Chromium
 * through playwright-core. Each test opens the workbench with the extension under development.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AgentServerClient } from '../../src/api';
import { startAgentServer, type AgentServer } from '../harness/agentServer';
import { launchBrowser, newPage, openWorkbench, runCommand, screenshot, workbenchUrl } from '../runner/browser';
import { REPO_ROOT, startCodeServer, type CodeServer } from '../runner/codeServer';

interface E2e {
  server: AgentServer;
  client: AgentServerClient;
  codeServer: CodeServer;
  browser: Browser;
}

let state: E2e | undefined;

export function e2e(): E2e {
  if (!state) throw new Error('e2e setup did not run');
  return state;
}

export const DEPLOYMENT_NAME = 'Example deployment';

/** A fresh page on the workbench with the extension loaded; the caller closes its context. */
export async function openExtensionWorkbench(): Promise<{ page: Page; context: BrowserContext }> {
  const { browser, codeServer } = e2e();
  const { page, context } = await newPage(browser);
  await page.setViewportSize({ width: 1400, height: 900 });
  await openWorkbench(page, workbenchUrl(codeServer.url, { folder: codeServer.workspace, extensionDevelopmentPath: REPO_ROOT }));
  return { page, context };
}

/** One describe's workbench page and the suite's client. */
export interface Workbench {
  page: Page;
  context: BrowserContext;
  client: AgentServerClient;
}

/**
 * Hooks for a describe that drives one workbench page: opened before its tests, a screenshot
 * (`failure-<title>` in test-artifacts/<shots>/) of each test that failed. The describe's own
 * `after` closes it (closeWorkbench, after anything it puts back first).
 */
export function useWorkbench(shots: string): () => Workbench {
  let wb: Workbench | undefined;
  before(async () => {
    const { page, context } = await openExtensionWorkbench();
    wb = { page, context, client: e2e().client };
  });
  afterEach(async function () {
    if (wb && this.currentTest?.state === 'failed') await screenshot(wb.page, shots, `failure-${this.currentTest.title.slice(0, 40)}`).catch(() => undefined);
  });
  return () => {
    if (!wb) throw new Error('the workbench page did not open');
    return wb;
  };
}

/** Leaves no editor for the next page to restore, and closes the page. */
export async function closeWorkbench(wb: Workbench | undefined, { closeEditors = true } = {}): Promise<void> {
  if (!wb) return;
  if (closeEditors) {
    await wb.page.keyboard.press('Escape').catch(() => undefined);
    await runCommand(wb.page, 'View: Close All Editors').catch(() => undefined);
  }
  await wb.context.close();
}

before(async function () {
  this.timeout(180_000);
  const server = await startAgentServer();
  const workspace = join(REPO_ROOT, '.test-runs', `e2e-workspace-${server.port}`);
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  writeFileSync(
    join(workspace, '.vscode', 'settings.json'),
    JSON.stringify({ 'langgraph.deployments': [{ name: DEPLOYMENT_NAME, url: server.url }] }, null, 2),
  );
  const codeServer = await startCodeServer({ workspace });
  const browser = await launchBrowser();
  state = { server, client: new AgentServerClient({ url: server.url }), codeServer, browser };
});

after(async function () {
  this.timeout(60_000);
  await state?.browser.close().catch(() => undefined);
  await state?.codeServer.stop().catch(() => undefined);
  await state?.client.close();
  await state?.server.stop();
});
