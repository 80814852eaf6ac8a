import { strict as assert } from 'node:assert';
import { questionOf } from '../../../src/core/tracker/backend';
import { Batcher } from '../../../src/core/tracker/batcher';
import { FakeClock } from './fakes';

describe('tracker: interrupt questions and batched ends', () => {
  it('reads interrupt questions', () => {
    assert.deepEqual(questionOf([{ value: { question: 'Do you approve the plan?', options: ['yes', 'no'] } }]), { question: 'Do you approve the plan?' });
    assert.deepEqual(questionOf([{ value: 'Continue?' }]), { question: 'Continue?' });
    assert.deepEqual(questionOf([]), {});
  });

  it('batches ends within a window that opens at the first end', async () => {
    const clock = new FakeClock();
    const batches: string[][] = [];
    const batcher = new Batcher<string>(clock, 1_500, (items) => batches.push(items));
    batcher.add('a');
    await clock.advance(1_000);
    batcher.add('b');
    batcher.add('c');
    await clock.advance(499);
    assert.deepEqual(batches, []);
    await clock.advance(1);
    assert.deepEqual(batches, [['a', 'b', 'c']]);
    batcher.add('d');
    await clock.advance(1_500);
    assert.deepEqual(batches, [['a', 'b', 'c'], ['d']]);
    batcher.add('e');
    batcher.dispose();
    await clock.advance(5_000);
    assert.equal(batches.length, 2);
  });
});
