/**
 * HistoryPager on an in-memory history that pages as both servers do (newest first, `before` =
 * a checkpoint id, `limit`): no checkpoint twice, none skipped, the writers of each step from its
 * parent's tasks (one checkpoint looked ahead; later pages complete a fork's children), and the
 * summaries, run groups and subgraph nesting made from both servers' shapes.
 */
import { strict as assert } from 'node:assert';
import type { ThreadState } from '../../src/api';
import { groupByRun, nestSubgraphs, parentNamespace, writtenBy } from '../../src/core/history/historyGroups';
import { HistoryPager, newestWriters, summarize, type HistorySource } from '../../src/core/history/historyPages';

interface Spec {
  id: string;
  parent?: string;
  step?: number;
  source?: string;
  run?: string;
  tasks?: string[];
  ns?: string;
  extra?: Partial<ThreadState>;
}

function state(spec: Spec): ThreadState {
  const ns = spec.ns ?? '';
  return {
    values: { n: spec.step },
    next: spec.tasks ?? [],
    tasks: (spec.tasks ?? []).map((name, i) => ({ id: `${spec.id}-t${i}`, name, interrupts: [] })),
    metadata: { step: spec.step, source: spec.source ?? 'loop', ...(spec.run ? { run_id: spec.run } : {}), parents: {} },
    created_at: `2026-12-01T00:00:${String(spec.step ?? 0).padStart(2, '0')}Z`,
    checkpoint: { thread_id: 't', checkpoint_id: spec.id, checkpoint_ns: ns },
    parent_checkpoint: spec.parent ? { thread_id: 't', checkpoint_id: spec.parent, checkpoint_ns: ns } : null,
    ...spec.extra,
  };
}

/** A linear history of `n` steps, newest first: c0 is the input, each step's task is `node<i>`. */
function linear(n: number, run = 'r1'): ThreadState[] {
  const out: ThreadState[] = [];
  for (let i = 0; i < n; i++) {
    out.unshift(state({ id: `c${String(i).padStart(4, '0')}`, parent: i ? `c${String(i - 1).padStart(4, '0')}` : undefined, step: i - 1, source: i ? 'loop' : 'input', run, tasks: i < n - 1 ? [`node${i}`] : [] }));
  }
  return out;
}

/** Pages `all` (newest first) as the servers do, and records each request. */
function source(all: () => ThreadState[], asked: { limit: number; before?: string; checkpointNs?: string }[] = []): HistorySource {
  return async (params) => {
    asked.push(params);
    const list = all();
    const from = params.before ? list.findIndex((s) => s.checkpoint?.checkpoint_id === params.before) + 1 : 0;
    return list.slice(from, from + params.limit);
  };
}

describe('unit: history pages', () => {
  it('pages 253 checkpoints newest first, none twice and none skipped, each step with its writer', async () => {
    const all = linear(253);
    const asked: { limit: number; before?: string }[] = [];
    const pager = new HistoryPager(source(() => all, asked), { pageSize: 40 });
    const seen: string[] = [];
    let pages = 0;
    while (pager.hasMore) {
      const page = await pager.next();
      pages++;
      assert.deepEqual(page.updated, [], 'without forks the looked-ahead parent is enough');
      seen.push(...page.items.map((c) => c.id));
    }
    assert.equal(pages, 7);
    assert.deepEqual(seen, all.map((s) => s.checkpoint!.checkpoint_id));
    assert.equal(new Set(seen).size, 253);
    assert.deepEqual(asked.map((a) => a.limit), [41, 41, 41, 41, 41, 41, 41]);
    assert.equal(asked[0]!.before, undefined);
    assert.equal(asked[1]!.before, seen[39], 'the next page starts before the last shown');
    for (const c of pager.checkpoints) {
      const i = Number(c.id.slice(1));
      assert.deepEqual(c.writers, i === 0 ? [] : [`node${i - 1}`], c.id);
    }
    assert.deepEqual(writtenBy(pager.checkpoints.at(-1)!), ['input']);
    const after = asked.length;
    assert.deepEqual(await pager.next(), { items: [], updated: [], hasMore: false });
    assert.equal(asked.length, after, 'nothing asked after the end');
  });

  it('ends on a page shorter than asked, and on an exactly full last page one request later', async () => {
    const exact = linear(20);
    const asked: { limit: number }[] = [];
    const pager = new HistoryPager(source(() => exact, asked), { pageSize: 10 });
    assert.equal((await pager.next()).hasMore, true);
    const second = await pager.next();
    assert.equal(second.items.length, 10);
    assert.equal(second.hasMore, false, 'ten of eleven asked: the end');
    assert.equal(asked.length, 2);
  });

  it('completes the writers of a fork child when its parent comes on a later page', async () => {
    // b0 forks from a1; b0 is newer than the whole a-line, so it comes first, its parent pages later.
    const all = [
      state({ id: 'b1', parent: 'b0', step: 3 }),
      state({ id: 'b0', parent: 'a1', step: 2, tasks: ['agent'] }),
      state({ id: 'a3', parent: 'a2', step: 3 }),
      state({ id: 'a2', parent: 'a1', step: 2, tasks: ['agent'] }),
      state({ id: 'a1', parent: 'a0', step: 1, tasks: ['tools'] }),
      state({ id: 'a0', step: 0, source: 'input', tasks: ['agent'] }),
    ];
    const pager = new HistoryPager(source(() => all), { pageSize: 2 });
    const first = await pager.next();
    assert.deepEqual(first.items.map((c) => [c.id, c.writers]), [['b1', ['agent']], ['b0', undefined]]);
    const second = await pager.next();
    assert.deepEqual(second.items.map((c) => c.id), ['a3', 'a2']);
    assert.deepEqual(second.updated.map((c) => [c.id, c.writers]), [['b0', ['tools']]], 'a1, looked ahead at, ran tools');
    const third = await pager.next();
    assert.deepEqual(third.items.map((c) => [c.id, c.writers]), [['a1', ['agent']], ['a0', []]]);
    assert.deepEqual(third.updated, []);
    assert.deepEqual(pager.checkpoints.find((c) => c.id === 'b0')!.writers, ['tools'], 'the kept list has it too');
  });

  it('stops without repeating anything when a server ignores before', async () => {
    const all = linear(30);
    const pager = new HistoryPager(async (p) => all.slice(0, p.limit), { pageSize: 10 });
    assert.equal((await pager.next()).items.length, 10);
    const again = await pager.next();
    assert.deepEqual(again.items, []);
    assert.equal(again.hasMore, false);
    assert.equal(pager.checkpoints.length, 10);
  });

  it('puts checkpoints made since (a run, a fork) first with newer(), reading only down to the known ones', async () => {
    let all = linear(12);
    const asked: { limit: number; before?: string }[] = [];
    const pager = new HistoryPager(source(() => all, asked), { pageSize: 5 });
    await pager.next();
    all = [state({ id: 'f1', parent: 'f0', step: 5 }), state({ id: 'f0', parent: 'c0003', step: 3, source: 'update', tasks: ['agent'] }), ...all];
    const fresh = await pager.newer();
    assert.deepEqual(fresh.items.map((c) => c.id), ['f1', 'f0']);
    assert.deepEqual(pager.checkpoints.slice(0, 3).map((c) => c.id), ['f1', 'f0', 'c0011']);
    assert.deepEqual(fresh.items[1]!.writers, [], 'an update names no node');
    assert.equal(asked.length, 2);
    // Paging on goes on below the oldest read, not below the new ones.
    const older = await pager.next();
    assert.deepEqual(older.items.map((c) => c.id), ['c0006', 'c0005', 'c0004', 'c0003', 'c0002']);
    assert.equal(older.updated.length, 0);
    assert.deepEqual(pager.checkpoints.find((c) => c.id === 'f1')!.writers, ['agent']);
  });

  it("pages a subgraph's checkpoints by namespace", async () => {
    const asked: { limit: number; checkpointNs?: string }[] = [];
    const pager = new HistoryPager(source(() => [], asked), { checkpointNs: 'research:1', pageSize: 5000 });
    await pager.next();
    assert.deepEqual(asked, [{ limit: 1000, checkpointNs: 'research:1' }], 'at most 999 + 1 (Python takes up to 1,000)');
  });

  it('newestWriters: the node(s) whose step wrote the newest checkpoint, from one page of two; none for a run\'s first step or an input', async () => {
    const asked: { limit: number }[] = [];
    assert.deepEqual(await newestWriters(source(() => linear(5), asked)), ['node3']);
    assert.deepEqual(asked, [{ limit: 2 }]);
    // linear(2): c0001 (step 0) was written by the input's task, node0; its own parent is the input.
    const first = [state({ id: 'c1', parent: 'c0', step: 0, run: 'r1', tasks: ['agent'] }), state({ id: 'c0', step: -1, source: 'input', run: 'r1', tasks: ['__start__'] })];
    assert.deepEqual(await newestWriters(source(() => first)), [], 'the start is no node to stop after');
    assert.deepEqual(await newestWriters(source(() => first.slice(1))), [], 'an input checkpoint has no writer');
    assert.deepEqual(await newestWriters(source(() => [])), [], 'a thread with no checkpoint');
  });
});

describe('unit: checkpoint summaries', () => {
  it('reads step, source, run, time, task errors of both servers and interrupts once', () => {
    const s = state({
      id: 'c5',
      parent: 'c4',
      step: 4,
      run: 'r9',
      extra: {
        tasks: [
          { id: '1', name: 'agent', error: '{"message":"Deliberate failure requested by input: \\"x\\"","name":"Error"}', interrupts: [] },
          { id: '2', name: 'tools', error: "ValueError('bad city')", interrupts: [] },
          { id: '3', name: 'ask', interrupts: [{ id: 'i1', value: { question: 'ok?' } }] },
        ],
        // Python repeats the tasks' interrupts at the top level.
        interrupts: [{ id: 'i1', value: { question: 'ok?' } }, { id: 'i2', value: 'other' }],
      },
    });
    const c = summarize(s)!;
    assert.equal(c.id, 'c5');
    assert.equal(c.parentId, 'c4');
    assert.equal(c.step, 4);
    assert.equal(c.source, 'loop');
    assert.equal(c.runId, 'r9');
    assert.equal(c.createdAt, '2026-12-01T00:00:04Z');
    assert.equal(c.ns, '');
    assert.equal(c.parentStepId, undefined);
    assert.equal(c.writers, undefined, 'a step whose parent is not given: not known yet');
    assert.deepEqual(c.errors, [
      { task: 'agent', message: 'Deliberate failure requested by input: "x"' },
      { task: 'tools', message: 'ValueError: bad city' },
    ]);
    assert.deepEqual(c.interrupts, [
      { task: 'ask', id: 'i1', value: { question: 'ok?' } },
      { task: undefined, id: 'i2', value: 'other' },
    ]);
  });

  it('takes metadata.writes keys first, and the parent\'s finished tasks for a step', () => {
    const old = summarize(state({ id: 'c1', extra: { metadata: { step: 1, source: 'loop', writes: { agent: {}, tools: null } } } }))!;
    assert.deepEqual(old.writers, ['agent', 'tools']);
    const parent = state({ id: 'c0', step: 0, extra: { tasks: [{ id: 'a', name: 'a', interrupts: [] }, { id: 'b', name: 'b', error: 'boom', interrupts: [] }, { id: 'a2', name: 'a', interrupts: [] }] } });
    assert.deepEqual(summarize(state({ id: 'c1', parent: 'c0', step: 1 }), parent)!.writers, ['a'], 'a failed task wrote nothing');
    for (const source of ['input', 'update', 'fork']) {
      const c = summarize(state({ id: 'x', source }))!;
      assert.deepEqual(c.writers, []);
      assert.deepEqual(writtenBy(c), [source]);
    }
    assert.equal(summarize({ values: {}, next: [], tasks: [], checkpoint: { thread_id: 't' } }), undefined, 'no checkpoint id');
  });

  it('reads a subgraph task\'s namespace, and a subgraph checkpoint\'s parent step (both servers\' shapes)', () => {
    const root = summarize(state({ id: 'r0', step: 0, extra: { tasks: [{ id: 'k', name: 'research', interrupts: [], checkpoint: { thread_id: 't', checkpoint_ns: 'research:k' } }] } }))!;
    assert.deepEqual(root.subgraphs, [{ task: 'research', ns: 'research:k' }]);
    const sub = summarize(state({ id: 's1', parent: 's0', step: 1, ns: 'research:k', extra: { metadata: { step: 1, source: 'loop', parents: { '': 'r0' } } } }))!;
    assert.equal(sub.ns, 'research:k');
    assert.equal(sub.parentStepId, 'r0');
    const deeper = summarize(state({ id: 'd', ns: 'research:k|deep:q', extra: { metadata: { source: 'loop', parents: { '': 'r0', 'research:k': 's1' } } } }))!;
    assert.equal(deeper.parentStepId, 's1');
    assert.equal(parentNamespace('research:k|deep:q'), 'research:k');
    assert.equal(parentNamespace('research:k'), '');
  });
});

describe('unit: history groups', () => {
  const c = (id: string, run: string | undefined, extra: Spec = { id }) => summarize(state({ ...extra, id, run }))!;

  it('groups consecutive checkpoints of one run, updates outside runs apart', () => {
    const list = [c('5', 'r2'), c('4', 'r2'), c('3', undefined), c('2', undefined), c('1', 'r1'), c('0', 'r1')];
    const groups = groupByRun(nestSubgraphs(list));
    assert.deepEqual(groups.map((g) => [g.runId, g.entries.map((e) => e.checkpoint.id)]), [
      ['r2', ['5', '4']],
      [undefined, ['3', '2']],
      ['r1', ['1', '0']],
    ]);
    assert.deepEqual(groupByRun([]), []);
  });

  it('nests subgraph checkpoints under the step that ran them, deeper ones under theirs', () => {
    const task = (name: string, ns: string) => ({ id: ns, name, interrupts: [], checkpoint: { thread_id: 't', checkpoint_ns: ns } });
    const root = [
      summarize(state({ id: 'r1', parent: 'r0', step: 1 }))!,
      summarize(state({ id: 'r0', step: 0, extra: { tasks: [task('research', 'research:k')] } }))!,
    ];
    const sub = (id: string, ns: string, parents: Record<string, string>, tasks: ThreadState['tasks'] = []) =>
      summarize(state({ id, ns, extra: { tasks, metadata: { source: 'loop', parents } } }))!;
    const subgraphs = new Map([
      ['research:k', [sub('s1', 'research:k', { '': 'r0' }), sub('s0', 'research:k', { '': 'r0' }, [task('deep', 'research:k|deep:q')]), sub('x', 'research:k', { '': 'other' })]],
      ['research:k|deep:q', [sub('d0', 'research:k|deep:q', { '': 'r0', 'research:k': 's0' })]],
    ]);
    const entries = nestSubgraphs(root, subgraphs);
    assert.deepEqual(entries[0]!.subgraphs, []);
    const research = entries[1]!.subgraphs[0]!;
    assert.equal(research.task, 'research');
    assert.equal(research.loaded, true);
    assert.deepEqual(research.entries.map((e) => e.checkpoint.id), ['s1', 's0'], 'x belongs to another step');
    assert.deepEqual(research.entries[1]!.subgraphs[0]!.entries.map((e) => e.checkpoint.id), ['d0']);
    const unread = nestSubgraphs(root)[1]!.subgraphs[0]!;
    assert.deepEqual([unread.loaded, unread.entries], [false, []]);
  });
});
