import { strict as assert } from 'node:assert';
import { userInput } from '../harness/messages';
import { SELECTORS, screenshot } from '../runner/browser';
import { DEPLOYMENT_NAME, e2e, openExtensionWorkbench } from './setup';

describe('e2e: the Deployments view in a real browser', () => {
  it('opens the view, expands the deployment and a thread, and shows its run', async function () {
    this.timeout(180_000);
    const { client } = e2e();
    const thread = await client.threads.create({ metadata: { title: 'Weather in SF' } });
    await client.runs.wait(thread.thread_id, { assistant_id: 'agent', input: userInput("what's the weather in sf") });
    await client.threads.create({ metadata: { title: 'Planning a trip' } });

    const { page, context } = await openExtensionWorkbench();
    try {
      await page.locator(SELECTORS.activityBarItem('LangGraph')).first().click();
      const rows = page.locator(SELECTORS.sidebarRows);
      const deployment = rows.filter({ hasText: DEPLOYMENT_NAME });
      await deployment.waitFor({ timeout: 60_000 });
      await deployment.click();
      await page.keyboard.press('ArrowRight');
      const threadRow = rows.filter({ hasText: 'Weather in SF' });
      await threadRow.waitFor({ timeout: 30_000 });
      assert.match(await threadRow.innerText(), /idle · just now/);
      await rows.filter({ hasText: 'Planning a trip' }).waitFor();
      // The twistie expands the thread; a click on the row itself would open its result.
      await threadRow.locator('.monaco-tl-twistie').click();
      const runRow = rows.filter({ hasText: 'succeeded · ' });
      await runRow.waitFor({ timeout: 30_000 });
      const shot = await screenshot(page, 'e2e', 'deployments-view');
      const texts = await rows.allInnerTexts();
      assert.ok(texts.some((t) => t.includes('Weather in SF')) && texts.some((t) => t.includes('agent') && t.includes('succeeded · ')), texts.join(' | '));
      assert.ok(shot.endsWith('deployments-view.png'));
    } catch (error) {
      await screenshot(page, 'e2e', 'deployments-view-failure').catch(() => undefined);
      throw error;
    } finally {
      await context.close();
    }
  });
});
