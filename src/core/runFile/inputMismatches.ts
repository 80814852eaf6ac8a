/**
 * The input checked against the assistant's input schema, synchronously, with
 * @cfworker/json-schema. A schema from a deployment can take without bound (a catastrophic
 * `pattern`), so this runs only in the schema-check worker (schemaCheck.worker.ts), never on the
 * extension host's thread; inputSchema.ts is the API the rest of the extension uses.
 *
 * Validator: @cfworker/json-schema. It is small (no code generation, no dependencies), handles
 * drafts 4 to 2020-12 (the JS server publishes draft-07 with `definitions`, the Python server
 * 2020-12 with `$defs`) and reports every error with its instance path. ajv is several times
 * larger and compiles schemas to code, which buys speed this one-off check does not need.
 */
import { Validator, type Schema, type SchemaDraft } from '@cfworker/json-schema';
import { isRecord } from '../../shared/isRecord';
import { closestKey } from './closestKey';
import { describeValue, valueAt } from './values';
import { formatPath, type JsonPath } from './problems';

export interface InputMismatch {
  /** Path inside the input. */
  path: JsonPath;
  /** What is wrong there, without the path ("expected a list, got an object"). */
  what: string;
}

const MAX_MISMATCHES = 10;
/** Errors that only say "something below failed": the errors below them say what. */
const CONTAINERS = new Set(['properties', 'items', 'prefixItems', 'additionalItems', '$ref', '$recursiveRef', '$dynamicRef', 'allOf', 'if', 'then', 'else', 'contains', 'dependentSchemas', 'patternProperties', 'unevaluatedItems', 'unevaluatedProperties']);

/**
 * What does not fit `schema` in `input` (at most 10), or 'unusable' when the validator cannot
 * use the schema. Changes `schema` (the worker gets its own copy of it with every check).
 */
export function findMismatches(rawSchema: Record<string, unknown>, input: unknown): InputMismatch[] | 'unusable' {
  const schema = relaxMessages(rawSchema as Schema);
  let validator: Validator;
  try {
    validator = new Validator(schema, draftOf(schema), false);
  } catch {
    return 'unusable';
  }
  const known = isRecord(schema.properties) ? Object.keys(schema.properties) : undefined;
  const open = schema.additionalProperties === undefined || schema.additionalProperties === true;

  const mismatches: InputMismatch[] = [];
  let result;
  try {
    result = validator.validate(input);
  } catch {
    return []; // an unusable schema ($ref to nowhere…) is not the user's problem
  }
  const errors = result.errors;
  const branches = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => `${e.keywordLocation}/`);
  const seen = new Set<string>();
  for (const error of errors) {
    if (CONTAINERS.has(error.keyword)) continue;
    if (branches.some((b) => error.keywordLocation.startsWith(b))) continue; // inside a failed alternative
    const path = pathOf(error.instanceLocation, input);
    const what = words(error.keyword, error.error, valueAt(input, path));
    const key = `${formatPath(path)}\u0000${what}`;
    if (seen.has(key)) continue;
    seen.add(key);
    mismatches.push({ path, what });
  }
  // An open schema lets any key through, but a key the graph does not know is dropped without
  // a word: "mesages" runs the graph with no messages. Say so.
  if (known && open && isRecord(input)) {
    for (const key of Object.keys(input)) {
      if (known.includes(key)) continue;
      const near = closestKey(key, known);
      const hint = near ? ` (did you mean "${near}"?)` : ` (its fields: ${known.slice(0, 8).join(', ')})`;
      mismatches.push({ path: [key], what: `not a field of the graph's input${hint}` });
    }
  }
  return mismatches.slice(0, MAX_MISMATCHES);
}

/**
 * LangChain accepts a message list in many shapes: one message or a list, each `{role, content}`,
 * `{type, content}`, a string, or a `[role, text]` pair. The schemas servers generate describe
 * none of that faithfully (the JS server's allows only RemoveMessage-like objects, the Python
 * server's oneOf matches several message classes at once), so a top-level `messages` is not checked.
 * Nor is it asked for: the Python server lists MessagesState's `messages` as required, the JS
 * server does not, and a run on a thread that has messages may well send none.
 */
function relaxMessages(schema: Schema): Schema {
  if (isRecord(schema.properties) && 'messages' in schema.properties) schema.properties.messages = {};
  if (Array.isArray(schema.required)) schema.required = schema.required.filter((key) => key !== 'messages');
  return schema;
}

function draftOf(schema: Schema): SchemaDraft {
  const id = String(schema.$schema ?? '');
  if (id.includes('draft-04')) return '4';
  if (id.includes('2019-09')) return '2019-09';
  if (id.includes('2020-12')) return '2020-12';
  if (!id && '$defs' in schema) return '2020-12';
  return '7';
}

/** cfworker's "Instance type "string" is invalid. Expected "object"." in the words the rest of the extension uses. */
function words(keyword: string, error: string, actual: unknown): string {
  if (keyword === 'type') {
    const expected = /Expected "([^"]+)"/.exec(error)?.[1];
    if (expected) return `expected ${article(expected)}, got ${describeValue(actual)}`;
  }
  if (keyword === 'required') {
    const missing = /property "([^"]+)"/.exec(error)?.[1];
    if (missing) return `missing the field "${missing}"`;
  }
  if (keyword === 'anyOf' || keyword === 'oneOf') return `${describeValue(actual)} does not match any allowed shape`;
  if (keyword === 'enum' || keyword === 'const') return `${describeValue(actual)} is not an allowed value`;
  if (keyword === 'additionalProperties') return 'not a field of the graph\'s input';
  return error.replace(/^Instance /, 'the value ');
}

function article(type: string): string {
  const names: Record<string, string> = { object: 'an object', array: 'a list', string: 'a string', number: 'a number', integer: 'an integer', boolean: 'true or false', null: 'null' };
  return type
    .split(/",\s*"|,/)
    .map((t) => names[t.trim()] ?? t)
    .join(' or ');
}

/** "#/messages/0/content" → ["messages", 0, "content"], numbers where the input has a list. */
function pathOf(location: string, input: unknown): JsonPath {
  const parts = location.replace(/^#\/?/, '').split('/').filter((p) => p !== '');
  const path: JsonPath = [];
  let current = input;
  for (const raw of parts) {
    let part: string;
    try {
      part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    } catch {
      part = raw;
    }
    const segment = Array.isArray(current) && /^\d+$/.test(part) ? Number(part) : part;
    path.push(segment);
    current = isRecord(current) || Array.isArray(current) ? (current as Record<string | number, unknown>)[segment] : undefined;
  }
  return path;
}
