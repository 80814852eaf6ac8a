import { strict as assert } from 'node:assert';
import { Pager } from '../../src/ui/tree/pager';
import type { Page } from '../../src/api';

function pagerOver(pages: (string[] | Error)[], pageSize = 2) {
  const calls: number[] = [];
  const pager = new Pager<string>(
    async (offset, limit): Promise<Page<string>> => {
      calls.push(offset);
      const next = pages.shift();
      if (next instanceof Error) throw next;
      const items = next ?? [];
      return { items, offset, limit, hasMore: items.length >= limit };
    },
    (s) => s,
    () => pageSize,
  );
  return { pager, calls };
}

describe('Pager', () => {
  it('loads the first page once, appends later pages and skips items seen on an earlier page', async () => {
    const { pager, calls } = pagerOver([['a', 'b'], ['b', 'c'], ['d']]);
    assert.deepEqual(await pager.current(), ['a', 'b']);
    assert.deepEqual(await pager.current(), ['a', 'b']);
    assert.equal(pager.hasMore, true);
    await pager.next();
    assert.deepEqual(await pager.current(), ['a', 'b', 'c']);
    await pager.next();
    assert.deepEqual(await pager.current(), ['a', 'b', 'c', 'd']);
    assert.equal(pager.hasMore, false);
    assert.deepEqual(calls, [0, 2, 4]);
  });

  it('asks once when "Load more" is clicked twice quickly', async () => {
    const { pager, calls } = pagerOver([['a', 'b'], ['c', 'd']]);
    await pager.current();
    await Promise.all([pager.next(), pager.next()]);
    assert.deepEqual(calls, [0, 2]);
  });

  it('keeps the error, keeps what it had, and starts over after reset', async () => {
    const { pager } = pagerOver([['a', 'b'], new Error('down'), ['x']]);
    await pager.current();
    await pager.next();
    assert.equal((pager.error as Error).message, 'down');
    assert.equal(pager.hasMore, false);
    assert.deepEqual(await pager.current(), ['a', 'b']);
    pager.reset();
    assert.deepEqual(await pager.current(), ['x']);
    assert.equal(pager.error, undefined);
  });
});
