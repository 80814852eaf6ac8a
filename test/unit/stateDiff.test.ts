/**
 * The diff of two states' values: top-level keys first (within a node budget), one key deep when
 * asked (microdiff, capped), a messages list as messages by id. Includes a real pair of states
 * (the thread-state fixtures) and a 5 MB state, which must stay lazy.
 */
import { strict as assert } from 'node:assert';
import { countNodes, diffKey, diffKeys, diffMessages, VALUES_KEY } from '../../src/core/history/stateDiff';
import { aiMessage, humanMessage, threadStateFixture, toolMessage } from '../harness/messages';

describe('unit: state diff', () => {
  it('tells added, removed, changed and unchanged top-level keys', () => {
    const d = diffKeys({ a: 1, b: { x: [1, 2] }, c: 'same', gone: true }, { a: 2, b: { x: [1, 2] }, c: 'same', fresh: null });
    assert.deepEqual(d, { added: ['fresh'], removed: ['gone'], changed: ['a'], unchecked: [], same: 2 });
    assert.deepEqual(diffKeys(null, { a: 1 }).added, ['a']);
    assert.deepEqual(diffKeys([1], [2]).changed, [VALUES_KEY], 'a state that is a list is one key');
  });

  it('deep-diffs one key with paths under it', () => {
    const before = { profile: { name: 'Ada', tags: ['x', 'y'], age: 36 } };
    const after = { profile: { name: 'Ada L.', tags: ['x'], city: 'London', age: 36 } };
    const d = diffKey(before, after, 'profile');
    assert.equal(d.kind, 'changed');
    assert.deepEqual(
      d.changes.map((c) => [c.kind, c.path, c.before, c.after]),
      [
        ['changed', ['profile', 'name'], 'Ada', 'Ada L.'],
        ['removed', ['profile', 'tags', 1], 'y', undefined],
        ['added', ['profile', 'city'], undefined, 'London'],
      ],
    );
    assert.deepEqual(diffKey({ n: 1 }, { n: 1 }, 'n').kind, 'same');
    assert.deepEqual(diffKey({ n: 1 }, { n: '1' }, 'n').changes, [{ kind: 'changed', path: ['n'], before: 1, after: '1' }]);
    assert.deepEqual(diffKey({}, { n: [1] }, 'n').changes, [{ kind: 'added', path: ['n'], after: [1] }]);
    assert.deepEqual(diffKey({ n: [1] }, {}, 'n').changes, [{ kind: 'removed', path: ['n'], before: [1] }]);
    assert.deepEqual(diffKey({ n: [1] }, { n: { 0: 1 } }, 'n').changes.length, 1, 'a list that became an object: one change');
  });

  it('caps the changes of one key and says how many were left out', () => {
    const before = { rows: Array.from({ length: 500 }, (_, i) => i) };
    const after = { rows: Array.from({ length: 500 }, (_, i) => i + 1) };
    const d = diffKey(before, after, 'rows', { maxChanges: 50 });
    assert.equal(d.changes.length, 50);
    assert.equal(d.truncated, 450);
  });

  it('gives new messages as messages, by id, with changed and removed ones', () => {
    const call = { id: 'call_1', name: 'get_weather' };
    const before = { messages: [humanMessage('weather in sf?', { id: 'h1' }), aiMessage('', { id: 'a1', tool_calls: [{ ...call, args: { city: 'sf' } }] }), aiMessage('draft', { id: 'a2' })] };
    const after = {
      messages: [
        humanMessage('weather in sf?', { id: 'h1' }),
        aiMessage('', { id: 'a1', tool_calls: [{ ...call, args: { city: 'sf' } }] }),
        { ...toolMessage(call, "It's 60 degrees"), id: 't1' },
        aiMessage('The weather in sf is 60 degrees.', { id: 'a3' }),
      ],
    };
    const d = diffKey(before, after, 'messages');
    assert.equal(d.kind, 'changed');
    assert.deepEqual(d.changes, [], 'no JSON paths for messages');
    assert.deepEqual(d.messages!.added.map((m) => [m.index, m.role, m.id, m.text]), [
      [2, 'tool', 't1', "It's 60 degrees"],
      [3, 'ai', 'a3', 'The weather in sf is 60 degrees.'],
    ]);
    assert.deepEqual(d.messages!.removed.map((m) => [m.id, m.text]), [['a2', 'draft']]);
    assert.deepEqual(d.messages!.changed, []);

    const edited = diffMessages(before.messages, [humanMessage('weather in nyc?', { id: 'h1' })]);
    assert.deepEqual(edited.changed.map((c) => [c.before.text, c.after.text]), [['weather in sf?', 'weather in nyc?']]);
    assert.deepEqual(edited.removed.map((m) => m.id), ['a1', 'a2']);
    assert.equal(diffKey(before, before, 'messages').kind, 'same');
  });

  it('matches messages without ids by position', () => {
    const d = diffMessages([humanMessage('hi'), aiMessage('old')], [humanMessage('hi'), aiMessage('new'), aiMessage('more')]);
    assert.deepEqual(d.added.map((m) => m.text), ['new', 'more']);
    assert.deepEqual(d.removed.map((m) => m.text), ['old']);
  });

  it('diffs a real pair of states: the step that added the final answer', () => {
    const done = threadStateFixture('agent_state.json');
    const messages = (done.values as { messages: unknown[] }).messages;
    const before = { ...(done.values as object), messages: messages.slice(0, -1) };
    const keys = diffKeys(before, done.values);
    assert.deepEqual(keys.changed, ['messages']);
    const d = diffKey(before, done.values, 'messages');
    assert.equal(d.messages!.added.length, 1);
    assert.equal(d.messages!.added[0]!.role, 'ai');
    assert.equal(d.messages!.added[0]!.index, messages.length - 1);
  });

  it('stays lazy on a 5 MB state: top-level keys within the budget, a big key refused until asked with more', () => {
    const big = Array.from({ length: 20_000 }, (_, i) => ({ id: `m${i}`, type: 'human', content: 'x'.repeat(200) }));
    const before = { messages: big, docs: big.map((m) => ({ ...m })), small: 1 };
    const after = { messages: [...big, aiMessage('new', { id: 'new' })], docs: before.docs, small: 2 };
    assert.ok(JSON.stringify(after).length > 5_000_000);
    const started = performance.now();
    const keys = diffKeys(before, after, { budget: 50_000 });
    assert.ok(performance.now() - started < 1_000, 'the top level is quick');
    assert.deepEqual(keys.changed, ['messages', 'small'], 'lists of other lengths differ at once');
    assert.deepEqual(keys.unchecked, [], 'docs is the same object on both sides');
    // A deep look at `messages` with the default budget is refused…
    const refused = diffKey(before, after, 'messages', { budget: 10_000 });
    assert.deepEqual(refused.tooLarge, { nodes: 10_001 + 10_001, budget: 10_000 });
    assert.equal(refused.messages, undefined);
    // …and made when asked with room for it.
    const made = diffKey(before, after, 'messages', { budget: Infinity });
    assert.deepEqual(made.messages!.added.map((m) => m.id), ['new']);
  });

  it('marks keys the budget did not reach as unchecked', () => {
    const list = Array.from({ length: 1_000 }, (_, i) => i);
    const keys = diffKeys({ a: [...list], b: [...list] }, { a: [...list], b: [...list] }, { budget: 1_500 });
    assert.equal(keys.same, 1);
    assert.deepEqual(keys.unchecked, ['b']);
  });

  it('counts nodes up to a limit, and a too deep value as over it', () => {
    assert.equal(countNodes({ a: [1, 2, { b: 3 }] }, 100), 6);
    assert.equal(countNodes(Array.from({ length: 1_000 }, () => 0), 10), 10);
    let deep: unknown = 0;
    for (let i = 0; i < 600; i++) deep = [deep];
    assert.equal(countNodes(deep, 10_000), 10_000);
  });
});
