import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validator } from '@cfworker/json-schema';
import { parseRunFile, RUN_REQUEST_KEYS } from '../../src/core/runFile';
import { RUN_FILE_SCHEMA_PATH, runFileJsonSchema, runFileJsonSchemaText } from '../../src/core/runFile/jsonSchema';

const ROOT = join(__dirname, '../../..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { jsonValidation: { fileMatch: string; url: string }[] };
};

describe('run files: the schema and the JSON Schema generated from it', () => {
  it('media/run-file.schema.json is what the zod schema generates (run `node scripts/gen-run-file-schema.mjs` when this fails)', () => {
    assert.equal(readFileSync(join(ROOT, RUN_FILE_SCHEMA_PATH), 'utf8'), runFileJsonSchemaText());
  });

  it('is contributed for *.run.json files', () => {
    // langgraph.json has its own schema (the dev server's projects).
    assert.deepEqual(manifest.contributes.jsonValidation.filter((v) => v.fileMatch === '*.run.json'), [{ fileMatch: '*.run.json', url: `./${RUN_FILE_SCHEMA_PATH}` }]);
  });

  it('checks a file with a marker key as a run request (every key listed, no others), any other object as input', () => {
    type Branch = { type: string; properties: Record<string, unknown>; additionalProperties?: unknown };
    const schema = runFileJsonSchema() as { if: unknown; then: Branch; else: Branch; anyOf?: unknown };
    assert.deepEqual(schema.if, { anyOf: [{ required: ['input'] }, { required: ['command'] }, { required: ['assistant_id'] }] });
    assert.deepEqual(Object.keys(schema.then.properties).sort(), [...RUN_REQUEST_KEYS].map(String).sort());
    assert.equal(schema.then.additionalProperties, false);
    assert.equal(schema.else.type, 'object');
    assert.equal(schema.anyOf, undefined);
  });

  it('the editor (JSON Schema) and the extension (zod) agree on good and bad files', () => {
    const validator = new Validator(runFileJsonSchema() as never, '7');
    const cases: [string, boolean][] = [
      ['{"messages": [{"role": "user", "content": "hi"}]}', true],
      ['{"assistant_id": "agent", "thread_id": "new", "input": {"messages": []}}', true],
      ['{"command": {"resume": "yes"}, "thread_id": "2b84a1b7-88d0-49e0-844b-f32dc75081a9"}', true],
      ['{"input": {}, "interrupt_before": "*", "stream_mode": ["values", "updates"], "durability": "exit"}', true],
      ['{"inptu": {}, "assistant_id": "agent"}', false],
      ['{"input": {}, "multitask_strategy": "queue"}', false],
      ['{"input": {}, "thread_id": "my-thread"}', false],
      ['{"input": {}, "config": {"recursion_limit": "ten"}}', false],
      ['{"command": {"resum": 1}}', false],
      ['[]', false],
    ];
    for (const [text, good] of cases) {
      assert.equal(validator.validate(JSON.parse(text)).valid, good, `JSON Schema on ${text}`);
      assert.equal(parseRunFile(text).ok, good, `zod on ${text}`);
    }
  });

  it('every example in examples/ is a valid run file', () => {
    const validator = new Validator(runFileJsonSchema() as never, '7');
    const files = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.json'));
    assert.ok(files.length >= 4, files.join(', '));
    for (const file of files) {
      const text = readFileSync(join(ROOT, 'examples', file), 'utf8');
      const parsed = parseRunFile(text);
      assert.ok(parsed.ok, `${file}: ${parsed.ok ? '' : parsed.problems[0]!.message}`);
      assert.equal(validator.validate(JSON.parse(text)).valid, true, file);
    }
  });
});
