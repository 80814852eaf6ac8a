import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Locator } from 'playwright-core';
import { signalGroup } from '../../src/core/devServer/processGroup';
import { FIXTURE_DIR } from '../harness/agentServer';
import { waitFor } from '../harness/until';
import { runCommand, screenshot, SELECTORS } from '../runner/browser';
import { closeWorkbench, e2e, useWorkbench, type Workbench } from './setup';
import { panelFrame } from './workbench';

const SHOTS = 'e2e';

/** The process groups of processes running in `dir` (the CLI and its server run there). */
function groupsIn(dir: string): number[] {
  const groups = new Set<number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readlinkSync(`/proc/${name}/cwd`) !== dir) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state !== 'Z') groups.add(Number(pgrp));
    } catch {
      /* ended while read, or not ours to read */
    }
  }
  return [...groups];
}

describe('e2e: the daily loop on the workspace dev server, in a real browser', function () {
  this.timeout(300_000);
  let wb: Workbench;
  const folder = `daily-${randomUUID().slice(0, 6)}`;
  const deploymentName = `${folder} (dev server)`;
  let dir: string;

  // The project is on disk before the workbench opens: the view finds it at its first scan.
  before(() => {
    dir = join(e2e().codeServer.workspace, folder);
    mkdirSync(dir, { recursive: true });
    const graph = (g: string) => `${relative(dir, join(FIXTURE_DIR, 'src', `${g}.ts`))}:graph`;
    writeFileSync(join(dir, 'langgraph.json'), JSON.stringify({ node_version: '20', dependencies: [relative(dir, FIXTURE_DIR)], graphs: { agent: graph('agent') } }, null, 2));
    symlinkSync(join(FIXTURE_DIR, 'node_modules'), join(dir, 'node_modules'));
    writeFileSync(join(dir, 'weather.run.json'), JSON.stringify({ assistant_id: 'agent', thread_id: 'new', input: { messages: [{ role: 'user', content: "what's the weather in sf" }] } }, null, 2));
  });

  const opened = useWorkbench(SHOTS);
  before(() => {
    wb = opened();
  });

  after(async function () {
    this.timeout(60_000);
    // A test that failed midway may have left the server running: Stop it as a person would, then
    // end what is still left of its group.
    if (wb && groupsIn(dir).length > 0) await clickInline(projectRowOf(wb), 'Stop Dev Server').catch(() => undefined);
    await waitFor('the dev server to stop', () => groupsIn(dir).length === 0, { timeoutMs: 15_000 }).catch(() => undefined);
    for (const group of groupsIn(dir)) signalGroup(group, 'SIGKILL');
    await closeWorkbench(wb);
    rmSync(dir, { recursive: true, force: true }); // the node_modules symlink is removed, not followed
  });

  const projectRowOf = (w: Workbench) => w.page.locator(SELECTORS.sidebarRows).filter({ hasText: folder }).filter({ hasNotText: '(dev server)' });

  /** A row's inline action: shown on hover, clicked by its title. */
  async function clickInline(row: Locator, title: string): Promise<void> {
    await row.hover();
    await row.locator(`.actions .action-label[aria-label="${title}"]`).click({ timeout: 10_000 });
  }

  it('Start Dev Server on the project row, a run file run on it, its answer in the panel, and Stop removes it', async () => {
    const { page } = wb;
    await page.locator(SELECTORS.activityBarItem('LangGraph')).first().click();
    const rows = page.locator(SELECTORS.sidebarRows);
    const projectRow = projectRowOf(wb);
    await projectRow.waitFor({ timeout: 60_000 });
    assert.match(await projectRow.innerText(), /JS · stopped/);
    const labels = await rows.allInnerTexts();
    assert.ok(labels.findIndex((t) => t.includes(folder)) < labels.findIndex((t) => t.includes('Example deployment')), `the project comes above the deployments: ${labels.join(' | ')}`);

    await clickInline(projectRow, 'Start Dev Server');
    const running = await waitFor('the project row to show it running', async () => {
      const text = await projectRow.innerText();
      return /JS · running on port \d+/.test(text) && text;
    }, { timeoutMs: 120_000, everyMs: 500 });
    const port = /running on port (\d+)/.exec(running)![1];
    const deploymentRow = rows.filter({ hasText: deploymentName });
    await deploymentRow.waitFor({ timeout: 30_000 });
    assert.ok(groupsIn(dir).length > 0, 'its process group runs in the project folder');

    // The run file's CodeLens "Run": it asks which deployment, waits for the run and opens its result.
    await runCommand(page, 'Go to File');
    await page.locator(SELECTORS.quickInput).fill(`${folder}/weather.run.json`);
    await page.locator(SELECTORS.quickInputRows, { hasText: 'weather.run.json' }).first().click();
    await page.locator('.codelens-decoration a').filter({ hasNotText: 'background' }).filter({ hasText: 'Run' }).first().click({ timeout: 60_000 });
    const pick = page.locator(SELECTORS.quickInputRows, { hasText: deploymentName });
    await pick.waitFor({ timeout: 30_000 });
    assert.match(await pick.innerText(), new RegExp(`127\\.0\\.0\\.1:${port}`), 'the dev server\'s own URL');
    await pick.click();

    const answer = await waitFor('the answer in the thread panel', async () => {
      const frame = await panelFrame(page, 5_000).catch(() => undefined);
      const text = frame ? await frame.locator('.last .msg-body').first().textContent({ timeout: 1_000 }).catch(() => '') : '';
      return text?.includes('60 degrees and foggy') && text;
    }, { timeoutMs: 120_000, everyMs: 500 });
    assert.match(answer, /It's 60 degrees and foggy in/);
    await screenshot(page, SHOTS, 'daily-loop');

    await clickInline(projectRow, 'Stop Dev Server');
    await deploymentRow.waitFor({ state: 'detached', timeout: 30_000 });
    await waitFor('the project row to show it stopped', async () => /JS · stopped/.test(await projectRow.innerText()), { timeoutMs: 30_000, everyMs: 500 });
    await waitFor('no process of its group to be left', () => groupsIn(dir).length === 0, { timeoutMs: 15_000 });
  });
});
