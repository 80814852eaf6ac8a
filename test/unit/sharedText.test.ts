import { strict as assert } from 'node:assert';
import { isRecord } from '../../src/shared/isRecord';
import { clip, MAX_MESSAGE, plural, truncate } from '../../src/shared/text';

describe('shared helpers', () => {
  it('clip: one line, at most max characters, "…" when cut', () => {
    assert.equal(clip('  a\n\n b\tc  ', 10), 'a b c');
    assert.equal(clip('abcdefghij', 5), 'abcd…');
    assert.equal(clip('abcde', 5), 'abcde');
    assert.equal(clip('x'.repeat(MAX_MESSAGE + 1)).length, MAX_MESSAGE);
  });

  it('truncate: the lines kept, at most max characters', () => {
    assert.equal(truncate('a\nb\nc', 10), 'a\nb\nc');
    assert.equal(truncate('a\nbcdef', 4), 'a\nb…');
  });

  it('plural and isRecord', () => {
    assert.deepEqual([plural(1, 'run'), plural(3, 'run'), plural(1000, 'message')], ['1 run', '3 runs', '1,000 messages']);
    assert.deepEqual([{}, [], null, 'x', { a: 1 }].map(isRecord), [true, false, false, false, true]);
  });
});
