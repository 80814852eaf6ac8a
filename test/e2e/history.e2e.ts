import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import type { Frame } from 'playwright-core';
import { userInput } from '../harness/messages';
import { screenshot } from '../runner/browser';
import { closeWorkbench, useWorkbench, type Workbench } from './setup';
import { openThreadFromPalette, panelFrame } from './workbench';

const SHOTS = 'e2e';

describe('e2e: the history view of a thread panel', function () {
  this.timeout(180_000);
  let wb: Workbench;

  const opened = useWorkbench(SHOTS);
  before(async () => {
    wb = opened();
  });

  after(() => closeWorkbench(wb));

  const rowIds = (frame: Frame) => frame.locator('.history-list > ol > .cp-row').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.id ?? ''));

  it('lists the checkpoints from the History button, shows a diff when one is clicked, and switches branches at a fork', async () => {
    const title = `e2e history ${randomUUID().slice(0, 6)}`;
    const thread = await wb.client.threads.create({ metadata: { title } });
    const threadId = thread.thread_id;
    await wb.client.runs.wait(threadId, { assistant_id: 'agent', input: userInput("what's the weather in sf") });
    const first = await wb.client.threads.history(threadId, { limit: 50 });
    const oldHead = first[0]!.checkpoint!.checkpoint_id!;
    // A second run from the checkpoint before the tools ran: the history forks there.
    const atTools = first.find((s) => s.next.includes('tools'))!.checkpoint!.checkpoint_id!;
    await wb.client.runs.wait(threadId, { assistant_id: 'agent', input: null, checkpoint_id: atTools });
    const newHead = (await wb.client.threads.history(threadId, { limit: 1 }))[0]!.checkpoint!.checkpoint_id!;

    await openThreadFromPalette(wb.page, { title, id: threadId });
    const frame = await panelFrame(wb.page);
    await frame.getByRole('button', { name: 'History', exact: true }).click();
    await frame.locator('.history-list .cp-row').first().waitFor({ timeout: 30_000 });
    const shown = await rowIds(frame);
    assert.equal(shown[0], newHead, 'the newest branch first');
    assert.ok(shown.includes(atTools) && !shown.includes(oldHead), shown.join(', '));
    assert.match((await frame.locator('.run-group').first().textContent()) ?? '', /^Run [0-9a-f]{8} · /);

    // Keyboard: focus the newest row, go down one, select it with Enter; then click the newest.
    const rows = frame.locator('.history-list > ol > .cp-row');
    await rows.first().focus();
    await wb.page.keyboard.press('ArrowDown');
    await wb.page.keyboard.press('Enter');
    await frame.locator(`.cp-row.selected[data-id="${shown[1]}"]`).waitFor({ timeout: 10_000 });
    await rows.first().click();
    const diff = frame.locator('.history-detail .diff');
    await diff.waitFor({ timeout: 30_000 });
    assert.match((await diff.textContent()) ?? '', /messages.*60 degrees and foggy/s, 'the answer written at that step, as a message');
    assert.equal(await frame.locator('.history-detail .diff-msg-added').count(), 1);
    await screenshot(wb.page, SHOTS, 'history-diff');

    // The fork: "branch 2 of 2" on the row after it; the previous branch is the first run's line.
    const switcher = frame.locator('.cp-branch');
    assert.match((await switcher.textContent()) ?? '', /branch 2 of 2/);
    await switcher.getByRole('button', { name: '‹' }).click();
    await frame.locator(`.history-list .cp-row[data-id="${oldHead}"]`).waitFor({ timeout: 10_000 });
    const other = await rowIds(frame);
    assert.equal(other[0], oldHead);
    assert.ok(!other.includes(newHead));
    assert.match((await frame.locator('.cp-branch').textContent()) ?? '', /branch 1 of 2/);
    await screenshot(wb.page, SHOTS, 'history-branch');
  });
});
