import { strict as assert } from 'node:assert';
import { decodeRunFile, describeProblem, parseRunFile } from '../../src/core/runFile';
import { BAD_RUN_FILES } from '../runFileCorpus';

describe('run files: the bad-file corpus, at the core level', () => {
  it('has at least 15 kinds of bad file', () => {
    assert.ok(BAD_RUN_FILES.length >= 15, `${BAD_RUN_FILES.length} entries`);
  });

  for (const bad of BAD_RUN_FILES) {
    it(`${bad.name}: says what and where, and gives nothing to send`, () => {
      const decoded = decodeRunFile(bad.bytes());
      const problems = decoded.ok ? (() => {
        const parsed = parseRunFile(decoded.text);
        assert.equal(parsed.ok, false, 'the file must not parse as a run file');
        return parsed.ok ? [] : parsed.problems;
      })() : [decoded.problem];
      const first = problems[0]!;
      assert.match(first.message, bad.expect);
      assert.deepEqual([first.line, first.column], bad.at, describeProblem(first));
      assert.equal(first.severity, 'error');
    });
  }
});
