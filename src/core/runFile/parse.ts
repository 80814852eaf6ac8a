/**
 * Reads a run file's text into what will be sent, or into problems with their line, column and
 * JSON path. Nothing here talks to a server: a file with problems never gets that far.
 */
import { getNodeValue, parseTree, type Node, type ParseError } from 'jsonc-parser';
import { nestingProblem } from './depth';
import { issueProblems } from './issues';
import { Locator, type Place } from './locator';
import { LineIndex } from './positions';
import type { JsonPath, RunFileProblem } from './problems';
import { expectSchema, type Expectations } from './expectationsSchema';
import { REQUEST_MARKERS, runRequestSchema, type RunRequest } from './schema';
import { MAX_RUN_FILE_BYTES, sizeProblem } from './size';
import { syntaxProblem } from './syntax';

/** The run-create body as the file gives it, without the keys the flow fills in (and `expect`, never sent). */
export type RunBody = Omit<RunRequest, 'assistant_id' | 'thread_id' | '$schema' | 'expect'>;

export interface RunFile {
  /** 'request': a run request; 'input': the whole file is the input. */
  kind: 'request' | 'input';
  body: RunBody;
  assistantId?: string;
  /** A thread id, or "new". */
  threadId?: string;
  /** Where the run's input sits in the file: [] for a bare input, ["input"] in a request. */
  inputPath: JsonPath;
  /** What the run should end with (the file's `expect`); not part of `body`, never sent. */
  expect?: Expectations;
  /** Where a JSON path is in the text, for warnings found later (input-schema mismatches). */
  place(path: JsonPath): Place;
}

export type ParsedRunFile = { ok: true; file: RunFile } | { ok: false; problems: RunFileProblem[] };

export interface ParseOptions {
  /** For `jsonc` documents: comments and trailing commas are fine there. */
  jsonc?: boolean;
}

export function parseRunFile(rawText: string, options: ParseOptions = {}): ParsedRunFile {
  // Editors do not count a byte order mark as a column, so neither do the positions here.
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
  const lines = new LineIndex(text);
  const fail = (problem: RunFileProblem): ParsedRunFile => ({ ok: false, problems: [problem] });
  const whole = (message: string): RunFileProblem => ({ line: 1, column: 1, offset: 0, length: 1, path: [], message, severity: 'error' });

  if (text.length > MAX_RUN_FILE_BYTES) return fail(sizeProblem(text.length));
  if (!text.trim()) return fail(whole('the file is empty: a run file holds one JSON object, such as {"input": {"messages": […]}}'));

  const tooDeep = nestingProblem(text, lines);
  if (tooDeep) return fail(tooDeep);

  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: !options.jsonc, allowTrailingComma: Boolean(options.jsonc) });
  if (errors.length > 0 || !root) return fail(syntaxProblem(text, errors[0] ?? { error: 4, offset: 0, length: 1 }, lines));

  const locator = new Locator(root, lines);
  if (root.type !== 'object') {
    const what = root.type === 'array' ? 'a list (array)' : root.type === 'null' ? 'null' : `a ${root.type}`;
    return fail({
      ...locator.at(root),
      path: [],
      message: `the top level is ${what}: a run file holds one JSON object, a run request ({"input": …}) or the input itself ({"messages": …})`,
      severity: 'error',
    });
  }

  const duplicates = duplicateKeys(root, locator);
  if (duplicates.length > 0) return { ok: false, problems: duplicates };

  // jsonc-parser builds objects without a prototype; a JSON round trip makes them plain (a
  // "__proto__" key stays an ordinary own key, as JSON.parse defines it).
  const value = JSON.parse(JSON.stringify(getNodeValue(root))) as Record<string, unknown>;
  const { $schema: _schemaHint, ...content } = value;
  const isRequest = REQUEST_MARKERS.some((key) => key in content);
  if (!isRequest) {
    // A bare input's `expect` is the file's, not the graph's: checked, and taken out of the input.
    const { expect: rawExpect, ...input } = content;
    const expect = expectSchema.optional().safeParse(rawExpect);
    if (!expect.success) {
      const issues = expect.error.issues.map((issue) => ({ ...issue, path: ['expect', ...issue.path] }));
      return { ok: false, problems: sortByPlace(issueProblems(issues, value, locator)) };
    }
    const file: RunFile = { kind: 'input', body: { input }, inputPath: [], place: (p) => locator.place(p) };
    return { ok: true, file: expect.data ? { ...file, expect: expect.data } : file };
  }

  const problems: RunFileProblem[] = [];
  if ('input' in content && 'command' in content) {
    problems.push({
      ...locator.key(['command']),
      path: ['command'],
      message: '"input" and "command" cannot both be given: send new input, or resume with a command, not both',
      severity: 'error',
    });
  }
  const checked = runRequestSchema.safeParse(value);
  if (!checked.success) problems.push(...issueProblems(checked.error.issues, value, locator));
  if (problems.length > 0 || !checked.success) return { ok: false, problems: sortByPlace(problems) };

  // `expect` is checked after the run ends, never sent: it leaves the body here.
  const { assistant_id, thread_id, $schema: _ignored, expect, ...body } = checked.data;
  return {
    ok: true,
    file: {
      kind: 'request',
      body,
      assistantId: assistant_id,
      threadId: thread_id,
      inputPath: ['input'],
      place: (p) => locator.place(p),
      ...(expect ? { expect } : {}),
    },
  };
}

/** JSON keeps only the last of two equal keys; in a run file that is always a mistake. */
function duplicateKeys(root: Node, locator: Locator): RunFileProblem[] {
  const problems: RunFileProblem[] = [];
  const visit = (node: Node, path: JsonPath): void => {
    if (node.type === 'object') {
      const seen = new Map<string, Node>();
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (!keyNode) continue;
        const key = String(keyNode.value);
        const first = seen.get(key);
        if (first) {
          const at = locator.at(first);
          problems.push({
            ...locator.at(keyNode),
            path: [...path, key],
            message: `key "${key}" appears twice (first at line ${at.line}, column ${at.column}); JSON would keep only the last one`,
            severity: 'error',
          });
        } else seen.set(key, keyNode);
        if (valueNode) visit(valueNode, [...path, key]);
      }
    } else if (node.type === 'array') {
      node.children?.forEach((child, i) => visit(child, [...path, i]));
    }
  };
  visit(root, []);
  return problems;
}

function sortByPlace(problems: RunFileProblem[]): RunFileProblem[] {
  return problems.sort((a, b) => a.offset - b.offset);
}
