import { strict as assert } from 'node:assert';
import { backoffDelay, retryAfterMs, sleep } from '../../src/api/backoff';

describe('backoff', () => {
  it('doubles from the base, stays within [half, full] and never passes the cap', () => {
    const low = (n: number) => backoffDelay(n, { baseMs: 1000, capMs: 30_000, random: () => 0 });
    const high = (n: number) => backoffDelay(n, { baseMs: 1000, capMs: 30_000, random: () => 1 });
    assert.deepEqual([0, 1, 2, 3, 4, 5, 10].map(high), [1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    assert.deepEqual([0, 1, 2].map(low), [500, 1000, 2000]);
  });

  it('reads Retry-After as seconds or as a date', () => {
    assert.equal(retryAfterMs('3'), 3000);
    assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 4_000), 6_000);
    assert.equal(retryAfterMs('soon'), undefined);
    assert.equal(retryAfterMs(undefined), undefined);
  });

  it('sleep ends early when its signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('stop')), 10);
    await assert.rejects(sleep(60_000, controller.signal), /stop/);
    assert.ok(Date.now() - started < 5_000);
  });
});
