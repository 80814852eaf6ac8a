import { strict as assert } from 'node:assert';
import type { Frame, Page } from 'playwright-core';
import { waitFor } from '../harness/until';
import { runCommand, screenshot, SELECTORS } from '../runner/browser';
import { closeWorkbench, useWorkbench, type Workbench } from './setup';
import { openThreadFromPalette } from './workbench';

const SHOTS = 'e2e';

/** The frame of the graph panel's page once it has drawn a graph holding `nodeId`. */
function graphFrame(page: Page, nodeId: string, timeoutMs = 30_000): Promise<Frame> {
  const drawn = async () => {
    for (const frame of page.frames()) {
      const has = await frame.evaluate((id) => Array.from(document.querySelectorAll('svg.drawing .node')).some((n) => (n as SVGElement).dataset.id === id), nodeId).catch(() => false);
      if (has) return frame;
    }
    return undefined;
  };
  return waitFor(`a graph panel drawing ${nodeId}`, drawn, { timeoutMs, everyMs: 200 });
}

async function showGraphFromPalette(page: Page, graphId: string): Promise<void> {
  await runCommand(page, 'LangGraph: Show Graph');
  const input = page.locator(SELECTORS.quickInput);
  await page.locator(SELECTORS.quickInputRows).first().waitFor({ state: 'visible', timeout: 30_000 });
  await input.fill(graphId);
  await page.locator(SELECTORS.quickInputRows, { hasText: new RegExp(`^${graphId}`) }).first().click({ timeout: 30_000 });
}

const nodeIds = (frame: Frame) => frame.evaluate(() => Array.from(document.querySelectorAll('svg.drawing .node')).map((n) => (n as SVGElement).dataset.id ?? ''));

describe('e2e: Show Graph', function () {
  this.timeout(180_000);
  let wb: Workbench;

  const opened = useWorkbench(SHOTS);
  before(async () => {
    wb = opened();
  });

  // No menu left open by a test for the next (a context view makes the workbench behind it inert).
  afterEach(async () => {
    const menu = wb.page.locator('.context-view .monaco-menu');
    for (let i = 0; i < 3 && (await menu.isVisible().catch(() => false)); i++) await wb.page.keyboard.press('Escape');
  });

  after(() => closeWorkbench(wb));

  it("draws the agent graph from the palette: the server's nodes, start and end marked, the conditional edges dashed; zooms and pans", async () => {
    const raw = await wb.client.assistants.graph('agent', { xray: true });
    await showGraphFromPalette(wb.page, 'agent');
    const frame = await graphFrame(wb.page, 'agent');
    assert.deepEqual((await nodeIds(frame)).sort(), raw.nodes.map((n) => n.id).sort());
    assert.equal(await frame.locator('.node.kind-start').count(), 1);
    assert.equal(await frame.locator('.node.kind-end').count(), 1);
    const dashed = await frame.locator('.edge.conditional path').evaluateAll((ps) => ps.map((p) => getComputedStyle(p).strokeDasharray));
    assert.equal(dashed.length, raw.edges.filter((e) => e.conditional === true).length);
    assert.ok(dashed.every((d) => d && d !== 'none'), dashed.join(' | '));
    // Text from the server is text: the labels as the nodes' names.
    assert.deepEqual((await frame.locator('.node-label').allTextContents()).sort(), ['agent', 'end', 'start', 'tools']);
    await screenshot(wb.page, SHOTS, 'graph-agent');

    const transform = () => frame.locator('g.graph').getAttribute('transform');
    const fitted = await transform();
    await frame.locator('.canvas').focus();
    await wb.page.keyboard.press('+');
    const zoomed = await transform();
    assert.notEqual(zoomed, fitted, 'the + key zooms');
    await wb.page.keyboard.press('ArrowLeft');
    assert.notEqual(await transform(), zoomed, 'an arrow key pans');
    await frame.getByRole('button', { name: 'Fit', exact: true }).click();
    assert.equal(await transform(), fitted, 'Fit puts it back');
  });

  it("a node's right-click menu (VS Code's own): Go to Node Definition, Pause Before / After This Node, no Cut/Copy/Paste; Pause Before sets the node's breakpoint", async () => {
    await showGraphFromPalette(wb.page, 'agent');
    const frame = await graphFrame(wb.page, 'tools');
    const marked = frame.locator('.bp.bp-before.on[data-node="tools"]');
    const list = frame.locator('.bp-list');
    // A fresh workbench: none set yet.
    await list.filter({ hasText: 'No breakpoints' }).waitFor({ timeout: 10_000 });
    // The workbench draws the menu (code-server: in the page, not a native one).
    const items = wb.page.locator('.context-view .monaco-menu .action-item .action-label');
    const menuOf = async (node: string): Promise<string[]> => {
      await frame.locator(`.node[data-id="${node}"] .node-label`).click({ button: 'right' });
      await items.first().waitFor({ state: 'visible', timeout: 10_000 });
      return (await items.allTextContents()).map((t) => t.trim()).filter(Boolean);
    };
    // By the keyboard, as a person can: a click just after the menu opens can be taken for the
    // right-click's own and ignored. The menu closes once the item is chosen; else it is chosen again.
    const menu = wb.page.locator('.context-view .monaco-menu');
    const focused = wb.page.locator('.context-view .monaco-menu .action-item.focused');
    const choose = async (label: string) => {
      for (let tries = 0; ; tries++) {
        for (let i = 0; i < 6 && !((await focused.textContent().catch(() => '')) ?? '').includes(label); i++) await wb.page.keyboard.press('ArrowDown');
        await focused.filter({ hasText: label }).waitFor({ timeout: 5_000 });
        await wb.page.keyboard.press('Enter');
        const closed = await menu.waitFor({ state: 'hidden', timeout: 3_000 }).then(() => true, () => false);
        if (closed) return;
        if (tries >= 2) throw new Error(`the menu did not take "${label}"`);
      }
    };
    assert.deepEqual(await menuOf('tools'), ['Go to Node Definition', 'Pause Before This Node', 'Pause After This Node']);
    await screenshot(wb.page, SHOTS, 'graph-node-menu');
    await choose('Pause Before This Node');
    await marked.waitFor({ timeout: 10_000 });
    assert.match((await list.textContent()) ?? '', /^Breakpoints:● before tools ×Clear all$/);
    // Again: off.
    assert.deepEqual(await menuOf('tools'), ['Go to Node Definition', 'Pause Before This Node', 'Pause After This Node']);
    await choose('Pause Before This Node');
    await list.filter({ hasText: 'No breakpoints' }).waitFor({ timeout: 10_000 });
    assert.equal(await marked.count(), 0);
    await menu.waitFor({ state: 'hidden', timeout: 5_000 });
  });

  it('highlights the running node of an agent run mid-run (streamed in its thread panel), finished nodes with their step count', async () => {
    const title = `graph live ${Date.now()}`;
    const thread = await wb.client.threads.create({ metadata: { title } });
    // Slow in its final step (delay_ms before the answer): agent and tools done, agent running.
    const run = await wb.client.runs.create(thread.thread_id, {
      assistant_id: 'agent',
      input: { messages: [{ role: 'user', content: "what's the weather in sf" }] },
      context: { delay_ms: 20_000 },
      stream_mode: ['messages-tuple', 'tasks', 'custom'],
      stream_subgraphs: true,
      stream_resumable: true,
    });
    try {
      // The thread panel streams the active run; the graph reads the same stream.
      // Out of the graph page left focused by the test before (its keys stay in its frame).
      await wb.page.locator('.part.sidebar').first().click();
      await openThreadFromPalette(wb.page, { title, id: thread.thread_id });
      // The thread page streaming the run (not the graph page, also open): then the palette is ours again.
      await waitFor('the thread panel streaming the run', async () => {
        for (const frame of wb.page.frames()) if (await frame.locator('.live-head').count().catch(() => 0)) return true;
        return undefined;
      }, { timeoutMs: 60_000, everyMs: 200 });
      await showGraphFromPalette(wb.page, 'agent');
      const frame = await graphFrame(wb.page, 'agent');
      const running = frame.locator('.node.running');
      await frame.locator('.node.running[data-id="agent"]').waitFor({ timeout: 60_000 });
      await frame.locator('.node.done[data-id="tools"] .steps-badge').waitFor({ timeout: 30_000 });
      assert.equal((await wb.client.runs.get(thread.thread_id, run.run_id)).status, 'running', 'caught while the run ran');
      assert.equal(await running.count(), 1);
      assert.equal(await running.locator('.node-label').textContent(), 'agent');
      assert.equal(await frame.locator('.node.done[data-id="agent"] .steps-badge text').textContent(), '1');
      assert.equal(await frame.locator('.node.done[data-id="tools"] .steps-badge text').textContent(), '1');
      const taken = await frame.locator('.edge.taken').evaluateAll((es) => es.map((e) => `${(e as SVGElement).dataset.source} -> ${(e as SVGElement).dataset.target}`).sort());
      assert.deepEqual(taken, ['__start__ -> agent', 'agent -> tools', 'tools -> agent']);
      const stroke = await running.locator('rect').first().evaluate((r) => getComputedStyle(r).strokeWidth);
      assert.equal(stroke, '3px', 'the running node is drawn thicker');
      await screenshot(wb.page, SHOTS, 'graph-agent-running');
    } finally {
      await wb.client.runs.cancel(thread.thread_id, run.run_id).catch(() => undefined);
    }
  });

  it("marks the node whose task failed, its error in the mark's tooltip, in a graph opened from the failed thread's panel", async () => {
    const title = `graph failed ${Date.now()}`;
    const thread = await wb.client.threads.create({ metadata: { title } });
    await wb.client.runs.wait(thread.thread_id, { assistant_id: 'agent', input: { messages: [{ role: 'user', content: 'please fail now' }] }, context: { fail: true } }).then(
      () => assert.fail('the run was asked to fail'),
      (error: unknown) => assert.match(String(error), /Deliberate failure/),
    );
    await wb.page.locator('.part.sidebar').first().click();
    await openThreadFromPalette(wb.page, { title, id: thread.thread_id });
    // The thread page's Graph button (the page holding this thread's title).
    const graphButton = await waitFor('the thread page\'s Graph button', async () => {
      for (const frame of wb.page.frames()) {
        const button = frame.locator('button', { hasText: /^Graph$/ });
        if ((await frame.locator('h1', { hasText: title }).count().catch(() => 0)) && (await button.count().catch(() => 0))) return button.first();
      }
      return undefined;
    }, { timeoutMs: 30_000, everyMs: 200 });
    await graphButton.click();
    const frame = await graphFrame(wb.page, 'agent');
    const failed = frame.locator('.node.failed[data-id="agent"]');
    await failed.waitFor({ timeout: 30_000 });
    assert.equal(await frame.locator('.node.failed').count(), 1, 'one node failed');
    assert.match((await failed.locator('.failed-mark title').textContent()) ?? '', /^Failed: Deliberate failure requested by input: "please fail now"$/);
    assert.equal(await frame.locator('.node.done').count(), 0, 'no step done');
    const strokeOf = (node: string) => frame.locator(`.node[data-id="${node}"] rect`).first().evaluate((r) => getComputedStyle(r).stroke);
    assert.notEqual(await strokeOf('agent'), await strokeOf('tools'), 'the failed node is outlined in another colour');
    await screenshot(wb.page, SHOTS, 'graph-agent-failed');
  });

  it('expands the stream graph\'s research subgraph in place where the server sends its nodes', async () => {
    const raw = await wb.client.assistants.graph('stream', { xray: true });
    await showGraphFromPalette(wb.page, 'stream');
    const frame = await graphFrame(wb.page, 'research');
    const research = frame.locator('.node[data-id="research"]');
    if (!raw.nodes.some((n) => n.id.startsWith('research:'))) {
      // The JS server draws a subgraph of one node as that node, even with xray: nothing to expand.
      assert.equal(await research.getAttribute('class'), 'node kind-node subgraph opaque');
      await screenshot(wb.page, SHOTS, 'graph-subgraph-expanded');
      return;
    }
    await research.click();
    await frame.locator('.cluster[data-id="research"]').waitFor({ timeout: 10_000 });
    assert.deepEqual((await nodeIds(frame)).sort(), raw.nodes.map((n) => n.id).sort());
    await screenshot(wb.page, SHOTS, 'graph-subgraph-expanded');
    await frame.locator('.cluster[data-id="research"] .cluster-head').click();
    await frame.locator('.node[data-id="research"]').waitFor({ timeout: 10_000 });
  });
});
