/**
 * The `expect` key of a run file: what the run should end with, checked after it ends (never sent
 * to the server). Part of the run file's zod schema (schema.ts), so the editor completes and
 * checks it from the same source. Every object is strict: a misspelt key gets "did you mean".
 *
 *   "expect": {
 *     "status": "success",                              // or "interrupted", "error"
 *     "lastMessage": { "contains": "60 degrees" },      // contains / matches / equals
 *     "values": { "messages": { "length": 4 },          // JSON paths of the final state
 *                 "messages[1].tool_calls[0].name": { "equals": "get_weather" } },
 *     "toolCalls": [{ "name": "get_weather", "args": { "city": "sf" } }],
 *     "interrupt": { "contains": { "question": "Do you approve the plan?" } },
 *     "error": { "contains": "Deliberate failure" },
 *     "timeoutSeconds": 30
 *   }
 */
import * as z from 'zod';

/** `/pattern/flags`, or the pattern alone. */
const SLASHED = /^\/(.*)\/([dgimsuvy]*)$/s;

/** The RegExp a `matches` string stands for; throws a SyntaxError for an invalid one. */
export function expectRegExp(pattern: string): RegExp {
  const slashed = SLASHED.exec(pattern);
  return slashed ? new RegExp(slashed[1]!, slashed[2]) : new RegExp(pattern);
}

const regex = z
  .string()
  .superRefine((pattern, ctx) => {
    try {
      expectRegExp(pattern);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${(error as Error).message}` });
    }
  })
  .describe('A regular expression (JavaScript syntax), or "/pattern/flags", e.g. "/sunny|foggy/i".');

export const textCheckSchema = z
  .strictObject({
    contains: z.string().optional().describe('The text contains this.'),
    matches: regex.optional(),
    equals: z.string().optional().describe('The text is exactly this.'),
  })
  .describe('Checks on a text: contains, matches (a regular expression), equals.');

export const valueCheckSchema = z
  .strictObject({
    equals: z.unknown().optional().describe('The value is equal to this (deep, JSON).'),
    contains: z
      .unknown()
      .optional()
      .describe('A text contains this text; a list has an item that contains this; an object has these keys with these values.'),
    matches: regex.optional(),
    exists: z.boolean().optional().describe('true: the path is there; false: it is not.'),
    length: z.int().nonnegative().optional().describe('A list, text or object has exactly this many items, characters or keys.'),
    minLength: z.int().nonnegative().optional(),
    maxLength: z.int().nonnegative().optional(),
  })
  .describe('Checks on a value: equals, contains, matches, exists, length, minLength, maxLength.');

/**
 * A JSON path of the state as `values` names it: keys joined by ".", list items as `[0]` (`[-1]`:
 * the last), keys with other characters as `["a key"]`; an optional leading "$". The parts, or
 * the words why it is not one.
 */
export function parseStatePath(text: string): (string | number)[] | { problem: string } {
  const parts: (string | number)[] = [];
  const rest = text.startsWith('$') ? text.slice(1) : text;
  const token = /^(?:\.?([A-Za-z_$][\w$-]*)|\[(-?\d+)\]|\[("(?:[^"\\]|\\.)*")\])/;
  let at = rest.startsWith('.') || rest.startsWith('[') || rest === '' ? rest : `.${rest}`;
  while (at.length > 0) {
    const m = token.exec(at);
    if (!m) return { problem: `"${text}" is not a path: expected keys joined by "." and list items as [0], e.g. "messages[0].content" (near "${at}")` };
    parts.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : (JSON.parse(m[3]!) as string)));
    at = at.slice(m[0].length);
  }
  return parts;
}

export const toolCallCheckSchema = z
  .strictObject({
    name: z.string().min(1).describe('The tool called.'),
    args: z.record(z.string(), z.unknown()).optional().describe('Arguments it was called with (these keys with these values; others may be there too).'),
  })
  .describe('A tool call some assistant message made.');

export const expectSchema = z
  .strictObject({
    status: z
      .enum(['success', 'interrupted', 'error'])
      .optional()
      .describe('How the run ends. Default: "interrupted" with "interrupt", "error" with "error", else "success".'),
    lastMessage: textCheckSchema.optional().describe("The last assistant message's text."),
    values: z
      .record(z.string(), valueCheckSchema)
      .superRefine((checks, ctx) => {
        for (const path of Object.keys(checks)) {
          const parsed = parseStatePath(path);
          if (!Array.isArray(parsed)) ctx.addIssue({ code: 'custom', path: [path], message: parsed.problem });
        }
      })
      .optional()
      .describe('Checks on the final state, by JSON path: "messages", "messages[0].content", "messages[-1].type" (the last), "user.name".'),
    toolCalls: z.array(toolCallCheckSchema).optional().describe('Tool calls the run made (each must be there, in any order).'),
    interrupt: valueCheckSchema.optional().describe("The interrupt's value (the run should stop for input)."),
    error: textCheckSchema.optional().describe("The run's error message (the run should fail)."),
    timeoutSeconds: z.number().positive().optional().describe('The run fails the test when it takes longer than this. Default 300.'),
  })
  .describe('What the run should end with, checked when it ends (not sent to the server). Without it, a run passes when it succeeds.');

export type Expectations = z.infer<typeof expectSchema>;
export type TextCheck = z.infer<typeof textCheckSchema>;
export type ValueCheck = z.infer<typeof valueCheckSchema>;
export type ToolCallCheck = z.infer<typeof toolCallCheckSchema>;

const keysOf = (schema: { shape: object }) => Object.keys(schema.shape);

/**
 * The keys an object at `path` under `expect` may hold, for "did you mean" (path as zod gives it,
 * `["expect", "lastMessage", "contans"]` without the last key). Undefined when `path` is not there.
 */
export function expectKeysAt(path: readonly (string | number)[]): string[] | undefined {
  if (path[0] !== 'expect') return undefined;
  const [, kind, ...rest] = path;
  if (kind === undefined) return keysOf(expectSchema);
  if ((kind === 'lastMessage' || kind === 'error') && rest.length === 0) return keysOf(textCheckSchema);
  if (kind === 'interrupt' && rest.length === 0) return keysOf(valueCheckSchema);
  if (kind === 'values' && rest.length === 1) return keysOf(valueCheckSchema);
  if (kind === 'toolCalls' && rest.length === 1) return keysOf(toolCallCheckSchema);
  return undefined;
}
