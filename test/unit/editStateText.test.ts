import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { inputChecker, SchemaCheckWorker } from '../../src/core/runFile';
import { changedValues, parseStateText, schemaFields, schemaProblems, valuesText } from '../../src/ui/editState/stateText';

const WORKER_SCRIPT = join(__dirname, '../../../dist/schemaCheck.worker.js');

/** The shape both servers publish as the fixture agent's `state_schema` (a MessagesAnnotation graph, plus a typed field). */
const STATE_SCHEMA = {
  type: 'object',
  properties: { messages: { type: 'array', items: {} }, count: { type: 'integer', description: 'How many turns.' } },
};

describe('Edit State: the document text', () => {
  it('reads the values back, and writes them with two spaces and a final line end', () => {
    const values = { messages: [{ type: 'human', content: 'hi' }], count: 2 };
    const parsed = parseStateText(valuesText(values));
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.values, values);
    assert.equal(valuesText(null), '{}\n');
    assert.equal(Object.getPrototypeOf(parsed.values), Object.prototype, 'plain objects');
  });

  it('says where the JSON is broken, with the run files\' words', () => {
    const parsed = parseStateText('{\n  "messages": [\n    {"type": "human"},,\n  ]\n}\n');
    assert.ok(!parsed.ok);
    assert.equal(parsed.problems[0]!.line, 3);
    assert.match(parsed.problems[0]!.message, /^invalid JSON: /);
    const trailing = parseStateText('{\n  "count": 1,\n}');
    assert.ok(!trailing.ok);
    assert.match(trailing.problems[0]!.message, /trailing comma/);
    assert.equal(trailing.problems[0]!.line, 2);
  });

  it('refuses an empty document, a list, and comments', () => {
    for (const text of ['', '  \n', '[1, 2]', '{"a": 1 // no\n}']) {
      const parsed = parseStateText(text);
      assert.ok(!parsed.ok, text);
      assert.equal(parsed.problems[0]!.severity, 'error');
    }
  });

  it('keeps only the top-level keys that changed', () => {
    const base = { messages: [{ id: '1', content: 'a' }], count: 1, other: { x: 1 } };
    assert.deepEqual(changedValues(base, { messages: [{ id: '1', content: 'a' }], count: 2, other: { x: 1 } }), { count: 2 });
    assert.deepEqual(changedValues(base, { ...base, added: true }), { added: true });
    assert.deepEqual(changedValues(base, { count: 1 }), {}, 'a removed key is not sent');
    assert.deepEqual(changedValues(null, { count: 1 }), { count: 1 });
  });

  it('names the schema\'s top-level fields for completion', () => {
    assert.deepEqual(schemaFields(STATE_SCHEMA), [{ name: 'messages' }, { name: 'count', description: 'How many turns.' }]);
    assert.deepEqual(schemaFields(undefined), []);
    assert.deepEqual(schemaFields({ type: 'object' }), []);
  });

  it('places the state schema\'s mismatches as errors, in words about the state (checked in the worker)', async () => {
    const worker = new SchemaCheckWorker({ script: WORKER_SCRIPT });
    try {
      const text = '{\n  "messages": [],\n  "count": "two",\n  "mesages": []\n}\n';
      const parsed = parseStateText(text);
      assert.ok(parsed.ok);
      const check = await inputChecker(STATE_SCHEMA, worker)!(parsed.values);
      assert.equal(check.status, 'checked');
      if (check.status !== 'checked') return;
      const problems = schemaProblems(check.mismatches, parsed.place);
      assert.deepEqual(
        problems.map((p) => [p.line, p.severity, p.message]),
        [
          [3, 'error', 'count: expected an integer, got the string "two"'],
          [4, 'error', 'mesages: not a field of the graph\'s state (did you mean "messages"?)'],
        ],
      );
    } finally {
      worker.dispose();
    }
  });
});
