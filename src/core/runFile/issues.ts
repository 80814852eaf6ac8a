/**
 * zod issues turned into problems a person can act on: the JSON path, what was expected and what
 * the file has there, and for a misspelt key the closest valid one.
 */
import type * as z from 'zod';
import { closestKey } from './closestKey';
import { expectKeysAt } from './expectationsSchema';
import type { Locator } from './locator';
import { formatPath, type JsonPath, type RunFileProblem } from './problems';
import { RUN_REQUEST_KEYS } from './schema';
import { describeValue, valueAt } from './values';

const COMMAND_KEYS = ['resume', 'update', 'goto'];

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  record: 'an object',
  array: 'a list',
  tuple: 'a list',
  null: 'null',
};

export function issueProblems(issues: readonly z.core.$ZodIssue[], value: unknown, locator: Locator): RunFileProblem[] {
  const problems: RunFileProblem[] = [];
  for (const issue of issues) {
    const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push(unknownKey([...path, key], locator));
      continue;
    }
    const actual = valueAt(value, path);
    let what: string;
    switch (issue.code) {
      case 'invalid_type':
        what = `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${describeValue(actual)}`;
        break;
      case 'invalid_value':
        what = `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${describeValue(actual)}`;
        break;
      case 'invalid_union':
      case 'invalid_format':
        what = `${issue.message.replace(/^Invalid input: /, '')}, got ${describeValue(actual)}`;
        break;
      default:
        what = issue.message.replace(/^Invalid input: /, '');
    }
    problems.push({ ...locator.place(path), path, message: `${formatPath(path)}: ${what}`, severity: 'error' });
  }
  return problems;
}

function unknownKey(path: JsonPath, locator: Locator): RunFileProblem {
  const key = String(path.at(-1));
  const inCommand = path.length === 2 && path[0] === 'command';
  const inExpect = expectKeysAt(path.slice(0, -1));
  const candidates = inExpect ?? (inCommand ? COMMAND_KEYS : RUN_REQUEST_KEYS.map(String));
  const near = closestKey(key, candidates);
  const hint = near
    ? `did you mean "${near}"?`
    : inExpect
      ? `${formatPath(path.slice(0, -1))} holds ${inExpect.map((k) => `"${k}"`).join(', ')}`
      : inCommand
      ? `a command holds ${COMMAND_KEYS.map((k) => `"${k}"`).join(', ')}`
      : 'a run request holds only run fields (assistant_id, thread_id, input, command, config, context, metadata, …); put the graph\'s input under "input"';
  const where = inExpect ? ` in ${formatPath(path.slice(0, -1))}` : inCommand ? ' in command' : '';
  return { ...locator.key(path), path, message: `unknown key "${key}"${where}: ${hint}`, severity: 'error' };
}
