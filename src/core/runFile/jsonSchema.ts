/**
 * The JSON Schema of run files, generated from the zod schema by zod itself. The build writes it
 * to media/run-file.schema.json, which package.json contributes for `*.run.json` files, so the
 * editor completes and checks the same fields the extension checks before it sends anything.
 */
import * as z from 'zod';
import { REQUEST_MARKERS, runFileSchema } from './schema';

export const RUN_FILE_SCHEMA_PATH = 'media/run-file.schema.json';

export function runFileJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(runFileSchema, {
    // draft-07: the draft VS Code's JSON language service knows best.
    target: 'draft-7',
    io: 'input',
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema === runFileSchema) asIfThenElse(jsonSchema as Record<string, unknown>);
    },
  }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: 'LangGraph run file',
    description:
      'A run request (the Agent Server run-create body plus thread_id), or a bare input object: with none of "input", "command" or "assistant_id" at the top level, the whole file is the run\'s input.',
    ...rest,
  };
}

/** The file's text as the build writes it (stable, so the committed file can be compared). */
export function runFileJsonSchemaText(): string {
  return `${JSON.stringify(runFileJsonSchema(), null, 2)}\n`;
}

/**
 * zod writes the union as `anyOf: [request, bare input]`. For a file with a misspelt key the
 * editor would then pick one alternative's complaint, often the bare input's unhelpful "matches a
 * schema that is not allowed". The rule is simpler than a union: a file with a marker key is a run
 * request, any other object is an input. Said as if/then/else, the editor checks a run request
 * against the request schema only ("Property inptu is not allowed") and completes its keys.
 */
function asIfThenElse(schema: Record<string, unknown>): void {
  const [request, bare] = schema.anyOf as [Record<string, unknown>, Record<string, unknown>];
  delete schema.anyOf;
  schema.if = { anyOf: REQUEST_MARKERS.map((key) => ({ required: [key] })) };
  schema.then = request;
  schema.else = bare;
  // Non-standard, read by VS Code: what completion offers in an empty file.
  schema.defaultSnippets = [
    { label: 'Run request', description: 'assistant, thread and input', body: { assistant_id: '${1:agent}', thread_id: '${2:new}', input: { messages: [{ role: 'user', content: '$3' }] } } },
    { label: 'Bare input', description: 'the whole file is the input', body: { messages: [{ role: 'user', content: '$1' }] } },
  ];
}
