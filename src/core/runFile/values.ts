/**
 * Values of a run file's input, in words. Shared by the zod issues (issues.ts) and the
 * input-schema check (inputMismatches.ts, bundled into the schema-check worker without zod).
 */
import { truncate } from '../../shared/text';
import type { JsonPath } from './problems';

/** What the value is, in words: `the string "ten"`, `a list`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(truncate(value, 40))}`;
    case 'number':
      return `the number ${value}`;
    case 'boolean':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return 'nothing';
  }
}

/** The value at a JSON path, or undefined. */
export function valueAt(value: unknown, path: JsonPath): unknown {
  let current = value;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}
