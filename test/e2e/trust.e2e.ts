import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newPage, openWorkbench, screenshot, SELECTORS, workbenchUrl } from '../runner/browser';
import { REPO_ROOT, startCodeServer } from '../runner/codeServer';
import { e2e } from './setup';

describe('e2e: an untrusted workspace', () => {
  it('ignores the workspace\'s own deployments and says why', async function () {
    this.timeout(180_000);
    const { server, browser } = e2e();
    // A workspace that lists its own deployment: it could point a stored key at any host.
    const workspace = join(REPO_ROOT, '.test-runs', `e2e-untrusted-${server.port}`);
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    writeFileSync(
      join(workspace, '.vscode', 'settings.json'),
      JSON.stringify({ 'langgraph.deployments': [{ name: 'Workspace deployment', url: server.url }] }),
    );
    const codeServer = await startCodeServer({ workspace, workspaceTrust: true });
    const { page, context } = await newPage(browser);
    try {
      await page.setViewportSize({ width: 1400, height: 900 });
      await openWorkbench(page, workbenchUrl(codeServer.url, { folder: workspace, extensionDevelopmentPath: REPO_ROOT }));
      await page.getByRole('button', { name: /No, I don.t trust the authors/ }).click({ timeout: 60_000 });
      await page.locator(SELECTORS.activityBarItem('LangGraph')).first().click();
      const rows = page.locator(SELECTORS.sidebarRows);
      const notice = rows.filter({ hasText: 'Workspace deployments ignored' });
      await notice.waitFor({ timeout: 60_000 });
      assert.match(await notice.innerText(), /workspace not trusted/);
      await screenshot(page, 'e2e', 'untrusted-workspace');
      const texts = await rows.allInnerTexts();
      assert.ok(!texts.some((t) => t.includes('Workspace deployment ')), `the workspace's deployment is not listed: ${texts.join(' | ')}`);
      // The user's own (here: default) list is used instead. It is not expanded: nothing is asked.
      assert.ok(texts.some((t) => t.includes('Local dev server')), texts.join(' | '));
    } catch (error) {
      await screenshot(page, 'e2e', 'untrusted-workspace-failure').catch(() => undefined);
      throw error;
    } finally {
      await context.close();
      await codeServer.stop();
    }
  });
});
