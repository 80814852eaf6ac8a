import { strict as assert } from 'node:assert';
import type { Run, ThreadState } from '../../src/api';
import type { RunEndReport } from '../../src/core/refs';
import {
  describeEnd,
  followedPhase,
  isActiveRun,
  outcomeOf,
  phaseOf,
  RUN_OUTCOMES,
  RUN_WORDS,
  severityOf,
  summarizeEnds,
  type RunOutcome,
  type RunPhase,
} from '../../src/core/runOutcome';
import { buildThreadView } from '../../src/core/threadView';
import { runRow } from '../../src/ui/tree/runRow';
import { settle } from './tracker/fakes';
import { followRuns, ref, rig } from './tracker/harness';

const end = (runId: string, outcome: RunOutcome, extra: Partial<RunEndReport> = {}): RunEndReport => ({
  ...ref(runId),
  status: 'success',
  outcome,
  endedAt: 0,
  ...extra,
});

describe('run outcome: one vocabulary', () => {
  it('knows which statuses are still going', () => {
    assert.deepEqual(['pending', 'running', 'success', 'error', 'interrupted', undefined].map(isActiveRun), [true, true, false, false, false, false]);
    assert.equal(followedPhase(undefined), 'running');
    assert.equal(followedPhase('pending'), 'pending');
  });

  it('reads the outcome from the run status, the thread status, a cancel and the error', () => {
    assert.equal(outcomeOf({ runStatus: 'success' }).outcome, 'succeeded');
    assert.equal(outcomeOf({ runStatus: 'success', threadStatus: 'interrupted' }).outcome, 'needs-input');
    assert.equal(outcomeOf({ runStatus: 'success', threadStatus: 'interrupted', interrupts: true }).outcome, 'needs-input');
    // Python leaves a thread "interrupted" with no interrupt after a cancel: a run before it succeeded.
    assert.equal(outcomeOf({ runStatus: 'success', threadStatus: 'interrupted', interrupts: false }).outcome, 'succeeded');
    assert.deepEqual(outcomeOf({ runStatus: 'error', error: 'boom' }), { outcome: 'failed', error: 'boom' });
    assert.deepEqual(outcomeOf({ runStatus: 'error' }), { outcome: 'failed', error: 'The server gave no message.' });
    assert.equal(outcomeOf({ runStatus: 'error', error: 'interrupt' }).outcome, 'cancelled');
    assert.equal(outcomeOf({ runStatus: 'error', cancelRequested: true }).outcome, 'cancelled');
    assert.equal(outcomeOf({ runStatus: 'interrupted' }).outcome, 'cancelled');
    assert.equal(outcomeOf({ runStatus: 'timeout' }).outcome, 'timed-out');
    assert.equal(outcomeOf({ runStatus: 'exploded' }).outcome, 'ended');
  });

  it('reads a run as its status while it goes, and as what the tracker saw once it ended', () => {
    assert.equal(phaseOf({ runStatus: 'running', ended: 'cancelled' }), 'running');
    assert.equal(phaseOf({ runStatus: 'error', ended: 'cancelled' }), 'cancelled');
    assert.equal(phaseOf({ runStatus: 'error' }), 'failed');
  });

  it('has words, an icon and a tone for every phase', () => {
    const phases: RunPhase[] = ['pending', 'running', ...RUN_OUTCOMES];
    for (const phase of phases) {
      const words = RUN_WORDS[phase];
      assert.ok(words.word && words.says && words.icon && words.tone, phase);
    }
  });

  it('words one end, and many ends as one summary', () => {
    assert.equal(describeEnd(end('1234567890', 'succeeded', { label: 'slow' })), 'Run slow · 12345678 succeeded.');
    assert.equal(describeEnd(end('abc', 'failed', { error: 'boom' })), 'Run abc failed: boom');
    assert.equal(describeEnd(end('abc', 'needs-input', { question: 'Do you approve the plan?' })), 'Run abc is waiting for input: Do you approve the plan?');
    assert.equal(describeEnd(end('abc', 'cancelled')), 'Run abc was cancelled.');
    assert.equal(describeEnd(end('abc', 'ended', { status: 'odd' })), 'Run abc ended with status "odd".');
    assert.equal(describeEnd(end('abc', 'unfollowable', { error: 'the key was refused' })), 'Stopped following run abc: the key was refused');
    assert.equal(
      summarizeEnds([end('a', 'succeeded'), end('b', 'failed', { error: 'x' }), end('c', 'succeeded'), end('d', 'needs-input'), end('e', 'cancelled')]),
      '5 runs finished: 2 succeeded, 1 waiting for input, 1 failed, 1 cancelled.',
    );
    assert.equal(severityOf([end('a', 'failed')]), 'error');
    assert.equal(severityOf([end('a', 'failed'), end('b', 'succeeded')]), 'warning');
    assert.equal(severityOf([end('a', 'succeeded'), end('b', 'cancelled')]), 'info');
  });
});

describe('run outcome: the same run reads the same word in the notification, the tree and the panel', () => {
  const run = (runId: string, status: string): Run =>
    ({ run_id: runId, thread_id: `t-${runId}`, assistant_id: 'asst-1', created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:01Z', status, metadata: { graph_id: 'slow' } }) as Run;
  const state = (runId: string): ThreadState => ({ values: {}, next: [], tasks: [], checkpoint: {}, metadata: { run_id: runId } }) as unknown as ThreadState;
  const otherWords = (word: string) => RUN_OUTCOMES.map((o) => RUN_WORDS[o].word).filter((w) => w !== word && !word.includes(w) && !w.includes(word));

  /** The three places, given the tracker's report and what the server says when asked again. */
  function say(report: RunEndReport, threadStatus: string) {
    const r = run(report.runId, report.status);
    return {
      notification: summarizeEnds([report]),
      tree: runRow(r, { threadStatus, ended: report.outcome }).description,
      panel: buildThreadView({ ref: report, deploymentName: 'Local', state: state(report.runId), run: r, thread: { status: threadStatus, metadata: {} }, ended: report }).run?.says ?? '',
    };
  }

  it('a run cancelled while it ran: "cancelled", never "failed"', async () => {
    const r = rig();
    await followRuns(r, ['c']);
    await r.tracker.cancel(ref('c'));
    await settle();
    const report = r.ended[0]!;
    assert.deepEqual([report.status, report.outcome], ['error', 'cancelled'], 'the server says error; the tracker knows it was cancelled');
    const said = say(report, 'idle');
    for (const [where, text] of Object.entries(said)) {
      assert.match(text, /cancelled/, where);
      assert.doesNotMatch(text, /failed/, where);
    }
  });

  it('every way a run ends reads in one word across the three', async () => {
    const cases: { id: string; status: string; threadStatus: string; answer?: { kind: 'values' | 'interrupted' | 'error'; message?: string } }[] = [
      { id: 'ok', status: 'success', threadStatus: 'idle' },
      { id: 'ask', status: 'success', threadStatus: 'interrupted', answer: { kind: 'interrupted' } },
      { id: 'bad', status: 'error', threadStatus: 'error', answer: { kind: 'error', message: 'boom' } },
      { id: 'slow', status: 'timeout', threadStatus: 'idle' },
      { id: 'pre', status: 'interrupted', threadStatus: 'idle' },
    ];
    const r = rig();
    await followRuns(r, cases.map((c) => c.id));
    for (const c of cases) r.backend.finish(c.id, c.status, c.answer ?? { kind: 'values' }, c.threadStatus);
    await settle();
    const seen = new Set<string>();
    for (const c of cases) {
      const report = r.ended.find((e) => e.runId === c.id)!;
      const { word } = RUN_WORDS[report.outcome];
      seen.add(word);
      for (const [where, text] of Object.entries(say(report, c.threadStatus))) {
        assert.ok(text.includes(word), `${c.id}: the ${where} says "${text}", not "${word}"`);
        for (const other of otherWords(word)) assert.ok(!text.includes(other), `${c.id}: the ${where} says "${text}" (also "${other}")`);
      }
    }
    assert.deepEqual([...seen].sort(), ['cancelled', 'failed', 'succeeded', 'timed out', 'waiting for input']);
  });
});

describe('a streamed run row says the node it is in', () => {
  it('adds "in <nodes>" to an active run only', () => {
    const run = { status: 'running', metadata: { graph_id: 'stream' }, assistant_id: 'a', created_at: new Date(Date.now() - 5_000).toISOString() };
    assert.match(runRow(run, { nodes: ['model', 'research › gather'] }).description, /^running · in model, research › gather · /);
    assert.doesNotMatch(runRow({ ...run, status: 'success' }, { nodes: ['model'] }).description, / in model/);
    assert.doesNotMatch(runRow(run, {}).description, / in /);
  });
});
