import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { client } from './setup';

describe('integration: paging over many threads', () => {
  it('pages through 125 threads with no duplicate and no gap, and knows when it is done', async function () {
    this.timeout(120_000);
    const c = client();
    const tag = randomUUID();
    const created = new Set<string>();
    for (let i = 0; i < 125; i += 25) {
      const batch = await Promise.all(Array.from({ length: 25 }, (_, j) => c.threads.create({ metadata: { tag, i: i + j } })));
      batch.forEach((t) => created.add(t.thread_id));
    }
    assert.equal(await c.threads.count({ metadata: { tag } }), 125);

    const seen: string[] = [];
    let offset = 0;
    let pages = 0;
    for (;;) {
      const page = await c.threads.list({ metadata: { tag }, select: ['thread_id', 'updated_at'], limit: 50, offset });
      pages++;
      seen.push(...page.items.map((t) => t.thread_id));
      offset += page.items.length;
      if (!page.hasMore) break;
      assert.ok(pages < 10, 'paging ends');
    }
    assert.equal(pages, 3);
    assert.equal(seen.length, 125);
    assert.equal(new Set(seen).size, 125, 'no duplicates');
    assert.deepEqual(new Set(seen), created, 'no gaps');
  });
});
