/**
 * Branches of a history: forks (several children of one checkpoint), the line from a chosen tip,
 * which child the line takes at each fork, and switching branch to the newest checkpoint of the
 * other child. The lists are newest first, as history pages come.
 */
import { strict as assert } from 'node:assert';
import { branchView, childrenOf, forksOf, lineOf, switchBranch, tipOf, type Linked } from '../../src/core/history/branches';

const cp = (id: string, parentId?: string): Linked => ({ id, parentId });

// a0 → a1 → a2 → a3 (the first run); from a1: b2 → b3 (an update fork, then a run from it);
// from a2: c3 (a re-run's fork checkpoint). Newest first, as the servers list them.
const history = [cp('c3', 'a2'), cp('b3', 'b2'), cp('b2', 'a1'), cp('a3', 'a2'), cp('a2', 'a1'), cp('a1', 'a0'), cp('a0')];
const ids = (list: readonly Linked[]) => list.map((c) => c.id);

describe('unit: history branches', () => {
  it('lists children newest first, and forks with their children oldest first', () => {
    assert.deepEqual(childrenOf(history).get('a1'), ['b2', 'a2']);
    assert.deepEqual(forksOf(history), [
      { parentId: 'a2', children: ['a3', 'c3'], shown: 0 },
      { parentId: 'a1', children: ['a2', 'b2'], shown: 0 },
    ]);
  });

  it('shows the line of the newest checkpoint by default, with the child it takes at each fork', () => {
    const view = branchView(history);
    assert.equal(view.tip, 'c3');
    assert.deepEqual(ids(view.line), ['c3', 'a2', 'a1', 'a0']);
    assert.deepEqual(view.forks, [
      { parentId: 'a2', children: ['a3', 'c3'], shown: 1 },
      { parentId: 'a1', children: ['a2', 'b2'], shown: 0 },
    ]);
  });

  it('switches to the other branch: its newest checkpoint becomes the tip', () => {
    const tip = switchBranch(history, 'a1', 'b2');
    assert.equal(tip, 'b3');
    const view = branchView(history, tip);
    assert.deepEqual(ids(view.line), ['b3', 'b2', 'a1', 'a0']);
    assert.deepEqual(view.forks, [{ parentId: 'a1', children: ['a2', 'b2'], shown: 1 }], "a2's fork is not on this line");
    assert.deepEqual(ids(branchView(history, switchBranch(history, 'a2', 'a3')).line), ['a3', 'a2', 'a1', 'a0']);
    assert.equal(switchBranch(history, 'a1', 'a3'), undefined, 'a3 is no child of a1');
  });

  it('takes the newest checkpoint at or below a checkpoint as its tip', () => {
    assert.equal(tipOf(history, 'a2'), 'c3');
    assert.equal(tipOf(history, 'b2'), 'b3');
    assert.equal(tipOf(history, 'a1'), 'c3');
    assert.equal(tipOf(history, 'a3'), 'a3');
    assert.equal(tipOf(history), 'c3');
    assert.equal(tipOf([]), undefined);
  });

  it('stops a line where the loaded pages stop, and at a cycle a broken server could make', () => {
    const partial = history.slice(0, 4); // a2, a1, a0 not loaded yet
    assert.deepEqual(ids(lineOf(partial, 'b3')), ['b3', 'b2']);
    const cyclic = [cp('x', 'y'), cp('y', 'x')];
    assert.deepEqual(ids(lineOf(cyclic, 'x')), ['x', 'y']);
    assert.equal(tipOf(cyclic, 'x'), 'x');
    assert.deepEqual(branchView([], 'nope'), { tip: undefined, line: [], forks: [] });
    assert.equal(branchView(history, 'unknown').tip, 'c3', 'an unknown tip falls back to the newest');
  });
});
