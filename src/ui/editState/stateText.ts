/**
 * The text of an "Edit State…" document: a checkpoint's `values` as one JSON object. Read back
 * into values, or into problems at their line and column (the run files' syntax words, positions
 * and locator), and the state schema's mismatches placed the same way. No vscode import.
 */
import { isDeepStrictEqual } from 'node:util';
import { getNodeValue, parseTree, type ParseError } from 'jsonc-parser';
import { mismatchProblems, type InputMismatch, type JsonPath, type RunFileProblem } from '../../core/runFile';
import { nestingProblem } from '../../core/runFile/depth';
import { Locator, type Place } from '../../core/runFile/locator';
import { LineIndex } from '../../core/runFile/positions';
import { syntaxProblem } from '../../core/runFile/syntax';
import { isRecord } from '../../shared/isRecord';

export type ParsedState = { ok: true; values: Record<string, unknown>; place: (path: JsonPath) => Place } | { ok: false; problems: RunFileProblem[] };

/** The document's text for these values: two spaces, a final line end. */
export function valuesText(values: unknown): string {
  return `${JSON.stringify(values ?? {}, null, 2)}\n`;
}

export function parseStateText(rawText: string): ParsedState {
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
  const lines = new LineIndex(text);
  const whole = (message: string): ParsedState => ({ ok: false, problems: [{ line: 1, column: 1, offset: 0, length: 1, path: [], message, severity: 'error' }] });
  if (!text.trim()) return whole("the document is empty: a state's values are one JSON object, such as {\"messages\": […]}");
  const tooDeep = nestingProblem(text, lines);
  if (tooDeep) return { ok: false, problems: [tooDeep] };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  if (errors.length > 0 || !root) return { ok: false, problems: [syntaxProblem(text, errors[0] ?? { error: 4, offset: 0, length: 1 }, lines)] };
  const locator = new Locator(root, lines);
  if (root.type !== 'object') {
    return { ok: false, problems: [{ ...locator.at(root), path: [], message: `the top level is ${root.type === 'array' ? 'a list' : `a ${root.type}`}: a state's values are one JSON object`, severity: 'error' }] };
  }
  // jsonc-parser's objects have no prototype; a JSON round trip makes them plain.
  const values = JSON.parse(JSON.stringify(getNodeValue(root))) as Record<string, unknown>;
  return { ok: true, values, place: (path) => locator.place(path) };
}

/**
 * The state schema's mismatches as errors at their place: a state update the graph's schema does
 * not take is not sent (the run files' words speak of "input"; here it is the state).
 */
export function schemaProblems(mismatches: readonly InputMismatch[], place: (path: JsonPath) => Place): RunFileProblem[] {
  return mismatchProblems(mismatches, [], place).map((p) => ({ ...p, message: p.message.replace("the graph's input", "the graph's state"), severity: 'error' }));
}

/**
 * The top-level keys whose values differ from the checkpoint's (a key the user removed is not
 * among them: an update cannot unset a channel). See forkSave.ts for why only these are sent.
 */
export function changedValues(base: unknown, edited: Record<string, unknown>): Record<string, unknown> {
  const before = isRecord(base) ? base : {};
  return Object.fromEntries(Object.entries(edited).filter(([key, value]) => !(key in before) || !isDeepStrictEqual(before[key], value)));
}

/** The top-level fields a state schema names, with their descriptions (for completion). */
export function schemaFields(schema: unknown): { name: string; description?: string }[] {
  if (!isRecord(schema) || !isRecord(schema.properties)) return [];
  return Object.entries(schema.properties).map(([name, field]) => {
    const description = isRecord(field) && typeof field.description === 'string' ? field.description : undefined;
    return description ? { name, description } : { name };
  });
}
