import { strict as assert } from 'node:assert';
import { taskErrorMessage, questionOf } from '../../../src/core/tracker/backend';
import { Batcher } from '../../../src/core/tracker/batcher';
import { describeEnd, outcomeOf, severityOf, summarizeEnds, type RunEndReport } from '../../../src/core/tracker/outcome';
import { FakeClock } from './fakes';
import { ref } from './harness';

const end = (runId: string, outcome: RunEndReport['outcome'], extra: Partial<RunEndReport> = {}): RunEndReport => ({
  ...ref(runId),
  status: 'success',
  outcome,
  endedAt: 0,
  ...extra,
});

describe('tracker: outcomes and notifications', () => {
  it('reads the outcome from the run status, the join and the thread', () => {
    assert.equal(outcomeOf({ runStatus: 'success', cancelRequested: false }).outcome, 'succeeded');
    assert.equal(outcomeOf({ runStatus: 'success', threadStatus: 'interrupted', cancelRequested: false }).outcome, 'needs-input');
    assert.equal(outcomeOf({ runStatus: 'success', join: { kind: 'interrupted' }, cancelRequested: false }).outcome, 'needs-input');
    assert.deepEqual(outcomeOf({ runStatus: 'error', join: { kind: 'error', message: 'boom' }, cancelRequested: false }), { outcome: 'failed', error: 'boom' });
    assert.deepEqual(outcomeOf({ runStatus: 'error', cancelRequested: false }), { outcome: 'failed', error: 'The server gave no message.' });
    assert.equal(outcomeOf({ runStatus: 'error', join: { kind: 'error', message: 'interrupt' }, cancelRequested: false }).outcome, 'cancelled');
    assert.equal(outcomeOf({ runStatus: 'error', cancelRequested: true }).outcome, 'cancelled');
    assert.equal(outcomeOf({ runStatus: 'interrupted', cancelRequested: false }).outcome, 'cancelled');
    assert.equal(outcomeOf({ runStatus: 'exploded', cancelRequested: false }).outcome, 'ended');
  });

  it('words one end, and many ends as one summary', () => {
    assert.equal(describeEnd(end('1234567890', 'succeeded', { label: 'slow' })), 'Run slow · 12345678 succeeded.');
    assert.equal(describeEnd(end('abc', 'failed', { error: 'boom' })), 'Run abc failed: boom');
    assert.equal(describeEnd(end('abc', 'needs-input', { question: 'Do you approve the plan?' })), 'Run abc is waiting for input: Do you approve the plan?');
    assert.equal(
      summarizeEnds([end('a', 'succeeded'), end('b', 'failed', { error: 'x' }), end('c', 'succeeded'), end('d', 'needs-input')]),
      '4 runs finished: 2 succeeded, 1 waiting for input, 1 failed.',
    );
    assert.equal(severityOf([end('a', 'failed')]), 'error');
    assert.equal(severityOf([end('a', 'failed'), end('b', 'succeeded')]), 'warning');
    assert.equal(severityOf([end('a', 'succeeded'), end('b', 'cancelled')]), 'info');
  });

  it('reads the JS server task error and interrupt questions', () => {
    assert.equal(taskErrorMessage('{"message":"Deliberate failure requested by input: \\"hi\\"","name":"Error"}'), 'Deliberate failure requested by input: "hi"');
    assert.equal(taskErrorMessage('{"message":"too deep","name":"GraphRecursionError"}'), 'GraphRecursionError: too deep');
    assert.equal(taskErrorMessage('plain words'), 'plain words');
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
