import { strict as assert } from 'node:assert';
import { MAX_STORED_TEXT, MemoryStorage, readPersisted } from '../../../src/core/tracker/storage';
import { settle } from './fakes';
import { followRuns, ref, rig } from './harness';

describe('tracker: persistence across reloads', () => {
  it('saves what it follows; a new tracker from that storage resumes every run and reports each once', async () => {
    const first = rig();
    await followRuns(first, ['a', 'b', 'c']);
    first.tracker.follow(ref('d'), { label: 'slow' });
    first.backend.addRun('d');
    first.backend.finish('c', 'success');
    await settle();
    first.tracker.dispose(); // the window reloads
    const saved = readPersisted(first.storage.value);
    assert.deepEqual(saved.runs.map((x) => x.runId).sort(), ['a', 'b', 'd']);
    assert.equal(saved.runs.find((x) => x.runId === 'd')!.label, 'slow');
    assert.deepEqual(saved.recent.map((x) => x.runId), ['c']);

    // A new tracker over the same storage and server, as activate() builds it.
    const second = rig({ storage: first.storage, backend: first.backend, clock: first.clock });
    first.backend.finish('a', 'success'); // ended while the window was away
    assert.equal(second.tracker.resume(), 3);
    await settle();
    assert.deepEqual(second.ended.map((e) => e.runId), ['a']);
    assert.equal(second.tracker.list().length, 2);
    assert.equal(second.tracker.list().find((x) => x.runId === 'd')!.label, 'slow');
    assert.deepEqual(second.tracker.recent().map((x) => x.runId), ['a', 'c']);
    assert.equal(second.tracker.follow(ref('c')).kind, 'already-ended', 'what ended before the reload is not followed again');
    first.backend.finish('b', 'success');
    first.backend.finish('d', 'success');
    await settle();
    assert.deepEqual(second.ended.map((e) => e.runId), ['a', 'b', 'd']);
    assert.deepEqual(readPersisted(second.storage.value).runs, []);
  });

  it('saves at most once per turn, however many runs change together', async () => {
    const r = rig();
    await followRuns(r, ['a', 'b', 'c', 'd', 'e']);
    const before = r.storage.saves;
    for (const id of ['a', 'b', 'c', 'd', 'e']) r.backend.finish(id, 'success');
    await settle();
    assert.equal(r.ended.length, 5);
    assert.ok(r.storage.saves - before <= 3, `${r.storage.saves - before} saves`);
  });

  it('reads damaged or old storage without throwing, keeping the entries that read', () => {
    assert.deepEqual(readPersisted(undefined).runs, []);
    assert.deepEqual(readPersisted('garbage').runs, []);
    assert.deepEqual(readPersisted({ version: 2, runs: [ref('a')] }).runs, []);
    const state = readPersisted({
      version: 1,
      runs: [ref('a'), { runId: 'no-thread' }, null, 42, { ...ref('b'), followedAt: 'yesterday', suspect: 7 }],
      recent: [{ ...ref('c'), outcome: 'succeeded', status: 'success', endedAt: 5 }, { ...ref('d'), outcome: 'exploded', status: 'x' }],
    });
    assert.deepEqual(state.runs.map((r) => r.runId), ['a', 'b']);
    assert.equal(state.runs[1]!.followedAt, 0);
    assert.equal(state.runs[1]!.suspect, undefined);
    assert.deepEqual(state.recent.map((r) => r.runId), ['c']);
  });

  it("clips a run's error to a few KB in storage, on save and on load, and keeps short ones as they are", async () => {
    const r = rig();
    await followRuns(r, ['huge', 'small']);
    const huge = `Traceback: ${'x'.repeat(2 * 1024 * 1024)}`;
    r.backend.finish('huge', 'error', { kind: 'error', message: huge });
    r.backend.finish('small', 'error', { kind: 'error', message: 'ValueError: bad\ninput' });
    await settle();
    const stored = r.storage.value as { recent: { runId: string; error?: string }[] };
    const error = (id: string) => stored.recent.find((e) => e.runId === id)!.error!;
    assert.ok(error('huge').length <= MAX_STORED_TEXT, `${error('huge').length} characters stored`);
    assert.ok(error('huge').startsWith('Traceback: xxx') && error('huge').endsWith('…'));
    assert.equal(error('small'), 'ValueError: bad\ninput');
    assert.ok(JSON.stringify(r.storage.value).length < 20_000);

    // State saved before the clip existed is clipped when it is read.
    const old = readPersisted({ version: 1, runs: [], recent: [{ ...ref('o'), outcome: 'failed', status: 'error', error: huge, question: huge }] });
    assert.ok(old.recent[0]!.error!.length <= MAX_STORED_TEXT);
    assert.ok(old.recent[0]!.question!.length <= MAX_STORED_TEXT);
  });

  it('resumes a run persisted as suspect without joining it, and a cancel in progress as such', async () => {
    const storage = new MemoryStorage({
      version: 1,
      runs: [
        { ...ref('s'), followedAt: 1, suspect: 'It may be stuck.' },
        { ...ref('k'), followedAt: 2, cancelRequested: true },
      ],
      recent: [],
    });
    const r = rig({ storage });
    r.backend.addRun('s');
    r.backend.addRun('k');
    r.tracker.resume();
    await settle();
    assert.deepEqual(r.backend.calls, ['join k']);
    r.backend.finish('k', 'error', { kind: 'error', message: 'interrupt' });
    await settle();
    assert.equal(r.ended[0]!.outcome, 'cancelled');
  });
});
