import { strict as assert } from 'node:assert';
import { shortId } from '../../src/core/threadLabels';

describe('shortId: ids in 8 characters that tell things apart', () => {
  it('takes the first 8 of a random UUID and the last 8 of a time-ordered one (v1, v6, v7)', () => {
    assert.equal(shortId('3f2b8c1e-9d4a-4f6b-8a2c-1e5d7b9f0a3c'), '3f2b8c1e'); // v4 (JS threads and runs)
    // Python's threads and runs (v7) and both servers' checkpoints (v6): the first 8 are the time.
    const run1 = '01a234a9-ae54-700c-87d9-69e58f962bd0';
    const run2 = '01a234a9-b4c9-740b-9928-943b9931d518';
    assert.deepEqual([shortId(run1), shortId(run2)], ['8f962bd0', '9931d518']);
    assert.equal(shortId('1f1edf1e-230b-6037-8004-b385af773f19'), 'af773f19');
    assert.equal(shortId('c232ab00-9414-11ec-b3c8-9f6bdeced846'), 'deced846'); // v1
    // Not a UUID: the first 8; short ids as they are.
    assert.equal(shortId('thread-with-a-long-name'), 'thread-w');
    assert.equal(shortId('abc'), 'abc');
  });
});
