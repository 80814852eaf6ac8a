import { strict as assert } from 'node:assert';
import { closestKey, editDistance } from '../../src/core/runFile/closestKey';
import { describeProblem, formatPath, parseRunFile, summarizeProblems } from '../../src/core/runFile';
import { LineIndex } from '../../src/core/runFile/positions';

const SEED_INPUT = { messages: [{ role: 'user', content: "what's the weather in sf" }] };

describe('run files: parsing', () => {
  it('reads a run request: the body to send, the assistant and the thread apart', () => {
    const parsed = parseRunFile(JSON.stringify({ assistant_id: 'agent', thread_id: 'new', input: SEED_INPUT, context: { delay_ms: 5 }, $schema: './x.json' }));
    assert.ok(parsed.ok);
    assert.equal(parsed.file.kind, 'request');
    assert.equal(parsed.file.assistantId, 'agent');
    assert.equal(parsed.file.threadId, 'new');
    assert.deepEqual(parsed.file.body, { input: SEED_INPUT, context: { delay_ms: 5 } });
    assert.deepEqual(parsed.file.inputPath, ['input']);
  });

  it('reads a bare input: the whole object is the input, even with keys a run request also has', () => {
    const parsed = parseRunFile(JSON.stringify({ ...SEED_INPUT, config: 'mine', thread_id: 'whatever' }));
    assert.ok(parsed.ok);
    assert.equal(parsed.file.kind, 'input');
    assert.equal(parsed.file.assistantId, undefined);
    assert.equal(parsed.file.threadId, undefined);
    assert.deepEqual(parsed.file.body, { input: { ...SEED_INPUT, config: 'mine', thread_id: 'whatever' } });
    assert.deepEqual(parsed.file.inputPath, []);
  });

  it('treats any of input, command or assistant_id as the mark of a run request', () => {
    for (const text of ['{"input": null}', '{"command": {"resume": "yes"}}', '{"assistant_id": "agent"}']) {
      const parsed = parseRunFile(text);
      assert.ok(parsed.ok, text);
      assert.equal(parsed.file.kind, 'request', text);
    }
    const resume = parseRunFile('{"assistant_id": "hitl", "command": {"resume": "yes"}, "thread_id": "2b84a1b7-88d0-49e0-844b-f32dc75081a9"}');
    assert.ok(resume.ok);
    assert.deepEqual(resume.file.body, { command: { resume: 'yes' } });
    assert.equal(resume.file.threadId, '2b84a1b7-88d0-49e0-844b-f32dc75081a9');
  });

  it('accepts comments and trailing commas in JSONC documents only', () => {
    const text = '{\n  // the seed\n  "input": {"messages": [],},\n}';
    assert.equal(parseRunFile(text).ok, false);
    assert.equal(parseRunFile(text, { jsonc: true }).ok, true);
  });

  it('ignores a byte order mark and keeps positions right after it', () => {
    const parsed = parseRunFile('\uFEFF{"input": {}, "inptu": 1}');
    assert.equal(parsed.ok, false);
    if (!parsed.ok) assert.deepEqual([parsed.problems[0]!.line, parsed.problems[0]!.column], [1, 15]);
  });

  it('reports every schema problem, in file order, each with its JSON path', () => {
    const parsed = parseRunFile('{\n "input": {},\n "stream_mode": ["values", "everything"],\n "after_seconds": -1,\n "webhook": "ftp://host/x"\n}');
    assert.equal(parsed.ok, false);
    if (parsed.ok) return;
    assert.deepEqual(parsed.problems.map((p) => [p.line, formatPath(p.path)]), [
      [3, 'stream_mode'],
      [4, 'after_seconds'],
      [5, 'webhook'],
    ]);
    assert.match(parsed.problems[1]!.message, /^after_seconds: expected a number of seconds, 0 or more/);
    assert.match(parsed.problems[2]!.message, /^webhook: expected an http\(s\) URL, got the string "ftp:\/\/host\/x"/);
  });

  it('places a problem on the key of an object value, not across the object', () => {
    const parsed = parseRunFile('{\n  "input": {},\n  "checkpoint": {\n    "checkpoint_id": 5\n  }\n}');
    assert.equal(parsed.ok, false);
    if (parsed.ok) return;
    const problem = parsed.problems[0]!;
    assert.equal(formatPath(problem.path), 'checkpoint.checkpoint_id');
    assert.deepEqual([problem.line, problem.column], [4, 5]);
    assert.equal(describeProblem(problem), 'line 4, column 5: checkpoint.checkpoint_id: expected a string, got the number 5');
  });

  it('summarizes problems for a notification: the first, and how many more', () => {
    const parsed = parseRunFile('{"input": {}, "inptu": 1, "confg": {}}');
    assert.equal(parsed.ok, false);
    if (parsed.ok) return;
    assert.equal(
      summarizeProblems('x.run.json', parsed.problems),
      'x.run.json, line 1, column 15: unknown key "inptu": did you mean "input"? (and 1 more problem)',
    );
  });
});

describe('run files: closest key', () => {
  it('measures edits case-insensitively', () => {
    assert.equal(editDistance('input', 'input'), 0);
    assert.equal(editDistance('inptu', 'input'), 2);
    assert.equal(editDistance('Input', 'input'), 0);
    assert.equal(editDistance('assistantId', 'assistant_id'), 1);
    assert.equal(editDistance('', 'abc'), 3);
  });

  it('suggests a close key and nothing for a key that is not close to any', () => {
    const keys = ['assistant_id', 'thread_id', 'input', 'command', 'config', 'context', 'metadata', 'multitask_strategy'];
    assert.equal(closestKey('inptu', keys), 'input');
    assert.equal(closestKey('contxt', keys), 'context');
    assert.equal(closestKey('multitask', keys), undefined);
    assert.equal(closestKey('messages', keys), undefined);
    assert.equal(closestKey('threadID', keys), 'thread_id');
  });
});

describe('run files: positions', () => {
  it('turns offsets into 1-based lines and columns', () => {
    const lines = new LineIndex('ab\ncd\n\nef');
    assert.deepEqual(lines.position(0), { line: 1, column: 1 });
    assert.deepEqual(lines.position(3), { line: 2, column: 1 });
    assert.deepEqual(lines.position(6), { line: 3, column: 1 });
    assert.deepEqual(lines.position(8), { line: 4, column: 2 });
  });
});
